"""Keeping the notes index in step with SQL, the source of truth for notes.

Every write of an interaction adds an ``IndexOutbox`` row in the same SQL transaction (``enqueue``).
After the commit the writer calls ``drain``, which reads the pending rows, indexes the notes from SQL and
marks the rows done. A crash between the commit and the indexing leaves the rows pending, and the next
start drains them (``repair_on_start``). ``reindex`` rebuilds the whole notes index from SQL and reports
how far it had drifted.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from knowledge.records import NoteRecord
from store.db import Database
from store.models import Account, IndexOutbox, Interaction, Participant, Stakeholder, utcnow

log = logging.getLogger(__name__)

OPS = ("upsert", "delete")
_READ_BATCH = 1_000
_DRAIN_BATCH = 500


def enqueue(session: Session, interaction_id: str, op: str = "upsert") -> IndexOutbox:
    """Add an outbox row to ``session``'s transaction: it commits (or rolls back) with the note itself."""
    if op not in OPS:
        raise ValueError(f"outbox op must be one of {', '.join(OPS)}, not {op!r}")
    row = IndexOutbox(interaction_id=interaction_id, op=op)
    session.add(row)
    return row


@dataclass
class DrainReport:
    """What one drain did: notes written to and removed from the index, and outbox rows marked done."""

    indexed: int = 0
    deleted: int = 0
    rows_done: int = 0


@dataclass
class ReindexReport:
    """How far the notes index had drifted from SQL, and the state after the rebuild."""

    sql_notes: int = 0
    index_before: int = 0
    index_after: int = 0
    missing: list[str] = field(default_factory=list)  # in SQL, not in the index
    stale: list[str] = field(default_factory=list)  # in both, but the index copy differs
    orphans: list[str] = field(default_factory=list)  # in the index, not in SQL
    pending_outbox: int = 0  # outbox rows still pending before the rebuild
    reindexed: int = 0
    guidance_passages_written: int = 0

    @property
    def drifted(self) -> bool:
        return bool(self.missing or self.stale or self.orphans)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sql_notes": self.sql_notes,
            "index_before": self.index_before,
            "index_after": self.index_after,
            "missing": self.missing,
            "stale": self.stale,
            "orphans": self.orphans,
            "pending_outbox": self.pending_outbox,
            "reindexed": self.reindexed,
            "guidance_passages_written": self.guidance_passages_written,
        }

    def as_text(self, sample: int = 5) -> str:
        def ids(values: list[str]) -> str:
            shown = ", ".join(values[:sample])
            more = f" (+{len(values) - sample} more)" if len(values) > sample else ""
            return f": {shown}{more}" if values else ""

        lines = [
            f"notes in SQL:            {self.sql_notes}",
            f"notes in index before:   {self.index_before}",
            f"  missing from index:    {len(self.missing)}{ids(self.missing)}",
            f"  stale in index:        {len(self.stale)}{ids(self.stale)}",
            f"  orphans in index:      {len(self.orphans)}{ids(self.orphans)}",
            f"  pending outbox rows:   {self.pending_outbox}",
            f"notes reindexed:         {self.reindexed}",
            f"notes in index after:    {self.index_after}",
            f"guidance passages written: {self.guidance_passages_written}",
            "drift: " + ("repaired" if self.drifted else "none (index matched SQL)"),
        ]
        return "\n".join(lines)


