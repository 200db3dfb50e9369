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


@dataclass
class ToolContext:
    """What a tool may use: a database session, the day it reasons about, the rules and the acting user.

    ``knowledge`` is the note/guidance index when one is configured (``knowledge.index.Knowledge``).
    ``extractor`` turns a note's text into a ``NoteExtraction`` (set by the agent layer: offline or model).
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
