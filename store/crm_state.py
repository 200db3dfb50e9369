"""What the CRM sync remembers: a watermark per CRM object, and the link between our rows and the CRM's.

``CrmSyncState`` holds, per CRM and object, the last modification stamp fully written (Salesforce
``SystemModstamp``, HubSpot ``hs_lastmodifieddate``): the next sync pulls from there, so an interrupted
sync resumes where its last written page ended. ``CrmLink`` ties one of our rows to its CRM record: rows
pulled from the CRM (their id is the CRM's, ``direction = "pull"``), and what we pushed (a confirmed
note, a commitment; ``direction = "push"``) with a fingerprint of what was sent, so a re-run updates the
record when ours changed and does nothing when it did not, instead of creating it twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Session, SQLModel, select

from store.models import utcnow


class CrmSyncState(SQLModel, table=True):
    """The watermark of one CRM object (``salesforce`` / ``Contact``)."""

    crm: str = Field(primary_key=True)
    object: str = Field(primary_key=True)
    watermark: str | None = None
    updated_at: dt.datetime = Field(default_factory=utcnow)


class CrmLink(SQLModel, table=True):
    """One of our rows and its CRM record."""

    __table_args__ = (UniqueConstraint("crm", "kind", "local_id", name="uq_crm_link_local"),)
    id: int | None = Field(default=None, primary_key=True)
    crm: str = Field(index=True)
    kind: str = Field(description="account | stakeholder | user | note | commitment")
    local_id: str
    external_id: str = Field(index=True)
    direction: str = Field(default="pull", description="pull | push")
    fingerprint: str | None = None
    synced_at: dt.datetime = Field(default_factory=utcnow)


def watermark(session: Session, *, crm: str, obj: str) -> str | None:
    state = session.get(CrmSyncState, (crm, obj))
    return state.watermark if state else None


def set_watermark(session: Session, *, crm: str, obj: str, value: str) -> None:
    state = session.get(CrmSyncState, (crm, obj)) or CrmSyncState(crm=crm, object=obj)
    state.watermark = value
    state.updated_at = utcnow()
    session.add(state)


def links(session: Session, *, crm: str, kind: str | None = None, direction: str | None = None) -> dict[str, CrmLink]:
    """The links of ``crm`` (of one kind / direction), by our id."""
    stmt = select(CrmLink).where(CrmLink.crm == crm)
    if kind is not None:
        stmt = stmt.where(CrmLink.kind == kind)
    if direction is not None:
        stmt = stmt.where(CrmLink.direction == direction)
    return {link.local_id: link for link in session.exec(stmt)}


def record_pulled(session: Session, *, crm: str, kind: str, ids: Iterable[str]) -> None:
    """Remember that these rows of ours came from ``crm`` (their id is the CRM's)."""
    wanted = set(ids)
    if not wanted:
        return
    have = set(session.exec(select(CrmLink.local_id).where(
        CrmLink.crm == crm, CrmLink.kind == kind, CrmLink.local_id.in_(sorted(wanted)))))  # type: ignore[attr-defined]
    for local_id in sorted(wanted - have):
        session.add(CrmLink(crm=crm, kind=kind, local_id=local_id, external_id=local_id, direction="pull"))


def record_pushed(session: Session, *, crm: str, kind: str, local_id: str, external_id: str, fingerprint: str) -> None:
    link = session.exec(select(CrmLink).where(CrmLink.crm == crm, CrmLink.kind == kind,
                                              CrmLink.local_id == local_id)).first()
    link = link or CrmLink(crm=crm, kind=kind, local_id=local_id, external_id=external_id, direction="push")
    link.external_id, link.fingerprint, link.synced_at = external_id, fingerprint, utcnow()
    session.add(link)
