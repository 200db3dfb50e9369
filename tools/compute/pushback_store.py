"""Each note's pushback reading kept with the note (``NotePushback``): written when a note is stored, read back
by a brief, and filled in by the brief for a note that has none yet or was read against other people.

A note logged in the chat (``tools/notes/store.py``, behind the chat, HTTP, Slack and MCP confirms) is read in
its own transaction. Notes written in bulk (imports and CRM syncs, older notes from before migration 0004) are
read the first time a brief needs them, and the readings are saved then: with a write tool's transaction, or in
a short write of their own that never waits (if another writer holds the store, the brief answers from its own
reading and a later brief saves it; an in-memory SQLite store, one connection, is not written to).
A reading is saved only for the text it was made from (a trigger deletes it when the text changes).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Sequence

from sqlalchemy import or_, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from store.db import Database
from store.models import Interaction, NotePushback, Stakeholder
from tools.compute.pushback_reading import Finding, known_people, people_key, read_note

log = logging.getLogger(__name__)

_CHUNK = 500
_SAVE = text(
    "INSERT INTO notepushback (interaction_id, people, findings) "
    "SELECT CAST(:id AS VARCHAR), CAST(:people AS VARCHAR), CAST(:findings AS TEXT) WHERE EXISTS "
    "(SELECT 1 FROM interaction WHERE id = :id AND account_id = :account AND text = :text) "
    "ON CONFLICT (interaction_id) DO UPDATE SET people = excluded.people, findings = excluded.findings"
)

NoteReading = tuple[str, dt.date, list[Finding]]  # (interaction id, date, findings)


def account_people(session: Session, account_id: str) -> list[Stakeholder]:
    return list(session.exec(select(Stakeholder).where(Stakeholder.account_id == account_id)).all())


def store_reading(session: Session, note: Interaction) -> None:
    """Read ``note`` (added to ``session``, the write transaction storing it) against its account's people."""
    known = known_people(account_people(session, note.account_id), note.account_id)
    session.merge(NotePushback(interaction_id=note.id, people=people_key(known),
                               findings=_encode(read_note(note.text or "", known))))


def note_readings(session: Session, account_id: str, people: Sequence[Stakeholder], start: dt.date, end: dt.date,
                  *, db: Database | None = None) -> list[NoteReading]:
    """The account's notes dated ``start`` to ``end`` that have findings, newest first, each with its findings.

    Notes without a reading for these ``people`` are read here, and their readings saved: in ``session`` when it
    is a write transaction, else with ``db`` in a write of their own that does not wait."""
    known = known_people(people, account_id)
    key = people_key(known)
    rows = session.exec(
        select(Interaction.id, Interaction.date, NotePushback.people, NotePushback.findings)
        .outerjoin(NotePushback, col(NotePushback.interaction_id) == Interaction.id)
        .where(Interaction.account_id == account_id, Interaction.date >= start, Interaction.date <= end)
        .where(or_(col(NotePushback.people).is_(None), NotePushback.people != key, NotePushback.findings != "[]"))
        .order_by(col(Interaction.date).desc(), col(Interaction.id).desc())
    ).all()
    stale = [iid for iid, _day, people_of, _f in rows if people_of != key]
    read: dict[str, list[Finding]] = {}
    if stale:
        texts: dict[str, str] = {}
        for at in range(0, len(stale), _CHUNK):
            chunk = stale[at : at + _CHUNK]
            texts.update(session.exec(select(Interaction.id, Interaction.text)
                                      .where(col(Interaction.id).in_(chunk))).all())
        read = {iid: read_note(texts[iid] or "", known) for iid in stale}
        items = [(iid, texts[iid], read[iid]) for iid in stale]
        if _writes(session):  # a write tool's transaction (draft_plan): saved with its write
            session.execute(_SAVE, _params(account_id, key, items))
        elif db is not None and db.engine.url.database not in (None, "", ":memory:"):
            save_readings(db, account_id, key, items)
    out: list[NoteReading] = []
    for iid, day, _people, findings in rows:
        got = read[iid] if iid in read else [(k, q) for k, q in json.loads(findings)]
        if got:
            out.append((iid, day, got))
    return out


def save_readings(db: Database, account_id: str, people: str, items: Sequence[tuple[str, str, list[Finding]]]) -> bool:
    """Save readings (note id, the text read, findings) made against ``people`` in one write that does not wait for
    another writer; False when the store was busy (nothing saved)."""
    params = _params(account_id, people, items)
    with db.engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        waits = conn.exec_driver_sql("PRAGMA busy_timeout").scalar() if sqlite else None
        try:
            conn.exec_driver_sql("PRAGMA busy_timeout=0" if sqlite else "SET LOCAL lock_timeout = '200ms'")
            conn.execute(_SAVE, params)
            conn.commit()
            return True
        except DBAPIError as exc:  # busy: a later brief saves them
            conn.rollback()
            log.debug("pushback readings not saved: %s", exc)
            return False
        finally:
            if sqlite:
                conn.exec_driver_sql(f"PRAGMA busy_timeout={int(waits or 0)}")
                conn.rollback()


def _writes(session: Session) -> bool:
    """``session`` is a write transaction (``Database.write``)."""
    return bool(session.get_bind().get_execution_options().get("kam_write"))


def _params(account_id: str, people: str, items: Sequence[tuple[str, str, list[Finding]]]) -> list[dict[str, str]]:
    return [{"id": iid, "people": people, "findings": _encode(found), "account": account_id, "text": body}
            for iid, body, found in items]


def _encode(findings: list[Finding]) -> str:
    return json.dumps([list(f) for f in findings], ensure_ascii=False) if findings else "[]"
