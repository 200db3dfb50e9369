"""The scoring tools (docs/rules.md): ``score_account`` and ``assign_quadrant``, with the evidence for each figure.

The scoring itself is ``tools.compute`` (rules, set-based computation, history); these tools render it and keep
every scoring in the score history.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from store.audit import record
from store.models import ScoreRecord
from tools.accounts import resolve_account
from tools.blockkit import body_blocks, context, fields, header, num
from tools.compute.economics import economics_sentence, money
from tools.compute.quadrants import QUADRANT_LABELS, Quadrant
from tools.compute.score_history import ScoreChange, change_markdown, compare, last_record
from tools.compute.score_rules import (
    CRITERION_LABELS,
    AccountScore,
    Axis,
    Criterion,
)
from tools.compute.scoring import compute_scores
from tools.context import ToolContext
from tools.registry import PlannerHints, tool
from tools.results import ToolResult
from tools.rules import Coverage
from tools.wording import plural

# --------------------------------------------------------------------------------------------- evidence


def describe_criterion(name: str, criterion: Criterion) -> str:
    """The evidence behind one criterion, in words."""
    e = criterion.evidence
    if criterion.value is None:
        return str(e.get("reason", "no value"))
    if name == "revenue":
        return (
            f"annual revenue {money(e['annual_revenue'])}; {e['accounts_with_lower_revenue']} of "
            f"{plural(e['accounts_with_revenue'], 'account')} with a revenue have less"
        )
    if name == "gross_margin":
        return f"gross margin {e['gross_margin_pct']:g}%"
    if name == "share_of_wallet":
        return (
            f"revenue {money(e['annual_revenue'])} of a wallet of {money(e['wallet_estimate'])} "
            f"= {e['ratio']:.0%}"
        )
    if name == "relationship_depth":
        text = (
            f"{e['engaged']} of {e['mapped']} mapped stakeholders engaged in the {e['window_days']} days "
            f"to {e['as_of']} ({e['ratio']:.0%})"
        )
        if e.get("executive_penalty"):
            text += f"; no executive engaged, so {e['band_score']} - {e['executive_penalty']}"
        elif e.get("executive_engaged"):
            text += "; an executive engaged"
        return text
    who = e.get("scored_by")
    return f"judgment of {who}" if who else "judgment"


def _axis_line(name: str, axis: Axis, threshold: float) -> str:
    label = name.capitalize()
    if axis.score is None:
        return (
            f"{label}: **not scored** (only {axis.weight_present:g} of {axis.weight_total:g} of the weight has "
            f"values; missing {', '.join(axis.missing)})"
        )
    level = "high" if axis.high else "low"
    return f"{label}: **{axis.score:.2f}** ({level}; threshold {threshold:g})"


def score_markdown(score: AccountScore) -> str:
    """A scorecard a KAM can read: quadrant, both axes, and every criterion with its evidence."""
    lines = [
        f"## {score.account_name} ({score.account_id}): {score.quadrant_label}",
        f"As of {score.as_of.isoformat()}.",
        "",
        f"- {_axis_line('attractiveness', score.axes['attractiveness'], score.threshold)}",
        f"- {_axis_line('strength', score.axes['strength'], score.threshold)}",
    ]
    if score.unscored_reason:
        lines.append(f"- Unscored because {score.unscored_reason}.")
    lines += ["", "| criterion | axis | weight | score | evidence |", "| --- | --- | --- | --- | --- |"]
    for name, criterion in score.criteria.items():
        for axis_name, axis in score.axes.items():
            weights = axis.weights
            if name in weights:
                value = "-" if criterion.value is None else str(criterion.value)
                lines.append(
                    f"| {CRITERION_LABELS.get(name, name)} | {axis_name} | {weights[name]:g} | {value} | "
                    f"{describe_criterion(name, criterion)} |"
                )
    if score.missing:
        lines.append("")
        lines.append(f"Missing criteria: {', '.join(score.missing)}.")
    if score.economics is not None:
        lines += ["", economics_sentence(score.economics)]
    return "\n".join(lines)


def _store(ctx: ToolContext, score: AccountScore) -> int | None:
    """Add the scoring to the score history (and the audit log) in the caller's transaction; a scoring as of
    another day than today (``ctx.back_dated``) is an answer, not history: nothing is stored (``None``)."""
    if ctx.back_dated:
        return None
    row = ScoreRecord(
        account_id=score.account_id,
        as_of=score.as_of,
        criteria=score.criteria_values(),
        attractiveness=score.attractiveness,
        strength=score.strength,
        quadrant=score.quadrant,
        scored_by=ctx.user.id,
    )
    ctx.session.add(row)
    ctx.session.flush()
    record(ctx.session, actor=ctx.user.id, action="score", entity="account", entity_id=score.account_id,
           detail={"score_record_id": row.id, "quadrant": score.quadrant, "as_of": score.as_of.isoformat()})
    ctx.session.flush()
    return row.id


# ----------------------------------------------------------------------------------------------- the tools


class ScoreAccountResult(AccountScore, ToolResult):
    """``score_account``: the criteria with their evidence, both axes, the quadrant; stored in the history."""

    score_record_id: int | None
    recorded_by: str
    changed: ScoreChange | None = None

    def lead(self) -> str:
        if self.quadrant == Quadrant.UNSCORED:
            return f"{self.account_name} cannot be placed yet: it is unscored (criteria are missing)."
        return f"{self.account_name} scores as {Quadrant.label_of(self.quadrant)}."

    def as_markdown(self) -> str:
        return score_markdown(self) + "\n\n" + change_markdown(self.changed) + (
            f"\n\nStored in the score history by {self.recorded_by}."
        )


    def as_slack_blocks(self) -> list[dict[str, Any]]:
        label = Quadrant.label_of(self.quadrant)
        blocks = [header(f"{self.account_name} ({self.account_id}): {label}")]
        figures = fields([("Attractiveness", num(self.attractiveness)), ("Supplier strength", num(self.strength)),
                          ("Quadrant", label), ("Threshold", f"{self.threshold:g} (high at or above)")])
        if figures:
            blocks.append(figures)
        return blocks + body_blocks(self) + [context(f"As of {self.as_of.isoformat()} · every figure from "
                                                     "score_account's data and the scorer's judgment")]

_PLANNER_SCORE_ACCOUNT = PlannerHints(
    rules=(
        (r"\b(score|scores|scoring|rescore|re-score|rate|rating|how attractive|attractiveness"
         r"|supplier strength|criteria|how strong are we|share of wallet|relationship depth"
         r"|gross margin|growth potential|strategic fit|competitive position"
         r"|propensity to partner)\b", 2.0),
    ),
    paraphrases=(
        "crunch the numbers on the account", "how do they stack up on our criteria",
        "is this customer worth the effort", "put a number on how attractive they are", "grade the account for me",
        "assess the account against the model", "evaluate this customer", "how good a customer are they on paper",
        "tally up their criteria", "where do they land on attractiveness and strength", "work out their rating",
        "do the maths on this one", "how well positioned are we with them", "size up the account",
    ),
    exemplars=(
        "score the account", "what's the score for this account", "rescore the account",
        "how attractive is this customer", "give me the attractiveness and supplier strength",
        "rate the account on the criteria", "how does the account score", "run the scoring for them",
        "what are its axis scores", "show the scoring evidence for the account", "how strong is our position there",
        "recalculate the scores", "criteria values for this customer", "score breakdown please",
    ),
    slots=("account",), ask_account="score",
)


@tool("score_account", title="Score an account", writes=True, planner=_PLANNER_SCORE_ACCOUNT,
      model_note="Each call adds a dated entry to the score history.")
def score_account(ctx: ToolContext, *, account: str) -> ScoreAccountResult:
    """Score one account on the KAM matrix: every criterion 1-5 with its evidence, both axes and the quadrant.

    The scoring is stored in the account's score history, recorded as made by the acting user.
    """
    acc = resolve_account(ctx, account)
    score = compute_scores(ctx, [acc.id])[acc.id]
    previous = last_record(ctx.session, acc.id, score.as_of)
    record_id = _store(ctx, score)
    return ScoreAccountResult(
        **score.model_dump(), score_record_id=record_id, recorded_by=ctx.user.id, changed=compare(score, previous)
    )


class AssignQuadrantResult(ToolResult):
    """``assign_quadrant``: the quadrant, the coverage model it implies and what changed since the last scoring."""

    account_id: str
    account_name: str
    as_of: dt.date
    quadrant: Quadrant
    quadrant_label: str
    attractiveness: float | None
    strength: float | None
    threshold: float
    missing: list[str]
    unscored_reason: str | None
    coverage: Coverage | None
    coverage_note: str
    changed: ScoreChange | None
    score_record_id: int | None

    def lead(self) -> str:
        return f"{self.account_name} sits in {Quadrant.label_of(self.quadrant)}."

    def as_markdown(self) -> str:
        a = "-" if self.attractiveness is None else f"{self.attractiveness:.2f}"
        s = "-" if self.strength is None else f"{self.strength:.2f}"
        lines = [
            f"## {self.account_name} ({self.account_id}): {self.quadrant_label}",
            f"As of {self.as_of.isoformat()}: attractiveness {a}, strength {s} (threshold {self.threshold:g}; "
            "a score equal to it is high).",
        ]
        if self.unscored_reason:
            lines.append(f"Unscored because {self.unscored_reason}.")
        lines += ["", "### Coverage model", self.coverage_note]
        if self.coverage is not None:
            c = self.coverage
            refresh = f"every {c.plan_refresh_days} days" if c.plan_refresh_days else "none"
            lines += [
                "",
                "| QBR every | key-stakeholder touch within | exec sponsor | account plan | plan refresh |",
                "| --- | --- | --- | --- | --- |",
                f"| {c.qbr_every_days} days | {c.key_touch_days} days | {c.exec_sponsor} | {c.account_plan} | "
                f"{refresh} |",
            ]
        lines += ["", "### What changed", change_markdown(self.changed)]
        return "\n".join(lines)


    def as_slack_blocks(self) -> list[dict[str, Any]]:
        label = Quadrant.label_of(self.quadrant)
        blocks = [header(f"{self.account_name} ({self.account_id}): {label}")]
        figures = fields([("Attractiveness", num(self.attractiveness)), ("Supplier strength", num(self.strength)),
                          ("Quadrant", self.quadrant_label or label)])
        if figures:
            blocks.append(figures)
        return blocks + body_blocks(self)

_PLANNER_ASSIGN_QUADRANT = PlannerHints(
    rules=(
        (r"\b(quadrant|segment|which box|what box|classify|classification|tier|coverage model"
         r"|what coverage|how often should (i|we) (be )?(meet|meeting|run|see|visit)|(develop"
         r"|defend|strategic growth|maintain|exit)( account)? or (a |an )?(develop|defend"
         r"|strategic growth|maintain|exit))\b", 2.2),
    ),
    paraphrases=(
        "which bucket does the account belong in", "are they a grow or a keep customer", "tier for this customer",
        "should this one be in maintain or develop", "what kind of account is this for coverage",
        "where on the grid is the account", "label this customer for me", "which of the four boxes",
        "how should we treat this account segment wise", "is it one to invest in or milk",
    ),
    exemplars=(
        "which quadrant is this account in", "what segment is the account", "assign a quadrant",
        "what coverage model applies", "is it a develop or a defend account", "classify the account",
        "did the quadrant change", "what box does this customer sit in", "which segment does it fall into",
        "is the account strategic growth", "put the account in the right quadrant",
        "how much coverage does this account get", "what category is this customer",
    ),
    slots=("account",), ask_account="place in the matrix", many_accounts="show_matrix",
)


@tool("assign_quadrant", title="Place an account in the KAM matrix", writes=True, planner=_PLANNER_ASSIGN_QUADRANT)
def assign_quadrant(ctx: ToolContext, *, account: str) -> AssignQuadrantResult:
    """Place one account in its matrix quadrant, with the coverage model that quadrant implies.

    Says what changed since the last stored scoring (quadrant, axes, criteria, date); the new scoring
    is kept in the score history.
    """
    acc = resolve_account(ctx, account)
    score = compute_scores(ctx, [acc.id])[acc.id]
    previous = last_record(ctx.session, acc.id, score.as_of)
    record_id = _store(ctx, score)
    rules = ctx.rules
    if score.quadrant == "unscored":
        fallback = rules.stakeholders.unscored_quadrant
        coverage = None
        note = (
            f"No coverage model until the account is scored; meanwhile its stakeholders are held to the "
            f"{QUADRANT_LABELS[fallback]} touch windows ({rules.coverage[fallback].key_touch_days} days for key "
            "stakeholders)."
        )
    else:
        coverage = rules.coverage[score.quadrant]
        note = f"What a {score.quadrant_label} account gets:"
    return AssignQuadrantResult(
        account_id=score.account_id,
        account_name=score.account_name,
        as_of=score.as_of,
        quadrant=score.quadrant,
        quadrant_label=score.quadrant_label,
        attractiveness=score.attractiveness,
        strength=score.strength,
        threshold=score.threshold,
        missing=score.missing,
        unscored_reason=score.unscored_reason,
        coverage=coverage,
        coverage_note=note,
        changed=compare(score, previous),
        score_record_id=record_id,
    )
