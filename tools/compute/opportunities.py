"""The opportunity map and the white-space matrix of one account (docs/rules.md), as of a date.

Opportunity map: every opportunity open on the day, scored 1-5 on three things.
- size: amount / the account's growth target (else 20% of annual revenue): <0.10 -> 1, <0.25 -> 2,
  <0.50 -> 3, <1 -> 4, else 5; with no target, amount / the largest open amount: <0.2 -> 1, <0.4 -> 2,
  <0.6 -> 3, <0.8 -> 4, else 5. No amount -> 1.
- readiness, from the stage: prospecting 1, qualification 2, proposal 4, negotiation 5 (an opportunity
  closed after the day was open then at an unknown stage: 3).
- competitive risk: high (5) when a note of the last 180 days mentions a competitor word and the
  opportunity's product, name or business unit; medium (3) when notes mention competitors without naming
  it, or the opportunity is stale (open more than 180 days) or has slipped (close date passed); else low (1).
Priority = (size + readiness + (6 - risk)) / 3, two decimals; the map is sorted by it, then by amount.

White space: the business units of the account's opportunities against the product catalog (and any
product named on an opportunity but missing from the catalog). A cell is ``won`` when an opportunity for
that unit and product closed won on or before the day, ``in_pipeline`` when one is open on the day, and
``open`` otherwise (white space; lost opportunities are listed on the cell but leave it open).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import or_
from sqlmodel import Session, col, select

from store.models import CLOSED_STAGES, OPEN_STAGES, Interaction, Opportunity, Product
from tools.compute.evidence import text_for_like
from tools.compute.health import round2
from tools.wording import plural

READINESS = {"prospecting": 1, "qualification": 2, "proposal": 4, "negotiation": 5}
UNKNOWN_STAGE_READINESS = 3
COMPETITOR_WORDS = ("competitor", "competition", "competing", "rival", "incumbent", "alternative vendor",
                    "evaluating", "rfp", "tender", "switch to", "cheaper", "has offered", "% less", "pitching")
MENTION_WINDOW_DAYS = 180
STALE_DAYS = 180
RISK_SCORES = {"low": 1, "medium": 3, "high": 5}
_TARGET_BANDS = ((0.10, 1), (0.25, 2), (0.50, 3), (1.0, 4))
_RELATIVE_BANDS = ((0.2, 1), (0.4, 2), (0.6, 3), (0.8, 4))

CellState = Literal["won", "in_pipeline", "open"]


class Mention(BaseModel):
    """A note that mentions a competitor word."""

    interaction_id: str
    date: dt.date
    text: str


class OpportunityItem(BaseModel):
    id: str
    name: str
    product: str | None
    product_id: str | None
    business_unit: str | None
    amount: float | None
    stage: str
    created: dt.date | None
    close_date: dt.date | None
    size: int
    readiness: int
    competitive_risk: Literal["low", "medium", "high"]
    priority: float
    evidence: dict[str, Any] = Field(default_factory=dict)


class WhiteSpaceCell(BaseModel):
    business_unit: str
    product_id: str
    product_name: str
    state: CellState
    opportunities: list[str] = Field(default_factory=list)
    lost: list[str] = Field(default_factory=list)


class WhiteSpace(BaseModel):
    business_units: list[str]
    products: list[dict[str, str]]
    cells: list[WhiteSpaceCell]
    counts: dict[str, int]
    unplaced_opportunities: list[str] = Field(default_factory=list)

    def cell(self, business_unit: str, product_id: str) -> WhiteSpaceCell | None:
        return next((c for c in self.cells if c.business_unit == business_unit and c.product_id == product_id), None)

    def as_markdown(self) -> str:
        if not self.business_units:
            return "No business units are recorded on this account's opportunities, so there is no grid yet."
        mark = {"won": "won", "in_pipeline": "pipeline", "open": "·"}
        lines = ["| business unit | " + " | ".join(p["name"] for p in self.products) + " |",
                 "| --- |" + " --- |" * len(self.products)]
        for bu in self.business_units:
            row = [mark[c.state] if (c := self.cell(bu, p["id"])) else "·" for p in self.products]
            lines.append(f"| {bu} | " + " | ".join(row) + " |")
        lines.append(f"\n{self.counts['won']} won, {self.counts['in_pipeline']} in pipeline, "
                     f"{self.counts['open']} open cells (white space).")
        return "\n".join(lines)


# ------------------------------------------------------------------------------------------------ loading


def load_opportunities(session: Session, account_id: str, as_of: dt.date) -> list[Opportunity]:
    """The account's opportunities that existed on ``as_of`` (created on or before it, or undated)."""
    stmt = select(Opportunity).where(
        Opportunity.account_id == account_id,
        or_(col(Opportunity.created).is_(None), col(Opportunity.created) <= as_of),
    )
    return list(session.exec(stmt.order_by(col(Opportunity.id))).all())


