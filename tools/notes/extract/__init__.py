"""Reading a meeting note into a proposed record, every item tied to its span in the note (docs/agent.md).

``OfflineExtractor`` is the deterministic extractor (rules, dates, names: no network). A model-backed extractor
with the same ``Extractor`` shape lives in ``agent.extraction`` and is injected by the composition root; either
way ``tools.notes.validate`` then drops whatever the note does not support.

The package itself stays light: ``OfflineExtractor`` is loaded on first use, so importing one of its modules
(``dates``, ``text``) does not load the whole extractor. That also keeps the import graph free of cycles: a
module's package is imported before the module, and a package that imported its own modules back would let two
threads importing different ones at once see each other's half-made modules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from tools.notes.schema import KnownAccount, KnownPerson, NoteExtraction

if TYPE_CHECKING:
    from tools.notes.extract.offline import OfflineExtractor

__all__ = ["Extractor", "OfflineExtractor"]


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
        colleagues: Sequence[str] = (),
    ) -> NoteExtraction:
        """``colleagues``: the names of our own people (the portfolio's users and reps), so that a promise headed by
        one of them is read as ours; an extractor may ignore them."""
        ...


def __getattr__(name: str) -> Any:
    if name == "OfflineExtractor":
        from tools.notes.extract.offline import OfflineExtractor
        return OfflineExtractor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
