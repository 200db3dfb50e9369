"""The facts behind account health's pipeline, plan and commitment dimensions (``tools.compute.health``), as of a
day: the account's revenue and growth target, its open pipeline, its latest plan, and OUR commitments open then.

``load_facts`` answers one day with grouped queries (drift's thousands of accounts). ``FactHistory`` reads the
rows behind them once, for any number of days (a QBR brief's three, an overview's trend of seven): four plain
reads, then ``on(day)`` applies the same conditions in memory, in the same order, to the same result.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from store.models import CLOSED_STAGES, OPEN_STAGES, Account, AccountPlan, Commitment, Interaction, Opportunity

_CHUNK = 5000


@dataclass
class HealthFacts:
    """One account's facts on one day."""

    revenue: float | None = None
    growth_target: float | None = None
    pipeline: float = 0.0
    pipeline_count: int = 0
    plan_date: dt.date | None = None
    plan_count: int = 0
    open_ours: list[tuple[str, dt.date | None]] = field(default_factory=list)


def _chunks(ids: Sequence[str] | None) -> Iterable[Sequence[str] | None]:
    if ids is None:
        yield None
        return
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _as_date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value  # type: ignore[return-value]
    return dt.date.fromisoformat(str(value)[:10])


def open_pipeline_condition(day: dt.date) -> Any:
    """SQL: the opportunity existed on ``day`` and was still open then."""
    return and_(
        or_(col(Opportunity.created).is_(None), col(Opportunity.created) <= day),
        or_(
            col(Opportunity.stage).in_(OPEN_STAGES),
            and_(col(Opportunity.stage).in_(CLOSED_STAGES), col(Opportunity.close_date) > day),
        ),
    )


def open_commitment_condition(day: dt.date) -> Any:
    """SQL on Commitment outer-joined to its source Interaction: open on ``day`` (existed, not yet done)."""
    return and_(
        or_(Commitment.status == "open", and_(Commitment.status == "done", col(Commitment.done) > day)),
        or_(col(Commitment.source_interaction_id).is_(None), col(Interaction.date).is_(None),
            col(Interaction.date) <= day),
    )


def load_facts(session: Session, ids: Sequence[str] | None, day: dt.date) -> dict[str, HealthFacts]:
    """The facts of ``ids`` (``None``: every account) on ``day``, by account id: four grouped queries."""
    facts: dict[str, HealthFacts] = {}
    for chunk in _chunks(ids):
        def where(column: Any, chunk: Sequence[str] | None = chunk) -> list[Any]:
            return [] if chunk is None else [col(column).in_(chunk)]

        for aid, revenue, target in session.exec(
            select(Account.id, Account.annual_revenue, Account.growth_target).where(*where(Account.id))
        ).all():
            facts[aid] = HealthFacts(revenue=revenue, growth_target=target)
        pipeline = (
            select(Opportunity.account_id, func.sum(Opportunity.amount), func.count())
            .where(open_pipeline_condition(day), *where(Opportunity.account_id))
            .group_by(Opportunity.account_id)
        )
        for aid, total, n in session.exec(pipeline).all():
            if aid in facts:
                facts[aid].pipeline, facts[aid].pipeline_count = float(total or 0.0), int(n)
        plans = (
            select(AccountPlan.account_id, func.max(AccountPlan.date), func.count())
            .where(AccountPlan.date <= day, *where(AccountPlan.account_id))
            .group_by(AccountPlan.account_id)
        )
        for aid, last, n in session.exec(plans).all():
            if aid in facts:
                facts[aid].plan_date, facts[aid].plan_count = _as_date(last), int(n)
        commitments = (
            select(Commitment.account_id, Commitment.id, Commitment.due)
            .outerjoin(Interaction, col(Interaction.id) == Commitment.source_interaction_id)
            .where(Commitment.side == "ours", open_commitment_condition(day), *where(Commitment.account_id))
            .order_by(Commitment.account_id, col(Commitment.due), Commitment.id)
        )
        for aid, cid, due in session.exec(commitments).all():
            if aid in facts:
                facts[aid].open_ours.append((cid, _as_date(due)))
    return facts


# ------------------------------------------------------------------------------------------ several days