def load_products(session: Session) -> list[Product]:
    return list(session.exec(select(Product).order_by(col(Product.name), col(Product.id))).all())


def competitor_mentions(session: Session, account_id: str, as_of: dt.date) -> list[Mention]:
    """Notes of the last 180 days up to ``as_of`` that mention a competitor word, newest first."""
    start = as_of - dt.timedelta(days=MENTION_WINDOW_DAYS - 1)
    text = text_for_like(session)
    stmt = (
        select(Interaction.id, Interaction.date, Interaction.text)
        .where(Interaction.account_id == account_id, Interaction.date >= start, Interaction.date <= as_of,
               or_(*[text.like(f"%{w}%") for w in COMPETITOR_WORDS]))
        .order_by(col(Interaction.date).desc(), col(Interaction.id).desc())
        .limit(50)
    )
    return [Mention(interaction_id=i, date=d, text=t or "") for i, d, t in session.exec(stmt).all()]


def open_on(opp: Opportunity, as_of: dt.date) -> bool:
    """Open on ``as_of``: existed then, and in an open stage or closed after that day."""
    if opp.created is not None and opp.created > as_of:
        return False
    if opp.stage in OPEN_STAGES:
        return True
    return opp.stage in CLOSED_STAGES and opp.close_date is not None and opp.close_date > as_of


def won_by(opp: Opportunity, as_of: dt.date) -> bool:
    return opp.stage == "closed_won" and (opp.close_date is None or opp.close_date <= as_of)


def lost_by(opp: Opportunity, as_of: dt.date) -> bool:
    return opp.stage == "closed_lost" and (opp.close_date is None or opp.close_date <= as_of)


# ----------------------------------------------------------------------------------------- the map


def _band(value: float, bands: Sequence[tuple[float, int]]) -> int:
    for bound, score in bands:
        if value < bound:
            return score
    return 5


def _terms(opp: Opportunity, product_name: str | None) -> list[str]:
    terms = (opp.product, product_name, opp.name, opp.business_unit)
    return list(dict.fromkeys(t.strip().lower() for t in terms if t and len(t.strip()) >= 3))


def opportunity_map(
    opportunities: Sequence[Opportunity],
    target: float | None,
    mentions: Sequence[Mention],
    as_of: dt.date,
    products: Sequence[Product] = (),
) -> list[OpportunityItem]:
    """The open opportunities on ``as_of``, scored and ranked (see the module docstring).

    ``products`` (the catalog) turns a product id on an opportunity into its name.
    """
    catalog, by_name = _catalog(products)
    current = [o for o in opportunities if open_on(o, as_of)]
    largest = max((o.amount or 0.0 for o in current), default=0.0)
    items = []
    for opp in current:
        evidence: dict[str, Any] = {}
        if opp.amount is None or opp.amount <= 0:
            size, evidence["size"] = 1, "no amount"
        elif target:
            ratio = opp.amount / target
            size, evidence["size"] = _band(ratio, _TARGET_BANDS), f"{ratio:.2f} of the growth target {target:,.0f}"
        else:
            ratio = opp.amount / largest
            size, evidence["size"] = _band(ratio, _RELATIVE_BANDS), f"{ratio:.2f} of the largest open amount"
        if opp.stage in READINESS:
            readiness, evidence["readiness"] = READINESS[opp.stage], f"stage {opp.stage}"
        else:
            readiness = UNKNOWN_STAGE_READINESS
            evidence["readiness"] = f"closed after {as_of.isoformat()}; stage on that day unknown"
        pid = _product_key(opp.product.strip(), catalog, by_name) if opp.product else None
        pname = catalog.get(pid, opp.product) if pid else None
        risk, why = _risk(opp, pname, mentions, as_of)
        evidence["competitive_risk"] = why
        priority = round2((size + readiness + (6 - RISK_SCORES[risk])) / 3)
        items.append(OpportunityItem(
            id=opp.id, name=opp.name, product=pname, product_id=pid, business_unit=opp.business_unit, amount=opp.amount,
            stage=opp.stage if opp.stage in OPEN_STAGES else "open then", created=opp.created,
            close_date=opp.close_date, size=size, readiness=readiness, competitive_risk=risk, priority=priority,
            evidence=evidence,
        ))
    items.sort(key=lambda i: (-i.priority, -(i.amount or 0.0), i.id))
    return items


