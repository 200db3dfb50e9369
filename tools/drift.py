"""Drifting accounts (docs/rules.md): health now against health ``window_days`` ago, with the reasons why.

An account drifts when, between ``as_of - window`` ("before") and ``as_of`` ("now"):
- ``overall_drop``: overall health fell by ``rules.drift.overall_drop`` (0.5) or more;
- ``dimension_drop``: one dimension that applies on both days fell by ``rules.drift.dimension_drop`` (2) or more;
- ``key_stakeholder_dark``: a key stakeholder is dark now and was not dark before (never met counts as
  not dark); dark means the last interaction is older than the quadrant's key-stakeholder window (docs/rules.md,
  the same windows as ``flag_dark_stakeholders``), each day judged with that day's quadrant;
- ``quadrant_down``: the quadrant moved down in the order Strategic Growth > Develop > Defend >
  Maintain/Exit. Unscored stands outside the order: becoming or leaving unscored is not a move down.

Both days are computed from the store as it is, using only rows dated on or before each day (judgment
criteria are the stored ones). Worst first: the biggest fall in overall health, then the most reasons.
A handful of set-based queries for the whole scope, never one per account.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlmodel import col, select

from store.models import User
from store.scopes import ScopeError, scoped_account_ids, visible_owner_ids
from tools.blockkit import context, header, section
from tools.compute.engagement import AccountEngagement, StakeholderActivity, within
from tools.compute.health import DIMENSION_LABELS, DIMENSIONS, AccountHealth, compute_health, fmt_score, round2
from tools.compute.history import load_engagement_days
from tools.compute.quadrants import QUADRANT_LABELS, QUADRANT_RANK
from tools.compute.score_rules import AccountScore
from tools.compute.scoring import ScoringBasis, compute_scores
from tools.compute.stakeholder_flags import key_reasons, touch_windows
from tools.context import ToolContext
from tools.errors import ToolError
from tools.escape import slack_text
from tools.owners import owner_account_ids
from tools.registry import PlannerHints, tool
from tools.results import ToolResult
from tools.rules import Rules
from tools.wording import plural

ReasonKind = Literal["overall_drop", "dimension_drop", "key_stakeholder_dark", "quadrant_down"]
MAX_WINDOW_DAYS = 365
MAX_LINES = 40  # a long list shows what fits one screen, worst first, then "and N more"


class DriftReason(BaseModel):
    kind: ReasonKind
    detail: str
    evidence: dict[str, Any] = Field(default_factory=dict)


class DriftingAccount(BaseModel):
    id: str
    name: str
    owner_id: str
    owner_name: str | None = None
    quadrant_now: str
    quadrant_before: str
    health_now: float | None
    health_before: float | None
    health_drop: float
    dimensions_now: dict[str, float | None]
    dimensions_before: dict[str, float | None]
    reasons: list[DriftReason]

    def markdown_block(self) -> list[str]:
        return [f"\n### {self.name} ({self.id}), owner {self.owner_name or self.owner_id}",
                self.change_line(QUADRANT_LABELS, arrow="->") + ".", *(f"- {r.detail}" for r in self.reasons)]

    def change_line(self, labels: dict[str, str], *, arrow: str) -> str:
        """What changed, and only that: "Health 4.40 -> 3.13; quadrant Strategic Growth -> Develop", or
        "Health 4.40 -> 3.13 (quadrant still Strategic Growth)"."""
        before, now = fmt_score(self.health_before), fmt_score(self.health_now)
        health = f"Health {before} {arrow} {now}" if before != now else f"Health still {now}"
        q_before, q_now = labels[self.quadrant_before], labels[self.quadrant_now]
        if q_before != q_now:
            return f"{health}; quadrant {q_before} {arrow} {q_now}"
        return f"{health} (quadrant still {q_now})"


class DriftResult(ToolResult):
    """``find_drifting_accounts``: the accounts that drifted, worst first, each with its reasons and evidence."""

    scope: str
    as_of: dt.date
    before: dt.date
    window_days: int
    accounts_checked: int
    thresholds: dict[str, float]
    accounts: list[DriftingAccount]
    shown: int | None = None  # how many the text lists (what fits one screen); None: all of them
    more: int = 0  # how many it leaves out
    owner_id: str | None = None  # the one rep's book checked, when asked for by ``owner``
    owner_name: str | None = None

    def lead(self) -> str:
        return "These accounts are drifting, worst first." if self.accounts else "No accounts are drifting."

    def as_markdown(self) -> str:
        lines = [
            f"## Drifting accounts ({self.owner_name or self.scope}): {self.before.isoformat()} -> "
            f"{self.as_of.isoformat()} "
            f"({self.window_days} days)",
            f"{len(self.accounts)} of {plural(self.accounts_checked, 'account')} drifting; worst first.",
        ]
        for a in self.accounts[: self.shown if self.shown is not None else len(self.accounts)]:
            lines += a.markdown_block()
        if self.shown is not None and self.shown < len(self.accounts):  # one screen, then how to see the rest
            lines.append(f"\n... and {plural(self.more, 'more drifting account')}: the web page (/ui/drift) and "
                         "--json list them all; ask about one account for its detail.")
        return "\n".join(lines)


    def as_slack_blocks(self) -> list[dict[str, Any]]:
        blocks = [header(f"Drifting accounts ({self.scope}): {len(self.accounts)} of {self.accounts_checked}")]
        for a in self.accounts[:12]:
            reasons = "\n".join(f"• {slack_text(x.detail)}" for x in a.reasons[:5])
            blocks.append(section(
                f"*{slack_text(a.name)}* ({slack_text(a.id)}), owner {slack_text(a.owner_name or a.owner_id)}\n"
                f"{slack_text(a.change_line(QUADRANT_LABELS, arrow='→'))}\n{reasons}"
            ))
        if len(self.accounts) > 12:
            blocks.append(context(f"… and {plural(len(self.accounts) - 12, 'more drifting account')}."))
        if not self.accounts:
            blocks.append(section("No accounts are drifting."))
        blocks.append(context(f"{self.before.isoformat()} → {self.as_of.isoformat()} ({self.window_days} days), "
                              "worst first"))
        return blocks

def _owners_and_ids(ctx: ToolContext, scope: str) -> list[str] | None:
    """The account ids in scope; ``None`` when the scope is the whole store (an admin's ``all``)."""
    try:
        if visible_owner_ids(ctx.session, ctx.user, scope) is None:
            return None
        return scoped_account_ids(ctx.session, ctx.user, scope)
    except ScopeError as exc:
        raise ToolError(str(exc), suggestions=["mine", "team", "all"]) from exc


def _state(
    ctx: ToolContext, ids: Sequence[str] | None, day: dt.date, engagement: dict[str, AccountEngagement],
    basis: ScoringBasis,
) -> tuple[dict[str, AccountEngagement], dict[str, AccountScore], dict[str, AccountHealth]]:
    scores = compute_scores(ctx, ids, as_of=day, engagement=engagement, basis=basis)
    health = compute_health(ctx, ids, as_of=day, scores=scores, engagement=engagement)
    return engagement, scores, health


def _dark(act: StakeholderActivity | None, day: dt.date, key_days: int) -> bool:
    """Dark on ``day``: met before, but not within the key-stakeholder window (never met is not dark)."""
    return act is not None and act.last_touch is not None and not within(act.last_touch, day, key_days)


def _dark_reasons(
    now_eng: AccountEngagement, before_eng: AccountEngagement | None, quadrant_now: str, quadrant_before: str,
    as_of: dt.date, before: dt.date, rules: Rules,
) -> list[DriftReason]:
    win_now = touch_windows(quadrant_now, rules)
    win_before = touch_windows(quadrant_before, rules)
    then = {a.id: a for a in before_eng.stakeholders} if before_eng else {}
    out = []
    for act in now_eng.stakeholders:
        if not _dark(act, as_of, win_now["key_days"]):
            continue
        why_key = key_reasons(act.stakeholder, rules)  # only for the dark: most people are not
        if not why_key:
            continue
        if _dark(then.get(act.id), before, win_before["key_days"]):
            continue
        assert act.last_touch is not None
        dark_since = act.last_touch + dt.timedelta(days=win_now["key_days"])
        name = act.stakeholder.name + (f" ({act.stakeholder.title})" if act.stakeholder.title else "")
        out.append(DriftReason(
            kind="key_stakeholder_dark",
            detail=(f"key stakeholder {name} went dark on {dark_since.isoformat()}: last interaction "
                    f"{act.last_touch.isoformat()}, expected within {win_now['key_days']} days "
                    f"({', '.join(why_key)})"),
            evidence={"stakeholder_id": act.id, "stakeholder_name": act.stakeholder.name,
                      "last_touch": act.last_touch.isoformat(), "days_since": act.days_since_touch(as_of),
                      "window_days": win_now["key_days"], "dark_since": dark_since.isoformat(),
                      "window_days_before": win_before["key_days"], "key": why_key},
        ))
    return out


def drift_reasons(
    now: AccountHealth, before: AccountHealth, now_eng: AccountEngagement, before_eng: AccountEngagement | None,
    rules: Rules,
) -> list[DriftReason]:
    """Why one account drifted between ``before.as_of`` and ``now.as_of`` (empty when it did not)."""
    reasons: list[DriftReason] = []
    d = rules.drift
    if now.overall is not None and before.overall is not None:
        drop = round2(before.overall - now.overall)
        if drop >= d.overall_drop:
            reasons.append(DriftReason(
                kind="overall_drop",
                detail=f"overall health fell {fmt_score(before.overall)} -> {fmt_score(now.overall)} "
                       f"(-{drop:.2f}; flagged at {d.overall_drop:g})",
                evidence={"before": before.overall, "now": now.overall, "drop": drop, "threshold": d.overall_drop},
            ))
    for name in DIMENSIONS:
        b, n = before.dimensions[name], now.dimensions[name]
        if b.score is None or n.score is None:
            continue
        fall = round2(b.score - n.score)
        if fall >= d.dimension_drop:
            reasons.append(DriftReason(
                kind="dimension_drop",
                detail=f"{DIMENSION_LABELS[name]} fell {fmt_score(b.score)} -> {fmt_score(n.score)} "
                       f"(now: {n.detail}; before: {b.detail})",
                evidence={"dimension": name, "before": b.score, "now": n.score, "drop": fall,
                          "threshold": d.dimension_drop, "evidence_now": n.evidence, "evidence_before": b.evidence},
            ))
    reasons.extend(_dark_reasons(now_eng, before_eng, now.quadrant, before.quadrant, now.as_of, before.as_of, rules))
    rank_now, rank_before = QUADRANT_RANK.get(now.quadrant), QUADRANT_RANK.get(before.quadrant)
    if rank_now is not None and rank_before is not None and rank_now > rank_before:
        reasons.append(DriftReason(
            kind="quadrant_down",
            detail=f"quadrant moved down: {QUADRANT_LABELS[before.quadrant]} -> {QUADRANT_LABELS[now.quadrant]}",
            evidence={"before": before.quadrant, "now": now.quadrant,
                      "order": [q for q, _ in sorted(QUADRANT_RANK.items(), key=lambda kv: kv[1])]},
        ))
    return reasons


_PLANNER_FIND_DRIFTING_ACCOUNTS = PlannerHints(
    rules=(
        (r"\b(drift|drifts|drifted|drifting|deteriorat\w*|declin\w*|getting worse|going south"
         r"|health (fell|dropped|drop|dip)|lost health|worsening|going downhill"
         r"|heading the wrong way|health trend)\b", 3.0),
        (r"\b(slipping|sliding|falling|at risk|trouble|red flags)\b", 2.0),
    ),
    paraphrases=(
        "which customers are getting weaker", "anything heading downhill", "where are we losing ground",
        "who's cooling off as a customer", "accounts that went backwards", "what got worse this month",
        "any customers I should worry about", "where did things go sideways", "which relationships are fading",
        "any trouble brewing", "what's deteriorated lately", "which books are in bad shape",
    ),
    exemplars=(
        "which accounts are drifting", "which of my team's accounts are slipping", "accounts at risk",
        "where is health falling", "show declining accounts", "any accounts getting worse",
        "which accounts need attention", "what's going south", "which customers are in trouble",
        "has anything fallen off recently", "where did health drop", "accounts losing ground",
        "which relationships are deteriorating", "any early warning signs in my book",
    ),
    slots=("scope", "window_days", "owner"),
    one_account="account_overview",  # "anything I should worry about at Brookfield?": that account at a glance
)


@tool("find_drifting_accounts", title="Find drifting accounts", planner=_PLANNER_FIND_DRIFTING_ACCOUNTS)
def find_drifting_accounts(ctx: ToolContext, *, scope: str = "team", window_days: int | None = None,
                           owner: str | None = None) -> DriftResult:
    """Accounts whose health fell, whose key people went dark or that dropped a quadrant, worst first.

    Compares health today (``as_of``) with ``window_days`` ago (default 30) for scope mine / team / all, or for
    one rep's book (``owner``: a user id or name the user manages).
    """
    window = ctx.rules.drift.window_days if window_days is None else window_days
    if not 1 <= window <= MAX_WINDOW_DAYS:
        raise ToolError(f"window_days must be between 1 and {MAX_WINDOW_DAYS}; got {window}")
    person = None
    if owner is not None and owner.strip():
        person, ids = owner_account_ids(ctx, owner)
    else:
        ids = _owners_and_ids(ctx, scope)
    as_of = ctx.as_of
    before = as_of - dt.timedelta(days=window)
    both = load_engagement_days(ctx.session, ids, [before, as_of], ctx.rules)
    basis = ScoringBasis.load(ctx.session, ids, ctx.rules)  # the accounts and their fixed criteria, for both days
    eng_now, _scores_now, health_now = _state(ctx, ids, as_of, both[as_of], basis)
    eng_before, _scores_before, health_before = _state(ctx, ids, before, both[before], basis)
    owners = dict(ctx.session.exec(select(User.id, User.name).order_by(col(User.id))).all())
    drifting: list[DriftingAccount] = []
    for aid, now in health_now.items():
        then = health_before.get(aid)
        if then is None:
            continue
        reasons = drift_reasons(now, then, eng_now.get(aid, AccountEngagement(aid)), eng_before.get(aid), ctx.rules)
        if not reasons:
            continue
        drop = round2(then.overall - now.overall) if now.overall is not None and then.overall is not None else 0.0
        drifting.append(DriftingAccount(
            id=aid, name=now.account_name, owner_id=now.owner_id, owner_name=owners.get(now.owner_id),
            quadrant_now=now.quadrant, quadrant_before=then.quadrant, health_now=now.overall,
            health_before=then.overall, health_drop=drop, dimensions_now=now.scores(),
            dimensions_before=then.scores(), reasons=reasons,
        ))
    drifting.sort(key=lambda a: (-a.health_drop, -len(a.reasons), a.name.casefold(), a.id))
    d = ctx.rules.drift
    shown = _fitting(drifting)
    return DriftResult(
        scope=scope, as_of=as_of, before=before, window_days=window, accounts_checked=len(health_now),
        thresholds={"overall_drop": d.overall_drop, "dimension_drop": float(d.dimension_drop)},
        accounts=drifting, shown=shown, more=len(drifting) - shown if shown is not None else 0,
        owner_id=person.id if person else None, owner_name=person.name if person else None,
    )


def _fitting(accounts: list[DriftingAccount]) -> int | None:
    """How many accounts fit one screen (after the two heading lines and a closing line), at least one;
    ``None`` when they all do."""
    used = 5
    for n, a in enumerate(accounts):
        used += len("\n".join(a.markdown_block()).splitlines())
        if n and used > MAX_LINES:
            return n
    return None
