"""``prep_qbr``: the QBR brief (docs/tools.md) for one account, with cited call-note evidence.

The reference point ("the last QBR") is the latest interaction of kind ``qbr`` before ``as_of``; without
one, the latest score record before ``as_of``; without either, ``as_of`` minus the quadrant's QBR cadence.
The quadrant then is the score record on or before that day when there is one, else it is recomputed
as of that day. Health is shown at the reference day, 90 days ago and now. "Since the last QBR" means
after the reference day up to and including ``as_of``. No stage history is kept, so "advanced" lists
the opportunities open now in a late stage (proposal, negotiation). A stakeholder is "new" when their
first interaction falls after the reference day. Agenda and questions follow from the findings by
fixed rules; the evidence quotes notes (the index when configured, else the notes' text) by date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from pydantic import Field

from tools.accounts import resolve_account
from tools.blockkit import long_form_blocks
from tools.compute.account_review import AccountReview, load_review, risk_register
from tools.compute.engagement import AccountEngagement
from tools.compute.evidence import note_evidence
from tools.compute.health import DIMENSION_LABELS, DIMENSIONS, AccountHealth, compute_health, fmt_score
from tools.compute.health_facts import FactHistory
from tools.compute.history import AccountHistory
from tools.compute.opportunities import opportunity_map
from tools.compute.qbr_findings import (
    QbrSections,
    agenda_items,
    evidence_topics,
    health_trend,
    quadrant_change,
    questions_for,
    reference_point,
    since_last_qbr,
    stakeholder_changes,
)
from tools.compute.quadrants import QUADRANT_LABELS
from tools.compute.scoring import ScoringBasis, compute_scores
from tools.context import ToolContext
from tools.escape import escaped, md_inline
from tools.notes.search import search_degraded
from tools.registry import PlannerHints, tool
from tools.results import ToolResult
from tools.wording import plural

TREND_DAYS = 90
EVIDENCE_NOTES = 6


class QbrResult(ToolResult):
    """``prep_qbr``: the brief as markdown and as sections."""

    account_id: str
    account_name: str
    as_of: dt.date
    last_qbr: dt.date | None
    qbr_due: dt.date | None = Field(description="the last QBR plus the quadrant's cadence")
    next_qbr_due: dt.date = Field(description="as_of plus the cadence: when the QBR after this one is due")
    markdown: str
    sections: QbrSections
    markdown_fields: ClassVar[frozenset[str]] = frozenset({"markdown"})

    def lead(self) -> str:
        return f"Your QBR brief for {self.account_name}."

    def as_markdown(self) -> str:
        return self.markdown


    def as_slack_blocks(self) -> list[dict[str, Any]]:
        return long_form_blocks(self, "prep qbr")

# ------------------------------------------------------------------------------------------- markdown


def _render(review: AccountReview, s: QbrSections, qbr_due: dt.date | None) -> str:
    a = review.account
    s = escaped(s)  # data as text in its line and cell (tools.escape)
    q = s.quadrant
    ref_text = {"qbr": f"last QBR {q.reference_date.isoformat()} ({q.reference_id})",
                "score_record": f"no QBR on record; last scoring {q.reference_date.isoformat()}",
                "cadence": f"no QBR or scoring on record; compared with {q.reference_date.isoformat()} "
                           f"({review.coverage.qbr_every_days}-day cadence)"}[q.reference]
    due = ""
    if qbr_due is not None:
        late = (review.as_of - qbr_due).days
        if late > 0:
            due = f"; this QBR was due {qbr_due.isoformat()} ({plural(late, 'day')} late)"
        elif late == 0:
            due = f"; this QBR is due today ({qbr_due.isoformat()})"
        else:
            due = f"; this QBR is due {qbr_due.isoformat()}, in {plural(-late, 'day')}"
    lines = [f"# QBR brief: {md_inline(a.name)} ({md_inline(a.id)}), {review.as_of.isoformat()}",
             f"_{ref_text}{due}._", "", "## Quadrant"]
    change = {"up": "moved up", "down": "moved down", "same": "unchanged", "n/a": "changed"}[q.change]
    lines.append(f"**{QUADRANT_LABELS[q.now]}** (attractiveness {fmt_score(review.score.attractiveness)}, strength "
                 f"{fmt_score(review.score.strength)}); {change} since the last QBR "
                 f"({QUADRANT_LABELS[q.before]}, {q.before_source.replace('_', ' ')}).")
    lines += ["", "## Health scorecard", "| dimension | " + " | ".join(
        f"{p.label} ({p.date.isoformat()})" for p in s.health.points) + " | evidence now |",
        "| --- |" + " --- |" * (len(s.health.points) + 1)]
    for name in DIMENSIONS:
        cells = " | ".join(fmt_score(p.dimensions.get(name)) for p in s.health.points)
        lines.append(f"| {DIMENSION_LABELS[name]} | {cells} | {s.health.details_now.get(name, '')} |")
    overall = " | ".join(f"**{fmt_score(p.overall)}**" for p in s.health.points)
    lines.append(f"| **Overall** | {overall} | trend {s.health.trend} |")

    since = s.since_last_qbr
    lines += ["", f"## Since {since.since.isoformat()}"]
    kinds = ", ".join(f"{n} {k}" for k, n in since.interactions_by_kind.items()) or "none"
    lines.append(f"- Interactions: {since.interactions_total} ({kinds}).")
    for label, key in (("Opened", "opened"), ("In a late stage", "advanced"), ("Won", "won"), ("Lost", "lost")):
        items = since.opportunities[key]
        text = "; ".join(f"{o.name} ({o.id}, {o.stage}{', ' + o.date.isoformat() if o.date else ''})"
                         for o in items) or "none"
        lines.append(f"- {label}: {text}.")
    done = "; ".join(f"{c['description']} ({c['id']}, {c['done']})" for c in since.commitments_done) or "none"
    lines.append(f"- Commitments done: {done}.")
    late = "; ".join(f"{c['description']} ({c['id']}, due {c['due']}, {c['side']})"
                     for c in since.commitments_overdue) or "none"
    lines.append(f"- Commitments overdue: {late}.")

    ch = s.stakeholder_changes
    lines += ["", "## Stakeholder changes"]
    lines.append("- New: " + ("; ".join(f"{n['name']} (first met {n['first_interaction']})" for n in ch.new)
                              or "none") + ".")
    lines.append("- Dark: " + ("; ".join(f"{d['name']}{' (key)' if d['key'] else ''}, last touch {d['last_touch']}"
                                         for d in ch.dark) or "none") + ".")
    if ch.unreached_key:
        lines.append("- Key people never met: " + ", ".join(u["name"] for u in ch.unreached_key) + ".")
    lines.append("- Sentiment shifts: " + ("; ".join(
        f"{x['name']} {x['before']:+d} -> {x['now']:+d} ({x['now_date']})" for x in ch.sentiment_shifts) or "none")
        + ".")

    lines += ["", "## Risks"]
    lines += [f"- **{r.severity}** {r.kind.replace('_', ' ')}: {r.detail}" for r in s.risks] or ["- None found."]
    lines += ["", "## Suggested agenda"]
    for n, item in enumerate(s.agenda, start=1):
        lines.append(f"{n}. **{item.title}** ({item.minutes} min)")
        lines += [f"   - {p}" for p in item.points]
    lines += ["", "## Questions to ask"]
    lines += [f"- {q_}" for q_ in s.questions]
    lines += ["", "## Evidence from call notes"]
    if not s.evidence:
        lines.append("No notes match the brief's topics.")
    for ev in s.evidence:
        lines += [f"> {ev.excerpt}", f"— {ev.citation}", ""]
    return "\n".join(lines).rstrip() + "\n"


# ----------------------------------------------------------------------------------------------- tool


_PLANNER_PREP_QBR = PlannerHints(
    rules=(
        (r"\b(qbrs?|q\.b\.r|quarterly (business )?reviews?|business reviews?|review prep"
         r"|exec(utive)? (review|brief)|brief(ing)? (me|for)|(prep|prepare) (me )?for (the|my"
         r"|our) (review|meeting with)|ebr|annual review)\b", 3.0),
        (r"\b(prep|prepare|get me ready|brief|briefing|talking points|agenda)\b", 0.8),
    ),
    paraphrases=(
        "getting ready for their quarterly, what should be on the agenda", "help me get ready for the exec meeting",
        "what should I bring to the business review", "briefing for the quarterly with them",
        "I present to their leadership soon, what matters", "talking points for the review",
        "prepare me for the quarterly check-in", "what do I need for the quarterly",
        "prep notes for the review meeting", "get my review materials together",
    ),
    exemplars=(
        "prep my QBR", "prepare the quarterly business review", "get me ready for the review", "QBR brief",
        "build the QBR deck notes", "what should I cover in the QBR", "prep for the exec review",
        "agenda for the business review with the customer", "I'm seeing their leadership next week, brief me",
        "talking points for the quarterly meeting", "review pack for the account",
    ),
    slots=("account",), ask_account="prep the QBR for",
)


@tool("prep_qbr", title="Prepare a QBR brief", planner=_PLANNER_PREP_QBR)
def prep_qbr(ctx: ToolContext, *, account: str) -> QbrResult:
    """Prepare a QBR brief: quadrant and its change, health scorecard with trend, progress since the last QBR,
    stakeholder changes, risks, a suggested agenda and questions, and cited call-note evidence.
    """
    acc = resolve_account(ctx, account)
    history = AccountHistory.load(ctx.session, acc.id, ctx.as_of)
    # Health on three days from one read of the account's rows: its touches, facts and fixed criteria.
    facts = FactHistory.load(ctx.session, [acc.id])
    basis = ScoringBasis.load(ctx.session, [acc.id], ctx.rules)
    review = load_review(ctx, acc, history=history, facts=facts, basis=basis)
    day = review.as_of
    ref, kind, ref_id, last_qbr = reference_point(ctx, review)

    def health_on(when: dt.date, engagement: dict[str, AccountEngagement]) -> AccountHealth:
        scores = compute_scores(ctx, [acc.id], as_of=when, engagement=engagement, basis=basis)
        return compute_health(ctx, [acc.id], as_of=when, scores=scores, engagement=engagement,
                              facts=facts.on(when))[acc.id]

    eng_ref = {acc.id: history.engagement_on(ref, ctx.rules)}
    health_ref = health_on(ref, eng_ref)
    points = [("last QBR" if kind == "qbr" else "reference", health_ref)]
    ago = day - dt.timedelta(days=TREND_DAYS)
    if ago != ref:
        points.append((f"{TREND_DAYS} days ago", health_on(ago, {acc.id: history.engagement_on(ago, ctx.rules)})))
        points.sort(key=lambda p: p[1].as_of)
    points.append(("now", review.health))
    quadrant = quadrant_change(ctx, review, ref, kind, ref_id, health_ref.quadrant)
    since = since_last_qbr(ctx, review, ref)
    changes = stakeholder_changes(review, history, ref, eng_ref.get(acc.id))
    risks = risk_register(review)
    opps = opportunity_map(review.opportunities, review.target(ctx.rules.health.default_growth_target_share),
                           review.mentions, day, review.products)
    cadence = dt.timedelta(days=review.coverage.qbr_every_days)
    qbr_due = last_qbr + cadence if last_qbr is not None else None
    next_qbr = day + cadence
    topics = evidence_topics(changes, opps)
    evidence = note_evidence(ctx, acc.id, topics, EVIDENCE_NOTES, since=ref + dt.timedelta(days=1))
    if len(evidence) < EVIDENCE_NOTES:
        seen = {e.interaction_id for e in evidence}
        older = [e for e in note_evidence(ctx, acc.id, topics, EVIDENCE_NOTES) if e.interaction_id not in seen]
        evidence += older[: EVIDENCE_NOTES - len(evidence)]
    trend = health_trend(points, health_ref, review.health)
    sections = QbrSections(
        quadrant=quadrant,
        health=trend,
        since_last_qbr=since,
        stakeholder_changes=changes,
        risks=risks,
        opportunity_map=opps,
        agenda=agenda_items(review, since, trend, risks, opps, changes, next_qbr),
        questions=questions_for(review, since, changes, opps),
        evidence=evidence,
    )
    markdown = _render(review, sections, qbr_due)
    if degraded := search_degraded(ctx):
        markdown += f"\n_{degraded}_\n"
    return QbrResult(account_id=acc.id, account_name=acc.name, as_of=day, last_qbr=last_qbr, qbr_due=qbr_due,
                     next_qbr_due=next_qbr, markdown=markdown, sections=sections)

