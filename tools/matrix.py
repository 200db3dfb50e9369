"""The portfolio on the KAM matrix (docs/rules.md): quadrants, scope inflation, scorer calibration, economics.

Built on ``compute_scores`` (the same function ``score_account`` uses), so the matrix and a single
scoring always agree. Set-based: a handful of queries whatever the size of the scope.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import func
from sqlmodel import col, select

from store.models import Account, User
from tools.accounts import scope_account_ids
from tools.blockkit import SECTION_CHARS, chunks, context, fields, header, heading_of, num, section
from tools.compute.economics import money
from tools.compute.quadrants import QUADRANT_LABELS, QUADRANT_RANK, Quadrant
from tools.compute.score_rules import AccountScore
from tools.compute.scoring import compute_scores
from tools.context import ToolContext
from tools.escape import slack_text
from tools.owners import owner_account_ids
from tools.registry import PlannerHints, tool
from tools.results import ToolResult
from tools.rules import JUDGMENT_CRITERIA, QUADRANTS
from tools.wording import plural

_MAX_ROWS = 60
_SCOPE_WORDS = {"mine": "your accounts", "team": "your team's accounts", "all": "all accounts you can see"}


class MatrixAccount(BaseModel):
    id: str
    name: str
    owner_id: str
    attractiveness: float | None
    strength: float | None
    quadrant: str
    missing: list[str] = Field(default_factory=list)
    annual_revenue: float | None = None
    contribution: float | None = None
    cost_to_serve_ratio: float | None = None
    margin_leakage: bool = False


class PortfolioWarning(BaseModel):
    kind: Literal["scope_inflation", "margin_leakage", "unscored", "calibration"]
    message: str
    evidence: dict[str, Any] = Field(default_factory=dict)


class ScorerCalibration(BaseModel):
    """One scorer's judgment scores against the portfolio's."""

    scorer_id: str
    scorer_name: str | None
    accounts: int
    values: int
    mean: float
    portfolio_mean: float
    gap: float
    flag: Literal["inflation", "deflation"] | None


class MatrixResult(ToolResult):
    """``show_matrix``: every account's axes and quadrant, counts, portfolio warnings, calibration, economics."""

    as_of: dt.date
    scope: str
    threshold: float
    accounts: list[MatrixAccount]
    counts: dict[str, int]
    warnings: list[PortfolioWarning]
    calibration: list[ScorerCalibration]
    portfolio_judgment_mean: float | None
    totals: dict[str, float | None]
    owner_id: str | None = None  # the one rep's book shown, when asked for by ``owner``
    owner_name: str | None = None

    def lead(self) -> str:
        return f"Here is {self.owner_name}'s KAM matrix." if self.owner_name else "Here is the KAM matrix."

    def as_markdown(self) -> str:
        whose = f"{self.owner_name}'s accounts" if self.owner_name else _SCOPE_WORDS.get(self.scope, self.scope)
        lines = [f"## KAM matrix: {whose} (as of {self.as_of.isoformat()})"]
        n = len(self.accounts)
        if not n:
            lines.append("No accounts in this scope.")
            return "\n".join(lines)
        c = self.counts
        lines += [
            f"{plural(n, 'account')}; axes are high at {self.threshold:g} or above.",
            "",
            "| | supplier strength low | supplier strength high |",
            "| --- | --- | --- |",
            f"| **attractiveness high** | {QUADRANT_LABELS['develop']}: {c['develop']} | "
            f"{QUADRANT_LABELS['strategic_growth']}: {c['strategic_growth']} |",
            f"| **attractiveness low** | {QUADRANT_LABELS['maintain_exit']}: {c['maintain_exit']} | "
            f"{QUADRANT_LABELS['defend']}: {c['defend']} |",
        ]
        if c.get("unscored"):
            lines.append(f"\nUnscored: {c['unscored']}.")
        if self.warnings:
            lines += ["", "### Warnings"] + [f"- {w.message}" for w in self.warnings]
        if self.calibration:
            lines += [
                "",
                "### Scorer calibration",
                f"Mean of each scorer's judgment criteria against the portfolio mean "
                f"({_fmt(self.portfolio_judgment_mean)}, every account in the store).",
                "",
                "| scorer | accounts | mean | gap | flag |",
                "| --- | --- | --- | --- | --- |",
            ]
            for s in self.calibration:
                who = f"{s.scorer_name} ({s.scorer_id})" if s.scorer_name else s.scorer_id
                lines.append(f"| {who} | {s.accounts} | {s.mean:.2f} | {s.gap:+.2f} | {s.flag or '-'} |")
        lines += [
            "",
            "### Accounts",
            "| account | quadrant | attractiveness | strength | revenue | contribution | cost to serve | |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for a in self.accounts[:_MAX_ROWS]:
            ratio = "-" if a.cost_to_serve_ratio is None else f"{a.cost_to_serve_ratio:.1%}"
            note = "margin leakage" if a.margin_leakage else ("missing " + ", ".join(a.missing) if
                                                              a.quadrant == "unscored" else "")
            lines.append(
                f"| {a.name} ({a.id}) | {QUADRANT_LABELS[a.quadrant]} | {_fmt(a.attractiveness)} | "
                f"{_fmt(a.strength)} | {money(a.annual_revenue)} | {money(a.contribution)} | {ratio} | {note} |"
            )
        if n > _MAX_ROWS:
            lines.append(f"\n... and {n - _MAX_ROWS} more (use --json for every account).")
        return "\n".join(lines)


    def as_slack_blocks(self) -> list[dict[str, Any]]:
        blocks = [header(heading_of(self) or "KAM matrix")]
        figures = fields([(q.label, str(self.counts.get(q, 0))) for q in Quadrant if q in self.counts])
        if figures:
            blocks.append(figures)
        for w in self.warnings[:8]:
            blocks.append(section(f":warning: {slack_text(w.message)}"))
        lines = [f"• *{slack_text(a.name)}* ({slack_text(a.id)}): {Quadrant.label_of(a.quadrant)}, "
                 f"attractiveness {num(a.attractiveness)}, "
                 f"strength {num(a.strength)}" for a in self.accounts[:40]]
        if len(self.accounts) > 40:
            lines.append(f"… and {len(self.accounts) - 40} more.")
        blocks += [section(chunk) for chunk in chunks("\n".join(lines), SECTION_CHARS)]
        blocks.append(context(f"As of {self.as_of.isoformat()} · axes high at {self.threshold:g} or above · "
                              "the chart follows in this thread"))
        return blocks

def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _portfolio_judgment_mean(ctx: ToolContext) -> tuple[float | None, int]:
    """The mean of every judgment value on every account in the store (one aggregate query)."""
    columns = [getattr(Account, name) for name in JUDGMENT_CRITERIA]
    row = ctx.session.exec(
        select(*[func.sum(c) for c in columns], *[func.count(c) for c in columns])
    ).one()
    k = len(columns)
    total = sum(float(v or 0) for v in row[:k])
    count = sum(int(v or 0) for v in row[k:])
    return (total / count if count else None), count


def calibration(ctx: ToolContext, scores: dict[str, AccountScore]) -> tuple[list[ScorerCalibration], float | None]:
    """Per scorer of the accounts in ``scores``: their judgment mean against the whole store's."""
    portfolio_mean, _ = _portfolio_judgment_mean(ctx)
    if portfolio_mean is None:
        return [], None
    rules = ctx.rules.portfolio
    per: dict[str, list[int]] = {}
    accounts: dict[str, int] = {}
    for score in scores.values():
        values = [c.value for name, c in score.criteria.items() if name in JUDGMENT_CRITERIA and c.value is not None]
        if not values or not score.scored_by:
            continue
        per.setdefault(score.scored_by, []).extend(values)
        accounts[score.scored_by] = accounts.get(score.scored_by, 0) + 1
    names = dict(
        ctx.session.exec(select(User.id, User.name).where(col(User.id).in_(list(per)))).all()
    ) if per else {}
    out = []
    for scorer, values in sorted(per.items()):
        mean = sum(values) / len(values)
        gap = round(mean - portfolio_mean, 2)
        flag: Literal["inflation", "deflation"] | None = None
        if accounts[scorer] >= rules.calibration_min_accounts:
            if gap >= rules.calibration_gap:
                flag = "inflation"
            elif gap <= -rules.calibration_gap:
                flag = "deflation"
        out.append(ScorerCalibration(
            scorer_id=scorer, scorer_name=names.get(scorer), accounts=accounts[scorer], values=len(values),
            mean=round(mean, 2), portfolio_mean=round(portfolio_mean, 2), gap=gap, flag=flag,
        ))
    return out, round(portfolio_mean, 2)


def _warnings(ctx: ToolContext, rows: list[MatrixAccount], counts: dict[str, int],
              calib: list[ScorerCalibration]) -> list[PortfolioWarning]:
    rules = ctx.rules.portfolio
    out: list[PortfolioWarning] = []
    n = len(rows)
    sg = counts["strategic_growth"]
    if n and sg / n > rules.scope_inflation_share:
        out.append(PortfolioWarning(
            kind="scope_inflation",
            message=(
                f"Scope inflation: {sg} of {n} accounts ({sg / n:.0%}) are {QUADRANT_LABELS['strategic_growth']}, "
                f"above {rules.scope_inflation_share:.0%}; the top quadrant cannot get top coverage for all of them."
            ),
            evidence={"strategic_growth": sg, "accounts": n, "share": round(sg / n, 4),
                      "limit": rules.scope_inflation_share},
        ))
    leaking = [r for r in rows if r.margin_leakage]
    if leaking:
        named = ", ".join(f"{r.name} ({money(r.contribution)} on {money(r.annual_revenue)})" for r in leaking[:10])
        more = f" and {len(leaking) - 10} more" if len(leaking) > 10 else ""
        out.append(PortfolioWarning(
            kind="margin_leakage",
            message=(
                f"Margin leakage at {plural(len(leaking), 'top-revenue account')}, contribution under "
                f"{rules.margin_leakage_contribution_share:.0%} of revenue: {named}{more}."
            ),
            evidence={"accounts": [r.id for r in leaking], "share": rules.margin_leakage_contribution_share},
        ))
    if counts.get("unscored"):
        out.append(PortfolioWarning(
            kind="unscored",
            message=f"{plural(counts['unscored'], 'account')} {'is' if counts['unscored'] == 1 else 'are'} unscored: "
                    "less than half of an axis's weight has values.",
            evidence={"accounts": [r.id for r in rows if r.quadrant == "unscored"]},
        ))
    for c in calib:
        if c.flag:
            who = f"{c.scorer_name} ({c.scorer_id})" if c.scorer_name else c.scorer_id
            out.append(PortfolioWarning(
                kind="calibration",
                message=(
                    f"Calibration: {who} scores {c.gap:+.2f} against the portfolio mean of {c.portfolio_mean:.2f} "
                    f"over {plural(c.accounts, 'account')} ({c.flag})."
                ),
                evidence=c.model_dump(),
            ))
    return out


_PLANNER_SHOW_MATRIX = PlannerHints(
    rules=(
        (r"\b(matrix|quadrants|portfolio (view|map|overview)|segmentation|2x2|grid|where do (my"
         r"|our|the) accounts (sit|land|fall)|plot|calibration|calibrated|scope inflation"
         r"|inflat\w+ (their|his|her|the)? ?scores?|scores? inflation"
         r"|how many ([\w'’]+ ){0,3}accounts"
         r"|(accounts|customers|clients|ones) (are |sit |fall )?(in|into) (the )?(develop|defend|maintain|exit"
         r"|strategic growth|strategic))\b", 3.0),
    ),
    paraphrases=(
        "big picture of my customers", "lay out the whole book", "how is my book spread across the boxes",
        "give me the lay of the land across accounts", "overview of everyone I own", "map all the customers",
        "count of accounts in each box", "the four box view", "who scores too generously across the team",
        "distribution of my accounts", "show everything on one chart", "how balanced is the portfolio",
    ),
    exemplars=(
        "show my matrix", "show the KAM matrix for my team", "where do my accounts sit", "portfolio overview",
        "plot my accounts", "how many develop accounts do we have", "show the whole portfolio",
        "matrix for all accounts", "calibration by scorer", "which scorer is too generous",
        "who rates their accounts too high", "too many accounts marked strategic", "the portfolio grid",
        "break my book down by quadrant", "list my accounts by segment",
    ),
    slots=("scope", "owner"), one_account="assign_quadrant", book=True,
)


@tool("show_matrix", title="Show the KAM matrix", planner=_PLANNER_SHOW_MATRIX)
def show_matrix(ctx: ToolContext, *, scope: Literal["mine", "team", "all"] = "mine",
                owner: str | None = None) -> MatrixResult:
    """Show the KAM matrix for a scope (mine, team or all), or for one rep's book (``owner``: a user id or name
    the user manages): each account's axes and quadrant.

    Adds the quadrant counts, portfolio warnings (scope inflation, margin leakage, unscored accounts),
    the calibration of each scorer against the portfolio, and each account's economics.
    """
    person = None
    if owner is not None and owner.strip():
        person, ids = owner_account_ids(ctx, owner)
        scores = compute_scores(ctx, ids)
    else:
        scores = compute_scores(ctx, scope_account_ids(ctx, scope))
    rows = [
        MatrixAccount(
            id=s.account_id, name=s.account_name, owner_id=s.owner_id, attractiveness=s.attractiveness,
            strength=s.strength, quadrant=s.quadrant, missing=s.missing,
            annual_revenue=s.economics.annual_revenue if s.economics else None,
            contribution=s.economics.contribution if s.economics else None,
            cost_to_serve_ratio=s.economics.cost_to_serve_ratio if s.economics else None,
            margin_leakage=bool(s.economics and s.economics.margin_leakage),
        )
        for s in scores.values()
    ]
    rows.sort(key=lambda r: (QUADRANT_RANK.get(r.quadrant, 9), -(r.attractiveness or 0), -(r.strength or 0),
                             r.name.casefold(), r.id))
    counts = {q: 0 for q in (*QUADRANTS, "unscored")}
    for r in rows:
        counts[r.quadrant] += 1
    calib, portfolio_mean = calibration(ctx, scores)
    revenue = sum(r.annual_revenue or 0 for r in rows)
    contribution = [r.contribution for r in rows if r.contribution is not None]
    return MatrixResult(
        as_of=ctx.as_of,
        scope=scope,
        threshold=ctx.rules.scoring.threshold,
        accounts=rows,
        counts=counts,
        warnings=_warnings(ctx, rows, counts, calib),
        calibration=calib,
        portfolio_judgment_mean=portfolio_mean,
        totals={"annual_revenue": round(revenue, 2),
                "contribution": round(sum(contribution), 2) if contribution else None},
        owner_id=person.id if person else None,
        owner_name=person.name if person else None,
    )
