"""The scoring rules (docs/rules.md) as pure functions: criteria 1-5, two weighted axes, a quadrant."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field

from tools.compute.economics import Economics
from tools.compute.quadrants import QUADRANT_LABELS, Quadrant
from tools.rules import Rules

CRITERION_LABELS: dict[str, str] = {
    "revenue": "Revenue",
    "gross_margin": "Gross margin",
    "share_of_wallet": "Share of wallet",
    "relationship_depth": "Relationship depth",
    "growth_potential": "Growth potential",
    "strategic_fit": "Strategic fit",
    "competitive_position": "Competitive position",
    "propensity_to_partner": "Propensity to partner",
}



class Criterion(BaseModel):
    """One criterion's score (1-5, or ``None`` when unknown), where it came from and the raw values."""

    value: int | None
    source: Literal["data", "judgment"]
    evidence: dict[str, Any] = Field(default_factory=dict)


class Axis(BaseModel):
    """How one axis score was reached: the weights, how much of them had values, the rounded mean."""

    score: float | None
    raw_mean: float | None
    weights: dict[str, float]
    weight_present: float
    weight_total: float
    missing: list[str]
    high: bool | None


class AccountScore(BaseModel):
    """The scoring of one account as of a date."""

    account_id: str
    account_name: str
    owner_id: str
    scored_by: str | None
    as_of: dt.date
    criteria: dict[str, Criterion]
    attractiveness: float | None
    strength: float | None
    quadrant: Quadrant
    missing: list[str]
    axes: dict[str, Axis]
    threshold: float
    unscored_reason: str | None = None
    economics: Economics | None = None

    @property
    def quadrant_label(self) -> str:
        return QUADRANT_LABELS[self.quadrant]

    def criteria_values(self) -> dict[str, int | None]:
        return {name: c.value for name, c in self.criteria.items()}


# --------------------------------------------------------------------------------------------- pure rules


def revenue_quintile(strictly_lower: int, n: int) -> int:
    """``1 + floor(5 * strictly_lower / n)``, capped at 5."""
    return min(5, 1 + (5 * strictly_lower) // n)


def round_axis(value: float) -> float:
    """Two decimals, halves up, on the value as written (2.995 -> 3.00), not on its binary neighbour."""
    return float(Decimal(f"{value:.9f}").quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def axis_score(values: dict[str, int | None], weights: dict[str, float], rules: Rules) -> Axis:
    """The weighted mean over the criteria with a value; ``None`` below the minimum share of the weight."""
    present = {k: w for k, w in weights.items() if values.get(k) is not None}
    total = sum(weights.values())
    weight_present = sum(present.values())
    missing = [k for k in weights if values.get(k) is None]
    enough = weight_present > 0 and weight_present + 1e-9 >= rules.scoring.min_weight_share * total
    if not enough:
        return Axis(score=None, raw_mean=None, weights=dict(weights),
                                    weight_present=round(weight_present, 6), weight_total=round(total, 6),
                                    missing=missing, high=None)
    raw = sum(w * float(values[k] or 0) for k, w in present.items()) / weight_present
    score = round_axis(raw)
    return Axis(score=score, raw_mean=round(raw, 6), weights=dict(weights),
                                weight_present=round(weight_present, 6), weight_total=round(total, 6),
                                missing=missing, high=score >= rules.scoring.threshold)


def quadrant_for(attractiveness: float | None, strength: float | None, threshold: float) -> Quadrant:
    """The quadrant of two (rounded) axis scores; a score equal to the threshold is high."""
    if attractiveness is None or strength is None:
        return Quadrant.UNSCORED
    a_high, s_high = attractiveness >= threshold, strength >= threshold
    if a_high:
        return Quadrant.STRATEGIC_GROWTH if s_high else Quadrant.DEVELOP
    return Quadrant.DEFEND if s_high else Quadrant.MAINTAIN_EXIT


def depth_score(engaged: int, mapped: int, exec_engaged: bool, rules: Rules) -> int | None:
    """Relationship depth: the engaged share in bands, minus the penalty (floor 1) without an engaged executive."""
    if mapped <= 0:
        return None
    banded = rules.scoring.relationship_depth_bands.score(engaged / mapped)
    return banded if exec_engaged else max(1, banded - rules.scoring.no_exec_penalty)
