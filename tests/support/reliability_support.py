"""Shared helpers of the reliability tests: figures, a seeded book of writers, the real note write path,
checks for partial records, and a fork-then-SIGKILL runner.

Figures are printed (``pytest -s`` shows them) and appended to the file named by ``KAM_FIGURES_FILE``.
``KAM_RELIABILITY_SCALE`` (default 1) shrinks the sizes for a quick local run; both are read when this
module is imported, since the autouse fixture of ``conftest.py`` clears every ``KAM_*`` variable.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, text
from sqlmodel import col, select

from store.db import Database
from store.import_schema import FILES
from store.import_write import table_of
from store.models import (
    Account,
    AuditLog,
    Commitment,
    IndexOutbox,
    Interaction,
    Participant,
    PendingAction,
    Stakeholder,
    User,
    utcnow,
)
from tools.context import ToolContext
from tools.notes.log import confirm_pending, log_note
from tools.notes.results import NoteStored
from tools.notes.store import new_id

FIGURES_FILE = os.environ.get("KAM_FIGURES_FILE")
SCALE = float(os.environ.get("KAM_RELIABILITY_SCALE", "1"))

AS_OF = dt.date(2026, 11, 18)  # a Wednesday: "by Friday" is 2026-11-20
NOTE = "Met Dana (CFO) at {account} today, she's worried about budget; I'll send the ROI deck by Friday"
_COMPANIES = ("Acme Corp", "Globex Manufacturing", "Initech Systems", "Umbrella Health", "Stark Aerospace",
              "Wayne Logistics", "Tyrell Biotech", "Cyberdyne Robotics", "Soylent Foods", "Hooli Cloud",
              "Vandelay Imports", "Massive Dynamic")


def figure(line: str) -> None:
    """Print one figure line and append it to ``KAM_FIGURES_FILE`` when set."""
    print(line, flush=True)
    if FIGURES_FILE:
        with open(FIGURES_FILE, "a", encoding="utf-8") as fh:
            fh.write(line.rstrip("\n") + "\n")


def scaled(n: int) -> int:
    """``n`` times ``KAM_RELIABILITY_SCALE`` (at least 1)."""
    return max(1, round(n * SCALE))


def backend(db: Database) -> str:
    return "sqlite" if db.dialect == "sqlite" else "postgresql"


# --- a book of writers -------------------------------------------------------------------------------

def seed_writers(db: Database, n: int) -> list[tuple[str, str]]:
    """A manager and ``n`` reps, each owning one account with a CFO (Dana Whitfield) on it.

    Returns ``(user_id, account_id)`` per rep.
    """
    if n > len(_COMPANIES):
        raise ValueError(f"at most {len(_COMPANIES)} writers")
    pairs = [(f"U{i:02d}", f"A{i:02d}") for i in range(1, n + 1)]
    with db.write() as s:
        s.add(User(id="M00", name="Mara Manager", role="manager"))
        s.flush()
        for i, (uid, _) in enumerate(pairs, start=1):
            s.add(User(id=uid, name=f"Rep Number{i}", role="rep", manager_id="M00"))
        s.flush()
        for i, (uid, aid) in enumerate(pairs):
            s.add(Account(id=aid, name=_COMPANIES[i], owner_id=uid))
        s.flush()
        for _, aid in pairs:
            s.add(Stakeholder(id=f"S{aid}", account_id=aid, name="Dana Whitfield", title="Chief Financial Officer"))
    return pairs


def account_name(db: Database, account_id: str) -> str:
    with db.session() as s:
        account = s.get(Account, account_id)
        assert account is not None
        return account.name


@contextmanager
def tool_context(db: Database, user_id: str, *, thread_id: str | None = None,
                 extractor: Any = None) -> Iterator[ToolContext]:
    """A tool context inside one write transaction, as the chat, the CLI and HTTP open it."""
    with db.write() as session:
        user = session.get(User, user_id)
        if user is None:
            raise LookupError(f"no user {user_id!r}")
        yield ToolContext(session=session, as_of=AS_OF, user=user, db=db, extractor=extractor, thread_id=thread_id)


def propose_note(db: Database, user_id: str, account: str, *, thread_id: str, extractor: Any) -> str:
    """``log_note`` through the real extractor; returns the pending proposal's id."""
    with tool_context(db, user_id, thread_id=thread_id, extractor=extractor) as ctx:
        proposal = log_note(ctx, text=NOTE.format(account=account))
    if proposal.status != "pending" or not proposal.pending_id:
        raise AssertionError(f"the note was not proposed: {proposal.questions}")
    if len(proposal.participants) != 1 or len(proposal.commitments) != 1:
        raise AssertionError(f"unexpected proposal: {proposal.as_json()}")
    return proposal.pending_id


