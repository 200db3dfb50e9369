"""``draft_plan``: the account plan (docs/tools.md), drafted from the store and kept as a dated version.

Sections: situation summary; relationship status; opportunity map and white-space matrix; stakeholder
network; commitments for the next 90 days; plays for the quadrant; risk register; evidence from notes.
Every figure comes from the tools beneath (scoring, health, flags, opportunities); the plays are fixed
per quadrant (cited by guidance section id) plus lines that follow from the findings. The plan is stored
as a new ``AccountPlan`` version dated ``as_of`` with an audit record, so plan currency counts it at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import func
from sqlmodel import select

from store.audit import record
from store.models import Account, AccountPlan
from tools.accounts import resolve_account
from tools.blockkit import long_form_blocks
from tools.compute.account_review import AccountReview, load_review, risk_register
from tools.compute.economics import money
from tools.compute.evidence import note_evidence
from tools.compute.flag_summary import FLAG_WORDS
from tools.compute.health import compute_health, fmt_score
from tools.compute.opportunities import opportunity_map, white_space
from tools.compute.plan_sections import (
    EVIDENCE_NOTES,
    HORIZON_DAYS,
    PlanSections,
    commitments_ahead,
    evidence_topics,
    plays_for,
    relationship_status,
    situation_summary,
    stakeholder_network,
)
from tools.compute.quadrants import QUADRANT_LABELS
from tools.context import ToolContext
from tools.escape import escaped, md_inline
from tools.registry import PlannerHints, tool
from tools.results import ToolResult
from tools.transactions import writing
from tools.wording import plural


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
    markdown_fields: ClassVar[frozenset[str]] = frozenset({"markdown"})
    sections: PlanSections

    def lead(self) -> str:
        return f"I drafted a new account plan for {self.account_name} and saved it as a dated version."

    def as_markdown(self) -> str:
        return self.markdown


    def as_slack_blocks(self) -> list[dict[str, Any]]:
        return long_form_blocks(self, "draft plan")

# ------------------------------------------------------------------------------------------- markdown


def _render(account: Account, review: AccountReview, sections: PlanSections, version: int) -> str:
    sections = escaped(sections)  # data as text in its line and cell (tools.escape)
    s = sections.situation
    score = review.score
    lines = [f"# Account plan: {md_inline(account.name)} ({md_inline(account.id)})",
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
    lines += ["", f"Health {fmt_score(review.health.overall)} of 5:", "", escaped(review.health).as_markdown_table()]
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
        flags = f"; **{', '.join(FLAG_WORDS.get(f, f.replace('_', ' ')) for f in n.flags)}**" if n.flags else ""
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
        lines.append(f"- {plural(sections.commitments_later, 'more open commitment')} due later or without a date.")

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
        lines += [f"> {ev.excerpt}", f"— {ev.citation}", ""]
    return "\n".join(lines).rstrip() + "\n"


# ----------------------------------------------------------------------------------------------- tool


_PLANNER_DRAFT_PLAN = PlannerHints(
    rules=(
        (r"\b(account plans?|acct plan|draft (a |an |the )?(new )?plan|plan for|write (up )?(a "
         r"|an |the )?plan|strategic plan|white ?space|update the plan|new plan|plan (out|up)"
         r"|(refresh|redo|rewrite|update) (the |our |my )?(\w+ )?plan)\b", 3.0),
    ),
    paraphrases=(
        "put together a strategy for the account", "map out how we grow them", "write up next steps for the account",
        "a roadmap for this customer", "how do we expand with them, write it down", "sketch a plan",
        "game plan for the account", "outline our approach for the year", "what's our plan of attack there",
        "strategy doc for the customer", "set objectives for the account",
    ),
    exemplars=(
        "draft an account plan", "write the plan for this account", "I need an account plan",
        "create a strategic plan", "update the account plan", "white space for the account",
        "plan the next 90 days for the account", "build out the plan for the customer", "a new version of the plan",
        "where can we expand in this account", "opportunity map for the account", "write up our plan for them",
    ),
    slots=("account",), ask_account="draft a plan for",
)


@tool("draft_plan", title="Draft an account plan", writes=True, planner=_PLANNER_DRAFT_PLAN, as_of="today",
      model_note="Each call stores a new dated version of the plan.")
def draft_plan(ctx: ToolContext, *, account: str) -> PlanResult:
    """Draft the account plan (situation, relationships, opportunities and white space, stakeholder network,
    commitments, plays, risks, note evidence) and store it as a new dated version.
    """
    acc = resolve_account(ctx, account)
    review = load_review(ctx, acc)
    opps = opportunity_map(review.opportunities, review.target(ctx.rules.health.default_growth_target_share),
                           review.mentions, review.as_of, review.products)
    grid = white_space(review.opportunities, review.products, review.as_of)
    relationship = relationship_status(review, ctx.rules.scoring.engaged_window_days)
    commitments, later = commitments_ahead(review)
    sections = PlanSections(
        situation=situation_summary(ctx, review),
        relationship=relationship,
        opportunity_map=opps,
        white_space=grid,
        stakeholder_network=stakeholder_network(review, ctx.rules),
        commitments=commitments,
        commitments_later=later,
        plays=plays_for(review, opps, grid, relationship),
        risks=risk_register(review),
        evidence=note_evidence(ctx, acc.id, evidence_topics(opps), EVIDENCE_NOTES),
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
