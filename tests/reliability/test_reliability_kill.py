"""``kill -9`` during an import and during note writes, 100 times each: a forked child (its own engine) imports
the demo portfolio's CSV files, or proposes and confirms notes in a loop, and the parent SIGKILLs it at a
random moment (seeded). After every kill: no partial record (each import file, one transaction, is all there
or absent, with its audit records; each note has its participant, commitment, outbox row and audit records,
or nothing of it exists) and, on SQLite, ``PRAGMA integrity_check`` is ok with no foreign-key violation."""

from __future__ import annotations

import random
import shutil
import sqlite3
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from reliability_support import (
    AS_OF,
    MarkedDatabase,
    account_name,
    backend,
    clear_tables,
    confirm_note,
    figure,
    fork_and_kill,
    import_problems,
    note_counts,
    note_problems,
    propose_note,
    scaled,
    seed_writers,
    sqlite_integrity,
)
from sqlmodel import delete, select

from store.db import Database, make_engine
from store.demo import generate_portfolio, write_csvs
from store.importer import import_dir
from store.models import AccountPlan, Commitment, IndexOutbox
from store.settings import Settings
from tools.notes.extract import OfflineExtractor

KILLS = scaled(100)
ACTOR = "kill-test"
MAX_NOTES_PER_CHILD = 2_000


