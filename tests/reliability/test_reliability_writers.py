"""Concurrent writers: 10 threads confirm 1,000 notes each through the real write path (``confirm_note``: the
interaction, its participant, its commitment, the outbox row and the audit records in one ``db.write()``),
on a SQLite file in WAL mode and on PostgreSQL. Nothing may be lost, nothing may fail with "database is
locked", no id may repeat, and every note must be whole."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from reliability_support import (
    account_name,
    backend,
    clone_proposals,
    confirm_note,
    figure,
    id_duplicates,
    note_counts,
    note_problems,
    propose_note,
    scaled,
    seed_writers,
    visible_ids,
)
from sqlalchemy.exc import OperationalError

from store.db import Database
from store.models import Commitment, Interaction
from tools.notes.extract import OfflineExtractor

WRITERS = 10
NOTES_PER_WRITER = scaled(1_000)


@pytest.mark.slow
def test_concurrent_writers_lose_nothing(db: Database) -> None:
    pairs = seed_writers(db, WRITERS)
    extractor = OfflineExtractor()
    queues: dict[str, list[str]] = {}
    for user_id, account_id in pairs:
        name = account_name(db, account_id)
        template = propose_note(db, user_id, name, thread_id=f"template:{user_id}", extractor=extractor)
        queues[user_id] = [template, *clone_proposals(db, template, NOTES_PER_WRITER - 1)]

    stored: dict[str, list[tuple[str, list[str]]]] = {uid: [] for uid in queues}
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(WRITERS + 1)

    def writer(user_id: str) -> None:
        start.wait()
        for pending_id in queues[user_id]:
            try:
                result = confirm_note(db, user_id, pending_id)
            except Exception as exc:  # counted, never swallowed: the assertions below report them
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}".splitlines()[0])
                continue
            stored[user_id].append((result.interaction_id, result.commitment_ids))

    threads = [threading.Thread(target=writer, args=(uid,), name=f"writer-{uid}") for uid in queues]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - began

    expected = WRITERS * NOTES_PER_WRITER
    interaction_ids = [iid for rows in stored.values() for iid, _ in rows]
    commitment_ids = [cid for rows in stored.values() for _, cids in rows for cid in cids]
    counts = note_counts(db)
    locked = sum("database is locked" in e for e in errors)
    operational = sum(e.startswith(OperationalError.__name__) for e in errors)
    duplicates = id_duplicates(interaction_ids) + id_duplicates(commitment_ids)
    lost = expected - counts.interactions
    problems = note_problems(db)
    figure(f"RELIABILITY writers {backend(db)}: {WRITERS} writers x {NOTES_PER_WRITER} notes = {counts.interactions} "
           f"stored of {expected}, {lost} lost, {len(errors)} errors ({locked} 'database is locked', "
           f"{operational} OperationalError), {duplicates} duplicate ids, {len(problems)} partial notes, "
           f"{seconds:.1f} s ({expected / seconds:.0f} notes/s)")

    assert errors == [], Counter(errors).most_common(5)
    assert {uid: len(rows) for uid, rows in stored.items()} == {uid: NOTES_PER_WRITER for uid in queues}
    assert counts.interactions == counts.participants == counts.commitments == counts.outbox == expected
    assert counts.confirmed == counts.confirm_audits == expected and counts.pending == 0
    assert duplicates == 0
    assert sorted(visible_ids(db, Interaction)) == sorted(interaction_ids)
    assert sorted(visible_ids(db, Commitment)) == sorted(commitment_ids)
    assert problems == []
