"""What the index stores and returns: note records in, note and guidance hits out."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from pydantic import BaseModel, Field


def text_hash(text: str) -> str:
    """A short, stable hash of a note's text: a hit whose hash differs from the SQL row is stale."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True)
class NoteRecord:
    """One interaction as the notes index sees it, built from SQL (the source of truth)."""

    interaction_id: str
    account_id: str
    date: dt.date
    text: str
    kind: str = "meeting"
    author_id: str | None = None
    participants: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (stakeholder id, name)
    account_name: str = ""

    @property
    def text_hash(self) -> str:
        return text_hash(self.text)

    def fingerprint(self) -> str:
        """A hash of everything indexed about the note: a different value means the index copy is stale."""
        payload = [
            self.account_id,
            self.account_name,
            self.date.isoformat(),
            self.kind,
            self.author_id or "",
            self.text,
            sorted(self.participants),
        ]
        return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()[:20]


class NoteHit(BaseModel):
    """A note found by a search, with the metadata it was indexed with."""

    interaction_id: str
    account_id: str
    date: dt.date
    author_id: str | None = None
    kind: str = "meeting"
    participants: list[str] = Field(default_factory=list, description="participant names")
    participant_ids: list[str] = Field(default_factory=list)
    excerpt: str
    score: float
    text_hash: str = ""


class GuidanceHit(BaseModel):
    """A guidance passage: part (or all) of one titled section of the corpus."""

    section_id: str
    title: str
    file: str = ""
    passage_id: str
    text: str
    score: float