def note_records(session: Session, interaction_ids: Iterable[str] | None = None) -> list[NoteRecord]:
    """Notes as the index stores them, read from SQL: interaction, account name, participants and their names.

    ``None`` reads every interaction; otherwise only the given ids (missing ones are simply absent).
    """
    # Columns, not ORM objects: a search reads its 200 candidates here on every query (``note_reader``).
    stmt = select(Interaction.id, Interaction.account_id, Interaction.date, Interaction.text, Interaction.kind,
                  Interaction.author_id, Account.name)
    stmt = stmt.outerjoin(Account, col(Account.id) == col(Interaction.account_id))
    if interaction_ids is not None:
        ids = list(dict.fromkeys(interaction_ids))
        if not ids:
            return []
        rows: list[Any] = []
        for start in range(0, len(ids), _READ_BATCH):
            chunk = ids[start : start + _READ_BATCH]
            rows.extend(session.exec(stmt.where(col(Interaction.id).in_(chunk))).all())
    else:
        rows = list(session.exec(stmt.order_by(Interaction.id)).all())
    people = _participants(session, [r[0] for r in rows], all_rows=interaction_ids is None)
    return [
        NoteRecord(
            interaction_id=iid,
            account_id=account_id,
            date=date,
            text=text or "",
            kind=kind or "",
            author_id=author_id,
            participants=tuple(sorted(people.get(iid, []))),
            account_name=account_name or "",
        )
        for iid, account_id, date, text, kind, author_id, account_name in rows
    ]


def _participants(session: Session, ids: Sequence[str], *, all_rows: bool) -> dict[str, list[tuple[str, str]]]:
    stmt = select(Participant.interaction_id, Stakeholder.id, Stakeholder.name).join(
        Stakeholder, col(Stakeholder.id) == col(Participant.stakeholder_id)
    )
    out: dict[str, list[tuple[str, str]]] = {}
    chunks = [None] if all_rows else [ids[i : i + _READ_BATCH] for i in range(0, len(ids), _READ_BATCH)]
    for chunk in chunks:
        q = stmt if chunk is None else stmt.where(col(Participant.interaction_id).in_(chunk))
        for iid, sid, name in session.exec(q).all():
            out.setdefault(iid, []).append((sid, name))
    return out


def pending_count(db: Database) -> int:
    with db.session() as s:
        stmt = select(func.count()).select_from(IndexOutbox).where(col(IndexOutbox.done_at).is_(None))
        return int(s.exec(stmt).one())


def drain(db: Database, knowledge: Any, *, limit: int | None = None) -> DrainReport:
    """Index the notes of pending outbox rows (oldest first) from SQL and mark those rows done.

    Idempotent and safe to run twice at once: indexing is an upsert by interaction id, a row is marked
    done only after its note reached the index, and a row added meanwhile stays pending for the next run.
    If the index fails, the rows stay pending and the error propagates. A knowledge object that says it
    is not ``writable`` (``IndexService`` of a process that does not own the embedded index) drains nothing.
    """
    report = DrainReport()
    if getattr(knowledge, "writable", True) is False:  # another process owns the index: it drains
        return report
    while limit is None or report.rows_done < limit:
        size = _DRAIN_BATCH if limit is None else min(_DRAIN_BATCH, limit - report.rows_done)
        with db.session() as s:
            rows = s.exec(
                select(IndexOutbox.id, IndexOutbox.interaction_id, IndexOutbox.op)
                .where(col(IndexOutbox.done_at).is_(None))
                .order_by(IndexOutbox.id)
                .limit(size)
            ).all()
            if not rows:
                break
            ids = list(dict.fromkeys(iid for _, iid, _ in rows))
            # Other pending rows of these notes, committed before SQL is read below, are settled by this batch
            # (a note queued twice, say by an import's interactions and participants files).
            row_ids = list(dict.fromkeys([row_id for row_id, _, _ in rows] + _pending_rows_of(s, ids)))
            records = note_records(s, ids)
        found = {r.interaction_id for r in records}
        # SQL decides, whatever the op: a note in SQL is (re)written, a note gone from it is removed.
        to_delete = [i for i in ids if i not in found]
        if records:
            knowledge.upsert_notes(records)
        if to_delete:
            knowledge.delete_notes(to_delete)
        _mark_done(db, row_ids)
        report.indexed += len(records)
        report.deleted += len(to_delete)
        report.rows_done += len(row_ids)
    return report


