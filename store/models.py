"""SQLModel entities (docs/csv-format.md). Ids are the strings from the import files; the product shows them back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

ROLES = ("rep", "kam", "manager", "admin")
AUTHORITIES = ("budget", "approver", "veto", "none")
SIDES = ("ours", "customer")
COMMITMENT_STATUSES = ("open", "done", "cancelled")
OPEN_STAGES = ("prospecting", "qualification", "proposal", "negotiation")
CLOSED_STAGES = ("closed_won", "closed_lost")
STAGES = OPEN_STAGES + CLOSED_STAGES


def utcnow() -> dt.datetime:
    """The wall clock, for audit stamps only (rules never read it)."""
    return dt.datetime.now(dt.UTC)


class UserBase(SQLModel):
    name: str
    role: str = Field(default="rep", description="rep | kam | manager | admin")
    manager_id: str | None = Field(default=None, foreign_key="user.id", index=True)
    slack_user_id: str | None = Field(default=None, index=True)


class User(UserBase, table=True):
    id: str = Field(primary_key=True)


class AccountBase(SQLModel):
    name: str = Field(index=True)
    owner_id: str = Field(foreign_key="user.id", index=True)
    industry: str | None = None
    annual_revenue: float | None = None
    gross_margin_pct: float | None = None
    wallet_estimate: float | None = None
    cost_to_serve: float | None = None
    growth_target: float | None = None
    growth_potential: int | None = None
    strategic_fit: int | None = None
    competitive_position: int | None = None
    propensity_to_partner: int | None = None
    scored_by: str | None = Field(default=None, foreign_key="user.id")


class Account(AccountBase, table=True):
    id: str = Field(primary_key=True)


class StakeholderBase(SQLModel):
    account_id: str = Field(foreign_key="account.id", index=True)
    name: str
    title: str | None = None
    department: str | None = None
    authority: str = Field(default="none", description="budget | approver | veto | none")
    influence: int | None = None
    is_executive: bool = False
    reports_to: str | None = None
    tag: str | None = Field(default=None, description="champion, blocker, ...")
    left_company: bool = False


class Stakeholder(StakeholderBase, table=True):
    id: str = Field(primary_key=True)


class InteractionBase(SQLModel):
    account_id: str = Field(foreign_key="account.id")
    date: dt.date
    kind: str = "meeting"
    author_id: str | None = Field(default=None, foreign_key="user.id")
    text: str = ""


class Interaction(InteractionBase, table=True):
    __table_args__ = (Index("ix_interaction_account_date", "account_id", "date"),)
    id: str = Field(primary_key=True)


class NotePushback(SQLModel, table=True):
    """A note's commercial-pushback reading (``tools/compute/pushback_reading.py``), kept with the note so a brief
    does not read 90 days of notes again. Valid while the account's people are the ones ``people`` fingerprints;
    a change of the note's text or account deletes it (a trigger, migration 0004), and so does the note's delete."""

    interaction_id: str = Field(sa_column=Column(String, ForeignKey("interaction.id", ondelete="CASCADE"),
                                                 primary_key=True))
    people: str = Field(description="people_key of the account's people the note was read against")
    findings: str = Field(default="[]", sa_column=Column(Text, nullable=False),
                          description='JSON [[stakeholder_id, quote], ...], in reading order')


class Participant(SQLModel, table=True):
    interaction_id: str = Field(foreign_key="interaction.id", primary_key=True)
    stakeholder_id: str = Field(foreign_key="stakeholder.id", primary_key=True, index=True)
    sentiment: int | None = Field(default=None, description="-2..+2")


class Product(SQLModel, table=True):
    id: str = Field(primary_key=True)
    name: str


class OpportunityBase(SQLModel):
    account_id: str = Field(foreign_key="account.id", index=True)
    name: str
    product: str | None = None
    business_unit: str | None = None
    amount: float | None = None
    stage: str = "prospecting"
    created: dt.date | None = None
    close_date: dt.date | None = None


class Opportunity(OpportunityBase, table=True):
    id: str = Field(primary_key=True)


class CommitmentBase(SQLModel):
    account_id: str = Field(foreign_key="account.id", index=True)
    side: str = Field(default="ours", description="ours | customer")
    owner_id: str | None = Field(default=None, foreign_key="user.id")
    description: str
    due: dt.date | None = None
    status: str = Field(default="open", description="open | done | cancelled")
    done: dt.date | None = None
    snoozed_until: dt.date | None = None
    source_interaction_id: str | None = Field(default=None, foreign_key="interaction.id")


class Commitment(CommitmentBase, table=True):
    __table_args__ = (Index("ix_commitment_owner_status_due", "owner_id", "status", "due"),)
    id: str = Field(primary_key=True)


class ScoreRecord(SQLModel, table=True):
    """One scoring of one account: the history behind trends and 'what changed'."""

    __table_args__ = (Index("ix_score_account_asof", "account_id", "as_of"),)
    id: int | None = Field(default=None, primary_key=True)
    account_id: str = Field(foreign_key="account.id")
    as_of: dt.date
    criteria: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    attractiveness: float | None = None
    strength: float | None = None
    quadrant: str
    scored_by: str | None = None
    created_at: dt.datetime = Field(default_factory=utcnow)


class AccountPlan(SQLModel, table=True):
    """A dated version of an account plan."""

    __table_args__ = (Index("ix_plan_account_date", "account_id", "date"),)
    id: int | None = Field(default=None, primary_key=True)
    account_id: str = Field(foreign_key="account.id")
    date: dt.date
    author_id: str | None = None
    markdown: str = ""
    sections: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow)


class AuditLog(SQLModel, table=True):
    """Every write, who made it and when."""

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow, index=True)
    actor: str
    action: str = Field(description="create | update | delete | ...")
    entity: str
    entity_id: str
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class IndexOutbox(SQLModel, table=True):
    """Notes committed to SQL but not yet (re)indexed; drained on start and after each write."""

    id: int | None = Field(default=None, primary_key=True)
    interaction_id: str = Field(index=True)
    op: str = Field(default="upsert", description="upsert | delete")
    created_at: dt.datetime = Field(default_factory=utcnow)
    done_at: dt.datetime | None = Field(default=None, index=True)


class ApiToken(SQLModel, table=True):
    """A bearer token for the HTTP API, stored as a hash; revocable."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(unique=True)
    created_at: dt.datetime = Field(default_factory=utcnow)
    revoked_at: dt.datetime | None = None