def _risk(
    opp: Opportunity, product_name: str | None, mentions: Sequence[Mention], as_of: dt.date
) -> tuple[str, dict[str, Any]]:
    terms = _terms(opp, product_name)
    named = [m for m in mentions if any(t in m.text.lower() for t in terms)]
    if named:
        return "high", {"notes": [{"interaction_id": m.interaction_id, "date": m.date.isoformat()} for m in named[:3]],
                        "why": "a note mentions a competitor and this opportunity"}
    reasons: list[str] = []
    if mentions:
        reasons.append(f"{plural(len(mentions), 'note')} in {MENTION_WINDOW_DAYS} days mention competitors")
    if opp.created is not None and (as_of - opp.created).days > STALE_DAYS and opp.stage in OPEN_STAGES:
        reasons.append(f"open {(as_of - opp.created).days} days (created {opp.created.isoformat()})")
    if opp.close_date is not None and opp.close_date < as_of and opp.stage in OPEN_STAGES:
        reasons.append(f"close date {opp.close_date.isoformat()} has passed")
    if reasons:
        return "medium", {"why": "; ".join(reasons),
                          "notes": [{"interaction_id": m.interaction_id, "date": m.date.isoformat()}
                                    for m in mentions[:3]]}
    return "low", {"why": "no competitor mentions in notes; not stale; close date not passed"}


# --------------------------------------------------------------------------------------- white space


def _product_key(value: str, catalog: dict[str, str], by_name: dict[str, str]) -> str:
    """The catalog id an opportunity's product refers to (by id or by name, any case), else the value."""
    if value in catalog:
        return value
    return by_name.get(value.casefold(), value)


def _catalog(products: Sequence[Product]) -> tuple[dict[str, str], dict[str, str]]:
    """(id -> name, lower-case name or id -> id)."""
    catalog = {p.id: p.name for p in products}
    by_name = {p.name.casefold(): p.id for p in products}
    for p in products:
        by_name.setdefault(p.id.casefold(), p.id)
    return catalog, by_name


def white_space(opportunities: Sequence[Opportunity], products: Sequence[Product], as_of: dt.date) -> WhiteSpace:
    """Business units x products: won / in pipeline / open, from the opportunities known on ``as_of``."""
    catalog, by_name = _catalog(products)
    columns = dict(catalog)
    placed: dict[tuple[str, str], list[Opportunity]] = {}
    unplaced: list[str] = []
    for opp in opportunities:
        if not opp.business_unit or not opp.product:
            unplaced.append(opp.id)
            continue
        key = _product_key(opp.product.strip(), catalog, by_name)
        columns.setdefault(key, opp.product.strip())
        placed.setdefault((opp.business_unit.strip(), key), []).append(opp)
    units = sorted({bu for bu, _ in placed}, key=str.casefold)
    product_ids = sorted(columns, key=lambda pid: (columns[pid].casefold(), pid))
    cells: list[WhiteSpaceCell] = []
    counts = {"won": 0, "in_pipeline": 0, "open": 0}
    for bu in units:
        for pid in product_ids:
            opps = placed.get((bu, pid), [])
            won = [o.id for o in opps if won_by(o, as_of)]
            pipeline = [o.id for o in opps if open_on(o, as_of)]
            lost = [o.id for o in opps if lost_by(o, as_of)]
            state: CellState = "won" if won else "in_pipeline" if pipeline else "open"
            counts[state] += 1
            cells.append(WhiteSpaceCell(business_unit=bu, product_id=pid, product_name=columns[pid], state=state,
                                        opportunities=won or pipeline, lost=lost))
    return WhiteSpace(
        business_units=units, products=[{"id": pid, "name": columns[pid]} for pid in product_ids], cells=cells,
        counts=counts, unplaced_opportunities=unplaced,
    )
