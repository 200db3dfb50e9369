"""The score history: the last stored scoring of an account, and what changed since (quadrant, axes)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel
from sqlmodel import Session, col, select

from store.models import ScoreRecord
from tools.compute.quadrants import QUADRANT_LABELS, QUADRANT_RANK
from tools.compute.score_rules import (
    CRITERION_LABELS,
    AccountScore,
)

# ------------------------------------------------------------------------------------------------ history


class ScoreChange(BaseModel):
    """What changed between the last stored scoring and this one."""

    previous_as_of: dt.date
    previous_scored_by: str | None
    previous_quadrant: str
    previous_attractiveness: float | None
    previous_strength: float | None
    quadrant_changed: bool
    direction: Literal["up", "down", "same", "n/a"]
    attractiveness_delta: float | None
    strength_delta: float | None
    criteria_changes: list[dict[str, Any]]


def last_record(session: Session, account_id: str, as_of: dt.date) -> ScoreRecord | None:
    """The latest stored scoring of the account on or before ``as_of``."""
    stmt = (
        select(ScoreRecord)
        .where(ScoreRecord.account_id == account_id, col(ScoreRecord.as_of) <= as_of)
        .order_by(col(ScoreRecord.as_of).desc(), col(ScoreRecord.id).desc())
        .limit(1)
    )
    return session.exec(stmt).first()


def _delta(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else round(now - before, 2)


def compare(score: AccountScore, previous: ScoreRecord | None) -> ScoreChange | None:
    if previous is None:
        return None
    before_values = previous.criteria or {}
    changes = [
        {"criterion": name, "before": before_values.get(name), "after": c.value}
        for name, c in score.criteria.items()
        if before_values.get(name) != c.value
    ]
    before_q, now_q = previous.quadrant, score.quadrant
    if before_q == now_q:
        direction = "same"
    elif before_q in QUADRANT_RANK and now_q in QUADRANT_RANK:
        direction = "up" if QUADRANT_RANK[now_q] < QUADRANT_RANK[before_q] else "down"
    else:
        direction = "n/a"
    return ScoreChange(
        previous_as_of=previous.as_of,
        previous_scored_by=previous.scored_by,
        previous_quadrant=before_q,
        previous_attractiveness=previous.attractiveness,
        previous_strength=previous.strength,
        quadrant_changed=before_q != now_q,
        direction=direction,
        attractiveness_delta=_delta(score.attractiveness, previous.attractiveness),
        strength_delta=_delta(score.strength, previous.strength),
        criteria_changes=changes,
    )


def change_markdown(change: ScoreChange | None) -> str:
    if change is None:
        return "No earlier scoring is stored: this is the first."
    head = f"Since the scoring of {change.previous_as_of.isoformat()}"
    if change.previous_scored_by:
        head += f" by {change.previous_scored_by}"
    if change.quadrant_changed:
        before = QUADRANT_LABELS.get(change.previous_quadrant, change.previous_quadrant)
        parts = [f"{head}: moved {change.direction} from {before}."]
    else:
        parts = [f"{head}: same quadrant."]
    for label, before, delta in (("Attractiveness", change.previous_attractiveness, change.attractiveness_delta),
                                 ("Strength", change.previous_strength, change.strength_delta)):
        if delta:
            parts.append(f"{label} {before:.2f} -> {before + delta:.2f} ({delta:+.2f}).")
    for c in change.criteria_changes:
        parts.append(f"{CRITERION_LABELS.get(c['criterion'], c['criterion'])}: {c['before']} -> {c['after']}.")
    return " ".join(parts)
