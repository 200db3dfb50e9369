"""Scoring accounts as of a day: ``compute_scores`` is pure and set-based, a handful of queries for any number
of accounts, each criterion with the evidence it rests on (the rules are ``tools.compute.score_rules``)."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from sqlalchemy import and_, case, func
from sqlmodel import Session, col, select

from store.models import Account, Interaction, Participant, Stakeholder
from tools.compute.economics import AccountFigures, account_economics
from tools.compute.engagement import AccountEngagement, window_start
from tools.compute.score_rules import (
    AccountScore,
    Axis,
    Criterion,
    axis_score,
    depth_score,
    quadrant_for,
    revenue_quintile,
)
from tools.context import ToolContext
from tools.rules import JUDGMENT_CRITERIA, Rules

_CHUNK = 5000


# ---------------------------------------------------------------------------------------- set-based facts


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


class ScoredAccount(AccountFigures, Protocol):
    """The account columns scoring reads: an ``Account``, or a plain row of those columns (faster to load)."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def owner_id(self) -> str: ...
    @property
    def wallet_estimate(self) -> float | None: ...
    @property
    def scored_by(self) -> str | None: ...


_ACCOUNT_COLUMNS = (
    Account.id, Account.name, Account.owner_id, Account.annual_revenue, Account.gross_margin_pct,
    Account.wallet_estimate, Account.cost_to_serve, Account.scored_by,
    *(getattr(Account, name) for name in JUDGMENT_CRITERIA),
)


class _AccountRow(NamedTuple):
    id: str
    name: str
    owner_id: str
    annual_revenue: float | None
    gross_margin_pct: float | None
    wallet_estimate: float | None
    cost_to_serve: float | None
    scored_by: str | None
    growth_potential: int | None
    strategic_fit: int | None
    competitive_position: int | None
    propensity_to_partner: int | None


def _accounts(session: Session, account_ids: Sequence[str] | None) -> list[_AccountRow]:
    """The accounts as plain tuples (ORM entities cost ten times as much for thousands of accounts)."""
    stmt = select(*_ACCOUNT_COLUMNS)
    if account_ids is None:
        return [_AccountRow(*row) for row in session.exec(stmt.order_by(col(Account.id))).all()]
    rows: dict[str, _AccountRow] = {}
    for ids in _chunks(list(dict.fromkeys(account_ids))):
        for row in session.exec(stmt.where(col(Account.id).in_(ids))).all():
            rows[row[0]] = _AccountRow(*row)
    return [rows[a] for a in account_ids if a in rows]


class _RevenueRanks:
    """Where a revenue stands in the store's portfolio (every account, whoever asks): how many are strictly
    lower, out of how many have a revenue. Few accounts: counted in SQL; many: one sorted read."""

    _FEW = 20

    def __init__(self, session: Session, accounts: list[ScoredAccount]) -> None:
        has_revenue = col(Account.annual_revenue).is_not(None)
        wanted = {float(a.annual_revenue) for a in accounts if a.annual_revenue is not None}
        self._sorted: list[float] | None = None
        self._lower: dict[float, int] = {}
        if len(wanted) <= self._FEW:
            self.n = int(session.exec(select(func.count()).select_from(Account).where(has_revenue)).one())
            for value in wanted:
                stmt = select(func.count()).select_from(Account).where(has_revenue, col(Account.annual_revenue) < value)
                self._lower[value] = int(session.exec(stmt).one())
        else:
            stmt = select(Account.annual_revenue).where(has_revenue)
            self._sorted = sorted(float(r) for r in session.exec(stmt).all())
            self.n = len(self._sorted)

    def lower(self, revenue: float) -> int:
        if self._sorted is not None:
            return bisect.bisect_left(self._sorted, revenue)
        return self._lower[revenue]


@dataclass
class _Depth:
    mapped: int = 0
    engaged: int = 0
    exec_engaged: bool = False
    engaged_executives: int = 0


_NO_DEPTH = _Depth()


def _depth_from_engagement(engagement: dict[str, AccountEngagement], as_of: dt.date, days: int) -> dict[str, _Depth]:
    out: dict[str, _Depth] = {}
    for aid, eng in engagement.items():
        engaged = eng.engaged(as_of, days)
        execs = sum(1 for s in engaged if s.stakeholder.is_executive)
        out[aid] = _Depth(mapped=eng.mapped, engaged=len(engaged), exec_engaged=execs > 0, engaged_executives=execs)
    return out


