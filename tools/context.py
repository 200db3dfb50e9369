"""The explicit context every tool receives: no globals, no wall clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from store.db import Database
from store.models import User
from store.settings import Settings
from tools.rules import Rules

# The days a caller may ask the tools about: their date arithmetic (windows back, horizons ahead) stays far
# inside what ``datetime.date`` can hold. The edges (HTTP, CLI) refuse an ``as_of`` outside it.
AS_OF_RANGE = (dt.date(1900, 1, 1), dt.date(2999, 12, 31))


def as_of_problem(day: dt.date) -> str | None:
    """Why ``day`` cannot be an ``as_of``, or None when it can."""
    low, high = AS_OF_RANGE
    if low <= day <= high:
        return None
    return f"as_of must be between {low.isoformat()} and {high.isoformat()}; got {day.isoformat()}"


@dataclass(frozen=True)
class ToolContext:
    """What a tool may use: a database session, the day it reasons about, the rules and the acting user.

    Built once per call by ``tools.runner.Services.context`` (tests build their own) and never changed after:
    use ``dataclasses.replace`` for a variant.

    ``knowledge`` is the note/guidance index when one is configured (``knowledge.index.Knowledge``).
    ``extractor`` turns a note's text into a ``NoteExtraction`` (injected by the composition root: offline or model).
    ``thread_id`` is the conversation a proposal belongs to, when the call comes from one.
    """

    session: Session
    as_of: dt.date
    user: User
    rules: Rules = field(default_factory=Rules)
    settings: Settings | None = None
    db: Database | None = None
    knowledge: Any | None = None
    extractor: Any | None = None
    thread_id: str | None = None
    today: dt.date | None = None

    @property
    def back_dated(self) -> bool:
        """The caller chose ``as_of`` (an edge set ``today`` and it differs): good for reading, not for writing.

        ``today`` is set by an edge that lets its caller choose ``as_of`` (HTTP); ``None`` means ``as_of`` is
        the day itself (Slack, the scheduler, the CLI run by the operator, tests and evals replaying a day).
        """
        return self.today is not None and self.as_of != self.today
