"""Note extraction (SPEC 6): a meeting note read into a proposed record, every item tied to its span.

``make_extractor_factory(settings)`` gives the configured extractor: the offline one by default, the model one
when ``settings.llm_base_url`` is set (it falls back to offline on any failure). ``validate`` then drops
whatever the note does not support, whichever extractor produced it.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Protocol

from agent.extraction.offline import OfflineExtractor
from store.settings import Settings
from tools.note_schema import (
    ChangeItem,
    CommitmentItem,
    Dropped,
    KnownAccount,
    KnownPerson,
    NoteExtraction,
    ParticipantItem,
)
from tools.note_validate import validate

__all__ = [
    "ChangeItem",
    "CommitmentItem",
    "Dropped",
    "Extractor",
    "KnownAccount",
    "KnownPerson",
    "NoteExtraction",
    "OfflineExtractor",
    "ParticipantItem",
    "make_extractor_factory",
    "validate",
]


class Extractor(Protocol):
    """Reads one note into a ``NoteExtraction`` (not yet validated)."""

    name: str

    def extract(
        self,
        text: str,
        *,
        as_of: dt.date,
        people: list[KnownPerson],
        accounts: list[KnownAccount],
        account_id: str | None,
    ) -> NoteExtraction: ...


def make_extractor_factory(settings: Settings) -> Callable[[], Extractor]:
    """A zero-argument callable returning the configured extractor, built once on first use."""
    lock = threading.Lock()
    built: list[Extractor] = []

    def factory() -> Extractor:
        with lock:
            if not built:
                if settings.llm_base_url:
                    from agent.extraction.llm import ModelExtractor

                    built.append(ModelExtractor(settings))
                else:
                    built.append(OfflineExtractor())
            return built[0]

    return factory