def _pending_rows_of(session: Session, interaction_ids: list[str]) -> list[int]:
    out: list[int] = []
    for start in range(0, len(interaction_ids), _READ_BATCH):
        chunk = interaction_ids[start : start + _READ_BATCH]
        out.extend(session.exec(select(IndexOutbox.id).where(col(IndexOutbox.interaction_id).in_(chunk),
                                                             col(IndexOutbox.done_at).is_(None))).all())
    return out


def _mark_done(db: Database, row_ids: list[int]) -> None:
    stamp = utcnow()
    row_ids = list(dict.fromkeys(row_ids))
    with db.write() as s:
        for start in range(0, len(row_ids), _READ_BATCH):
            chunk = row_ids[start : start + _READ_BATCH]
            s.exec(update(IndexOutbox).where(col(IndexOutbox.id).in_(chunk)).values(done_at=stamp))


def repair_on_start(db: Database, knowledge: Any) -> DrainReport:
    """Drain whatever a previous process committed but never indexed (run each time the index opens)."""
    report = drain(db, knowledge)
    if report.rows_done:
        log.info("notes index repaired on start: %s indexed, %s removed", report.indexed, report.deleted)
    return report


def index_all_interactions(db: Database, knowledge: Any) -> int:
    """Index every interaction in SQL (after a bulk import or the demo); pending outbox rows are settled.

    Returns the number of notes indexed.
    """
    mark = _max_outbox_id(db)
    with db.session() as s:
        records = note_records(s)
    knowledge.upsert_notes(records)
    _settle_outbox(db, mark)
    return len(records)


def reindex(db: Database, knowledge: Any, *, full: bool = True, guidance: bool = True) -> ReindexReport:
    """Rebuild the notes index from SQL and report the drift found first.

    ``full`` re-embeds every note; otherwise only missing and stale notes are written. Orphans (notes in
    the index with no interaction in SQL) are removed either way. With ``guidance``, the guidance corpus
    is re-checked too.
    """
    report = ReindexReport()
    report.pending_outbox = pending_count(db)
    mark = _max_outbox_id(db)
    with db.session() as s:
        records = note_records(s)
    indexed = knowledge.note_fingerprints()
    sql = {r.interaction_id: r for r in records}
    report.sql_notes = len(sql)
    report.index_before = len(indexed)
    report.missing = sorted(i for i in sql if i not in indexed)
    report.stale = sorted(i for i, fp in indexed.items() if i in sql and fp != sql[i].fingerprint())
    report.orphans = sorted(i for i in indexed if i not in sql)
    if full:
        knowledge.reset_notes()
        to_write = list(sql.values())
    else:
        knowledge.delete_notes(report.orphans)
        to_write = [sql[i] for i in report.missing + report.stale]
    report.reindexed = knowledge.upsert_notes(to_write)
    _settle_outbox(db, mark)
    report.index_after = knowledge.note_count()
    if guidance:
        report.guidance_passages_written = knowledge.ensure_guidance(force=full)
    return report


def queue_all(db: Database) -> int:
    """An upsert outbox row for every interaction in SQL (a rebuild left to the process that owns the index)."""
    from store.index_queue import queue_upserts

    with db.session() as s:
        ids = list(s.exec(select(Interaction.id).order_by(Interaction.id)).all())
    with db.write() as s:
        return queue_upserts(s, ids)


def _max_outbox_id(db: Database) -> int:
    with db.session() as s:
        return int(s.exec(select(func.coalesce(func.max(IndexOutbox.id), 0))).one())


def _settle_outbox(db: Database, up_to_id: int) -> None:
    """Mark pending rows up to ``up_to_id`` done: the rebuild read SQL after they were committed."""
    if up_to_id <= 0:
        return
    with db.write() as s:
        s.exec(
            update(IndexOutbox)
            .where(col(IndexOutbox.done_at).is_(None), col(IndexOutbox.id) <= up_to_id)
            .values(done_at=utcnow())
        )
