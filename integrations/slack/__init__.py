"""The Slack app (slack-bolt): mentions, DMs, ``/kam``, buttons, the matrix image; HTTP or Socket Mode.

For ``kam serve``::

    mode = slack_mode(settings)               # "socket", "http" or None
    if mode == "http":
        app.include_router(slack_router(runtime))          # POST /slack/events
    elif mode == "socket":
        handler = start_socket_mode(build_slack_bot(runtime))  # handler.close() on shutdown
"""

from integrations.slack.app import SlackBot, SlackConfigError, build_slack_bot, make_web_client, slack_mode
from integrations.slack.fastapi_routes import slack_router
from integrations.slack.socket_mode import socket_mode_handler, start_socket_mode

__all__ = [
    "SlackBot",
    "SlackConfigError",
    "build_slack_bot",
    "make_web_client",
    "slack_mode",
    "slack_router",
    "socket_mode_handler",
    "start_socket_mode",
]
