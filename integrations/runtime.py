"""The composition root: settings, store, rules and (lazily) the knowledge index, built once per process."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from store.db import Database
from store.models import User
from store.settings import Settings
from tools.context import ToolContext
from tools.rules import Rules, load_rules

_OPEN_LOCK = threading.RLock()


@dataclass
class Runtime:
    settings: Settings
    db: Database
    rules: Rules
    _knowledge: Any = field(default=None, repr=False)
    _agent: Any = field(default=None, repr=False)
    _extractor_factory: Any = field(default=None, repr=False)

    @classmethod
    def build(cls, settings: Settings, *, migrate: bool = True) -> Runtime:
        rules = load_rules(settings.rules_file)  # a bad rules file is refused here, at start
        return cls(settings=settings, db=Database.from_settings(settings, migrate=migrate), rules=rules)

    @property
    def knowledge(self) -> Any:
        """The guidance and notes index (``knowledge.service.IndexService``), made once, on first use. It opens
        Chroma lazily, answers searches from SQL while Chroma is away, and on the embedded default lets only
        one process of the data dir own the index."""
        if self._knowledge is None:
            with _OPEN_LOCK:
                if self._knowledge is None:
                    from knowledge.service import IndexService

                    self._knowledge = IndexService(self.settings, self.db)
        return self._knowledge

    def start_indexing(self) -> None:
        """Drain the notes outbox in the background (``kam serve``): notes stored by any process, or while the
        index was away, reach the index within seconds of it being reachable."""
        self.knowledge.start_drainer()

    def context(self, session: Session, user: User, as_of: dt.date, *, with_knowledge: bool = True) -> ToolContext:
        return ToolContext(
            session=session,
            as_of=as_of,
            user=user,
            rules=self.rules,
            settings=self.settings,
            db=self.db,
            knowledge=self.knowledge if with_knowledge else None,
            extractor=self.extractor(),
        )

    def extractor(self) -> Any:
        """The note extractor for ``log_note``: offline, or the configured model with the offline fallback."""
        if self._extractor_factory is None:
            from agent.extraction import make_extractor_factory

            self._extractor_factory = make_extractor_factory(self.settings)
        return self._extractor_factory()

    def agent_deps(self) -> Any:
        from agent.deps import AgentDeps

        return AgentDeps(settings=self.settings, db=self.db, rules=self.rules, knowledge_factory=lambda: self.knowledge)

    def agent(self) -> Any:
        """The conversational agent (compiled once per process; conversation memory on the same database)."""
        with _OPEN_LOCK:
            return self._build_agent()

    def _build_agent(self) -> Any:
        if self._agent is None:
            from agent.chat import Agent

            self._agent = Agent.build(self.agent_deps())
        return self._agent

    def release_index(self) -> None:
        """Close the notes index (the embedded one's lock goes with it), so that another process on this data dir
        may own it; the next use opens it again."""
        if self._knowledge is not None:
            self._knowledge.close()
            self._knowledge = None

    def close(self) -> None:
        self.release_index()
        if self._agent is not None:
            from agent.memory import close_checkpointer

            close_checkpointer(self._agent.checkpointer)
        self.db.dispose()
