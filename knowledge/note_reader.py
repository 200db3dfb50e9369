"""Found notes read back from SQL: the index answers ids and distances, the store the notes themselves.

Chroma reads a record's document and metadata back slowly (about 0.15 ms a record: 30 ms for the 200
candidates a search over all accounts ranks), while its HNSW search alone takes a millisecond or two. The
store is the source of truth and the index a cache of it, so a search asks the index only for ids and
distances and reads the candidates' text and metadata here, laid out as the index lays them out
(``note_metadata``, without the fingerprint a search has no use for): on an index in step with SQL the hits
are the same. Where the index lags (a note
edited, moved or deleted and not yet reindexed) the store wins: the scope is checked against the account
the note has now, and a note gone from SQL is not found.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from knowledge.note_layout import note_metadata

NoteDocs = dict[str, tuple[str, dict[str, Any]]]  # id: (text, metadata as the index stores it)
NoteReader = Callable[[Sequence[str]], NoteDocs]


def sql_note_reader(db: Any) -> NoteReader:
    """A ``NoteReader`` over the store ``db`` (a ``store.db.Database``); ids not in SQL are absent."""

    def read(ids: Sequence[str]) -> NoteDocs:
        from knowledge.outbox import note_records

        if not ids:
            return {}
        with db.session() as session:
            return {r.interaction_id: (r.text, note_metadata(r, fingerprint=False)) for r in note_records(session, ids)}

    return read
