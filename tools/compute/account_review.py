"""What a plan and a QBR brief both need to know about one account on one day, and its risk register.

``load_review`` gathers it with a fixed number of queries (the account's touches once, its score,
health and flags from them, its opportunities, open commitments and competitor mentions), whatever
the size of the account's history. ``risk_register`` turns it into ranked risks with evidence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlmodel import col, select

from store.models import Account, Commitment, Interaction, Opportunity, Product, User
from tools.compute.economics import Economics, account_economics, money
from tools.compute.engagement import AccountEngagement
from tools.compute.health import AccountHealth, compute_health, coverage_for
from tools.compute.health_facts import FactHistory, open_commitment_condition
from tools.compute.history import AccountHistory
from tools.compute.opportunities import (
    Mention,
    competitor_mentions,
    load_opportunities,
    load_products,
    lost_by,
)
from tools.compute.pushback import Pushback, commercial_pushback
from tools.compute.score_rules import AccountScore
from tools.compute.scoring import ScoringBasis, compute_scores
from tools.compute.stakeholder_flags import AccountFlags, compute_flags
from tools.context import ToolContext
from tools.rules import Coverage
from tools.wording import plural

LOST_LOOKBACK_DAYS = 180
Severity = Literal["high", "medium", "low"]
_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


class Risk(BaseModel):
    kind: str
    severity: Severity
    detail: str
    evidence: dict[str, Any] = Field(default_factory=dict)


@dataclass
class AccountReview:
    account: Account
    as_of: dt.date
    score: AccountScore
    health: AccountHealth
    flags: AccountFlags
    engagement: AccountEngagement
    economics: Economics
    coverage_quadrant: str
    coverage: Coverage
    opportunities: list[Opportunity]
    products: list[Product]
    commitments: list[Commitment]  # open on as_of, both sides, soonest due first
    mentions: list[Mention]
    pushback: list[Pushback] = field(default_factory=list)  # decision makers' objections to price or budget
    names: dict[str, str] = field(default_factory=dict)  # user id -> name

    def name_of(self, user_id: str | None) -> str:
        return self.names.get(user_id or "", user_id or "unassigned")

    @property
    def growth_target(self) -> float | None:
        a = self.account
        if a.growth_target and a.growth_target > 0:
            return float(a.growth_target)
        return None

    def target(self, share: float) -> float | None:
        """The growth target, else ``share`` of annual revenue; ``None`` when neither is known."""
        if self.growth_target:
            return self.growth_target
        revenue = self.account.annual_revenue
        return float(revenue) * share if revenue and revenue > 0 else None


def load_review(
    ctx: ToolContext, account: Account, as_of: dt.date | None = None, *, history: AccountHistory | None = None,
    facts: FactHistory | None = None, basis: ScoringBasis | None = None,
) -> AccountReview:
    """The facts about ``account`` (already resolved within the user's scope) as of ``as_of``.

    ``history`` (the account's touches up to at least ``as_of``) saves reading them again, and ``facts`` (the
    rows behind its health, for callers that need health on other days too) the health facts' queries, and
    ``basis`` (``ScoringBasis`` of this account) the scoring's.
    """
    day = as_of or ctx.as_of
    rules = ctx.rules
    ids = [account.id]
    history = history or AccountHistory.load(ctx.session, account.id, day)
    engagement = {account.id: history.engagement_on(day, rules)}
    score = compute_scores(ctx, ids, as_of=day, engagement=engagement, basis=basis)[account.id]
    scores = {account.id: score}
    health = compute_health(ctx, ids, as_of=day, scores=scores, engagement=engagement,
                            facts=facts.on(day) if facts is not None else None)[account.id]
    flags = compute_flags(ctx, ids, as_of=day, scores=scores, engagement=engagement,
                          touches=history.touches)[account.id]
    revenue_score = score.criteria["revenue"].value if "revenue" in score.criteria else None
    used, coverage = coverage_for(score.quadrant, rules)
    commitments = list(ctx.session.exec(
        select(Commitment)
        .outerjoin(Interaction, col(Interaction.id) == Commitment.source_interaction_id)
        .where(Commitment.account_id == account.id, open_commitment_condition(day))
    ).all())
    commitments.sort(key=lambda c: (c.due is None, c.due or day, c.id))
    names = dict(ctx.session.exec(select(User.id, User.name)).all())
    return AccountReview(
        account=account, as_of=day, score=score, health=health, flags=flags,
        engagement=engagement.get(account.id, AccountEngagement(account.id)),
        economics=account_economics(account, revenue_score, rules), coverage_quadrant=used, coverage=coverage,
        opportunities=load_opportunities(ctx.session, account.id, day), products=load_products(ctx.session),
        commitments=commitments, mentions=competitor_mentions(ctx.session, account.id, day),
        pushback=commercial_pushback(ctx.session, account.id, day, db=ctx.db), names=names,
    )


def risk_register(review: AccountReview) -> list[Risk]:
    """Dark or unreached key people, souring sentiment, a decision maker's pushback on price or budget,
    overdue commitments, single-threading, thin coverage, margin leakage, recently lost deals and competitor
    mentions; the most severe first."""
    day = review.as_of
    risks: list[Risk] = []
    for f in review.flags.flags:
        if f.flag == "dark" and f.key:
            risks.append(Risk(kind="dark_key_stakeholder", severity="high",
                              detail=f"{f.stakeholder_name} has gone dark: {f.reason}", evidence=f.evidence))
        elif f.flag == "unreached" and f.key:
            risks.append(Risk(kind="unreached_key_stakeholder", severity="medium",
                              detail=f"{f.stakeholder_name} (key) has never been met", evidence=f.evidence))
        elif f.flag == "sentiment_drop":
            risks.append(Risk(kind="sentiment_drop", severity="high" if f.key else "medium",
                              detail=f"{f.stakeholder_name}: {f.reason}", evidence=f.evidence))
    for p in review.pushback:
        who = f"{p.name} ({p.role})" if p.role else p.name
        quotes = "; ".join(f'{n.date.isoformat()} ({n.interaction_id}): "{n.quote}"' for n in p.notes[:2])
        more = f" and {len(p.notes) - 2} more" if len(p.notes) > 2 else ""
        risks.append(Risk(kind="commercial_pushback", severity="high" if p.authority == "budget" or p.executive
                          else "medium", detail=f"{who} pushed back on price or budget: {quotes}{more}",
                          evidence={"stakeholder_id": p.stakeholder_id, "notes": [
                              {"interaction_id": n.interaction_id, "date": n.date.isoformat(), "quote": n.quote}
                              for n in p.notes]}))
    for af in review.flags.account_flags:
        risks.append(Risk(kind=af.flag, severity="high" if af.flag == "single_threaded" else "medium",
                          detail=af.reason, evidence=af.evidence))
    overdue = [c for c in review.commitments if c.side == "ours" and c.due is not None and c.due < day]
    if overdue:
        health = review.health.dimensions["commitment_health"]
        severe = (health.score or 5) <= 2
        listed = [{"id": c.id, "due": c.due.isoformat() if c.due else None, "owner_id": c.owner_id,
                   "description": c.description, "days_overdue": (day - c.due).days if c.due else None}
                  for c in overdue[:10]]
        risks.append(Risk(kind="overdue_commitments", severity="high" if severe else "medium",
                          detail=f"{len(overdue)} of our commitments overdue ({health.detail})",
                          evidence={"overdue": listed, "commitment_health": health.score}))
    econ = review.economics
    if econ.margin_leakage:
        risks.append(Risk(kind="margin_leakage", severity="high",
                          detail=f"margin leakage: top revenue score but contribution is "
                                 f"{(econ.contribution_share or 0):.0%} of revenue",
                          evidence=econ.model_dump()))
    start = day - dt.timedelta(days=LOST_LOOKBACK_DAYS)
    lost = [o for o in review.opportunities
            if lost_by(o, day) and o.close_date is not None and o.close_date > start]
    catalog = {p.id: p.name for p in review.products}
    for opp in lost:
        product = catalog.get(opp.product or "", opp.product) or "no product"
        risks.append(Risk(kind="lost_deal", severity="medium",
                          detail=f"lost {opp.name} ({product}, {money(opp.amount)}) "
                                 f"on {opp.close_date.isoformat() if opp.close_date else '?'}",
                          evidence={"opportunity_id": opp.id, "close_date": opp.close_date.isoformat()
                                    if opp.close_date else None, "amount": opp.amount}))
    if review.mentions:
        m = review.mentions[0]
        risks.append(Risk(kind="competitor_mentions", severity="medium",
                          detail=f"{plural(len(review.mentions), 'note')} in the last 180 days mention competitors "
                                 f"(latest {m.date.isoformat()}, {m.interaction_id})",
                          evidence={"notes": [{"interaction_id": x.interaction_id, "date": x.date.isoformat()}
                                              for x in review.mentions[:5]]}))
    risks.sort(key=lambda r: _SEVERITY_ORDER[r.severity])
    return risks
