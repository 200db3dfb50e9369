"""Scoring and the KAM matrix (SPEC 5.1): criteria 1-5, two axes, a quadrant, with the evidence for each.

``compute_scores`` is pure and set-based: a handful of queries for any number of accounts. The tools
``score_account`` and ``assign_quadrant`` build on it and keep every scoring in the score history.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal, NamedTuple, Protocol

from pydantic import BaseModel, Field
from sqlalchemy import and_, case, func
from sqlmodel import Session, col, select

from store.audit import record
from store.models import Account, Interaction, Participant, ScoreRecord, Stakeholder
from tools.accounts import resolve_account
from tools.blockkit import body_blocks, context, fields, header, num
from tools.compute.quadrants import QUADRANT_LABELS, QUADRANT_RANK, Quadrant
from tools.context import ToolContext
from tools.economics import AccountFigures, Economics, account_economics, economics_sentence, money
from tools.engagement import AccountEngagement, window_start
from tools.registry import PlannerHints, tool
from tools.results import ToolResult
from tools.rules import JUDGMENT_CRITERIA, Coverage, Rules

CRITERION_LABELS: dict[str, str] = {
    "revenue": "Revenue",
    "gross_margin": "Gross margin",
    "share_of_wallet": "Share of wallet",
    "relationship_depth": "Relationship depth",
    "growth_potential": "Growth potential",
    "strategic_fit": "Strategic fit",
    "competitive_position": "Competitive position",
    "propensity_to_partner": "Propensity to partner",
}

_CHUNK = 5000


class Criterion(BaseModel):
    """One criterion's score (1-5, or ``None`` when unknown), where it came from and the raw values."""

    value: int | None
    source: Literal["data", "judgment"]
    evidence: dict[str, Any] = Field(default_factory=dict)


class Axis(BaseModel):
    """How one axis score was reached: the weights, how much of them had values, the rounded mean."""

    score: float | None
    raw_mean: float | None
    weights: dict[str, float]
    weight_present: float
    weight_total: float
    missing: list[str]
    high: bool | None


class AccountScore(BaseModel):
    """The scoring of one account as of a date."""

    account_id: str
    account_name: str
    owner_id: str
    scored_by: str | None
    as_of: dt.date
    criteria: dict[str, Criterion]
    attractiveness: float | None
    strength: float | None
    quadrant: Quadrant
    missing: list[str]
    axes: dict[str, Axis]
    threshold: float
    unscored_reason: str | None = None
    economics: Economics | None = None

    @property
    def quadrant_label(self) -> str:
        return QUADRANT_LABELS[self.quadrant]

    def criteria_values(self) -> dict[str, int | None]:
        return {name: c.value for name, c in self.criteria.items()}


# --------------------------------------------------------------------------------------------- pure rules


