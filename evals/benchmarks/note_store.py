"""The benchmark's synthetic notes written to a SQLite store, so that a search reads its hits back from SQL
(``knowledge.note_reader``) as ``kam`` does, rather than from Chroma's records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from sqlalchemy import insert

from knowledge.records import NoteRecord
from store.db import Database
from store.models import Account, Interaction, Participant, Stakeholder, User
from store.settings import Settings

_BATCH = 5_000


def as_stored(records: Sequence[NoteRecord]) -> list[NoteRecord]:
    """``records`` as the store gives them back: each person once, sorted (``knowledge.outbox.note_records``)."""
    return [replace(r, participants=tuple(sorted(set(r.participants)))) for r in records]


def store_notes(records: Sequence[NoteRecord], data_dir: Path) -> Database:
    """A fresh, migrated SQLite store in ``data_dir`` holding ``records``: their accounts (owned by their
    authors), the people in them as stakeholders, the notes as interactions and their participants."""
    db = Database.from_settings(Settings(data_dir=data_dir, env="test"))
    authors = sorted({r.author_id for r in records if r.author_id})
    accounts: dict[str, tuple[str, str]] = {}
    people: dict[str, tuple[str, str]] = {}
    for r in records:
        accounts.setdefault(r.account_id, (r.account_name, r.author_id or authors[0]))
        for sid, name in r.participants:
            people.setdefault(sid, (r.account_id, name))
    tables = [
        (User, [{"id": a, "name": a, "role": "rep"} for a in authors]),
        (Account, [{"id": a, "name": n, "owner_id": o} for a, (n, o) in accounts.items()]),
        (Stakeholder, [{"id": s, "account_id": a, "name": n} for s, (a, n) in people.items()]),
        (Interaction, [{"id": r.interaction_id, "account_id": r.account_id, "date": r.date, "kind": r.kind,
                        "author_id": r.author_id, "text": r.text} for r in records]),
        (Participant, [{"interaction_id": r.interaction_id, "stakeholder_id": s} for r in records
                       for s, _ in r.participants]),
    ]
    with db.write() as session:
        for table, rows in tables:
            for start in range(0, len(rows), _BATCH):
                session.execute(insert(table), rows[start : start + _BATCH])
    return db