class _Opportunity(NamedTuple):
    account_id: str
    amount: float | None
    stage: str
    created: dt.date | None
    close_date: dt.date | None

    def open_on(self, day: dt.date) -> bool:
        """``open_pipeline_condition`` (a missing close date is not after any day, as SQL's NULL)."""
        if self.created is not None and self.created > day:
            return False
        if self.stage in OPEN_STAGES:
            return True
        return self.stage in CLOSED_STAGES and self.close_date is not None and self.close_date > day


class _Commitment(NamedTuple):
    account_id: str
    id: str
    due: dt.date | None
    status: str
    done: dt.date | None
    has_source: bool
    source_date: dt.date | None

    def open_on(self, day: dt.date) -> bool:
        """``open_commitment_condition``."""
        if not (self.status == "open" or (self.status == "done" and self.done is not None and self.done > day)):
            return False
        return not self.has_source or self.source_date is None or self.source_date <= day


class FactHistory:
    """The rows behind the facts of a few accounts, read once: ``on(day)`` is ``load_facts`` for that day."""

    def __init__(self, accounts: list[tuple[str, float | None, float | None]], opportunities: list[_Opportunity],
                 plans: list[tuple[str, dt.date]], commitments: list[_Commitment]) -> None:
        self.accounts = accounts
        self.opportunities = opportunities
        self.plans = plans
        self.commitments = commitments  # ours, by account, due, id (as load_facts orders them)

    @classmethod
    def load(cls, session: Session, ids: Sequence[str]) -> FactHistory:
        """Every row of ``ids`` that any day's facts use: four plain reads per 5,000 accounts."""
        accounts: list[tuple[str, float | None, float | None]] = []
        opportunities: list[_Opportunity] = []
        plans: list[tuple[str, dt.date]] = []
        commitments: list[_Commitment] = []
        for chunk in _chunks(list(dict.fromkeys(ids))):
            assert chunk is not None
            accounts += [tuple(r) for r in session.exec(  # type: ignore[misc]
                select(Account.id, Account.annual_revenue, Account.growth_target)
                .where(col(Account.id).in_(chunk))).all()]
            opportunities += [
                _Opportunity(aid, amount, stage, _as_date(created), _as_date(close))
                for aid, amount, stage, created, close in session.exec(
                    select(Opportunity.account_id, Opportunity.amount, Opportunity.stage, Opportunity.created,
                           Opportunity.close_date).where(col(Opportunity.account_id).in_(chunk))).all()]
            for aid, when in session.exec(
                select(AccountPlan.account_id, AccountPlan.date).where(col(AccountPlan.account_id).in_(chunk))
            ).all():
                plans.append((aid, _as_date(when) or when))
            commitments += [
                _Commitment(aid, cid, _as_date(due), status, _as_date(done), source is not None, _as_date(when))
                for aid, cid, due, status, done, source, when in session.exec(
                    select(Commitment.account_id, Commitment.id, Commitment.due, Commitment.status, Commitment.done,
                           Commitment.source_interaction_id, Interaction.date)
                    .outerjoin(Interaction, col(Interaction.id) == Commitment.source_interaction_id)
                    .where(Commitment.side == "ours", col(Commitment.account_id).in_(chunk))
                    .order_by(Commitment.account_id, col(Commitment.due), Commitment.id)).all()]
        return cls(accounts, opportunities, plans, commitments)

    def on(self, day: dt.date) -> dict[str, HealthFacts]:
        """What ``load_facts(session, ids, day)`` returns."""
        facts = {aid: HealthFacts(revenue=revenue, growth_target=target) for aid, revenue, target in self.accounts}
        amounts: dict[str, list[float]] = {}
        for o in self.opportunities:
            if o.account_id in facts and o.open_on(day):
                f = facts[o.account_id]
                f.pipeline_count += 1
                found = amounts.setdefault(o.account_id, [])
                if o.amount is not None:
                    found.append(float(o.amount))
        for aid, found in amounts.items():
            facts[aid].pipeline = math.fsum(found)
        for aid, when in self.plans:
            if aid in facts and when <= day:
                f = facts[aid]
                f.plan_count += 1
                if f.plan_date is None or when > f.plan_date:
                    f.plan_date = when
        for c in self.commitments:
            if c.account_id in facts and c.open_on(day):
                facts[c.account_id].open_ours.append((c.id, c.due))
        return facts
