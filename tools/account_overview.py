"""One account at a glance, read-only: what a KAM opens before a customer meeting.

The score with each criterion's evidence, the health scorecard and its monthly trend over a year, the
stakeholder network (reports-to tree) with flags and last touch, the open commitments on both sides, the
latest stored plan and the most recent notes. Everything comes from the same functions the other tools use
(``load_review``, ``compute_health``, the plan's ``stakeholder_network``); nothing is stored, unlike
scoring an account or drafting a plan, which add to their histories.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from pydantic import BaseModel, Field
from sqlmodel import col, select

from store.models import AccountPlan, Interaction, Participant, Stakeholder, User
from tools.accounts import resolve_account
from tools.commitments import classify
from tools.compute.account_review import load_review
from tools.compute.health import DIMENSION_LABELS, DIMENSIONS, compute_health
from tools.compute.health_facts import FactHistory
from tools.compute.history import AccountHistory
from tools.compute.plan_sections import StakeholderNode, stakeholder_network
from tools.compute.score_rules import AccountScore
from tools.compute.stakeholder_flags import AccountFlag, StakeholderFlag
from tools.context import ToolContext
from tools.registry import PlannerHints, tool
from tools.results import ToolResult
from tools.wording import plural

TREND_MONTHS = 12
RECENT_NOTES = 8


class HealthLine(BaseModel):
    name: str
    label: str
    score: float | None
    detail: str


class TrendPoint(BaseModel):
    date: dt.date
    overall: float | None
    quadrant: str
    dimensions: dict[str, float | None]


class OpenCommitment(BaseModel):
    id: str
    side: str
    owner_name: str | None
    description: str
    due: dt.date | None
    status: str  # overdue / due_soon / open as of the day asked
    snoozed_until: dt.date | None


class PlanSummary(BaseModel):
    id: int
    date: dt.date
    version: int | None
    author_name: str | None
    markdown: str


class RecentNote(BaseModel):
    id: str
    date: dt.date
    kind: str
    author_name: str | None
    text: str
    people: list[str]


class AccountOverview(ToolResult):
    """``account_overview``: score, health and trend, network, commitments, latest plan and notes of one account."""

    account_id: str
    account_name: str
    owner_name: str | None
    industry: str | None
    annual_revenue: float | None
    as_of: dt.date
    score: AccountScore
    health_overall: float | None
    health: list[HealthLine]
    trend: list[TrendPoint]
    network: list[StakeholderNode]
    flags: list[StakeholderFlag]
    account_flags: list[AccountFlag]
    commitments: list[OpenCommitment]
    plan: PlanSummary | None
    notes: list[RecentNote] = Field(default_factory=list)

    def as_markdown(self) -> str:
        s = self.score
        axes = " / ".join("-" if v is None else f"{v:.2f}" for v in (s.attractiveness, s.strength))
        health = "-" if self.health_overall is None else f"{self.health_overall:.2f} of 5"
        owner = f"; owner {self.owner_name}" if self.owner_name else ""
        lines = [
            f"## {self.account_name} ({self.account_id}) as of {self.as_of.isoformat()}{owner}",
            f"{s.quadrant_label}: attractiveness / strength {axes}; health {health}.",
            "",
            "### Health",
            *(f"- {h.label}: {'-' if h.score is None else f'{h.score:.2f}'} ({h.detail})" for h in self.health),
        ]
        lines += ["", f"### Stakeholders: {plural(len(self.network), 'stakeholder')} mapped, "
                      f"{plural(len(self.flags) + len(self.account_flags), 'flag')}"]
        lines += [f"- {f.stakeholder_name} ({f.flag.replace('_', ' ')}): {f.reason}" for f in self.flags]
        lines += [f"- {f.flag.replace('_', ' ')}: {f.reason}" for f in self.account_flags]
        overdue = sum(c.status == "overdue" for c in self.commitments)
        lines += ["", f"### Open commitments: {len(self.commitments)} ({overdue} overdue)"]
        lines += [f"- {c.id} ({c.side}, {c.owner_name or 'no owner'}): {c.description}; "
                  f"due {c.due.isoformat() if c.due else 'no date'}, {c.status.replace('_', ' ')}"
                  for c in self.commitments]
        if self.plan is not None:
            version = f" (version {self.plan.version})" if self.plan.version is not None else ""
            author = f", by {self.plan.author_name}" if self.plan.author_name else ""
            lines += ["", f"Latest plan: {self.plan.date.isoformat()}{version}{author}."]
        if self.notes:
            lines += ["", "### Recent notes"]
            lines += [f"- {n.date.isoformat()} {n.kind} ({n.id}): {_first_line(n.text)}" for n in self.notes[:3]]
        return "\n".join(lines)


def _first_line(text: str, limit: int = 140) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "\u2026"


def months_back(day: dt.date, months: int) -> dt.date:
    """``day`` moved back ``months`` calendar months, on the same day of the month or that month's last."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _trend(ctx: ToolContext, account_id: str, history: AccountHistory, facts: FactHistory) -> list[TrendPoint]:
    points = []
    for back in range(TREND_MONTHS, -1, -1):
        day = months_back(ctx.as_of, back)
        engagement = {account_id: history.engagement_on(day, ctx.rules)}
        h = compute_health(ctx, [account_id], as_of=day, engagement=engagement, facts=facts.on(day))[account_id]
        points.append(TrendPoint(date=day, overall=h.overall, quadrant=h.quadrant, dimensions=h.scores()))
    return points


