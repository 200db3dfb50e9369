"""``draft_plan``: the SPEC 5.5 account plan, drafted from the store and kept as a dated version.

Sections: situation summary; relationship status; opportunity map and white-space matrix; stakeholder
network; commitments for the next 90 days; plays for the quadrant; risk register; evidence from notes.
Every figure comes from the tools beneath (scoring, health, flags, opportunities); the plays are fixed
per quadrant (cited by guidance section id) plus lines that follow from the findings. The plan is stored
as a new ``AccountPlan`` version dated ``as_of`` with an audit record, so plan currency counts it at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import func
from sqlmodel import col, select

from store.audit import record
from store.models import Account, AccountPlan, Interaction
from tools.accounts import resolve_account
from tools.blockkit import long_form_blocks
from tools.compute.account_review import AccountReview, Risk, load_review, risk_register
from tools.compute.economics import money
from tools.compute.engagement import within
from tools.compute.evidence import Evidence, excerpt, note_evidence
from tools.compute.health import compute_health, fmt_score
from tools.compute.opportunities import OpportunityItem, WhiteSpace, opportunity_map, white_space
from tools.compute.quadrants import QUADRANT_LABELS
from tools.context import ToolContext
from tools.registry import PlannerHints, tool
from tools.results import ToolResult
from tools.stakeholders import key_reasons
from tools.transactions import writing

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


class PlanResult(ToolResult):
    """``draft_plan``: the plan as markdown and as sections, and the stored version it became."""

    account_id: str
    account_name: str
    as_of: dt.date
    version: int
    plan_id: int
    plan_currency_before: float | None
    plan_currency_after: float | None
    markdown: str
    sections: PlanSections

    def lead(self) -> str:
        return f"I drafted a new account plan for {self.account_name} and saved it as a dated version."

    def as_markdown(self) -> str:
        return self.markdown


    def as_slack_blocks(self) -> list[dict[str, Any]]:
        return long_form_blocks(self, "draft plan")

# ------------------------------------------------------------------------------------------- sections


def _situation(ctx: ToolContext, review: AccountReview) -> dict[str, Any]:
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


def _relationship(review: AccountReview, days: int) -> dict[str, Any]:
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


def _network(review: AccountReview, rules: Any) -> list[StakeholderNode]:
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


def _commitments(review: AccountReview) -> tuple[list[CommitmentLine], int]:
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


def _plays(review: AccountReview, opps: list[OpportunityItem], grid: WhiteSpace, rel: dict[str, Any]) -> Plays:
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


def _evidence_topics(opps: list[OpportunityItem]) -> list[str]:
    topics = ["priorities goals objectives", "budget pricing cost", "competitor competition alternative",
              "risk concern issue problem"]
    for item in opps[:2]:
        if item.product:
            topics.append(item.product)
    return topics


# ------------------------------------------------------------------------------------------- markdown


def _render(account: Account, review: AccountReview, sections: PlanSections, version: int) -> str:
    s = sections.situation
    score = review.score
    lines = [f"# Account plan: {account.name} ({account.id})",
             f"Version {version}, {review.as_of.isoformat()}; owner {s['owner_name']}.", "",
             "## 1. Situation summary"]
    sow = f"{s['share_of_wallet']:.0%}" if s["share_of_wallet"] is not None else "unknown"
    margin = f"{s['gross_margin_pct']:g}%" if s["gross_margin_pct"] is not None else "unknown"
    lines.append(f"- {s['industry'] or 'Industry unknown'}; revenue {money(s['annual_revenue'])}, gross margin "
                 f"{margin}, wallet {money(s['wallet_estimate'])} (share {sow}); growth target "
                 f"{money(s['growth_target'])}.")
    cov = review.coverage
    lines.append(f"- Attractiveness {fmt_score(score.attractiveness)}, strength {fmt_score(score.strength)}: "
                 f"**{QUADRANT_LABELS[score.quadrant]}**. Coverage: QBR every {cov.qbr_every_days} days, key "
                 f"people within {cov.key_touch_days} days, exec sponsor {cov.exec_sponsor}, plan "
                 f"{cov.account_plan}.")
    econ = review.economics
    if econ.contribution is not None:
        lines.append(f"- Contribution {money(econ.contribution)} ({(econ.contribution_share or 0):.0%} of revenue)"
                     + ("; **margin leakage**" if econ.margin_leakage else "") + ".")
    lines += ["", f"Health {fmt_score(review.health.overall)} of 5:", "", review.health.as_markdown_table()]
    if s["recent_notes"]:
        lines += ["", "Recent notes:"]
        lines += [f"- {n['date']} {n['kind']} ({n['author_name'] or 'unknown'}, {n['interaction_id']}): "
                  f"{n['excerpt']}" for n in s["recent_notes"]]

    r = sections.relationship
    lines += ["", "## 2. Relationship status"]
    if r["mapped"]:
        lines.append(f"- {r['engaged']} of {r['mapped']} mapped stakeholders engaged in {r['window_days']} days "
                     f"({r['coverage_pct']:g}%): {', '.join(r['engaged_names']) or 'nobody'}.")
    else:
        lines.append("- No stakeholders mapped yet.")
    if r["unreached"]:
        lines.append(f"- Never met: {', '.join(r['unreached'])}.")
    execs = ", ".join(r["executives_engaged"]) or "none"
    lines.append(f"- Executive access: {r['executives_mapped']} mapped, engaged in {r['window_days']} days: "
                 f"{execs} (last executive touch {r['last_executive_touch'] or 'never'}; sponsor {r['exec_sponsor']}).")
    if r["account_flags"]:
        lines.append(f"- Coverage flags: {', '.join(f.replace('_', ' ') for f in r['account_flags'])}.")

    lines += ["", "## 3. Opportunity map"]
    if sections.opportunity_map:
        lines += ["| opportunity | product | business unit | amount | stage | size | readiness | risk | priority |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        for o in sections.opportunity_map:
            lines.append(f"| {o.name} ({o.id}) | {o.product or '-'} | {o.business_unit or '-'} | {money(o.amount)} "
                         f"| {o.stage} | {o.size} | {o.readiness} | {o.competitive_risk} | {o.priority:.2f} |")
    else:
        lines.append("No open opportunities.")
    lines += ["", "### White space (business units x products)", sections.white_space.as_markdown()]

    lines += ["", "## 4. Stakeholder network"]
    if not sections.stakeholder_network:
        lines.append("No stakeholders mapped yet.")
    for n in sections.stakeholder_network:
        bits = [n.title or "no title", f"authority {n.authority}", f"influence {n.influence or '?'}"]
        if n.executive:
            bits.append("executive")
        if n.tag:
            bits.append(n.tag)
        touch = n.last_touch.isoformat() if n.last_touch else "never met"
        sentiment = f"{n.latest_sentiment:+d}" if n.latest_sentiment is not None else "n/a"
        flags = f"; **{', '.join(n.flags)}**" if n.flags else ""
        key = " (key)" if n.key else ""
        lines.append(f"{'  ' * n.depth}- {n.name}{key}: {', '.join(bits)}; last touch {touch}, sentiment "
                     f"{sentiment}{flags}")

    lines += ["", f"## 5. Commitments, next {HORIZON_DAYS} days"]
    if not sections.commitments:
        lines.append("No open commitments due in the next 90 days.")
    for c in sections.commitments:
        owner = c.owner_name or c.owner_id or ("the customer" if c.side == "customer" else "unassigned")
        lines.append(f"- {c.due.isoformat() if c.due else '-'} ({c.when}): {c.description} — {c.side}, {owner} "
                     f"({c.id})")
    if sections.commitments_later:
        lines.append(f"- {sections.commitments_later} more open commitment(s) due later or without a date.")

    p = sections.plays
    lines += ["", f"## 6. Plays for {QUADRANT_LABELS[p.coverage_quadrant]}"]
    lines += [f"- {x}" for x in p.plays]
    lines += [f"- {x}" for x in p.from_findings]
    lines.append(f"_Guidance: {', '.join(p.guidance)}._")

    lines += ["", "## 7. Risk register"]
    if not sections.risks:
        lines.append("No risks found in the data.")
    lines += [f"- **{x.severity}** {x.kind.replace('_', ' ')}: {x.detail}" for x in sections.risks]

    lines += ["", "## Evidence from notes"]
    if not sections.evidence:
        lines.append("No notes match the plan's topics.")
    for ev in sections.evidence:
        lines += [f"> {ev.excerpt}", f"— {ev.citation} [{ev.topic}]", ""]
    return "\n".join(lines).rstrip() + "\n"


# ----------------------------------------------------------------------------------------------- tool


_PLANNER_DRAFT_PLAN = PlannerHints(
    rules=(
        (r"\b(account plans?|acct plan|draft (a |an |the )?(new )?plan|plan for|write (up )?(a "
         r"|an |the )?plan|strategic plan|white ?space|update the plan|new plan|plan (out|up)"
         r"|(refresh|redo|rewrite|update) (the |our |my )?(\w+ )?plan)\b", 3.0),
    ),
    exemplars=(
        "draft an account plan", "write the plan for this account", "I need an account plan",
        "create a strategic plan", "update the account plan", "white space for the account",
        "plan the next 90 days for the account", "build out the plan for the customer", "a new version of the plan",
        "where can we expand in this account", "opportunity map for the account", "write up our plan for them",
    ),
    slots=("account",), ask_account="draft a plan for",
)


@tool("draft_plan", title="Draft an account plan", writes=True, planner=_PLANNER_DRAFT_PLAN)
def draft_plan(ctx: ToolContext, *, account: str) -> PlanResult:
    """Draft the account plan (situation, relationships, opportunities and white space, stakeholder network,
    commitments, plays, risks, note evidence) and store it as a new dated version.
    """
    acc = resolve_account(ctx, account)
    review = load_review(ctx, acc)
    opps = opportunity_map(review.opportunities, review.target(ctx.rules.health.default_growth_target_share),
                           review.mentions, review.as_of, review.products)
    grid = white_space(review.opportunities, review.products, review.as_of)
    relationship = _relationship(review, ctx.rules.scoring.engaged_window_days)
    commitments, later = _commitments(review)
    sections = PlanSections(
        situation=_situation(ctx, review),
        relationship=relationship,
        opportunity_map=opps,
        white_space=grid,
        stakeholder_network=_network(review, ctx.rules),
        commitments=commitments,
        commitments_later=later,
        plays=_plays(review, opps, grid, relationship),
        risks=risk_register(review),
        evidence=note_evidence(ctx, acc.id, _evidence_topics(opps), EVIDENCE_NOTES),
    )
    before = review.health.dimensions["plan_currency"].score
    plan_id, version, markdown = _store(ctx, acc, review, sections)
    after = compute_health(ctx, [acc.id], scores={acc.id: review.score},
                           engagement={acc.id: review.engagement})[acc.id].dimensions["plan_currency"].score
    return PlanResult(account_id=acc.id, account_name=acc.name, as_of=review.as_of, version=version, plan_id=plan_id,
                      plan_currency_before=before, plan_currency_after=after, markdown=markdown, sections=sections)


def _store(ctx: ToolContext, acc: Account, review: AccountReview, sections: PlanSections) -> tuple[int, int, str]:
    """Write the plan as the account's next version, dated ``as_of``, with its audit record."""
    with writing(ctx) as s:
        count = s.exec(select(func.count()).select_from(AccountPlan).where(AccountPlan.account_id == acc.id)).one()
        version = int(count) + 1
        markdown = _render(acc, review, sections, version)
        plan = AccountPlan(account_id=acc.id, date=review.as_of, author_id=ctx.user.id, markdown=markdown,
                           sections={"version": version, **sections.model_dump(mode="json")})
        s.add(plan)
        s.flush()
        assert plan.id is not None
        record(s, actor=ctx.user.id, action="create", entity="account_plan", entity_id=str(plan.id),
               detail={"account_id": acc.id, "date": review.as_of.isoformat(), "version": version})
        return plan.id, version, markdown
