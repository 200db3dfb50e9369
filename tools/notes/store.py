"""Storing a confirmed note, undoing it, or discarding the proposal: each in the caller's one transaction.

The caller opens the write transaction (``with db.write() as session``) and passes it as ``ctx.session``;
everything here is added to it, inside a savepoint, so a problem found half-way leaves nothing behind.
Every write has an audit record with the acting user. Confirming twice stores once; undoing twice removes
once. A pending action belongs to one user: anyone else gets "not found", as for one that does not exist.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from knowledge.outbox import enqueue
from store.audit import record
from store.models import Commitment, Interaction, Participant, PendingAction, Stakeholder, utcnow
from store.scopes import get_visible_account
from tools.compute.pushback_store import store_reading
from tools.context import ToolContext
from tools.errors import NotFound, ToolError
from tools.notes.results import NoteCancelled, NoteStored, NoteUndone, day
from tools.notes.schema import NoteExtraction

KIND = "log_note"


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def find_action(ctx: ToolContext, pending_id: str | None, statuses: tuple[str, ...]) -> PendingAction:
    """The user's note action ``pending_id`` (locked for the write), or their latest one in ``statuses`` in
    ``ctx.thread_id`` (in any thread when there is none)."""
    session = ctx.session
    if pending_id:
        stmt = select(PendingAction).where(PendingAction.id == pending_id.strip(),
                                           PendingAction.user_id == ctx.user.id, PendingAction.kind == KIND)
        action = session.exec(stmt.with_for_update().execution_options(populate_existing=True)).first()
        if action is None:
            raise NotFound(f"no note proposal {pending_id.strip()!r}")
        return action
    stmt = select(PendingAction).where(PendingAction.user_id == ctx.user.id, PendingAction.kind == KIND,
                                       col(PendingAction.status).in_(statuses))
    if ctx.thread_id:
        stmt = stmt.where(PendingAction.thread_id == ctx.thread_id)
    stmt = stmt.order_by(col(PendingAction.created_at).desc(), col(PendingAction.id).desc()).limit(1)
    action = session.exec(stmt.with_for_update().execution_options(populate_existing=True)).first()
    if action is None:
        what = "waiting for confirmation" if statuses == ("pending",) else "stored"
        raise NotFound(f"there is no note {what}" + (" in this conversation" if ctx.thread_id else ""))
    return action


def store_note(ctx: ToolContext, action: PendingAction) -> NoteStored:
    """Write the proposal of ``action`` (status pending) and mark it confirmed."""
    session = ctx.session
    if action.status == "confirmed":
        return _stored(action, changed=False)
    if action.status != "pending":
        raise ToolError(f"note proposal {action.id} was {action.status}; nothing to confirm")
    payload = action.payload
    extraction = NoteExtraction.model_validate(payload["extraction"])
    as_of = dt.date.fromisoformat(payload["as_of"])
    account_id = payload["account_id"]
    if get_visible_account(session, ctx.user, account_id) is None:
        raise NotFound(f"no account {account_id!r}")
    known_ids = [p.stakeholder_id for p in extraction.participants if p.stakeholder_id]
    known_ids += [c.stakeholder_id for c in extraction.changes]
    stakeholders = _stakeholders(session, known_ids)
    missing = sorted({sid for sid in known_ids if sid not in stakeholders or
                      stakeholders[sid].account_id != account_id})
    if missing:
        raise ToolError(f"stakeholder(s) {', '.join(missing)} no longer exist on {account_id}; log the note again")
    actor = ctx.user.id
    with session.begin_nested():
        interaction = Interaction(id=new_id("I"), account_id=account_id, date=extraction.interaction_date(as_of),
                                  kind=extraction.interaction_kind(), author_id=actor, text=payload["text"])
        session.add(interaction)
        record(session, actor=actor, action="create", entity="interaction", entity_id=interaction.id,
               detail={"account_id": account_id, "date": interaction.date.isoformat(), "kind": interaction.kind,
                       "pending_id": action.id})
        new_ids: dict[str, str] = {}
        for p in extraction.participants:
            if p.is_new:
                sid = new_id("S")
                new_ids[p.name.casefold()] = sid
                session.add(Stakeholder(id=sid, account_id=account_id, name=p.name, title=p.title))
                record(session, actor=actor, action="create", entity="stakeholder", entity_id=sid,
                       detail={"account_id": account_id, "name": p.name, "title": p.title, "pending_id": action.id})
        session.flush()
        participant_ids: list[str] = []
        for p in extraction.participants:
            sid = p.stakeholder_id or new_ids[p.name.casefold()]
            session.add(Participant(interaction_id=interaction.id, stakeholder_id=sid, sentiment=p.sentiment))
            participant_ids.append(sid)
            record(session, actor=actor, action="create", entity="participant", entity_id=f"{interaction.id}:{sid}",
                   detail={"sentiment": p.sentiment})
        changes = []
        for ch in extraction.changes:
            row = stakeholders[ch.stakeholder_id]
            before = {"left_company": row.left_company, "title": row.title}
            if ch.kind == "left_company":
                row.left_company = True
            else:
                row.title = ch.new_title
            after = {"left_company": row.left_company, "title": row.title}
            session.add(row)
            changes.append({"stakeholder_id": row.id, "name": row.name, "kind": ch.kind, "before": before,
                            "after": after})
            record(session, actor=actor, action="update", entity="stakeholder", entity_id=row.id,
                   detail={"kind": ch.kind, "before": before, "after": after, "pending_id": action.id})
        commitment_ids: list[str] = []
        summaries: list[str] = []
        for c in payload.get("commitments", []):
            cid = new_id("C")
            owner_stakeholder = c.get("owner_stakeholder_id") or new_ids.get((c.get("owner_name") or "").casefold())
            description = c["description"]
            if c["side"] == "customer" and c.get("owner_name"):
                description = f"{c['owner_name'].split()[0]} to {description}"
            else:
                description = description[:1].upper() + description[1:]
            due = dt.date.fromisoformat(c["due"]) if c.get("due") else None
            session.add(Commitment(id=cid, account_id=account_id, side=c["side"], owner_id=c.get("owner_id"),
                                   description=description, due=due, status="open",
                                   source_interaction_id=interaction.id))
            record(session, actor=actor, action="create", entity="commitment", entity_id=cid,
                   detail={"side": c["side"], "owner_id": c.get("owner_id"), "owner_stakeholder_id": owner_stakeholder,
                           "due": c.get("due"), "source_interaction_id": interaction.id})
            commitment_ids.append(cid)
            summaries.append(f"{description}, due {day(due)}" if due else description)
        store_reading(session, interaction)  # after the note's new people and title changes
        enqueue(session, interaction.id)
        action.status = "confirmed"
        action.updated_at = utcnow()
        action.result = {
            "interaction_id": interaction.id,
            "interaction_date": interaction.date.isoformat(),
            "participant_ids": participant_ids,
            "new_stakeholder_ids": list(new_ids.values()),
            "commitment_ids": commitment_ids,
            "changes": changes,
            "message": _stored_message(interaction.id, participant_ids, new_ids, summaries, changes),
        }
        session.add(action)
        record(session, actor=actor, action="confirm", entity="pending_action", entity_id=action.id,
               detail={"interaction_id": interaction.id})
        session.flush()
    return _stored(action, changed=True)


def undo_note(ctx: ToolContext, action: PendingAction) -> NoteUndone:
    """Reverse a confirmed note: remove what it created, restore what it changed (if nobody changed it since)."""
    session = ctx.session
    if action.status == "undone":
        return _undone(action, changed=False)
    if action.status != "confirmed":
        hint = "; reply `cancel` to discard it" if action.status == "pending" else ""
        raise ToolError(f"note proposal {action.id} is {action.status}, not stored: nothing to undo{hint}")
    res = dict(action.result)
    iid = res["interaction_id"]
    actor = ctx.user.id
    removed: dict[str, list[str]] = {"commitments": [], "participants": [], "interactions": [], "stakeholders": []}
    restored: list[dict[str, Any]] = []
    kept: list[str] = []
    with session.begin_nested():
        for cid in res.get("commitment_ids", []):
            if session.get(Commitment, cid) is not None:
                session.exec(delete(Commitment).where(col(Commitment.id) == cid))
                removed["commitments"].append(cid)
                record(session, actor=actor, action="delete", entity="commitment", entity_id=cid,
                       detail={"undo_of": action.id})
        session.exec(update(Commitment).where(col(Commitment.source_interaction_id) == iid)
                     .values(source_interaction_id=None))  # someone else's, made from this note since
        for sid in res.get("participant_ids", []):
            gone = session.exec(delete(Participant).where(col(Participant.interaction_id) == iid,
                                                          col(Participant.stakeholder_id) == sid))
            if gone.rowcount:
                removed["participants"].append(sid)
                record(session, actor=actor, action="delete", entity="participant", entity_id=f"{iid}:{sid}",
                       detail={"undo_of": action.id})
        for ch in res.get("changes", []):
            row = session.get(Stakeholder, ch["stakeholder_id"])
            now = {"left_company": row.left_company, "title": row.title} if row else None
            if row is None or now != ch["after"]:
                kept.append(f"{ch['name']}: changed again since, left as it is")
                continue
            row.left_company, row.title = ch["before"]["left_company"], ch["before"]["title"]
            session.add(row)
            restored.append({"stakeholder_id": row.id, "restored": ch["before"]})
            record(session, actor=actor, action="update", entity="stakeholder", entity_id=row.id,
                   detail={"undo_of": action.id, "before": ch["after"], "after": ch["before"]})
        session.flush()
        if session.get(Interaction, iid) is not None:
            session.exec(delete(Participant).where(col(Participant.interaction_id) == iid))
            session.exec(delete(Interaction).where(col(Interaction.id) == iid))
            removed["interactions"].append(iid)
            record(session, actor=actor, action="delete", entity="interaction", entity_id=iid,
                   detail={"undo_of": action.id})
        session.flush()
        for sid in res.get("new_stakeholder_ids", []):
            if session.get(Stakeholder, sid) is None:
                continue
            used = session.exec(select(Participant.interaction_id).where(Participant.stakeholder_id == sid)).first()
            if used is not None:
                kept.append(f"stakeholder {sid}: in other notes since, kept")
                continue
            session.exec(delete(Stakeholder).where(col(Stakeholder.id) == sid))
            removed["stakeholders"].append(sid)
            record(session, actor=actor, action="delete", entity="stakeholder", entity_id=sid,
                   detail={"undo_of": action.id})
        enqueue(session, iid, "delete")
        action.status = "undone"
        action.updated_at = utcnow()
        res["undone"] = {"removed": removed, "restored": restored, "kept": kept,
                         "message": _undone_message(removed, restored, kept)}
        action.result = res
        session.add(action)
        record(session, actor=actor, action="undo", entity="pending_action", entity_id=action.id,
               detail={"interaction_id": iid})
        session.flush()
    return _undone(action, changed=True)


def cancel_note(ctx: ToolContext, action: PendingAction) -> NoteCancelled:
    """Discard a pending proposal; a cancelled one stays cancelled."""
    if action.status == "cancelled":
        return NoteCancelled(pending_id=action.id, changed=False, message="That proposal was already discarded.")
    if action.status not in ("pending", "question"):  # a draft still waiting for answers can be dropped too
        hint = "; reply `undo` to reverse it" if action.status == "confirmed" else ""
        raise ToolError(f"note proposal {action.id} is already {action.status}{hint}")
    action.status = "cancelled"
    action.updated_at = utcnow()
    ctx.session.add(action)
    record(ctx.session, actor=ctx.user.id, action="cancel", entity="pending_action", entity_id=action.id)
    ctx.session.flush()
    return NoteCancelled(pending_id=action.id, changed=True, message="Discarded: nothing was stored.")


def _stakeholders(session: Session, ids: list[str]) -> dict[str, Stakeholder]:
    if not ids:
        return {}
    rows = session.exec(select(Stakeholder).where(col(Stakeholder.id).in_(set(ids)))).all()
    return {row.id: row for row in rows}


def _stored(action: PendingAction, *, changed: bool) -> NoteStored:
    res = action.result
    message = res["message"] if changed else f"Already stored as {res['interaction_id']}; nothing changed."
    return NoteStored(
        pending_id=action.id, changed=changed, account_id=action.payload["account_id"],
        interaction_id=res["interaction_id"], interaction_date=dt.date.fromisoformat(res["interaction_date"]),
        participant_ids=res["participant_ids"], new_stakeholder_ids=res["new_stakeholder_ids"],
        commitment_ids=res["commitment_ids"], changes=res["changes"], message=message,
    )


def _undone(action: PendingAction, *, changed: bool) -> NoteUndone:
    undone = action.result.get("undone", {})
    message = undone.get("message", "") if changed else "That note was already undone; nothing changed."
    return NoteUndone(pending_id=action.id, changed=changed, interaction_id=action.result.get("interaction_id"),
                      removed=undone.get("removed", {}), restored=undone.get("restored", []),
                      kept=undone.get("kept", []), message=message)


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else many or word + 's'}"


def _stored_message(iid: str, participants: list[str], new_ids: dict[str, str], commitments: list[str],
                    changes: list[dict[str, Any]]) -> str:
    parts = [f"1 interaction ({iid})", _plural(len(participants), "person", "people")]
    if new_ids:
        parts.append(_plural(len(new_ids), "new stakeholder"))
    if commitments:
        parts.append(_plural(len(commitments), "commitment") + " (" + "; ".join(commitments) + ")")
    if changes:
        parts.append(_plural(len(changes), "stakeholder change"))
    return "Stored: " + ", ".join(parts) + ". Reply `undo` to reverse it."


def _undone_message(removed: dict[str, list[str]], restored: list[dict[str, Any]], kept: list[str]) -> str:
    parts = [_plural(len(removed["interactions"]), "interaction"),
             _plural(len(removed["participants"]), "participant"),
             _plural(len(removed["commitments"]), "commitment")]
    if removed["stakeholders"]:
        parts.append(_plural(len(removed["stakeholders"]), "new stakeholder"))
    text = "Undone: removed " + ", ".join(parts)
    if restored:
        text += f"; restored {_plural(len(restored), 'stakeholder record')}"
    if kept:
        text += "; kept " + "; ".join(kept)
    return text + "."
