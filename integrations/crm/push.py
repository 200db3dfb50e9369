"""What the sync pushes back: the confirmed meeting notes and our commitments on the CRM's accounts.

A note is pushed once it is confirmed (the interaction of a confirmed note proposal); a commitment of ours
(side ``ours``) while it is open, and afterwards when its status changes (done: the CRM task is
completed). Only accounts pulled from that CRM take part, and only the contacts and owners it knows.
Records the CRM already holds for us are updated when what we would send changed, never created twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from integrations.crm.connector import PushItem
from store.crm_state import CrmLink, links
from store.models import Commitment, Interaction, Participant, PendingAction
from tools.notes.store import KIND as NOTE_PROPOSAL


@dataclass
class PushPlan:
    """Items to create (no link yet) and to update (linked, but what we send changed)."""

    create: list[PushItem] = field(default_factory=list)
    update: list[tuple[PushItem, CrmLink]] = field(default_factory=list)
    unchanged: int = 0


def _subject(text: str, limit: int = 80) -> str:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "Meeting note")
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "\u2026"


def push_items(session: Session, *, crm: str) -> list[PushItem]:
    """The notes and commitments that belong in ``crm``, as it will hold them."""
    accounts = links(session, crm=crm, kind="account", direction="pull")
    contacts = links(session, crm=crm, kind="stakeholder", direction="pull")
    users = links(session, crm=crm, kind="user", direction="pull")
    pushed = links(session, crm=crm, kind="commitment", direction="push")
    confirmed = session.exec(select(PendingAction).where(PendingAction.kind == NOTE_PROPOSAL,
                                                         PendingAction.status == "confirmed")).all()
    note_ids = sorted({str(a.result["interaction_id"]) for a in confirmed if a.result.get("interaction_id")})
    items: list[PushItem] = []
    if note_ids:
        notes = session.exec(select(Interaction).where(col(Interaction.id).in_(note_ids))).all()
        people: dict[str, list[str]] = {}
        for p in session.exec(select(Participant).where(col(Participant.interaction_id).in_(note_ids))):
            if p.stakeholder_id in contacts:
                people.setdefault(p.interaction_id, []).append(p.stakeholder_id)
        for note in notes:
            if note.account_id in accounts:
                items.append(PushItem(kind="note", local_id=note.id, account_id=note.account_id,
                                      subject=_subject(note.text), body=note.text, day=note.date, done=True,
                                      owner_id=note.author_id if note.author_id in users else None,
                                      contact_ids=tuple(sorted(people.get(note.id, [])))))
    commitments = session.exec(select(Commitment).where(Commitment.side == "ours",
                                                        col(Commitment.account_id).in_(sorted(accounts)))).all()
    for c in commitments:
        if c.status != "open" and c.id not in pushed:
            continue
        body = f"Commitment {c.id} from kam ({c.status})."
        items.append(PushItem(kind="commitment", local_id=c.id, account_id=c.account_id, subject=c.description,
                              body=body, day=c.due, done=c.status != "open",
                              owner_id=c.owner_id if c.owner_id in users else None))
    return items


def plan_push(session: Session, *, crm: str) -> PushPlan:
    plan = PushPlan()
    known = {kind: links(session, crm=crm, kind=kind, direction="push") for kind in ("note", "commitment")}
    for item in push_items(session, crm=crm):
        link = known[item.kind].get(item.local_id)
        if link is None:
            plan.create.append(item)
        elif link.fingerprint != item.fingerprint():
            plan.update.append((item, link))
        else:
            plan.unchanged += 1
    return plan
