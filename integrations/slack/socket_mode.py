"""Socket Mode: the app connects out to Slack over a WebSocket (no public URL needed).

Used when ``KAM_SLACK_APP_TOKEN`` (``xapp-...``, scope ``connections:write``) is set. Each envelope is
dispatched to the same bolt app as HTTP events and acknowledged by its envelope id as soon as the
listener acks; the slow work continues on the bot's worker pool.
"""

from __future__ import annotations

from slack_bolt.adapter.socket_mode import SocketModeHandler

from integrations.runtime import Runtime
from integrations.slack.app import SlackBot, SlackConfigError, build_slack_bot


def socket_mode_handler(target: SlackBot | Runtime) -> SocketModeHandler:
    """A Socket Mode handler for a bot, or for a bot built from a runtime's Settings (not connected yet)."""
    bot = target if isinstance(target, SlackBot) else build_slack_bot(target)
    token = bot.settings.slack_app_token
    if token is None:
        raise SlackConfigError("Socket Mode needs KAM_SLACK_APP_TOKEN (xapp-..., scope connections:write)")
    return SocketModeHandler(bot.app, token.get_secret_value(), web_client=bot.client)


def start_socket_mode(target: SlackBot | Runtime) -> SocketModeHandler:
    """Connect to Slack in the background and return the handler (``handler.close()`` to stop)."""
    handler = socket_mode_handler(target)
    handler.connect()
    return handler
