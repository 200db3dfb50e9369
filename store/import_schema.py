"""The CSV import format (SPEC 8): the files, their columns, and one pydantic model per file for a row.

Cells arrive as stripped strings, empty ones as ``None`` (unknown). The models parse ISO 8601 dates,
numbers, yes/no flags and the allowed words of each enumerated column, and refuse values out of range;
the messages are written for the person who has to fix the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, model_validator
from sqlmodel import SQLModel

from store.models import (
    AUTHORITIES,
    COMMITMENT_STATUSES,
    ROLES,
    SIDES,
    Account,
    AccountPlan,
    Commitment,
    Interaction,
    Opportunity,
    Participant,
    Product,
    Stakeholder,
    User,
)
from store.stage_vocab import DEFAULT_VOCABULARY


def parse_date(value: Any) -> Any:
    """ISO 8601: ``2026-03-31`` (also ``20260331``, week dates, or a timestamp whose date part is kept)."""
    if value is None or isinstance(value, dt.date):
        return value
    text = str(value)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        raise ValueError(f"{text!r} is not a date; write it as YYYY-MM-DD (ISO 8601), e.g. 2026-03-31") from None


def _enum(allowed: tuple[str, ...], aliases: dict[str, str] | None = None) -> Callable[[Any], Any]:
    """A validator accepting ``allowed`` words in any case, with spaces or hyphens for underscores."""
    table = {a: a for a in allowed} | (aliases or {})

    def check(value: Any) -> Any:
        if value is None:
            return None
        key = str(value).strip().lower().replace("-", "_").replace(" ", "_")
        if key in table:
            return table[key]
        raise ValueError(f"{value!r} is not one of: {', '.join(allowed)}")

    return check


def _stage(value: Any, info: ValidationInfo) -> Any:
    """A stage in our words, Salesforce's or HubSpot's defaults, or the team's (``stages`` in the context)."""
    if value is None:
        return None
    vocabulary = (info.context or {}).get("stages") or DEFAULT_VOCABULARY
    return vocabulary.check(str(value))


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


IsoDate = Annotated[dt.date, BeforeValidator(parse_date)]
Role = Annotated[str, BeforeValidator(_enum(ROLES))]
Authority = Annotated[str, BeforeValidator(_enum(AUTHORITIES))]
Side = Annotated[str, BeforeValidator(_enum(SIDES, {"our": "ours", "us": "ours", "we": "ours", "client": "customer"}))]
Status = Annotated[str, BeforeValidator(_enum(COMMITMENT_STATUSES, {"canceled": "cancelled", "closed": "done"}))]
Stage = Annotated[str, BeforeValidator(_stage)]
Lowered = Annotated[str, BeforeValidator(_lower)]
Score = Annotated[int, Field(ge=1, le=5)]
Sentiment = Annotated[int, Field(ge=-2, le=2)]
Money = Annotated[float, Field(ge=0)]
Percent = Annotated[float, Field(ge=-100, le=100)]


class _Row(BaseModel):
    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)


class UserRow(_Row):
    id: str
    name: str
    role: Role
    manager_id: str | None = None
    slack_user_id: str | None = None


class AccountRow(_Row):
    id: str
    name: str
    owner_id: str
    industry: str | None = None
    annual_revenue: Money | None = None
    gross_margin_pct: Percent | None = None
    wallet_estimate: Money | None = None
    cost_to_serve: Money | None = None
    growth_target: Money | None = None
    growth_potential: Score | None = None
    strategic_fit: Score | None = None
    competitive_position: Score | None = None
    propensity_to_partner: Score | None = None
    scored_by: str | None = None


class StakeholderRow(_Row):
    id: str
    account_id: str
    name: str
    title: str | None = None
    department: str | None = None
    authority: Authority | None = None
    influence: Score | None = None
    is_executive: bool | None = None
    reports_to: str | None = None
    tag: Lowered | None = None


class InteractionRow(_Row):
    id: str
    account_id: str
    date: IsoDate
    kind: Lowered | None = None
    author_id: str | None = None
    text: str | None = None


