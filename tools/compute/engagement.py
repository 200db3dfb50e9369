"""Stakeholder engagement as of a date: the shared facts behind relationship depth, dark flags and health.

Everything here is set-based: a handful of queries for any number of accounts, never one per account.
"Within N days" and "the last N days" mean the N days up to and including ``as_of``: a date ``d``
is within N days when ``as_of - N < d <= as_of``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import and_, case, func
from sqlmodel import Session, col, select

from store.models import Interaction, Participant, Stakeholder
from tools.rules import Rules

_CHUNK = 5000


def within(day: dt.date | None, as_of: dt.date, days: int) -> bool:
    """True when ``day`` falls in the ``days`` days up to and including ``as_of``."""
    return day is not None and as_of - dt.timedelta(days=days) < day <= as_of


def window_start(as_of: dt.date, days: int) -> dt.date:
    """The first day of the ``days``-day window ending on ``as_of`` (inclusive)."""
    return as_of - dt.timedelta(days=days - 1)


class StakeholderRow(NamedTuple):
    """A stakeholder's columns as a plain row: what engagement keeps of each person (reading thousands of ORM
    entities costs several times as much, and nothing here writes them)."""

    id: str
    account_id: str
    name: str
    title: str | None
    department: str | None
    authority: str
    influence: int | None
    is_executive: bool
    reports_to: str | None
    tag: str | None
    left_company: bool


_STAKEHOLDER_COLUMNS = tuple(getattr(Stakeholder, name) for name in StakeholderRow._fields)


def mapped_stakeholders(session: Session, account_ids: Sequence[str] | None) -> list[StakeholderRow]:
    """The stakeholders who have not left, of ``account_ids`` (``None``: every account), by account then id."""
    stmt = select(*_STAKEHOLDER_COLUMNS).where(col(Stakeholder.left_company).is_(False))
    if account_ids is not None:
        stmt = stmt.where(col(Stakeholder.account_id).in_(account_ids))
    stmt = stmt.order_by(col(Stakeholder.account_id), col(Stakeholder.id))
    return [StakeholderRow(*row) for row in session.connection().execute(stmt).all()]  # one fetch, not row by row


@dataclass
class StakeholderActivity:
    """One stakeholder's engagement facts as of a date (only interactions on or before it count)."""

    stakeholder: StakeholderRow
    last_touch: dt.date | None = None
    recent_count: int = 0  # interactions in the cooling window (default 90 days) up to as_of
    previous_count: int = 0  # interactions in the same-length window before that
    latest_sentiment: int | None = None
    latest_sentiment_date: dt.date | None = None
    previous_sentiment: int | None = None
    previous_sentiment_date: dt.date | None = None

    @property
    def id(self) -> str:
        return self.stakeholder.id

    def days_since_touch(self, as_of: dt.date) -> int | None:
        return None if self.last_touch is None else (as_of - self.last_touch).days


@dataclass
class AccountEngagement:
    """The mapped stakeholders of one account and their activity."""

    account_id: str
    stakeholders: list[StakeholderActivity] = field(default_factory=list)

    def engaged(self, as_of: dt.date, days: int) -> list[StakeholderActivity]:
        return [s for s in self.stakeholders if within(s.last_touch, as_of, days)]

    @property
    def mapped(self) -> int:
        return len(self.stakeholders)


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def load_engagement(
    session: Session, account_ids: Sequence[str] | None, as_of: dt.date, rules: Rules
) -> dict[str, AccountEngagement]:
    """Engagement for ``account_ids`` (``None``: every account), keyed by account id.

    Mapped stakeholders are those who have not left the company. Three queries per chunk of accounts:
    the stakeholders, per-stakeholder touch aggregates, and each stakeholder's two latest sentiments.
    """
    result: dict[str, AccountEngagement] = {}
    id_groups: Iterable[Sequence[str] | None] = [None] if account_ids is None else _chunks(list(account_ids))
    for ids in id_groups:
        _load_chunk(session, ids, as_of, rules, result)
    if account_ids is not None:
        for aid in account_ids:
            result.setdefault(aid, AccountEngagement(aid))
    return result


def _load_chunk(
    session: Session,
    ids: Sequence[str] | None,
    as_of: dt.date,
    rules: Rules,
    out: dict[str, AccountEngagement],
) -> None:
    days = rules.stakeholders.cooling_window_days
    recent_from = window_start(as_of, days)
    previous_from = window_start(as_of, 2 * days)

    activity: dict[str, StakeholderActivity] = {}
    for sh in mapped_stakeholders(session, ids):
        act = StakeholderActivity(sh)
        activity[sh.id] = act
        out.setdefault(sh.account_id, AccountEngagement(sh.account_id)).stakeholders.append(act)
    if ids is not None:
        for aid in ids:
            out.setdefault(aid, AccountEngagement(aid))

    joined = and_(Participant.interaction_id == Interaction.id, Interaction.date <= as_of)
    account_filter = [] if ids is None else [col(Interaction.account_id).in_(ids)]

    agg = (
        select(
            Participant.stakeholder_id,
            func.max(Interaction.date),
            func.sum(case((Interaction.date >= recent_from, 1), else_=0)),
            func.sum(case((and_(Interaction.date >= previous_from, Interaction.date < recent_from), 1), else_=0)),
        )
        .join(Interaction, joined)
        .where(*account_filter)
        .group_by(Participant.stakeholder_id)
    )
    for sid, last, recent, previous in session.exec(agg).all():
        act = activity.get(sid)
        if act is not None:
            act.last_touch = _as_date(last)
            act.recent_count = int(recent or 0)
            act.previous_count = int(previous or 0)

    ranked = (
        select(
            Participant.stakeholder_id.label("sid"),
            Participant.sentiment.label("sentiment"),
            Interaction.date.label("day"),
            func.row_number()
            .over(
                partition_by=Participant.stakeholder_id,
                order_by=(col(Interaction.date).desc(), col(Interaction.id).desc()),
            )
            .label("rn"),
        )
        .join(Interaction, joined)
        .where(col(Participant.sentiment).is_not(None), *account_filter)
        .subquery()
    )
    latest = select(ranked.c.sid, ranked.c.sentiment, ranked.c.day, ranked.c.rn).where(ranked.c.rn <= 2)
    for sid, sentiment, day, rn in session.exec(latest).all():
        act = activity.get(sid)
        if act is None:
            continue
        if rn == 1:
            act.latest_sentiment, act.latest_sentiment_date = int(sentiment), _as_date(day)
        else:
            act.previous_sentiment, act.previous_sentiment_date = int(sentiment), _as_date(day)


def _as_date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value  # type: ignore[return-value]
    return dt.date.fromisoformat(str(value)[:10])


def is_key_stakeholder(stakeholder: Stakeholder | StakeholderRow, rules: Rules) -> bool:
    """Key: budget/approver/veto authority, influence at or above the bar, a key tag (champion), or executive."""
    r = rules.stakeholders
    return (
        stakeholder.authority in r.key_authorities
        or (stakeholder.influence or 0) >= r.key_min_influence
        or (stakeholder.tag or "").lower() in r.key_tags
        or stakeholder.is_executive
    )