def _depth_from_sql(
    session: Session, account_ids: Sequence[str] | None, as_of: dt.date, days: int
) -> dict[str, _Depth]:
    """Mapped and engaged stakeholders per account: two grouped queries per chunk of accounts."""
    out: dict[str, _Depth] = {}
    start = window_start(as_of, days)
    groups: Iterable[Sequence[str] | None] = [None] if account_ids is None else _chunks(list(account_ids))
    for ids in groups:
        mapped = select(Stakeholder.account_id, func.count()).where(col(Stakeholder.left_company).is_(False))
        if ids is not None:
            mapped = mapped.where(col(Stakeholder.account_id).in_(ids))
        for aid, n in session.exec(mapped.group_by(Stakeholder.account_id)).all():
            out[aid] = _Depth(mapped=int(n))
        touched = (
            select(
                Stakeholder.account_id,
                Stakeholder.id,
                func.max(case((col(Stakeholder.is_executive).is_(True), 1), else_=0)),
            )
            .join(Participant, col(Participant.stakeholder_id) == col(Stakeholder.id))
            .join(
                Interaction,
                and_(
                    col(Interaction.id) == col(Participant.interaction_id),
                    col(Interaction.date) >= start,
                    col(Interaction.date) <= as_of,
                ),
            )
            .where(col(Stakeholder.left_company).is_(False))
        )
        if ids is not None:
            touched = touched.where(col(Stakeholder.account_id).in_(ids))
        sub = touched.group_by(Stakeholder.account_id, Stakeholder.id).subquery()
        agg = select(sub.c[0], func.count(), func.sum(sub.c[2])).group_by(sub.c[0])
        for aid, engaged, execs in session.exec(agg).all():
            depth = out.setdefault(aid, _Depth())
            depth.engaged = int(engaged)
            depth.engaged_executives = int(execs or 0)
            depth.exec_engaged = depth.engaged_executives > 0
    return out


# -------------------------------------------------------------------------------------------- the scoring


def compute_scores(
    ctx: ToolContext,
    account_ids: Sequence[str] | None = None,
    *,
    as_of: dt.date | None = None,
    engagement: dict[str, AccountEngagement] | None = None,
    basis: ScoringBasis | None = None,
) -> dict[str, AccountScore]:
    """Score ``account_ids`` (``None``: every account in the store) as of ``as_of`` (default ``ctx.as_of``).

    Pure: reads only. Relationship depth counts interactions up to ``as_of``; the other data criteria
    use the account's stored values; the revenue quintile is over every account in the store.
    ``engagement`` (from ``load_engagement`` for the same date) saves the depth queries when the caller
    has it already. ``basis`` (``ScoringBasis.load`` for the same ``account_ids``) shares the accounts, the
    revenue ranks and every criterion that does not depend on the day between the days a caller scores.
    Callers apply the user's scope to ``account_ids``.
    """
    day = as_of or ctx.as_of
    rules = ctx.rules
    if basis is None:
        basis = ScoringBasis.load(ctx.session, account_ids, rules)
    accounts = basis.accounts
    if not accounts:
        return {}
    window = rules.scoring.engaged_window_days
    ids = None if account_ids is None else [a.id for a in accounts]
    depth = (
        _depth_from_engagement(engagement, day, window)
        if engagement is not None
        else _depth_from_sql(ctx.session, ids, day, window)
    )
    frame = _Frame(day, rules, basis)
    return {a.id: _score_one(a, depth.get(a.id, _NO_DEPTH), frame) for a in accounts}


class _Fixed(NamedTuple):
    """An account's criteria that do not depend on the day, and its economics."""

    revenue: Criterion
    gross_margin: Criterion
    share_of_wallet: Criterion
    judgment: dict[str, Criterion]
    economics: Any


class ScoringBasis:
    """What scoring the same accounts on several days shares: the accounts, the store's revenue ranks, each
    account's day-independent criteria (built once, on first use) and the axes of each set of values."""

    def __init__(self, accounts: list[_AccountRow], revenues: _RevenueRanks | None, rules: Rules) -> None:
        self.accounts = accounts
        self.revenues = revenues
        self.rules = rules
        self._fixed: dict[str, _Fixed] = {}
        self._axes: dict[tuple[str, tuple[int | None, ...]], Axis] = {}

    @classmethod
    def load(cls, session: Session, account_ids: Sequence[str] | None, rules: Rules) -> ScoringBasis:
        accounts = _accounts(session, account_ids)
        return cls(accounts, _RevenueRanks(session, accounts) if accounts else None, rules)

    def fixed(self, account: ScoredAccount) -> _Fixed:
        found = self._fixed.get(account.id)
        if found is None:
            assert self.revenues is not None
            revenue = _revenue(account, self.revenues)
            judgment = {}
            for name in JUDGMENT_CRITERIA:
                value = getattr(account, name)
                evidence: dict[str, Any] = {"scored_by": account.scored_by}
                if value is None:
                    evidence["reason"] = "not scored yet"
                judgment[name] = Criterion(value=value, source="judgment", evidence=evidence)
            found = self._fixed[account.id] = _Fixed(
                revenue, _gross_margin(account, self.rules), _share_of_wallet(account, self.rules), judgment,
                account_economics(account, revenue.value, self.rules))
        return found

    def axis(self, name: str, values: dict[str, int | None], weights: dict[str, float]) -> Axis:
        """``axis_score``, computed once per set of values (thousands of accounts share a few hundred)."""
        key = (name, tuple(values.get(k) for k in weights))
        found = self._axes.get(key)
        if found is None:
            found = self._axes[key] = axis_score(values, weights, self.rules)
        return found