def _url(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def _sqlite_path(db: Database) -> Path | None:
    return Path(db.engine.url.database) if db.dialect == "sqlite" and db.engine.url.database else None


def _integrity_label(db: Database, ok: int, checked: int) -> str:
    if db.dialect != "sqlite":
        return "integrity_check n/a on PostgreSQL (constraints enforced by the server)"
    return f"integrity_check ok {ok}/{checked}"


def _integrity(db: Database) -> tuple[bool, int]:
    """(integrity_check ok, foreign-key violations); PostgreSQL enforces both itself: (True, 0)."""
    path = _sqlite_path(db)
    if path is None:
        return True, 0
    status, violations = sqlite_integrity(path)
    return status == "ok", violations


def _resetter(db: Database, tmp_path: Path) -> Callable[[], None]:
    """Put the store back to empty and migrated: a copy of the migrated file (SQLite), or TRUNCATE (PostgreSQL)."""
    path = _sqlite_path(db)
    if path is None:
        return lambda: clear_tables(db)
    db.dispose()
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    template = tmp_path / "migrated-empty.db"
    shutil.copyfile(path, template)

    def reset() -> None:
        db.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(template, path)

    return reset


@pytest.mark.slow
def test_kill_during_import(db: Database, settings: Settings, tmp_path: Path) -> None:
    portfolio = generate_portfolio(as_of=AS_OF)
    csv_dir = write_csvs(portfolio, tmp_path / "csv")
    expected = {name: n for name, n in portfolio.counts().items() if n}
    reset = _resetter(db, tmp_path)
    url = _url(db)

    def child(mark: Callable[[bytes], None]) -> None:
        child_db = MarkedDatabase(make_engine(settings, url), mark)
        result = import_dir(child_db, csv_dir, actor=ACTOR)
        if not result.ok:
            raise RuntimeError(f"import failed: {result.errors[:3]}")

    windows = []
    for _ in range(3):  # whole imports in a child, unkilled: the checks pass on them, and they time the window
        reset()
        db.dispose()
        began = time.perf_counter()
        outcome = fork_and_kill(child, 120.0)
        windows.append(time.perf_counter() - began)
        assert not outcome.killed and outcome.error == "", outcome.error
        assert import_problems(db, expected, actor=ACTOR) == ([], len(expected))
    window = sorted(windows)[1]

    rng = random.Random(20261118)
    kills = in_write = integrity_ok = fk_violations = finished = unheard = 0
    partial: list[str] = []
    files_at_kill: Counter[int] = Counter()
    began = time.perf_counter()
    while kills < KILLS:
        assert kills + finished < 3 * KILLS, f"only {kills} of {finished + kills} runs were killed before finishing"
        reset()
        db.dispose()  # the child inherits no pooled connection
        outcome = fork_and_kill(child, rng.uniform(0.0, window))
        assert outcome.error == "", outcome.error
        ok, violations = _integrity(db)
        problems, complete = import_problems(db, expected, actor=ACTOR)
        partial += problems
        integrity_ok += ok
        fk_violations += violations
        if not outcome.killed:
            finished += 1
            assert complete == len(expected)
            continue
        kills += 1
        in_write += outcome.in_write
        files_at_kill[complete] += 1
        # Every commit the child saw return is in the store; a kill inside a write may land after its COMMIT
        # reached the store and before the child heard back: that file is then whole too.
        assert complete == outcome.commits or (outcome.in_write and complete == outcome.commits + 1)
        unheard += complete > outcome.commits
    seconds = time.perf_counter() - began
    spread = ", ".join(f"{n} files: {files_at_kill[n]}" for n in sorted(files_at_kill))
    checked = kills + finished
    figure(f"RELIABILITY kill -9 import {backend(db)}: {kills} kills ({in_write} inside a write transaction, {unheard} "
           f"of them after the COMMIT reached the store; "
           f"{finished} more runs finished first), {len(partial)} partial records, "
           f"{_integrity_label(db, integrity_ok, checked)}, {fk_violations} foreign-key violations; "
           f"complete files at the kill: {spread}; "
           f"a whole demo import ({sum(expected.values())} rows) in a child {window:.2f} s; {seconds:.0f} s")
    assert partial == []
    assert integrity_ok == checked and fk_violations == 0


@pytest.mark.slow
def test_kill_during_note_writes(db: Database, settings: Settings) -> None:
    ((user_id, account_id),) = seed_writers(db, 1)
    name = account_name(db, account_id)
    extractor = OfflineExtractor()
    confirm_note(db, user_id, propose_note(db, user_id, name, thread_id="warm-up", extractor=extractor))
    url = _url(db)
    db.dispose()

    def child_for(round_: int) -> Callable[[Callable[[bytes], None]], None]:
        def child(mark: Callable[[bytes], None]) -> None:
            child_db = MarkedDatabase(make_engine(settings, url), mark)
            for k in range(MAX_NOTES_PER_CHILD):  # propose, then confirm: two transactions, as in a conversation
                pending = propose_note(child_db, user_id, name, thread_id=f"kill-{round_}-{k}", extractor=extractor)
                confirm_note(child_db, user_id, pending)
        return child

    rng = random.Random(20261120)
    kills = in_write = integrity_ok = fk_violations = 0
    partial: list[str] = []
    began = time.perf_counter()
    for round_ in range(KILLS):
        outcome = fork_and_kill(child_for(round_), rng.uniform(0.0, 0.3))
        assert outcome.error == "", outcome.error
        assert outcome.killed, "the child wrote its whole quota of notes before the kill"
        kills += 1
        in_write += outcome.in_write
        ok, violations = _integrity(db)
        integrity_ok += ok
        fk_violations += violations
        partial += note_problems(db)
        db.dispose()
    seconds = time.perf_counter() - began
    counts = note_counts(db)
    figure(f"RELIABILITY kill -9 note writes {backend(db)}: {kills} kills ({in_write} inside a write transaction), "
           f"{counts.interactions} notes stored and {counts.pending} proposals left pending by the kills, "
           f"{len(partial)} partial records, {_integrity_label(db, integrity_ok, kills)}, "
           f"{fk_violations} foreign-key violations; {seconds:.0f} s")
    assert partial == []
    assert integrity_ok == kills and fk_violations == 0
    assert counts.interactions == counts.participants == counts.commitments == counts.outbox == counts.confirmed


def test_the_checks_find_partial_records(sqlite_db: Database, tmp_path: Path) -> None:
    """The checks above are not vacuous: they report a note or an import file with a piece missing."""
    db = sqlite_db
    ((user_id, account_id),) = seed_writers(db, 1)
    pending = propose_note(db, user_id, account_name(db, account_id), thread_id="t", extractor=OfflineExtractor())
    stored = confirm_note(db, user_id, pending)
    assert note_problems(db) == []
    with db.write() as s:
        s.exec(delete(Commitment))  # type: ignore[call-overload]
        s.add(IndexOutbox(interaction_id="I-ghost"))
    problems = note_problems(db)
    assert any(stored.commitment_ids[0] in p for p in problems)
    assert "outbox row for I-ghost, no such interaction" in problems

    portfolio = generate_portfolio(as_of=AS_OF)
    expected = {name: n for name, n in portfolio.counts().items() if n}
    fresh = Database.from_settings(Settings(data_dir=tmp_path / "fresh", env="test"))
    try:
        assert import_dir(fresh, write_csvs(portfolio, tmp_path / "csv"), actor=ACTOR).ok
        assert import_problems(fresh, expected, actor=ACTOR) == ([], len(expected))
        with fresh.write() as s:
            s.delete(s.exec(select(AccountPlan)).first())
        problems, complete = import_problems(fresh, expected, actor=ACTOR)
        n = expected["plans"]
        assert problems == [f"plans.csv: {n - 1} of {n} rows (a partial file)",
                            f"plans.csv: {n - 1} rows but {n} audit records"]
        assert complete == len(expected) - 1
    finally:
        fresh.dispose()
