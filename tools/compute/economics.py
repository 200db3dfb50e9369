"""Account economics (docs/rules.md): contribution, cost-to-serve ratio and margin leakage."""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel

from tools.rules import Rules


class AccountFigures(Protocol):
    """What economics reads from an account (an ``Account`` row, or a plain row of its columns)."""

    @property
    def annual_revenue(self) -> float | None: ...
    @property
    def gross_margin_pct(self) -> float | None: ...
    @property
    def cost_to_serve(self) -> float | None: ...


class Economics(BaseModel):
    """What an account earns after the cost of serving it; ``None`` where an input is unknown."""

    annual_revenue: float | None
    gross_margin_pct: float | None
    cost_to_serve: float | None
    contribution: float | None
    cost_to_serve_ratio: float | None
    contribution_share: float | None
    margin_leakage: bool
    revenue_score: int | None


def account_economics(account: AccountFigures, revenue_score: int | None, rules: Rules) -> Economics:
    """Contribution = revenue x margin - cost to serve; leakage = top revenue score and a thin contribution.

    An unknown cost to serve counts as unknown (no contribution), never as zero.
    """
    revenue, margin, cost = account.annual_revenue, account.gross_margin_pct, account.cost_to_serve
    contribution = None
    if revenue is not None and margin is not None and cost is not None:
        contribution = round(revenue * margin / 100.0 - cost, 2)
    ratio = round(cost / revenue, 4) if cost is not None and revenue else None
    share = round(contribution / revenue, 4) if contribution is not None and revenue else None
    leakage = (
        revenue_score == 5
        and contribution is not None
        and revenue is not None
        and contribution < rules.portfolio.margin_leakage_contribution_share * revenue
    )
    return Economics(
        annual_revenue=revenue,
        gross_margin_pct=margin,
        cost_to_serve=cost,
        contribution=contribution,
        cost_to_serve_ratio=ratio,
        contribution_share=share,
        margin_leakage=leakage,
        revenue_score=revenue_score,
    )


def money(value: float | None) -> str:
    """A sum of money for people: 12.4M, 830k, 950."""
    if value is None:
        return "unknown"
    sign = "-" if value < 0 else ""
    v = abs(value)
    if v >= 1e9:
        return f"{sign}{v / 1e9:.2f}B"
    if v >= 1e6:
        return f"{sign}{v / 1e6:.2f}M"
    if v >= 1e3:
        return f"{sign}{v / 1e3:.1f}k"
    return f"{sign}{v:.0f}"


def economics_sentence(e: Economics) -> str:
    """The economics of one account in words."""
    if e.contribution is None:
        unknown = [name for name, v in (("revenue", e.annual_revenue), ("gross margin", e.gross_margin_pct),
                                        ("cost to serve", e.cost_to_serve)) if v is None]
        return f"Contribution unknown (no {', '.join(unknown)})."
    text = (
        f"Contribution {money(e.contribution)} = revenue {money(e.annual_revenue)} x margin "
        f"{e.gross_margin_pct:g}% - cost to serve {money(e.cost_to_serve)}"
    )
    if e.cost_to_serve_ratio is not None:
        text += f"; cost to serve is {e.cost_to_serve_ratio:.1%} of revenue"
    text += "."
    if e.margin_leakage:
        text += (
            f" Margin leakage: a top-quintile revenue account whose contribution is only "
            f"{e.contribution_share:.1%} of revenue."
        )
    return text