class ProcessedEvent(SQLModel, table=True):
    """An inbound event (Slack event or message) already acted on; written with its effect."""

    key: str = Field(primary_key=True)
    source: str = "slack"
    created_at: dt.datetime = Field(default_factory=utcnow)


class PendingAction(SQLModel, table=True):
    """A proposal waiting for the user's confirm (a parsed note), or a done one that can be undone."""

    id: str = Field(primary_key=True)
    user_id: str = Field(foreign_key="user.id", index=True)
    thread_id: str | None = Field(default=None, index=True)
    kind: str = Field(description="what is proposed: the tool that made the proposal names it")
    status: str = Field(default="pending", description="pending | confirmed | undone | cancelled")
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    result: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)


class NudgeOutbox(SQLModel, table=True):
    """One nudge for one recipient on one day: recorded before sending, marked after."""

    __table_args__ = (UniqueConstraint("kind", "recipient_id", "item_key", "day", name="uq_nudge_once"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(description="commitments | drift_digest")
    recipient_id: str = Field(foreign_key="user.id")
    item_key: str = Field(description="commitment id, or a digest key")
    day: dt.date
    status: str = Field(default="pending", description="pending | sent | failed")
    attempts: int = 0
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow)
    sent_at: dt.datetime | None = None


TABLES_IN_IMPORT_ORDER = (User, Account, Product, Stakeholder, Interaction, Participant, Opportunity, Commitment)
