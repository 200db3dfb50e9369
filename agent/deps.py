"""What the agent needs from the process (``tools.runner.Services``) and the context of one turn.

The services are built by the composition root (``integrations.runtime.Runtime``) and handed down; the agent
never creates engines or clients itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tools.runner import Services

AgentDeps = Services  # the agent's dependencies are the services every face uses


@dataclass(frozen=True)
class TurnContext:
    """The LangGraph runtime context of one turn: who is acting and on which day. Never model-chosen."""

    user_id: str
    as_of: dt.date
    thread_id: str
    event_key: str | None = None  # an inbound event (e.g. a Slack message) this turn acts on, for exactly-once
    today: dt.date | None = None  # the real day when the caller chose as_of (HTTP): writes act as of it
    user_name: str | None = None  # the acting user's name and role, as the turn's caller loaded them: the system
    user_role: str | None = None  # prompt (asked for on every model call) then reads no store
    message: str = ""  # the user's own words this turn: a tool acting on one record runs only on an id typed here