class _Frame:
    """What every account's scoring on one day shares: the date, the rules, the basis, derived constants."""

    def __init__(self, as_of: dt.date, rules: Rules, basis: ScoringBasis) -> None:
        self.as_of = as_of
        self.rules = rules
        self.basis = basis
        days = rules.scoring.engaged_window_days
        self.depth_window = {"window_days": days, "window_start": window_start(as_of, days).isoformat(),
                             "as_of": as_of.isoformat()}
        self.weighted = list(dict.fromkeys([*rules.scoring.attractiveness_weights, *rules.scoring.strength_weights]))


def _score_one(account: ScoredAccount, depth: _Depth, frame: _Frame) -> AccountScore:
    """One account's scoring, every criterion with its evidence."""
    rules, as_of = frame.rules, frame.as_of
    fixed = frame.basis.fixed(account)
    criteria = {
        "revenue": fixed.revenue,
        "gross_margin": fixed.gross_margin,
        "share_of_wallet": fixed.share_of_wallet,
        "relationship_depth": _relationship_depth(depth, frame),
        **fixed.judgment,
    }
    values = {k: c.value for k, c in criteria.items()}
    axes = {
        "attractiveness": frame.basis.axis("attractiveness", values, rules.scoring.attractiveness_weights),
        "strength": frame.basis.axis("strength", values, rules.scoring.strength_weights),
    }
    a, s = axes["attractiveness"].score, axes["strength"].score
    quadrant = quadrant_for(a, s, rules.scoring.threshold)
    missing = [k for k in frame.weighted if values.get(k) is None]
    reason = None
    if quadrant == "unscored":
        short = [
            f"{name}: only {ax.weight_present:g} of {ax.weight_total:g} of the weight has values "
            f"(missing {', '.join(ax.missing)})"
            for name, ax in axes.items()
            if ax.score is None
        ]
        reason = "; ".join(short)
    return AccountScore(
        account_id=account.id,
        account_name=account.name,
        owner_id=account.owner_id,
        scored_by=account.scored_by,
        as_of=as_of,
        criteria=criteria,
        attractiveness=a,
        strength=s,
        quadrant=quadrant,
        missing=missing,
        axes=axes,
        threshold=rules.scoring.threshold,
        unscored_reason=reason,
        economics=fixed.economics,
    )


def _revenue(account: ScoredAccount, revenues: _RevenueRanks) -> Criterion:
    if account.annual_revenue is None:
        return Criterion(value=None, source="data", evidence={"reason": "no annual revenue"})
    lower = revenues.lower(float(account.annual_revenue))
    n = revenues.n
    return Criterion(
        value=revenue_quintile(lower, n),
        source="data",
        evidence={"annual_revenue": account.annual_revenue, "accounts_with_lower_revenue": lower,
                  "accounts_with_revenue": n},
    )


def _gross_margin(account: ScoredAccount, rules: Rules) -> Criterion:
    if account.gross_margin_pct is None:
        return Criterion(value=None, source="data", evidence={"reason": "no gross margin"})
    return Criterion(
        value=rules.scoring.gross_margin_bands.score(account.gross_margin_pct),
        source="data",
        evidence={"gross_margin_pct": account.gross_margin_pct},
    )


def _share_of_wallet(account: ScoredAccount, rules: Rules) -> Criterion:
    revenue, wallet = account.annual_revenue, account.wallet_estimate
    if revenue is None or not wallet or wallet <= 0:
        reason = "no annual revenue" if revenue is None else "no wallet estimate"
        return Criterion(
            value=None, source="data", evidence={"reason": reason, "annual_revenue": revenue, "wallet_estimate": wallet}
        )
    ratio = revenue / wallet
    return Criterion(
        value=rules.scoring.share_of_wallet_bands.score(ratio),
        source="data",
        evidence={"annual_revenue": revenue, "wallet_estimate": wallet, "ratio": round(ratio, 4)},
    )


def _relationship_depth(depth: _Depth, frame: _Frame) -> Criterion:
    rules = frame.rules
    evidence: dict[str, Any] = {
        "engaged": depth.engaged,
        "mapped": depth.mapped,
        "executive_engaged": depth.exec_engaged,
        **frame.depth_window,
    }
    if depth.mapped == 0:
        evidence["reason"] = "no mapped stakeholders"
        return Criterion(value=None, source="data", evidence=evidence)
    ratio = depth.engaged / depth.mapped
    banded = rules.scoring.relationship_depth_bands.score(ratio)
    value = depth_score(depth.engaged, depth.mapped, depth.exec_engaged, rules)
    evidence.update({"ratio": round(ratio, 4), "band_score": banded, "executive_penalty": banded - (value or 0)})
    return Criterion(value=value, source="data", evidence=evidence)
