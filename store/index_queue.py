"""Bulk outbox rows: notes whose index copy must be (re)written, added to a write transaction.

``knowledge.outbox`` owns the outbox (enqueue one, drain, reindex); this is the bulk form that the store's
own writers (the CSV import) need without depending on ``knowledge``.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert
from sqlmodel import Session

from store.models import IndexOutbox, utcnow

_CHUNK = 1_000


def queue_upserts(session: Session, interaction_ids: Sequence[str]) -> int:
    """One ``upsert`` outbox row per id in ``session``'s transaction; returns how many."""
    stamp = utcnow()
    for start in range(0, len(interaction_ids), _CHUNK):
        rows = [{"interaction_id": i, "op": "upsert", "created_at": stamp}
                for i in interaction_ids[start : start + _CHUNK]]
        session.execute(insert(IndexOutbox.__table__), rows)  # type: ignore[attr-defined]
    return len(interaction_ids)