def clone_proposals(db: Database, pending_id: str, n: int) -> list[str]:
    """``n`` pending proposals like ``pending_id`` (what ``log_note`` stores), each with its own id, thread and
    text, and its ``propose`` audit record; written in one transaction. Extracting 10,000 notes would only
    measure the extractor: the write under test is the confirmation."""
    with db.session() as s:
        template = s.get(PendingAction, pending_id)
        assert template is not None
        user_id, payload = template.user_id, template.payload
    ids = [new_id("P") for _ in range(n)]
    now = utcnow()
    rows = [{"id": pid, "user_id": user_id, "thread_id": f"rel:{pid}", "kind": template.kind, "status": "pending",
             "payload": {**payload, "text": f"{payload['text']} (note {k + 1} of {n})"}, "result": {},
             "created_at": now, "updated_at": now} for k, pid in enumerate(ids)]
    audits = [{"at": now, "actor": user_id, "action": "propose", "entity": "pending_action", "entity_id": pid,
               "detail": {"account_id": payload["account_id"], "thread_id": f"rel:{pid}"}} for pid in ids]
    with db.write() as s:
        for start in range(0, n, 1_000):
            s.execute(insert(PendingAction.__table__), rows[start:start + 1_000])  # type: ignore[attr-defined]
            s.execute(insert(AuditLog.__table__), audits[start:start + 1_000])  # type: ignore[attr-defined]
    return ids


def confirm_note(db: Database, user_id: str, pending_id: str) -> NoteStored:
    """The write of a confirmed note: ``confirm_note`` (interaction, participants, commitment, outbox row and
    audit records) in one ``db.write()`` transaction, exactly as a Slack button or ``--yes`` runs it."""
    with tool_context(db, user_id) as ctx:
        return confirm_pending(ctx, pending_id=pending_id)


# --- checks for partial records ----------------------------------------------------------------------

@dataclass
class NoteCounts:
    interactions: int
    participants: int
    commitments: int
    outbox: int
    confirmed: int
    pending: int
    confirm_audits: int


def _count(session: Any, stmt: Any) -> int:
    return int(session.exec(stmt).one())


def note_counts(db: Database) -> NoteCounts:
    with db.session() as s:
        def n(model: Any, *where: Any) -> int:
            return _count(s, select(func.count()).select_from(model).where(*where))

        return NoteCounts(
            interactions=n(Interaction), participants=n(Participant), commitments=n(Commitment),
            outbox=n(IndexOutbox), confirmed=n(PendingAction, PendingAction.status == "confirmed"),
            pending=n(PendingAction, PendingAction.status == "pending"),
            confirm_audits=n(AuditLog, AuditLog.action == "confirm", AuditLog.entity == "pending_action"),
        )


