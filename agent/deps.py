"""What the agent needs from the process: the store, settings, rules and the knowledge index.

Built by the composition root (``integrations.runtime.Runtime``) and handed down; the agent never
creates engines or clients itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from store.db import Database
from store.models import User
from store.settings import Settings
from tools.context import ToolContext
from tools.rules import Rules


@dataclass
class AgentDeps:
    settings: Settings
    db: Database
    rules: Rules
    knowledge_factory: Any = None  # () -> Knowledge | None, opened on first use
    _knowledge: Any = field(default=None, repr=False)

    @property
    def knowledge(self) -> Any:
        if self._knowledge is None and self.knowledge_factory is not None:
            self._knowledge = self.knowledge_factory()
        return self._knowledge

    def tool_context(self, session: Session, user: User, as_of: dt.date, *, today: dt.date | None = None
                     ) -> ToolContext:
        return ToolContext(
            session=session, as_of=as_of, user=user, rules=self.rules, settings=self.settings,
            db=self.db, knowledge=self.knowledge, today=today,
        )


@dataclass(frozen=True)
class TurnContext:
    """The LangGraph runtime context of one turn: who is acting and on which day. Never model-chosen."""

    user_id: str
    as_of: dt.date
    thread_id: str
    event_key: str | None = None  # an inbound event (e.g. a Slack message) this turn acts on, for exactly-once
    today: dt.date | None = None  # the real day when the caller chose as_of (HTTP): writes act as of it
