"""Stakeholder flags across many accounts, summary first: what matters most fits one screen, the rest is counted.

Accounts are ranked by quadrant (Strategic Growth, Develop, Defend, Maintain/Exit, unscored) and then by annual
revenue, biggest first; within an account key people come first, and the worst flags first (gone dark, sentiment
dropped, never met, cooling). The summary shows the top accounts with up to ``PER_ACCOUNT`` flags each in one
short line per flag, within ``MAX_LINES`` lines, and ends with "and N more" and how to see them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, col, select

from store.models import Account
from tools.compute.economics import money
from tools.compute.quadrants import QUADRANT_RANK, Quadrant
from tools.wording import plural

MAX_LINES = 40
PER_ACCOUNT = 3
FLAG_ORDER = {"dark": 0, "sentiment_drop": 1, "unreached": 2, "cooling": 3}
FLAG_WORDS = {"dark": "gone dark", "unreached": "never met", "cooling": "cooling",
               "sentiment_drop": "sentiment dropped", "single_threaded": "single-threaded",
               "thin_coverage": "thin coverage"}


class RankedAccount(BaseModel):
    """An account with flags, in the order the summary reads them."""

    id: str
    name: str
    quadrant: str
    annual_revenue: float | None = None


def rank_accounts(session: Session, quadrants: dict[str, str]) -> list[RankedAccount]:
    """The accounts ``quadrants`` names (id -> quadrant), by quadrant and then revenue, biggest first."""
    if not quadrants:
        return []
    rows = session.exec(select(Account.id, Account.name, Account.annual_revenue)
                        .where(col(Account.id).in_(list(quadrants)))).all()
    ranked = [RankedAccount(id=i, name=n, quadrant=quadrants[i], annual_revenue=r) for i, n, r in rows]
    ranked.sort(key=lambda a: (QUADRANT_RANK.get(a.quadrant, len(QUADRANT_RANK)), -(a.annual_revenue or 0), a.id))
    return ranked


def flag_sort_key(flag: Any) -> tuple[bool, int, str]:
    """Within an account: key people first, then the worst flag, then by name."""
    return (not flag.key, FLAG_ORDER.get(flag.flag, 9), flag.stakeholder_name)


def short_reason(flag: Any) -> str:
    """One flag in a few words, from its evidence (the full reason is in the JSON and the per-account view)."""
    e = flag.evidence
    if flag.flag == "dark" and e.get("last_touch"):
        return (f"gone dark: last touch {e['last_touch']}, {e.get('days_since')} days ago (expected within "
                f"{e.get('window_days')})")
    if flag.flag == "sentiment_drop" and e.get("latest_sentiment") is not None:
        peak = e.get("peak_sentiment", e.get("previous_sentiment"))
        return f"sentiment dropped {peak:+d} -> {e['latest_sentiment']:+d} on the -2..+2 scale ({e.get('latest_date')})"
    if flag.flag == "cooling":
        touches = plural(e.get("recent_count", 0), "touch", "touches")
        return f"cooling: {touches} in 90 days against {e.get('previous_count')} before"
    if flag.flag == "unreached":
        return "never met"
    return f"{FLAG_WORDS.get(flag.flag, flag.flag)}: {flag.reason}"


def _worth_showing(people: list[Any]) -> list[Any]:
    """Key people's flags; where no key person is flagged, someone who went dark or soured."""
    key = [f for f in people if f.key]
    return key or [f for f in people if f.flag in ("dark", "sentiment_drop")]


def summary_lines(flags: Sequence[Any], account_flags: Sequence[Any], ranking: Sequence[RankedAccount], *,
                  labels: dict[str, str] | None = None, max_lines: int = MAX_LINES) -> list[str]:
    """The accounts that matter most and their top flags, within ``max_lines`` (the heading lines are the
    caller's); the last line says how many more there are and how to see them."""
    by_account: dict[str, list[Any]] = {}
    for f in flags:
        by_account.setdefault(f.account_id, []).append(f)
    coverage: dict[str, list[Any]] = {}
    for af in account_flags:
        coverage.setdefault(af.account_id, []).append(af)
    lines: list[str] = []
    shown_flags = shown_accounts = 0
    budget = max_lines - 3  # room for the closing line
    for account in ranking:
        people = sorted(by_account.get(account.id, []), key=flag_sort_key)
        if not people and not coverage.get(account.id):
            continue
        label = (labels or {}).get(account.quadrant) or Quadrant.label_of(account.quadrant)
        block = ["", f"**{account.name}** ({account.id}), {label}, revenue {money(account.annual_revenue)}"]
        for af in coverage.get(account.id, []):
            block.append(f"- account: {FLAG_WORDS[af.flag]}: {af.reason}")
        shown = _worth_showing(people)[:PER_ACCOUNT]
        for f in shown:
            who = f"{f.stakeholder_name}" + (f", {f.title}" if f.title else "") + (" (key)" if f.key else "")
            block.append(f"- {who}: {short_reason(f)}")
        if len(people) > len(shown):
            block.append(f"- and {plural(len(people) - len(shown), 'more flag')} here")
        if lines and len(lines) + len(block) > budget:
            break
        lines += block
        shown_accounts += 1
        shown_flags += len(shown)
    total_accounts = len({*by_account, *coverage})
    rest_flags = len(flags) - shown_flags
    if total_accounts > shown_accounts or rest_flags > 0:
        lines += ["", f"... and {plural(rest_flags, 'more stakeholder flag')}, "
                      f"{plural(total_accounts - shown_accounts, 'more account')} not shown. For every flag of one "
                      "account, ask about it (\"who's gone dark at <account>?\"); the web page "
                      "(/ui/accounts/<id>) and --json list them all."]
    return lines
