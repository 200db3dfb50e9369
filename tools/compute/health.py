"""Account health (docs/rules.md): five dimensions scored 1-5 as of a date, and their mean.

- ``relationship_depth``: the scoring criterion (docs/rules.md), as ``compute_scores`` gives it.
- ``pipeline_coverage``: open pipeline / growth target (the account's, else 20% of annual revenue), banded
  <0.5 -> 1, <1 -> 2, <2 -> 3, <3 -> 4, else 5. An opportunity counts as open on a day when it was created
  on or before it (or has no created date) and is either in an open stage or closed after that day.
- ``plan_currency``: the quadrant's coverage model says whether a plan is required. Required and none ->
  1; otherwise days since the latest plan against the refresh window, <=1x -> 5, <=1.5x -> 4, <=2x -> 3,
  <=3x -> 2, else 1. Not applicable when no plan is required ("recommended" is not "required") and none
  exists, or when the quadrant has no refresh window. Unscored accounts use the coverage of
  ``rules.stakeholders.unscored_quadrant`` (Develop), as the dark-stakeholder windows do.
- ``commitment_health``: the share of OUR commitments open on the day that are overdue (due before it):
  0 -> 5, <=10% -> 4, <=25% -> 3, <=50% -> 2, else 1; not applicable when none are open. Open on a day:
  status open, or done after that day; one whose source interaction is later did not exist yet.
- ``sentiment``: the mean latest sentiment (-2..+2) of the stakeholders engaged in the last 180 days,
  plus 3; not applicable when none of them has a sentiment.

Overall health is the mean of the dimensions that apply, to two decimals. Only rows dated on or before
the day count. Everything is set-based: a handful of grouped queries for any number of accounts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tools.compute.economics import money
from tools.compute.engagement import AccountEngagement, load_engagement, within
from tools.compute.health_facts import HealthFacts, load_facts
from tools.compute.quadrants import QUADRANT_LABELS
from tools.compute.score_rules import AccountScore
from tools.compute.scoring import compute_scores
from tools.context import ToolContext
from tools.rules import Coverage, Rules
from tools.wording import plural

DIMENSIONS = ("relationship_depth", "pipeline_coverage", "plan_currency", "commitment_health", "sentiment")
DIMENSION_LABELS = {
    "relationship_depth": "Relationship depth",
    "pipeline_coverage": "Pipeline coverage",
    "plan_currency": "Plan currency",
    "commitment_health": "Commitment health",
    "sentiment": "Sentiment",
}
_MAX_LISTED = 10


@dataclass(slots=True)
class HealthDimension:
    """One dimension: its score 1-5 (``None`` when it does not apply), a line for people, and the evidence."""

    name: str
    score: float | None
    applicable: bool
    detail: str
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class AccountHealth:
    """The health of one account on one day (plain data: whole-portfolio health builds 10,000s of these)."""

    account_id: str
    account_name: str
    owner_id: str
    as_of: dt.date
    quadrant: str
    overall: float | None
    dimensions: dict[str, HealthDimension]

    def scores(self) -> dict[str, float | None]:
        return {name: d.score for name, d in self.dimensions.items()}

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO strings."""
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat()
        return data

    def as_markdown_table(self) -> str:
        rows = ["| dimension | score | evidence |", "| --- | --- | --- |"]
        for name in DIMENSIONS:
            d = self.dimensions[name]
            rows.append(f"| {DIMENSION_LABELS[name]} | {fmt_score(d.score)} | {d.detail} |")
        rows.append(f"| **Overall** | **{fmt_score(self.overall)}** | mean of the dimensions that apply |")
        return "\n".join(rows)


def fmt_score(value: float | None) -> str:
    """A score for people: ``n/a``, ``4`` or ``3.67``."""
    if value is None:
        return "n/a"
    return f"{value:.0f}" if value == int(value) else f"{value:.2f}"


