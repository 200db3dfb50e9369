"""The composition root: settings, store, rules, the knowledge index and the note extractor, built once per process.

``Runtime`` is the ``tools.runner.Services`` every face hands to ``run_tool``, plus the conversational agent.
``today(settings)`` is the one place any face reads the wall clock (in ``KAM_TIMEZONE``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from store.db import Database
from store.settings import Settings
from tools.compute.quadrants import use_labels
from tools.rules import load_rules
from tools.runner import Services


def today(settings: Settings) -> dt.date:
    """Today in the configured time zone (``KAM_TIMEZONE``): the wall clock is read here, at the edge, and
    nowhere below. Every face (HTTP, Slack, the CLI, the scheduler) takes its default ``as_of`` from it."""
    return dt.datetime.now(ZoneInfo(settings.timezone)).date()


def _open_knowledge(settings: Settings, db: Database) -> Any:
    """The guidance and notes index (``knowledge.service.IndexService``): it opens Chroma lazily, answers searches
    from SQL while Chroma is away, and on the embedded default lets only one process of the data dir own it."""
    from knowledge.service import IndexService

    return IndexService(settings, db)


class _LazyExtractor:
    """The configured note extractor (``agent.extraction``), imported and built on its first use: every tool
    context carries one, and only a logged note reads it (the extraction modules cost half a second to load)."""

    def __init__(self, build: Any) -> None:
        self._build = build

    def __getattr__(self, name: str) -> Any:  # only for what the instance itself lacks: the extractor's API
        if name.startswith("__"):  # copy, pickle and the like probe dunders: not the extractor's
            raise AttributeError(name)
        return getattr(self._build(), name)


def _extractor_factory(settings: Settings) -> Any:
    """A factory of ``_LazyExtractor``: the configured note extractor, imported and built on first use."""
    built: list[Any] = []

    def extractor() -> Any:
        if not built:
            from agent.extraction import make_extractor_factory

            built.append(make_extractor_factory(settings))
        return built[0]()

    return lambda: _LazyExtractor(extractor)


@dataclass
class Runtime(Services):
    _agent: Any = field(default=None, repr=False)

    @classmethod
    def build(cls, settings: Settings, *, migrate: bool = True) -> Runtime:
        rules = load_rules(settings.rules_file)  # a bad rules file is refused here, at start
        use_labels(rules.labels.quadrants)  # every answer of this process in the team's quadrant words
        db = Database.from_settings(settings, migrate=migrate)
        return cls(settings=settings, db=db, rules=rules, open_knowledge=lambda: _open_knowledge(settings, db),
                   extractor_factory=_extractor_factory(settings))

    def start_indexing(self) -> None:
        """Drain the notes outbox in the background (``kam serve``): notes stored by any process, or while the
        index was away, reach the index within seconds of it being reachable."""
        self.knowledge.start_drainer()

    def agent(self) -> Any:
        """The conversational agent (compiled once per process; conversation memory on the same database)."""
        with self._lock:
            if self._agent is None:
                from agent.chat import Agent

                self._agent = Agent.build(self)
            return self._agent

    def release_index(self) -> None:
        """Close the notes index (the embedded one's lock goes with it), so that another process on this data dir
        may own it; the next use opens it again."""
        if self._knowledge is not None:
            self._knowledge.close()
            self._knowledge = None

    def close(self) -> None:
        use_labels(None)
        self.release_index()
        if self._agent is not None:
            from agent.memory import close_checkpointer

            close_checkpointer(self._agent.checkpointer)
        self.db.dispose()