def note_problems(db: Database) -> list[str]:
    """Every way the store holds part of a note: each confirmed proposal must have its interaction, its
    participants, its commitments (pointing back at the interaction), exactly one outbox row and its audit
    records; nothing of a note may exist without a confirmed proposal. Empty when the store is whole."""
    problems: list[str] = []
    with db.session() as s:
        actions = s.exec(select(PendingAction.id, PendingAction.status, PendingAction.result)).all()
        interactions = set(s.exec(select(Interaction.id)).all())
        participants: dict[str, set[str]] = {}
        for iid, sid in s.exec(select(Participant.interaction_id, Participant.stakeholder_id)).all():
            participants.setdefault(iid, set()).add(sid)
        commitments: dict[str, str | None] = dict(s.exec(select(Commitment.id, Commitment.source_interaction_id)).all())
        outbox: dict[str, int] = {}
        for iid in s.exec(select(IndexOutbox.interaction_id)).all():
            outbox[iid] = outbox.get(iid, 0) + 1
        audited: dict[tuple[str, str], int] = {}
        for action, entity, entity_id in s.exec(select(AuditLog.action, AuditLog.entity, AuditLog.entity_id)).all():
            if (action, entity) in (("create", "interaction"), ("create", "commitment"), ("confirm", "pending_action"),
                                    ("create", "participant"), ("propose", "pending_action")):
                audited[(entity, entity_id)] = audited.get((entity, entity_id), 0) + 1
    owned: set[str] = set()
    owned_commitments: set[str] = set()
    for pid, status, result in actions:
        if audited.get(("pending_action", pid)) != (2 if status == "confirmed" else 1):
            problems.append(f"proposal {pid} ({status}): {audited.get(('pending_action', pid), 0)} audit records")
        if status != "confirmed":
            if result and result.get("interaction_id"):
                problems.append(f"proposal {pid} is {status} but names interaction {result['interaction_id']}")
            continue
        iid = result.get("interaction_id")
        owned.add(iid)
        if iid not in interactions:
            problems.append(f"proposal {pid} confirmed, interaction {iid} missing")
            continue
        if participants.get(iid, set()) != set(result.get("participant_ids", [])) or not participants.get(iid):
            problems.append(f"interaction {iid}: participants {sorted(participants.get(iid, ()))}, "
                            f"expected {result.get('participant_ids')}")
        for sid in participants.get(iid, ()):
            if audited.get(("participant", f"{iid}:{sid}")) != 1:
                problems.append(f"participant {iid}:{sid} without its audit record")
        for cid in result.get("commitment_ids", []):
            owned_commitments.add(cid)
            if commitments.get(cid) != iid:
                problems.append(f"interaction {iid}: commitment {cid} missing or not linked")
            elif audited.get(("commitment", cid)) != 1:
                problems.append(f"commitment {cid} without its audit record")
        if outbox.get(iid, 0) != 1:
            problems.append(f"interaction {iid}: {outbox.get(iid, 0)} outbox rows, expected 1")
        if audited.get(("interaction", iid)) != 1:
            problems.append(f"interaction {iid} without its audit record")
    problems += [f"interaction {iid} without a confirmed proposal" for iid in sorted(interactions - owned)]
    problems += [f"outbox row for {iid}, no such interaction" for iid in sorted(set(outbox) - interactions)]
    problems += [f"participants of {iid}, no such interaction" for iid in sorted(set(participants) - interactions)]
    problems += [f"commitment {cid} without a confirmed proposal"
                 for cid, src in sorted(commitments.items()) if src is not None and cid not in owned_commitments]
    return problems


def import_problems(db: Database, expected: dict[str, int], *, actor: str) -> tuple[list[str], int]:
    """Check an import that may have been killed: each file (one transaction) is all there or not at all,
    with one audit record per row, and files are committed in import order. Returns the problems and the
    number of files found complete."""
    problems: list[str] = []
    complete = 0
    gap: str | None = None
    with db.session() as s:
        for spec in FILES:
            if spec.name not in expected:
                continue
            table = table_of(spec)
            rows = _count(s, select(func.count()).select_from(table))
            audits = _count(s, select(func.count()).select_from(AuditLog).where(
                AuditLog.actor == actor, AuditLog.entity == table.name, AuditLog.action == "create"))
            if rows not in (0, expected[spec.name]):
                problems.append(f"{spec.filename}: {rows} of {expected[spec.name]} rows (a partial file)")
            if audits != rows:
                problems.append(f"{spec.filename}: {rows} rows but {audits} audit records")
            if rows and gap:
                problems.append(f"{spec.filename} committed although {gap} before it is not")
            if rows == expected[spec.name] and rows:
                complete += 1
            elif not gap:
                gap = spec.filename
    return problems, complete