def round2(value: float) -> float:
    """Two decimals, halves up, on the value as written."""
    return float(Decimal(f"{value:.9f}").quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def overall_of(scores: Iterable[float | None]) -> float | None:
    """The mean of the scores that apply, to two decimals; ``None`` when none applies."""
    present = [s for s in scores if s is not None]
    return round2(sum(present) / len(present)) if present else None


def coverage_for(quadrant: str, rules: Rules) -> tuple[str, Coverage]:
    """The coverage model a quadrant implies; unscored accounts use the configured stand-in quadrant."""
    used = quadrant if quadrant in rules.coverage else rules.stakeholders.unscored_quadrant
    return used, rules.coverage[used]


# ---------------------------------------------------------------------------------------- the dimensions


def _dim(name: str, score: float | None, detail: str, evidence: dict[str, Any]) -> HealthDimension:
    return HealthDimension(name, score, score is not None, detail, evidence)


def _na(name: str, detail: str, **evidence: Any) -> HealthDimension:
    return _dim(name, None, detail, evidence)


def _relationship(score: AccountScore | None) -> HealthDimension:
    criterion = score.criteria.get("relationship_depth") if score else None
    if criterion is None or criterion.value is None:
        evidence = dict(criterion.evidence) if criterion else {}
        return _na("relationship_depth", "n/a: no mapped stakeholders", **evidence)
    ev = criterion.evidence
    penalty = ev.get("executive_penalty") or 0
    exec_text = "an executive engaged" if ev.get("executive_engaged") else f"no executive engaged (-{penalty})"
    engaged = f"{ev.get('engaged')} of {ev.get('mapped')} stakeholders engaged"
    detail = f"{engaged} in {ev.get('window_days')} days; {exec_text}"
    return _dim("relationship_depth", float(criterion.value), detail, dict(ev))


def _pipeline(f: HealthFacts, rules: Rules) -> HealthDimension:
    share = rules.health.default_growth_target_share
    if f.growth_target is not None and f.growth_target > 0:
        target, source = float(f.growth_target), "account growth target"
    elif f.revenue is not None and f.revenue > 0:
        target, source = float(f.revenue) * share, f"{share:.0%} of annual revenue"
    else:
        return _na("pipeline_coverage", "n/a: no growth target and no annual revenue", open_pipeline=f.pipeline)
    ratio = f.pipeline / target
    score = rules.health.pipeline_bands.score(ratio)
    opportunities = plural(f.pipeline_count, "opportunity")
    detail = f"open pipeline {money(f.pipeline)} ({opportunities}) / target {money(target)} ({source}) = {ratio:.2f}"
    evidence = {"open_pipeline": round(f.pipeline, 2), "open_opportunities": f.pipeline_count,
                "target": round(target, 2), "target_source": source, "ratio": round(ratio, 4)}
    return _dim("pipeline_coverage", float(score), detail, evidence)


def _plan(f: HealthFacts, quadrant: str, day: dt.date, rules: Rules) -> HealthDimension:
    used, cov = coverage_for(quadrant, rules)
    required = cov.account_plan == "required"
    evidence: dict[str, Any] = {"quadrant": quadrant, "coverage_quadrant": used, "account_plan": cov.account_plan,
                                "refresh_days": cov.plan_refresh_days, "plans": f.plan_count,
                                "latest_plan": f.plan_date.isoformat() if f.plan_date else None}
    if f.plan_date is None:
        if required:
            return _dim("plan_currency", 1.0, f"no account plan, and {QUADRANT_LABELS[used]} requires one", evidence)
        return _na("plan_currency", f"n/a: no plan, and {QUADRANT_LABELS[used]} does not require one "
                   f"({cov.account_plan})", **evidence)
    if not cov.plan_refresh_days:
        return _na("plan_currency", f"n/a: {QUADRANT_LABELS[used]} has no plan refresh window", **evidence)
    age = (day - f.plan_date).days
    ratio = age / cov.plan_refresh_days
    score = rules.health.plan_currency_bands.score(ratio)
    evidence.update({"days_since_plan": age, "ratio": round(ratio, 4)})
    detail = f"latest plan {f.plan_date.isoformat()}, {age} days old; refresh every {cov.plan_refresh_days} days " \
             f"({ratio:.2f}x)"
    return _dim("plan_currency", float(score), detail, evidence)


def _commitments(f: HealthFacts, day: dt.date, rules: Rules) -> HealthDimension:
    if not f.open_ours:
        return _na("commitment_health", "n/a: no open commitments of ours", open=0)
    overdue = [(cid, due) for cid, due in f.open_ours if due is not None and due < day]
    share = len(overdue) / len(f.open_ours)
    score = rules.health.commitment_bands.score(share)
    listed = [{"id": cid, "due": due.isoformat() if due else None} for cid, due in overdue[:_MAX_LISTED]]
    detail = f"{len(overdue)} of {len(f.open_ours)} open commitments of ours overdue ({share:.0%})"
    evidence = {"open": len(f.open_ours), "overdue": len(overdue), "share": round(share, 4),
                "overdue_commitments": listed}
    return _dim("commitment_health", float(score), detail, evidence)


def _sentiment(eng: AccountEngagement | None, day: dt.date, rules: Rules) -> HealthDimension:
    window = rules.health.sentiment_window_days
    people = [
        s for s in (eng.stakeholders if eng else [])
        if within(s.last_touch, day, window) and s.latest_sentiment is not None
    ]
    if not people:
        return _na("sentiment", f"n/a: no engaged stakeholder with a sentiment in {window} days",
                   window_days=window)
    mean = sum(s.latest_sentiment or 0 for s in people) / len(people)
    score = min(5.0, max(1.0, round2(mean + rules.health.sentiment_offset)))
    listed = [
        {"stakeholder_id": s.id, "name": s.stakeholder.name, "sentiment": s.latest_sentiment,
         "date": s.latest_sentiment_date.isoformat() if s.latest_sentiment_date else None}
        for s in people[:_MAX_LISTED]
    ]
    offset = rules.health.sentiment_offset
    detail = (f"mean latest sentiment {mean:+.2f} on the -2..+2 scale ({plural(len(people), 'stakeholder')} "
              f"engaged in {window} days), plus {offset:g} puts it at {score:.2f} on the 1-5 scale")
    evidence = {"stakeholders": len(people), "mean": round(mean, 4), "window_days": window, "latest": listed}
    return _dim("sentiment", score, detail, evidence)


# ------------------------------------------------------------------------------------------ the function


def compute_health(
    ctx: ToolContext,
    account_ids: Sequence[str] | None,
    *,
    as_of: dt.date | None = None,
    scores: dict[str, AccountScore] | None = None,
    engagement: dict[str, AccountEngagement] | None = None,
    facts: dict[str, HealthFacts] | None = None,
) -> dict[str, AccountHealth]:
    """Health of ``account_ids`` (``None``: every account) as of ``as_of`` (default ``ctx.as_of``).

    Pure and set-based. ``scores`` and ``engagement``, when given, must be for the same day; they save
    the queries behind relationship depth, the quadrant and sentiment; ``facts`` (``FactHistory.on`` for
    the same day and at least these accounts) those behind the other dimensions. Callers apply the user's scope.
    """
    day = as_of or ctx.as_of
    rules = ctx.rules
    ids = None if account_ids is None else list(dict.fromkeys(account_ids))
    if ids is not None and not ids:
        return {}
    if engagement is None:
        engagement = load_engagement(ctx.session, ids, day, rules)
    if scores is None:
        scores = compute_scores(ctx, ids, as_of=day, engagement=engagement)
    if facts is None:
        facts = load_facts(ctx.session, ids, day)
    out: dict[str, AccountHealth] = {}
    for aid in ids if ids is not None else list(scores):
        score, f = scores.get(aid), facts.get(aid)
        if score is None or f is None:
            continue
        dims = {
            "relationship_depth": _relationship(score),
            "pipeline_coverage": _pipeline(f, rules),
            "plan_currency": _plan(f, score.quadrant, day, rules),
            "commitment_health": _commitments(f, day, rules),
            "sentiment": _sentiment(engagement.get(aid), day, rules),
        }
        out[aid] = AccountHealth(
            account_id=aid, account_name=score.account_name, owner_id=score.owner_id, as_of=day,
            quadrant=score.quadrant, overall=overall_of(d.score for d in dims.values()), dimensions=dims,
        )
    return out
