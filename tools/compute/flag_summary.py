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
SUMMARY_ROOM = MAX_LINES - 5  # the reply's lead sentence, a blank line and three heading lines come first
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


def rank_and_summarise(session: Session, quadrants: dict[str, str], flags: list[Any], account_flags: list[Any]
                       ) -> tuple[list[RankedAccount], FlagSummary | None]:
    """Rank the flagged accounts, sort ``flags`` in place into the summary's order (account rank, key people
    first, worst flag first), and plan the summary when more than one account has flags."""
    flagged = {f.account_id for f in [*flags, *account_flags]}
    ranking = rank_accounts(session, {aid: q for aid, q in quadrants.items() if aid in flagged})
    place = {a.id: n for n, a in enumerate(ranking)}
    flags.sort(key=lambda f: (place.get(f.account_id, len(place)), *flag_sort_key(f)))
    summary = summarise(flags, account_flags, ranking, max_lines=SUMMARY_ROOM) if len(ranking) > 1 else None
    return ranking, summary


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


class FlagSummary(BaseModel):
    """What the summary shows (the numbers it prints are these): per account shown, how many flags it names and
    how many more it has; then how many flags and accounts are left out."""

    shown: dict[str, int]
    more_here: dict[str, int]
    more_flags: int
    more_accounts: int


def summarise(flags: Sequence[Any], account_flags: Sequence[Any], ranking: Sequence[RankedAccount], *,
              max_lines: int = MAX_LINES) -> FlagSummary:
    """Which accounts and flags the summary shows within ``max_lines``."""
    return _render(flags, account_flags, ranking, None, max_lines)[1]


def summary_lines(flags: Sequence[Any], account_flags: Sequence[Any], ranking: Sequence[RankedAccount], *,
                  labels: dict[str, str] | None = None, max_lines: int = MAX_LINES) -> list[str]:
    """The accounts that matter most and their top flags, within ``max_lines`` (the heading lines are the
    caller's); the last line says how many more there are and how to see them."""
    return _render(flags, account_flags, ranking, labels, max_lines)[0]


def _render(flags: Sequence[Any], account_flags: Sequence[Any], ranking: Sequence[RankedAccount],
            labels: dict[str, str] | None, max_lines: int) -> tuple[list[str], FlagSummary]:
    by_account: dict[str, list[Any]] = {}
    for f in flags:
        by_account.setdefault(f.account_id, []).append(f)
    coverage: dict[str, list[Any]] = {}
    for af in account_flags:
        coverage.setdefault(af.account_id, []).append(af)
    lines: list[str] = []
    summary = FlagSummary(shown={}, more_here={}, more_flags=0, more_accounts=0)
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
        summary.shown[account.id] = len(shown)
        if len(people) > len(shown):
            summary.more_here[account.id] = len(people) - len(shown)
    summary.more_accounts = len({*by_account, *coverage}) - len(summary.shown)
    summary.more_flags = len(flags) - sum(summary.shown.values())
    if summary.more_accounts > 0 or summary.more_flags > 0:
        lines += ["", f"... and {plural(summary.more_flags, 'more stakeholder flag')}, "
                      f"{plural(summary.more_accounts, 'more account')} not shown. For every flag of one "
                      "account, ask about it (\"who's gone dark at <account>?\"); the web page "
                      "(/ui/accounts/<id>) and --json list them all."]
    return lines, summary


def full_list_markdown(flags: Sequence[Any], account_flags: Sequence[Any], ranking: Sequence[RankedAccount]) -> str:
    """Every flag, grouped by account in the summary's order, one short line each."""
    by_account: dict[str, list[Any]] = {}
    for item in [*account_flags, *sorted(flags, key=flag_sort_key)]:
        by_account.setdefault(item.account_id, []).append(item)
    parts: list[str] = []
    for account in ranking:
        lines = [f"### {account.name} ({account.id}), {Quadrant.label_of(account.quadrant)}"]
        for item in by_account.get(account.id, []):
            if hasattr(item, "stakeholder_name"):
                who = item.stakeholder_name + (f", {item.title}" if item.title else "") + (" (key)" if item.key else "")
                lines.append(f"- {who}: {short_reason(item)}")
            else:
                lines.append(f"- account: {FLAG_WORDS[item.flag]}: {item.reason}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def slack_blocks(result: Any) -> list[dict[str, Any]]:
    """In Slack the summary comes first and the full list follows it (in more messages when it is long)."""
    from tools.blockkit import context, divider, header, plain_blocks, text_blocks
    from tools.escape import escaped

    blocks = plain_blocks(result)
    if result.summary is None:
        return blocks
    shown = escaped(result)  # names and reasons as text, not markup
    return blocks + [divider(), header("Every flag, by account"),
                     context("The summary above leads; the full list follows, account by account.")] + text_blocks(
        full_list_markdown(shown.flags, shown.account_flags, shown.ranking))