def revenue_quintile(strictly_lower: int, n: int) -> int:
    """``1 + floor(5 * strictly_lower / n)``, capped at 5."""
    return min(5, 1 + (5 * strictly_lower) // n)


def round_axis(value: float) -> float:
    """Two decimals, halves up, on the value as written (2.995 -> 3.00), not on its binary neighbour."""
    return float(Decimal(f"{value:.9f}").quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def axis_score(values: dict[str, int | None], weights: dict[str, float], rules: Rules) -> Axis:
    """The weighted mean over the criteria with a value; ``None`` below the minimum share of the weight."""
    present = {k: w for k, w in weights.items() if values.get(k) is not None}
    total = sum(weights.values())
    weight_present = sum(present.values())
    missing = [k for k in weights if values.get(k) is None]
    enough = weight_present > 0 and weight_present + 1e-9 >= rules.scoring.min_weight_share * total
    if not enough:
        return Axis(score=None, raw_mean=None, weights=dict(weights),
                                    weight_present=round(weight_present, 6), weight_total=round(total, 6),
                                    missing=missing, high=None)
    raw = sum(w * float(values[k] or 0) for k, w in present.items()) / weight_present
    score = round_axis(raw)
    return Axis(score=score, raw_mean=round(raw, 6), weights=dict(weights),
                                weight_present=round(weight_present, 6), weight_total=round(total, 6),
                                missing=missing, high=score >= rules.scoring.threshold)


def quadrant_for(attractiveness: float | None, strength: float | None, threshold: float) -> Quadrant:
    """The quadrant of two (rounded) axis scores; a score equal to the threshold is high."""
    if attractiveness is None or strength is None:
        return Quadrant.UNSCORED
    a_high, s_high = attractiveness >= threshold, strength >= threshold
    if a_high:
        return Quadrant.STRATEGIC_GROWTH if s_high else Quadrant.DEVELOP
    return Quadrant.DEFEND if s_high else Quadrant.MAINTAIN_EXIT


def depth_score(engaged: int, mapped: int, exec_engaged: bool, rules: Rules) -> int | None:
    """Relationship depth: the engaged share in bands, minus the penalty (floor 1) without an engaged executive."""
    if mapped <= 0:
        return None
    banded = rules.scoring.relationship_depth_bands.score(engaged / mapped)
    return banded if exec_engaged else max(1, banded - rules.scoring.no_exec_penalty)


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
) -> dict[str, AccountScore]:
    """Score ``account_ids`` (``None``: every account in the store) as of ``as_of`` (default ``ctx.as_of``).

    Pure: reads only. Relationship depth counts interactions up to ``as_of``; the other data criteria
    use the account's stored values; the revenue quintile is over every account in the store.
    ``engagement`` (from ``load_engagement`` for the same date) saves the depth queries when the caller
    has it already. Callers apply the user's scope to ``account_ids``.
    """
    day = as_of or ctx.as_of
    rules = ctx.rules
    accounts = _accounts(ctx.session, account_ids)
    if not accounts:
        return {}
    revenues = _RevenueRanks(ctx.session, accounts)
    window = rules.scoring.engaged_window_days
    ids = None if account_ids is None else [a.id for a in accounts]
    depth = (
        _depth_from_engagement(engagement, day, window)
        if engagement is not None
        else _depth_from_sql(ctx.session, ids, day, window)
    )
    frame = _Frame(day, rules, revenues)
    return {a.id: _score_one(a, depth.get(a.id, _NO_DEPTH), frame) for a in accounts}


class _Frame:
    """What every account's scoring shares: the date, the rules, the store's revenues, derived constants."""

    def __init__(self, as_of: dt.date, rules: Rules, revenues: _RevenueRanks) -> None:
        self.as_of = as_of
        self.rules = rules
        self.revenues = revenues
        days = rules.scoring.engaged_window_days
        self.depth_window = {"window_days": days, "window_start": window_start(as_of, days).isoformat(),
                             "as_of": as_of.isoformat()}
        self.weighted = list(dict.fromkeys([*rules.scoring.attractiveness_weights, *rules.scoring.strength_weights]))


def _score_one(account: ScoredAccount, depth: _Depth, frame: _Frame) -> AccountScore:
    """One account's scoring, every criterion with its evidence."""
    rules, as_of = frame.rules, frame.as_of
    criteria = {
        "revenue": _revenue(account, frame.revenues),
        "gross_margin": _gross_margin(account, rules),
        "share_of_wallet": _share_of_wallet(account, rules),
        "relationship_depth": _relationship_depth(depth, frame),
    }
    for name in JUDGMENT_CRITERIA:
        value = getattr(account, name)
        evidence: dict[str, Any] = {"scored_by": account.scored_by}
        if value is None:
            evidence["reason"] = "not scored yet"
        criteria[name] = Criterion(value=value, source="judgment", evidence=evidence)
    values = {k: c.value for k, c in criteria.items()}
    axes = {
        "attractiveness": axis_score(values, rules.scoring.attractiveness_weights, rules),
        "strength": axis_score(values, rules.scoring.strength_weights, rules),
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
        economics=account_economics(account, criteria["revenue"].value, rules),
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


# --------------------------------------------------------------------------------------------- evidence


def describe_criterion(name: str, criterion: Criterion) -> str:
    """The evidence behind one criterion, in words."""
    e = criterion.evidence
    if criterion.value is None:
        return str(e.get("reason", "no value"))
    if name == "revenue":
        return (
            f"annual revenue {money(e['annual_revenue'])}; {e['accounts_with_lower_revenue']} of "
            f"{e['accounts_with_revenue']} accounts with a revenue have less"
        )
    if name == "gross_margin":
        return f"gross margin {e['gross_margin_pct']:g}%"
    if name == "share_of_wallet":
        return (
            f"revenue {money(e['annual_revenue'])} of a wallet of {money(e['wallet_estimate'])} "
            f"= {e['ratio']:.0%}"
        )
    if name == "relationship_depth":
        text = (
            f"{e['engaged']} of {e['mapped']} mapped stakeholders engaged in the {e['window_days']} days "
            f"to {e['as_of']} ({e['ratio']:.0%})"
        )
        if e.get("executive_penalty"):
            text += f"; no executive engaged, so {e['band_score']} - {e['executive_penalty']}"
        elif e.get("executive_engaged"):
            text += "; an executive engaged"
        return text
    who = e.get("scored_by")
    return f"judgment of {who}" if who else "judgment"


def _axis_line(name: str, axis: Axis, threshold: float) -> str:
    label = name.capitalize()
    if axis.score is None:
        return (
            f"{label}: **not scored** (only {axis.weight_present:g} of {axis.weight_total:g} of the weight has "
            f"values; missing {', '.join(axis.missing)})"
        )
    level = "high" if axis.high else "low"
    return f"{label}: **{axis.score:.2f}** ({level}; threshold {threshold:g})"


def score_markdown(score: AccountScore) -> str:
    """A scorecard a KAM can read: quadrant, both axes, and every criterion with its evidence."""
    lines = [
        f"## {score.account_name} ({score.account_id}): {score.quadrant_label}",
        f"As of {score.as_of.isoformat()}.",
        "",
        f"- {_axis_line('attractiveness', score.axes['attractiveness'], score.threshold)}",
        f"- {_axis_line('strength', score.axes['strength'], score.threshold)}",
    ]
    if score.unscored_reason:
        lines.append(f"- Unscored because {score.unscored_reason}.")
    lines += ["", "| criterion | axis | weight | score | evidence |", "| --- | --- | --- | --- | --- |"]
    for name, criterion in score.criteria.items():
        for axis_name, axis in score.axes.items():
            weights = axis.weights
            if name in weights:
                value = "-" if criterion.value is None else str(criterion.value)
                lines.append(
                    f"| {CRITERION_LABELS.get(name, name)} | {axis_name} | {weights[name]:g} | {value} | "
                    f"{describe_criterion(name, criterion)} |"
                )
    if score.missing:
        lines.append("")
        lines.append(f"Missing criteria: {', '.join(score.missing)}.")
    if score.economics is not None:
        lines += ["", economics_sentence(score.economics)]
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------ history


class ScoreChange(BaseModel):
    """What changed between the last stored scoring and this one."""

    previous_as_of: dt.date
    previous_scored_by: str | None
    previous_quadrant: str
    previous_attractiveness: float | None
    previous_strength: float | None
    quadrant_changed: bool
    direction: Literal["up", "down", "same", "n/a"]
    attractiveness_delta: float | None
    strength_delta: float | None
    criteria_changes: list[dict[str, Any]]


def last_record(session: Session, account_id: str, as_of: dt.date) -> ScoreRecord | None:
    """The latest stored scoring of the account on or before ``as_of``."""
    stmt = (
        select(ScoreRecord)
        .where(ScoreRecord.account_id == account_id, col(ScoreRecord.as_of) <= as_of)
        .order_by(col(ScoreRecord.as_of).desc(), col(ScoreRecord.id).desc())
        .limit(1)
    )
    return session.exec(stmt).first()


def _delta(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else round(now - before, 2)


def compare(score: AccountScore, previous: ScoreRecord | None) -> ScoreChange | None:
    if previous is None:
        return None
    before_values = previous.criteria or {}
    changes = [
        {"criterion": name, "before": before_values.get(name), "after": c.value}
        for name, c in score.criteria.items()
        if before_values.get(name) != c.value
    ]
    before_q, now_q = previous.quadrant, score.quadrant
    if before_q == now_q:
        direction = "same"
    elif before_q in QUADRANT_RANK and now_q in QUADRANT_RANK:
        direction = "up" if QUADRANT_RANK[now_q] < QUADRANT_RANK[before_q] else "down"
    else:
        direction = "n/a"
    return ScoreChange(
        previous_as_of=previous.as_of,
        previous_scored_by=previous.scored_by,
        previous_quadrant=before_q,
        previous_attractiveness=previous.attractiveness,
        previous_strength=previous.strength,
        quadrant_changed=before_q != now_q,
        direction=direction,
        attractiveness_delta=_delta(score.attractiveness, previous.attractiveness),
        strength_delta=_delta(score.strength, previous.strength),
        criteria_changes=changes,
    )


def change_markdown(change: ScoreChange | None) -> str:
    if change is None:
        return "No earlier scoring is stored: this is the first."
    head = f"Since the scoring of {change.previous_as_of.isoformat()}"
    if change.previous_scored_by:
        head += f" by {change.previous_scored_by}"
    if change.quadrant_changed:
        before = QUADRANT_LABELS.get(change.previous_quadrant, change.previous_quadrant)
        parts = [f"{head}: moved {change.direction} from {before}."]
    else:
        parts = [f"{head}: same quadrant."]
    for label, before, delta in (("Attractiveness", change.previous_attractiveness, change.attractiveness_delta),
                                 ("Strength", change.previous_strength, change.strength_delta)):
        if delta:
            parts.append(f"{label} {before:.2f} -> {before + delta:.2f} ({delta:+.2f}).")
    for c in change.criteria_changes:
        parts.append(f"{CRITERION_LABELS.get(c['criterion'], c['criterion'])}: {c['before']} -> {c['after']}.")
    return " ".join(parts)


def _store(ctx: ToolContext, score: AccountScore) -> int | None:
    """Add the scoring to the score history (and the audit log) in the caller's transaction."""
    row = ScoreRecord(
        account_id=score.account_id,
        as_of=score.as_of,
        criteria=score.criteria_values(),
        attractiveness=score.attractiveness,
        strength=score.strength,
        quadrant=score.quadrant,
        scored_by=ctx.user.id,
    )
    ctx.session.add(row)
    ctx.session.flush()
    record(ctx.session, actor=ctx.user.id, action="score", entity="account", entity_id=score.account_id,
           detail={"score_record_id": row.id, "quadrant": score.quadrant, "as_of": score.as_of.isoformat()})
    ctx.session.flush()
    return row.id


# ----------------------------------------------------------------------------------------------- the tools


class ScoreAccountResult(AccountScore, ToolResult):
    """``score_account``: the criteria with their evidence, both axes, the quadrant; stored in the history."""

    score_record_id: int | None
    recorded_by: str
    changed: ScoreChange | None = None

    def lead(self) -> str:
        if self.quadrant == Quadrant.UNSCORED:
            return f"{self.account_name} cannot be placed yet: it is unscored (criteria are missing)."
        return f"{self.account_name} scores as {Quadrant.label_of(self.quadrant)}."

    def as_markdown(self) -> str:
        return score_markdown(self) + "\n\n" + change_markdown(self.changed) + (
            f"\n\nStored in the score history by {self.recorded_by}."
        )


    def as_slack_blocks(self) -> list[dict[str, Any]]:
        label = Quadrant.label_of(self.quadrant)
        blocks = [header(f"{self.account_name} ({self.account_id}): {label}")]
        figures = fields([("Attractiveness", num(self.attractiveness)), ("Supplier strength", num(self.strength)),
                          ("Quadrant", label), ("Threshold", f"{self.threshold:g} (high at or above)")])
        if figures:
            blocks.append(figures)
        return blocks + body_blocks(self) + [context(f"As of {self.as_of.isoformat()} · every figure from "
                                                     "score_account's data and the scorer's judgment")]

_PLANNER_SCORE_ACCOUNT = PlannerHints(
    rules=(
        (r"\b(score|scores|scoring|rescore|re-score|rate|rating|how attractive|attractiveness"
         r"|supplier strength|criteria|how strong are we|share of wallet|relationship depth"
         r"|gross margin|growth potential|strategic fit|competitive position"
         r"|propensity to partner)\b", 2.0),
    ),
    exemplars=(
        "score the account", "what's the score for this account", "rescore the account",
        "how attractive is this customer", "give me the attractiveness and supplier strength",
        "rate the account on the criteria", "how does the account score", "run the scoring for them",
        "what are its axis scores", "show the scoring evidence for the account", "how strong is our position there",
        "recalculate the scores", "criteria values for this customer", "score breakdown please",
    ),
    slots=("account",), ask_account="score",
)


@tool("score_account", title="Score an account", writes=True, planner=_PLANNER_SCORE_ACCOUNT)
def score_account(ctx: ToolContext, *, account: str) -> ScoreAccountResult:
    """Score one account on the KAM matrix: every criterion 1-5 with its evidence, both axes and the quadrant.

    The scoring is stored in the account's score history, recorded as made by the acting user.
    """
    acc = resolve_account(ctx, account)
    score = compute_scores(ctx, [acc.id])[acc.id]
    previous = last_record(ctx.session, acc.id, score.as_of)
    record_id = _store(ctx, score)
    return ScoreAccountResult(
        **score.model_dump(), score_record_id=record_id, recorded_by=ctx.user.id, changed=compare(score, previous)
    )


class AssignQuadrantResult(ToolResult):
    """``assign_quadrant``: the quadrant, the coverage model it implies and what changed since the last scoring."""

    account_id: str
    account_name: str
    as_of: dt.date
    quadrant: Quadrant
    quadrant_label: str
    attractiveness: float | None
    strength: float | None
    threshold: float
    missing: list[str]
    unscored_reason: str | None
    coverage: Coverage | None
    coverage_note: str
    changed: ScoreChange | None
    score_record_id: int | None

    def lead(self) -> str:
        return f"{self.account_name} sits in {Quadrant.label_of(self.quadrant)}."

    def as_markdown(self) -> str:
        a = "-" if self.attractiveness is None else f"{self.attractiveness:.2f}"
        s = "-" if self.strength is None else f"{self.strength:.2f}"
        lines = [
            f"## {self.account_name} ({self.account_id}): {self.quadrant_label}",
            f"As of {self.as_of.isoformat()}: attractiveness {a}, strength {s} (threshold {self.threshold:g}; "
            "a score equal to it is high).",
        ]
        if self.unscored_reason:
            lines.append(f"Unscored because {self.unscored_reason}.")
        lines += ["", "### Coverage model", self.coverage_note]
        if self.coverage is not None:
            c = self.coverage
            refresh = f"every {c.plan_refresh_days} days" if c.plan_refresh_days else "none"
            lines += [
                "",
                "| QBR every | key-stakeholder touch within | exec sponsor | account plan | plan refresh |",
                "| --- | --- | --- | --- | --- |",
                f"| {c.qbr_every_days} days | {c.key_touch_days} days | {c.exec_sponsor} | {c.account_plan} | "
                f"{refresh} |",
            ]
        lines += ["", "### What changed", change_markdown(self.changed)]
        return "\n".join(lines)


    def as_slack_blocks(self) -> list[dict[str, Any]]:
        label = Quadrant.label_of(self.quadrant)
        blocks = [header(f"{self.account_name} ({self.account_id}): {label}")]
        figures = fields([("Attractiveness", num(self.attractiveness)), ("Supplier strength", num(self.strength)),
                          ("Quadrant", self.quadrant_label or label)])
        if figures:
            blocks.append(figures)
        return blocks + body_blocks(self)

_PLANNER_ASSIGN_QUADRANT = PlannerHints(
    rules=(
        (r"\b(quadrant|segment|which box|what box|classify|classification|tier|coverage model"
         r"|what coverage|how often should (i|we) (be )?(meet|meeting|run|see|visit)|(develop"
         r"|defend|strategic growth|maintain|exit)( account)? or (a |an )?(develop|defend"
         r"|strategic growth|maintain|exit))\b", 2.2),
    ),
    exemplars=(
        "which quadrant is this account in", "what segment is the account", "assign a quadrant",
        "what coverage model applies", "is it a develop or a defend account", "classify the account",
        "did the quadrant change", "what box does this customer sit in", "which segment does it fall into",
        "is the account strategic growth", "put the account in the right quadrant",
        "how much coverage does this account get", "what category is this customer",
    ),
    slots=("account",), ask_account="place in the matrix", many_accounts="show_matrix",
)


@tool("assign_quadrant", title="Place an account in the KAM matrix", writes=True, planner=_PLANNER_ASSIGN_QUADRANT)
def assign_quadrant(ctx: ToolContext, *, account: str) -> AssignQuadrantResult:
    """Place one account in its matrix quadrant, with the coverage model that quadrant implies.

    Says what changed since the last stored scoring (quadrant, axes, criteria, date); the new scoring
    is kept in the score history.
    """
    acc = resolve_account(ctx, account)
    score = compute_scores(ctx, [acc.id])[acc.id]
    previous = last_record(ctx.session, acc.id, score.as_of)
    record_id = _store(ctx, score)
    rules = ctx.rules
    if score.quadrant == "unscored":
        fallback = rules.stakeholders.unscored_quadrant
        coverage = None
        note = (
            f"No coverage model until the account is scored; meanwhile its stakeholders are held to the "
            f"{QUADRANT_LABELS[fallback]} touch windows ({rules.coverage[fallback].key_touch_days} days for key "
            "stakeholders)."
        )
    else:
        coverage = rules.coverage[score.quadrant]
        note = f"What a {score.quadrant_label} account gets:"
    return AssignQuadrantResult(
        account_id=score.account_id,
        account_name=score.account_name,
        as_of=score.as_of,
        quadrant=score.quadrant,
        quadrant_label=score.quadrant_label,
        attractiveness=score.attractiveness,
        strength=score.strength,
        threshold=score.threshold,
        missing=score.missing,
        unscored_reason=score.unscored_reason,
        coverage=coverage,
        coverage_note=note,
        changed=compare(score, previous),
        score_record_id=record_id,
    )