def sqlite_integrity(path: Path) -> tuple[str, int]:
    """``PRAGMA integrity_check`` and the number of ``PRAGMA foreign_key_check`` violations of a SQLite file."""
    conn = sqlite3.connect(str(path))
    try:
        status = "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check").fetchall())
        violations = len(conn.execute("PRAGMA foreign_key_check").fetchall())
    finally:
        conn.close()
    return status, violations


def clear_tables(db: Database) -> None:
    """Empty every table but Alembic's (PostgreSQL: one TRUNCATE)."""
    with db.write() as s:
        names = [t for t in _table_names(db) if t != "alembic_version"]
        s.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in names) + " RESTART IDENTITY CASCADE"))


def _table_names(db: Database) -> list[str]:
    from sqlalchemy import inspect

    return inspect(db.engine).get_table_names()


# --- fork, work, SIGKILL ----------------------------------------------------------------------------

ENTER_WRITE, COMMITTED, DONE, FAILED = b"w", b"c", b"d", b"E"


class MarkedDatabase(Database):
    """The store as the child uses it, telling the parent (through a pipe) when a write transaction starts and
    when its commit has returned, so the parent knows where each kill landed."""

    def __init__(self, engine: Any, mark: Callable[[bytes], None]) -> None:
        super().__init__(engine)
        self._mark = mark

    @contextmanager
    def write(self) -> Iterator[Any]:
        self._mark(ENTER_WRITE)
        with super().write() as session:
            yield session
        self._mark(COMMITTED)


@dataclass
class KillOutcome:
    killed: bool  # the SIGKILL landed on a live child
    in_write: bool  # ... while it was inside a write transaction (begun, commit not yet returned)
    commits: int  # write transactions the child committed before it died
    error: str  # the child's traceback, when it failed on its own


def fork_and_kill(work: Callable[[Callable[[bytes], None]], None], delay_s: float) -> KillOutcome:
    """Run ``work(mark)`` in a forked child (which opens its own engine), SIGKILL it after ``delay_s`` and
    report where the kill landed. A child that finished first is reported as not killed (and returns early)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        os.close(read_fd)
        code = 0
        try:
            work(lambda b: os.write(write_fd, b))
            os.write(write_fd, DONE)
        except BaseException:
            os.write(write_fd, FAILED + traceback.format_exc().encode()[-3000:])
            code = 3
        os._exit(code)
    os.close(write_fd)
    deadline = time.perf_counter() + delay_s
    done, status = 0, 0
    while not done and time.perf_counter() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if not done:
            time.sleep(min(0.002, max(0.0, deadline - time.perf_counter())))
    if not done:
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    chunks = []
    while chunk := os.read(read_fd, 65536):
        chunks.append(chunk)
    os.close(read_fd)
    data = b"".join(chunks)
    error = data[data.index(FAILED) + 1:].decode(errors="replace") if FAILED in data else ""
    marks = data.split(FAILED)[0]
    killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    return KillOutcome(killed=killed and not error, in_write=killed and marks.endswith(ENTER_WRITE),
                       commits=marks.count(COMMITTED), error=error)


def id_duplicates(ids: list[str]) -> int:
    return len(ids) - len(set(ids))


def visible_ids(db: Database, model: Any) -> list[str]:
    with db.session() as s:
        return list(s.exec(select(col(model.id))).all())