def _names(ctx: ToolContext, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    return dict(ctx.session.exec(select(User.id, User.name).where(col(User.id).in_(sorted(ids)))).all())


def _plan(ctx: ToolContext, account_id: str) -> AccountPlan | None:
    return ctx.session.exec(
        select(AccountPlan).where(AccountPlan.account_id == account_id, AccountPlan.date <= ctx.as_of)
        .order_by(col(AccountPlan.date).desc(), col(AccountPlan.id).desc()).limit(1)
    ).first()


def _notes(ctx: ToolContext, account_id: str) -> tuple[list[Interaction], dict[str, list[str]]]:
    rows = list(ctx.session.exec(
        select(Interaction).where(Interaction.account_id == account_id, Interaction.date <= ctx.as_of)
        .order_by(col(Interaction.date).desc(), col(Interaction.id).desc()).limit(RECENT_NOTES)
    ).all())
    people: dict[str, list[str]] = {}
    if rows:
        pairs = ctx.session.exec(
            select(Participant.interaction_id, Stakeholder.name)
            .join(Stakeholder, col(Stakeholder.id) == Participant.stakeholder_id)
            .where(col(Participant.interaction_id).in_([r.id for r in rows]))
            .order_by(col(Stakeholder.name))
        ).all()
        for iid, name in pairs:
            people.setdefault(iid, []).append(name)
    return rows, people


_PLANNER_ACCOUNT_OVERVIEW = PlannerHints(
    rules=(
        (r"\b(overview|at a glance|one[- ]pager|snapshot|rundown|run[- ]down|lowdown|low[- ]down|everything"
         r" (about|on)|the full picture|big picture|tell me about|fill me in on|catch me up on|where do we stand"
         r"|what do we know about|state of play|what(?:'s|s| is) (?:going on|happening|new|the latest) (?:with|w/?|at)"
         r"|any news (?:on|from|at))\b", 2.4),
        (r"\bhow('s| is| are)( things (with|at))? (the account|the \w+ one|they|it) (doing|looking|going)\b", 1.5),
    ),
    paraphrases=(
        "what's the story with this customer", "give me the whole picture on the account",
        "what should i know before i walk into this account", "bring me up to speed on them",
        "summarise the account for me", "the account in one page", "how are things with this customer overall",
        "walk me through the account", "a quick look at everything on this customer",
    ),
    exemplars=(
        "give me an overview of the account", "the account at a glance", "one-pager on this customer",
        "snapshot of the account", "quick rundown on the account", "tell me about this account",
        "everything we have on the customer", "what do we know about them", "catch me up on the account",
        "where do we stand with this customer",
    ),
    slots=("account",), ask_account="show at a glance", many_accounts="show_matrix",
)


@tool("account_overview", title="Show one account at a glance", planner=_PLANNER_ACCOUNT_OVERVIEW)
def account_overview(ctx: ToolContext, *, account: str) -> AccountOverview:
    """One account at a glance: score and evidence, health with a 12-month trend, stakeholder network, commitments.

    Also the latest stored plan and the most recent notes. Read-only: nothing is added to the score or plan
    history.
    """
    acc = resolve_account(ctx, account)
    history = AccountHistory.load(ctx.session, acc.id, ctx.as_of)
    facts = FactHistory.load(ctx.session, [acc.id])  # health on the trend's days from one read of its rows
    review = load_review(ctx, acc, history=history, facts=facts)
    plan = _plan(ctx, acc.id)
    notes, people = _notes(ctx, acc.id)
    names = {**review.names, **_names(ctx, {acc.owner_id, *(n.author_id for n in notes if n.author_id),
                                            *([plan.author_id] if plan and plan.author_id else [])})}
    due_soon = ctx.rules.commitments.due_soon_days
    commitments = [
        OpenCommitment(id=c.id, side=c.side, owner_name=names.get(c.owner_id or "", c.owner_id),
                       description=c.description, due=c.due,
                       status=classify(c.due, ctx.as_of, due_soon) if not _snoozed(c.snoozed_until, ctx.as_of)
                       else "open", snoozed_until=c.snoozed_until)
        for c in review.commitments
    ]
    health = [HealthLine(name=n, label=DIMENSION_LABELS[n], score=review.health.dimensions[n].score,
                         detail=review.health.dimensions[n].detail) for n in DIMENSIONS]
    plan_summary = None
    if plan is not None and plan.id is not None:
        version: Any = (plan.sections or {}).get("version")
        plan_summary = PlanSummary(id=plan.id, date=plan.date, version=version if isinstance(version, int) else None,
                                   author_name=names.get(plan.author_id or "", plan.author_id),
                                   markdown=plan.markdown)
    return AccountOverview(
        account_id=acc.id, account_name=acc.name, owner_name=names.get(acc.owner_id, acc.owner_id),
        industry=acc.industry, annual_revenue=acc.annual_revenue, as_of=ctx.as_of, score=review.score,
        health_overall=review.health.overall, health=health, trend=_trend(ctx, acc.id, history, facts),
        network=stakeholder_network(review, ctx.rules), flags=review.flags.flags,
        account_flags=review.flags.account_flags, commitments=commitments, plan=plan_summary,
        notes=[RecentNote(id=n.id, date=n.date, kind=n.kind, author_name=names.get(n.author_id or "", n.author_id),
                          text=n.text, people=people.get(n.id, [])) for n in notes],
    )


def _snoozed(until: dt.date | None, as_of: dt.date) -> bool:
    return until is not None and until > as_of
