"""The findings of a QBR brief, computed from the account review: the reference point, the quadrant change,
the health trend, what happened since the last QBR, stakeholder changes, the agenda and the questions
(rendered by ``tools.qbr``)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, cast

from pydantic import BaseModel, Field
from sqlalchemy import func
from sqlmodel import col, select

from store.models import Commitment, Interaction, ScoreRecord
from tools.compute.account_review import AccountReview, Risk
from tools.compute.evidence import Evidence, keywords
from tools.compute.health import DIMENSION_LABELS, DIMENSIONS, AccountHealth, fmt_score, round2
from tools.compute.history import AccountHistory
from tools.compute.opportunities import OpportunityItem
from tools.compute.quadrants import QUADRANT_LABELS, QUADRANT_RANK
from tools.context import ToolContext

LATE_STAGES = ("proposal", "negotiation")


class QuadrantChange(BaseModel):
    reference_date: dt.date
    reference: Literal["qbr", "score_record", "cadence"]
    reference_id: str | None = None
    before: str
    before_source: Literal["score_record", "computed"]
    now: str
    change: Literal["up", "down", "same", "n/a"]
    evidence: dict[str, Any] = Field(default_factory=dict)


class HealthPoint(BaseModel):
    label: str
    date: dt.date
    overall: float | None
    dimensions: dict[str, float | None]


class HealthTrend(BaseModel):
    points: list[HealthPoint]
    change_since_last_qbr: float | None
    trend: Literal["up", "down", "flat", "n/a"]
    details_now: dict[str, str]


class OppLine(BaseModel):
    id: str
    name: str
    product: str | None
    amount: float | None
    stage: str
    date: dt.date | None


class SinceLastQbr(BaseModel):
    since: dt.date
    interactions_total: int
    interactions_by_kind: dict[str, int]
    opportunities: dict[str, list[OppLine]]
    commitments_done: list[dict[str, Any]]
    commitments_overdue: list[dict[str, Any]]


class StakeholderChanges(BaseModel):
    new: list[dict[str, Any]]
    dark: list[dict[str, Any]]
    unreached_key: list[dict[str, Any]]
    sentiment_shifts: list[dict[str, Any]]


class AgendaItem(BaseModel):
    title: str
    minutes: int
    points: list[str]


class QbrSections(BaseModel):
    quadrant: QuadrantChange
    health: HealthTrend
    since_last_qbr: SinceLastQbr
    stakeholder_changes: StakeholderChanges
    risks: list[Risk]
    opportunity_map: list[OpportunityItem]
    agenda: list[AgendaItem]
    questions: list[str]
    evidence: list[Evidence]


# -------------------------------------------------------------------------------------------- reference


def reference_point(ctx: ToolContext, review: AccountReview) -> tuple[dt.date, str, str | None, dt.date | None]:
    """(reference day, what it is, its id, the last QBR's date or None)."""
    aid, day = review.account.id, review.as_of
    qbr = ctx.session.exec(
        select(Interaction.id, Interaction.date)
        .where(Interaction.account_id == aid, func.lower(Interaction.kind) == "qbr", Interaction.date < day)
        .order_by(col(Interaction.date).desc(), col(Interaction.id).desc())
        .limit(1)
    ).first()
    if qbr is not None:
        return qbr[1], "qbr", qbr[0], qbr[1]
    rec = ctx.session.exec(
        select(ScoreRecord.id, ScoreRecord.as_of)
        .where(ScoreRecord.account_id == aid, ScoreRecord.as_of < day)
        .order_by(col(ScoreRecord.as_of).desc(), col(ScoreRecord.id).desc())
        .limit(1)
    ).first()
    if rec is not None:
        return rec[1], "score_record", str(rec[0]), None
    return day - dt.timedelta(days=review.coverage.qbr_every_days), "cadence", None, None


def quadrant_change(
    ctx: ToolContext, review: AccountReview, ref: dt.date, kind: str, ref_id: str | None, computed_then: str
) -> QuadrantChange:
    rec = ctx.session.exec(
        select(ScoreRecord)
        .where(ScoreRecord.account_id == review.account.id, ScoreRecord.as_of <= ref)
        .order_by(col(ScoreRecord.as_of).desc(), col(ScoreRecord.id).desc())
        .limit(1)
    ).first()
    before = rec.quadrant if rec is not None else computed_then
    now = review.score.quadrant
    evidence: dict[str, Any] = {"now": {"attractiveness": review.score.attractiveness,
                                        "strength": review.score.strength, "as_of": review.as_of.isoformat()}}
    if rec is not None:
        evidence["before"] = {"score_record_id": rec.id, "as_of": rec.as_of.isoformat(),
                              "attractiveness": rec.attractiveness, "strength": rec.strength}
    else:
        evidence["before"] = {"computed_as_of": ref.isoformat()}
    r_now, r_before = QUADRANT_RANK.get(now), QUADRANT_RANK.get(before)
    if r_now is None or r_before is None:
        change = "same" if now == before else "n/a"
    else:
        change = "same" if r_now == r_before else "up" if r_now < r_before else "down"
    return QuadrantChange(reference_date=ref, reference=cast(Any, kind), reference_id=ref_id, before=before,
                          before_source="score_record" if rec is not None else "computed", now=now,
                          change=change, evidence=evidence)


# ------------------------------------------------------------------------------------------- findings


def health_trend(points: list[tuple[str, AccountHealth]], ref: AccountHealth, now: AccountHealth) -> HealthTrend:
    out = [HealthPoint(label=label, date=h.as_of, overall=h.overall, dimensions=h.scores()) for label, h in points]
    delta = round2(now.overall - ref.overall) if now.overall is not None and ref.overall is not None else None
    trend = "n/a" if delta is None else "up" if delta > 0 else "down" if delta < 0 else "flat"
    return HealthTrend(points=out, change_since_last_qbr=delta, trend=trend,
                       details_now={k: d.detail for k, d in now.dimensions.items()})


def _opp_line(o: Any, day: dt.date | None) -> OppLine:
    return OppLine(id=o.id, name=o.name, product=o.product, amount=o.amount, stage=o.stage, date=day)


def since_last_qbr(ctx: ToolContext, review: AccountReview, ref: dt.date) -> SinceLastQbr:
    aid, day = review.account.id, review.as_of
    by_kind = dict(ctx.session.exec(
        select(Interaction.kind, func.count())
        .where(Interaction.account_id == aid, Interaction.date > ref, Interaction.date <= day)
        .group_by(Interaction.kind)
    ).all())
    by_kind = {str(k or "note"): int(v) for k, v in sorted(by_kind.items(), key=lambda kv: str(kv[0]))}
    opps = review.opportunities

    def in_period(d: dt.date | None) -> bool:
        return d is not None and ref < d <= day

    opportunities = {
        "opened": [_opp_line(o, o.created) for o in opps if in_period(o.created)],
        "advanced": [_opp_line(o, o.created) for o in opps if o.stage in LATE_STAGES],
        "won": [_opp_line(o, o.close_date) for o in opps if o.stage == "closed_won" and in_period(o.close_date)],
        "lost": [_opp_line(o, o.close_date) for o in opps if o.stage == "closed_lost" and in_period(o.close_date)],
    }
    done = ctx.session.exec(
        select(Commitment)
        .where(Commitment.account_id == aid, Commitment.status == "done", col(Commitment.done) > ref,
               col(Commitment.done) <= day)
        .order_by(col(Commitment.done), col(Commitment.id))
    ).all()
    overdue = [c for c in review.commitments if c.due is not None and c.due < day]
    return SinceLastQbr(
        since=ref,
        interactions_total=sum(by_kind.values()),
        interactions_by_kind=by_kind,
        opportunities=opportunities,
        commitments_done=[{"id": c.id, "side": c.side, "description": c.description,
                           "done": c.done.isoformat() if c.done else None, "owner_id": c.owner_id} for c in done],
        commitments_overdue=[{"id": c.id, "side": c.side, "description": c.description,
                              "due": c.due.isoformat() if c.due else None, "owner_id": c.owner_id,
                              "owner_name": review.names.get(c.owner_id or ""),
                              "days_overdue": (day - c.due).days if c.due else None} for c in overdue],
    )


def stakeholder_changes(
    review: AccountReview, history: AccountHistory, ref: dt.date, eng_ref: Any
) -> StakeholderChanges:
    first: dict[str, dt.date] = {}
    for t in history.touches:  # newest first: the last one written is the earliest
        if t.day <= review.as_of:
            first[t.stakeholder_id] = t.day
    people = {p.id: p for p in review.engagement.stakeholders}
    new = []
    for sid, p in people.items():
        met_day = first.get(sid)
        if met_day is not None and met_day > ref:
            new.append({"stakeholder_id": sid, "name": p.stakeholder.name, "title": p.stakeholder.title,
                        "first_interaction": met_day.isoformat()})
    dark = [{"stakeholder_id": f.stakeholder_id, "name": f.stakeholder_name, "key": f.key, "reason": f.reason,
             "last_touch": f.evidence.get("last_touch")} for f in review.flags.flags if f.flag == "dark"]
    unreached = [{"stakeholder_id": f.stakeholder_id, "name": f.stakeholder_name}
                 for f in review.flags.flags if f.flag == "unreached" and f.key]
    then = {p.id: p for p in eng_ref.stakeholders} if eng_ref is not None else {}
    shifts = []
    for sid, p in people.items():
        before = then.get(sid)
        if p.latest_sentiment is None or before is None or before.latest_sentiment is None:
            continue
        delta = p.latest_sentiment - before.latest_sentiment
        if delta:
            shifts.append({"stakeholder_id": sid, "name": p.stakeholder.name, "before": before.latest_sentiment,
                           "before_date": before.latest_sentiment_date.isoformat()
                           if before.latest_sentiment_date else None,
                           "now": p.latest_sentiment, "now_date": p.latest_sentiment_date.isoformat()
                           if p.latest_sentiment_date else None, "change": delta})
    shifts.sort(key=lambda s: (s["change"], s["name"]))
    new.sort(key=lambda s: (s["first_interaction"], s["name"]))
    return StakeholderChanges(new=new, dark=dark, unreached_key=unreached, sentiment_shifts=shifts)


def agenda_items(review: AccountReview, since: SinceLastQbr, trend: HealthTrend, risks: list[Risk],
            opps: list[OpportunityItem], changes: StakeholderChanges, next_qbr: dt.date) -> list[AgendaItem]:
    day = review.as_of
    h = review.health
    priorities = [f"What has changed in their business since {since.since.isoformat()}?"]
    pipeline = h.dimensions["pipeline_coverage"]
    if pipeline.score is not None and pipeline.score <= 2:
        priorities.append(f"Growth priorities that could fill the pipeline ({pipeline.detail}).")
    won = since.opportunities["won"]
    value = [f"Won since the last QBR: {', '.join(f'{o.name} ({o.id})' for o in won)}." if won
             else "Results against the agreed success measures (no deals closed won since the last QBR)."]
    weak = [f"{DIMENSION_LABELS[n]} {fmt_score(h.dimensions[n].score)}: {h.dimensions[n].detail}"
            for n in DIMENSIONS if h.dimensions[n].score is not None and (h.dimensions[n].score or 5) <= 2]
    scorecard = [f"Health {fmt_score(h.overall)} ({trend.trend} since the last QBR)."] + weak
    scorecard += [f"Risk ({r.severity}): {r.detail}" for r in risks[:3]]
    opp_points = [f"{o.name} ({o.id}): {o.stage}, priority {o.priority:.2f}, risk {o.competitive_risk}"
                  for o in opps[:3]] or ["No open opportunities: agree where to look for the next one."]
    due_soon = [c for c in review.commitments if c.due is not None and day <= c.due <= day + dt.timedelta(days=30)]
    commit_points = [f"Overdue: {c['description']} ({c['id']}, due {c['due']}, {c['side']})"
                     for c in since.commitments_overdue[:5]]
    commit_points += [f"Due by {c.due.isoformat() if c.due else '?'}: {c.description} ({c.id}, {c.side})"
                      for c in due_soon[:5]]
    commit_points.append("Agree new commitments with owners and dates.")
    execs = [p.stakeholder.name for p in review.engagement.stakeholders if p.stakeholder.is_executive]
    close = [f"Book the next QBR by {next_qbr.isoformat()} "
             f"({review.coverage.qbr_every_days}-day cadence for {QUADRANT_LABELS[review.coverage_quadrant]}).",
             f"Executive contacts: {', '.join(execs)}." if execs else "Ask who should be the executive contact."]
    if changes.dark:
        close.append(f"Re-engage: {', '.join(d['name'] for d in changes.dark[:5])}.")
    return [
        AgendaItem(title="Customer priorities", minutes=10, points=priorities),
        AgendaItem(title="Value delivered", minutes=10, points=value),
        AgendaItem(title="Scorecard and risks", minutes=10, points=scorecard),
        AgendaItem(title="Opportunities", minutes=15, points=opp_points),
        AgendaItem(title="Commitments", minutes=10, points=commit_points),
        AgendaItem(title="Close", minutes=5, points=close),
    ]


def questions_for(review: AccountReview, since: SinceLastQbr, changes: StakeholderChanges,
               opps: list[OpportunityItem]) -> list[str]:
    qs: list[str] = []
    for d in changes.dark[:3]:
        if d["key"]:
            qs.append(f"How is {d['name']} involved in current priorities, and can we meet them before the next QBR?")
    for s in changes.sentiment_shifts:
        if s["change"] < 0:
            qs.append(f"What changed for {s['name']} since {s['before_date']} (sentiment {s['before']:+d} -> "
                      f"{s['now']:+d})?")
    for o in opps:
        if o.competitive_risk == "high":
            qs.append(f"Which alternatives are being considered for {o.product or o.name}, and what would decide it?")
    for o in opps:
        if o.stage in LATE_STAGES:
            when = f" by {o.close_date.isoformat()}" if o.close_date else ""
            qs.append(f"What has to happen for a decision on {o.name}{when}?")
    for o in since.opportunities["lost"][:2]:
        qs.append(f"What would have changed the outcome on {o.name}?")
    rel = review.score.criteria.get("relationship_depth")
    if rel is not None and rel.evidence.get("executive_engaged") is False:
        qs.append("Who on the leadership team should we meet before the next QBR?")
    if not qs:
        qs.append("What would make the next quarter a success for you?")
    return list(dict.fromkeys(qs))


def evidence_topics(changes: StakeholderChanges, opps: list[OpportunityItem]) -> list[str]:
    topics = ["budget pricing cost", "competitor competition alternative", "risk concern issue problem",
              "priorities goals plans"]
    topics += [d["name"] for d in changes.dark[:2] if keywords(d["name"])]
    topics += [o.product for o in opps[:2] if o.product]
    return list(dict.fromkeys(topics))
