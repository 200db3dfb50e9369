"""The Slack app (slack-bolt): mentions, DMs, ``/kam``, buttons, the matrix image; HTTP or Socket Mode.

For ``kam serve``::

    mode = slack_mode(settings)               # "socket", "http" or None
    if mode == "http":
        app.include_router(slack_router(runtime))          # POST /slack/events
    elif mode == "socket":
        handler = start_socket_mode(build_slack_bot(runtime))  # handler.close() on shutdown
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from integrations.slack.app import SlackBot, SlackConfigError, build_slack_bot, make_web_client, slack_mode
    from integrations.slack.fastapi_routes import slack_router
    from integrations.slack.socket_mode import socket_mode_handler, start_socket_mode

# The names load on first use (``tools.notes.extract`` says why a package does not import its own modules).
_HOME = {"SlackBot": "app", "SlackConfigError": "app", "build_slack_bot": "app", "make_web_client": "app",
         "slack_mode": "app", "slack_router": "fastapi_routes", "socket_mode_handler": "socket_mode",
         "start_socket_mode": "socket_mode"}
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


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(import_module(f"{__name__}.{_HOME[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
