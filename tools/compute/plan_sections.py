"""The sections of an account plan, computed from the account review: situation, relationship, stakeholder
network, commitments ahead and the quadrant's plays (rendered and stored by ``tools.plan``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field
from sqlmodel import col, select

from store.models import Interaction
from tools.compute.account_review import AccountReview, Risk
from tools.compute.engagement import within
from tools.compute.evidence import Evidence, excerpt
from tools.compute.opportunities import OpportunityItem, WhiteSpace
from tools.compute.quadrants import QUADRANT_LABELS
from tools.compute.stakeholder_flags import key_reasons
from tools.context import ToolContext

HORIZON_DAYS = 90
RECENT_NOTES = 3
EVIDENCE_NOTES = 5

PLAYS: dict[str, list[str]] = {
    "strategic_growth": [
        "Cross-sell across business units: start with open white-space cells in units that already buy from us.",
        "Executive alignment: pair a sponsor on our side with a customer executive and meet every quarter, "
        "ahead of the QBR.",
        "Joint value roadmap: agree success measures with the customer and review them at each QBR.",
    ],
    "develop": [
        "Access first: reach the budget, approval and veto holders we have not engaged.",
        "Land a contained win: a pilot in one unit or site whose result can be measured within a quarter.",
        "Lead with insight: bring a benchmark or cost analysis rather than a product pitch.",
    ],
    "defend": [
        "Protect the renewal: review service levels and open issues with the decision makers.",
        "Add on where trust is high; avoid expensive new programmes the account cannot pay back.",
        "Lower the cost to serve: standardise reporting and the meeting cadence.",
    ],
    "maintain_exit": [
        "Low-cost coverage: standard offers, pooled support and fewer meetings.",
        "Reprice to the cost to serve, or plan a managed hand-over to a partner or self-service.",
    ],
}
GUIDANCE_SECTIONS = {
    "strategic_growth": "strategic-growth-plays",
    "develop": "develop-plays",
    "defend": "defend-plays",
    "maintain_exit": "maintain-exit-plays",
}


class StakeholderNode(BaseModel):
    id: str
    name: str
    title: str | None
    department: str | None
    authority: str
    influence: int | None
    executive: bool
    tag: str | None
    key: bool
    reports_to: str | None
    depth: int
    last_touch: dt.date | None
    latest_sentiment: int | None
    flags: list[str] = Field(default_factory=list)


class CommitmentLine(BaseModel):
    id: str
    side: str
    owner_id: str | None
    owner_name: str | None
    description: str
    due: dt.date | None
    when: str


class Plays(BaseModel):
    quadrant: str
    coverage_quadrant: str
    plays: list[str]
    from_findings: list[str]
    guidance: list[str]


class PlanSections(BaseModel):
    situation: dict[str, Any]
    relationship: dict[str, Any]
    opportunity_map: list[OpportunityItem]
    white_space: WhiteSpace
    stakeholder_network: list[StakeholderNode]
    commitments: list[CommitmentLine]
    commitments_later: int = 0
    plays: Plays
    risks: list[Risk]
    evidence: list[Evidence]


# ------------------------------------------------------------------------------------------- sections


def situation_summary(ctx: ToolContext, review: AccountReview) -> dict[str, Any]:
    a, s, h, e = review.account, review.score, review.health, review.economics
    recent = ctx.session.exec(
        select(Interaction.id, Interaction.date, Interaction.kind, Interaction.author_id, Interaction.text)
        .where(Interaction.account_id == a.id, Interaction.date <= review.as_of)
        .order_by(col(Interaction.date).desc(), col(Interaction.id).desc())
        .limit(RECENT_NOTES)
    ).all()
    cov = review.coverage
    return {
        "owner_id": a.owner_id,
        "owner_name": review.name_of(a.owner_id),
        "industry": a.industry,
        "annual_revenue": a.annual_revenue,
        "gross_margin_pct": a.gross_margin_pct,
        "wallet_estimate": a.wallet_estimate,
        "share_of_wallet": round(a.annual_revenue / a.wallet_estimate, 4)
        if a.annual_revenue and a.wallet_estimate else None,
        "growth_target": review.target(ctx.rules.health.default_growth_target_share),
        "attractiveness": s.attractiveness,
        "strength": s.strength,
        "quadrant": s.quadrant,
        "missing_criteria": s.missing,
        "coverage": {"quadrant": review.coverage_quadrant, **cov.model_dump()},
        "health": h.overall,
        "health_dimensions": {k: {"score": d.score, "detail": d.detail} for k, d in h.dimensions.items()},
        "economics": e.model_dump(),
        "recent_notes": [
            {"interaction_id": iid, "date": day.isoformat(), "kind": kind, "author_id": author,
             "author_name": review.name_of(author) if author else None, "excerpt": excerpt(text or "", [])}
            for iid, day, kind, author, text in recent
        ],
    }


def relationship_status(review: AccountReview, days: int) -> dict[str, Any]:
    day = review.as_of
    window = review.flags.windows
    people = review.engagement.stakeholders
    engaged = [p for p in people if within(p.last_touch, day, days)]
    unreached = [p for p in people if p.last_touch is None]
    executives = [p for p in people if p.stakeholder.is_executive]
    execs_engaged = [p for p in executives if within(p.last_touch, day, days)]
    last_exec = max((p.last_touch for p in executives if p.last_touch), default=None)
    return {
        "mapped": len(people),
        "engaged": len(engaged),
        "engaged_names": [p.stakeholder.name for p in engaged],
        "unreached": [p.stakeholder.name for p in unreached],
        "coverage_pct": round(100 * len(engaged) / len(people), 1) if people else None,
        "window_days": days,
        "executives_mapped": len(executives),
        "executives_engaged": [p.stakeholder.name for p in execs_engaged],
        "last_executive_touch": last_exec.isoformat() if last_exec else None,
        "exec_sponsor": review.coverage.exec_sponsor,
        "key_touch_days": window.get("key_days"),
        "account_flags": [f.flag for f in review.flags.account_flags],
    }


def stakeholder_network(review: AccountReview, rules: Any) -> list[StakeholderNode]:
    people = review.engagement.stakeholders
    ids = {p.id for p in people}
    by_name = {p.stakeholder.name.casefold(): p.id for p in people}
    flags: dict[str, list[str]] = {}
    for f in review.flags.flags:
        flags.setdefault(f.stakeholder_id, []).append(f.flag)

    def boss(ref: str | None, own: str) -> str | None:
        if not ref:
            return None
        target = ref if ref in ids else by_name.get(ref.casefold())
        return target if target != own else None

    parent = {p.id: boss(p.stakeholder.reports_to, p.id) for p in people}
    children: dict[str | None, list[str]] = {}
    for pid, up in parent.items():
        children.setdefault(up, []).append(pid)
    act = {p.id: p for p in people}
    order: list[tuple[str, int]] = []
    seen: set[str] = set()

    def walk(pid: str, depth: int) -> None:
        if pid in seen:
            return
        seen.add(pid)
        order.append((pid, depth))
        kids = sorted(children.get(pid, []), key=lambda k: (-(act[k].stakeholder.influence or 0), act[k].id))
        for kid in kids:
            walk(kid, depth + 1)

    roots = sorted(children.get(None, []), key=lambda k: (-(act[k].stakeholder.influence or 0), k))
    for root in roots:
        walk(root, 0)
    for pid in sorted(ids - seen):  # reporting loops: shown at the top level
        walk(pid, 0)
    nodes = []
    for pid, depth in order:
        p = act[pid]
        sh = p.stakeholder
        nodes.append(StakeholderNode(
            id=sh.id, name=sh.name, title=sh.title, department=sh.department, authority=sh.authority,
            influence=sh.influence, executive=sh.is_executive, tag=sh.tag, key=bool(key_reasons(sh, rules)),
            reports_to=parent[pid], depth=depth, last_touch=p.last_touch, latest_sentiment=p.latest_sentiment,
            flags=flags.get(pid, []),
        ))
    return nodes


def commitments_ahead(review: AccountReview) -> tuple[list[CommitmentLine], int]:
    day = review.as_of
    horizon = day + dt.timedelta(days=HORIZON_DAYS)
    lines, later = [], 0
    for c in review.commitments:
        if c.due is None or c.due > horizon:
            later += 1
            continue
        delta = (c.due - day).days
        if delta < 0:
            when = f"overdue by {-delta} days"
        elif delta <= 30:
            when = "within 30 days"
        elif delta <= 60:
            when = "in 31-60 days"
        else:
            when = "in 61-90 days"
        lines.append(CommitmentLine(id=c.id, side=c.side, owner_id=c.owner_id,
                                    owner_name=review.names.get(c.owner_id or "") if c.owner_id else None,
                                    description=c.description, due=c.due, when=when))
    return lines, later


def plays_for(review: AccountReview, opps: list[OpportunityItem], grid: WhiteSpace, rel: dict[str, Any]) -> Plays:
    quadrant = review.score.quadrant
    used = review.coverage_quadrant
    plays = list(PLAYS[used])
    findings: list[str] = []
    if quadrant == "unscored":
        findings.append(f"Complete the scoring first: missing {', '.join(review.score.missing) or 'criteria'}; "
                        f"until then the {QUADRANT_LABELS[used]} plays apply.")
    dark = [f.stakeholder_name for f in review.flags.flags if f.flag == "dark" and f.key]
    if dark:
        findings.append(f"Re-engage {', '.join(dark)} (key, gone dark) before proposing anything new.")
    if review.coverage.exec_sponsor in ("required", "recommended") and not rel["executives_engaged"]:
        findings.append(f"Executive access: no executive engaged in {rel['window_days']} days (exec sponsor "
                        f"{review.coverage.exec_sponsor} for {QUADRANT_LABELS[used]}).")
    if opps:
        top = opps[0]
        findings.append(f"Advance {top.name} ({top.id}): priority {top.priority:.2f}, stage {top.stage}, "
                        f"competitive risk {top.competitive_risk}.")
    if used in ("strategic_growth", "develop", "defend"):
        buying = {c.business_unit for c in grid.cells if c.state == "won"}
        open_cells = [c for c in grid.cells if c.state == "open"]
        open_cells.sort(key=lambda c: (c.business_unit not in buying, c.business_unit.casefold(), c.product_name))
        picks = open_cells[:3]
        if picks:
            names = "; ".join(f"{c.product_name} for {c.business_unit}" for c in picks)
            findings.append(f"White space to work this quarter: {names}.")
    guidance = [GUIDANCE_SECTIONS[used], "plays-by-quadrant"]
    return Plays(quadrant=quadrant, coverage_quadrant=used, plays=plays, from_findings=findings, guidance=guidance)


def evidence_topics(opps: list[OpportunityItem]) -> list[str]:
    topics = ["priorities goals objectives", "budget pricing cost", "competitor competition alternative",
              "risk concern issue problem"]
    for item in opps[:2]:
        if item.product:
            topics.append(item.product)
    return topics