class ParticipantRow(_Row):
    interaction_id: str
    stakeholder_id: str
    sentiment: Sentiment | None = None


class OpportunityRow(_Row):
    id: str
    account_id: str
    name: str
    product: str | None = None
    business_unit: str | None = None
    amount: Money | None = None
    stage: Stage
    created: IsoDate | None = None
    close_date: IsoDate | None = None


class ProductRow(_Row):
    id: str
    name: str


class CommitmentRow(_Row):
    id: str
    account_id: str
    side: Side | None = None
    owner_id: str | None = None
    description: str
    due: IsoDate | None = None
    status: Status | None = None
    done: IsoDate | None = None

    @model_validator(mode="after")
    def _status_from_done(self) -> CommitmentRow:
        # An unknown status with a done date is a done commitment; otherwise the model's default applies.
        if self.status is None and self.done is not None:
            self.status = "done"
        return self


class PlanRow(_Row):
    account_id: str
    date: IsoDate


@dataclass(frozen=True)
class FileSpec:
    """One import file: its columns in SPEC 8 order, which must be present, and how it maps to the store."""

    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    row_model: type[_Row]
    table: type[SQLModel]
    key: tuple[str, ...] = ("id",)
    refs: dict[str, str] = field(default_factory=dict)  # column -> the file whose ids it references

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"


FILES: tuple[FileSpec, ...] = (
    FileSpec(
        "users", ("id", "name", "role", "manager_id", "slack_user_id"), ("id", "name", "role"), UserRow, User,
        refs={"manager_id": "users"},
    ),
    FileSpec(
        "accounts",
        ("id", "name", "owner_id", "industry", "annual_revenue", "gross_margin_pct", "wallet_estimate",
         "cost_to_serve", "growth_target", "growth_potential", "strategic_fit", "competitive_position",
         "propensity_to_partner", "scored_by"),
        ("id", "name", "owner_id"), AccountRow, Account,
        refs={"owner_id": "users", "scored_by": "users"},
    ),
    FileSpec("products", ("id", "name"), ("id", "name"), ProductRow, Product),
    FileSpec(
        "stakeholders",
        ("id", "account_id", "name", "title", "department", "authority", "influence", "is_executive",
         "reports_to", "tag"),
        ("id", "account_id", "name"), StakeholderRow, Stakeholder,
        refs={"account_id": "accounts", "reports_to": "stakeholders"},
    ),
    FileSpec(
        "interactions", ("id", "account_id", "date", "kind", "author_id", "text"), ("id", "account_id", "date"),
        InteractionRow, Interaction, refs={"account_id": "accounts", "author_id": "users"},
    ),
    FileSpec(
        "participants", ("interaction_id", "stakeholder_id", "sentiment"), ("interaction_id", "stakeholder_id"),
        ParticipantRow, Participant, key=("interaction_id", "stakeholder_id"),
        refs={"interaction_id": "interactions", "stakeholder_id": "stakeholders"},
    ),
    FileSpec(
        "opportunities",
        ("id", "account_id", "name", "product", "business_unit", "amount", "stage", "created", "close_date"),
        ("id", "account_id", "name", "stage"), OpportunityRow, Opportunity,
        refs={"account_id": "accounts", "product": "products"},
    ),
    FileSpec(
        "commitments", ("id", "account_id", "side", "owner_id", "description", "due", "status", "done"),
        ("id", "account_id", "description"), CommitmentRow, Commitment,
        refs={"account_id": "accounts", "owner_id": "users"},
    ),
    FileSpec(
        "plans", ("account_id", "date"), ("account_id", "date"), PlanRow, AccountPlan,
        key=("account_id", "date"), refs={"account_id": "accounts"},
    ),
)

FILES_BY_NAME: dict[str, FileSpec] = {spec.name: spec for spec in FILES}
COLUMNS: dict[str, tuple[str, ...]] = {spec.name: spec.columns for spec in FILES}
