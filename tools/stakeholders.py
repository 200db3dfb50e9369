"""The ``flag_dark_stakeholders`` tool: the flags of ``tools.compute.stakeholder_flags`` for one account or a
user's whole scope, summary first when the list is long.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from store.models import Account
from tools.accounts import resolve_account, scope_account_ids
from tools.compute import flag_summary as fs
from tools.compute.stakeholder_flags import (
    AccountFlag,
    StakeholderFlag,
    compute_flags,
)
from tools.context import ToolContext
from tools.registry import PlannerHints, tool
from tools.results import ToolResult
from tools.wording import plural

_MAX_ACCOUNTS_SHOWN = 40


class DarkStakeholdersResult(ToolResult):
    """``flag_dark_stakeholders``: every stakeholder flag and account-level flag, each with its evidence."""

    as_of: dt.date
    scope: str
    accounts_checked: int
    flags: list[StakeholderFlag]
    account_flags: list[AccountFlag]
    counts: dict[str, int]
    windows: dict[str, dict[str, Any]]
    ranking: list[fs.RankedAccount] = Field(default_factory=list)  # flagged accounts, by quadrant and revenue
    summary: fs.FlagSummary | None = None  # what the summary-first text shows, when many accounts have flags

    def lead(self) -> str:
        if not self.flags and not self.account_flags:
            return "No stakeholder flags: everyone key is within their expected touch."
        return "These stakeholders need attention, with the evidence for each."

    def as_slack_blocks(self) -> list[dict[str, Any]]:
        return fs.slack_blocks(self)  # the summary, then (across many accounts) every flag by account

    def as_markdown(self) -> str:
        lines = [f"## Dark stakeholders: {self.scope} (as of {self.as_of.isoformat()})"]
        total = len(self.flags) + len(self.account_flags)
        if not total:
            lines.append(f"No flags across {plural(self.accounts_checked, 'account')}: every mapped stakeholder is "
                         "within their touch window, and coverage is healthy.")
            return "\n".join(lines)
        summary = ", ".join(f"{n} {fs.FLAG_WORDS[f]}" for f, n in self.counts.items() if n)
        lines.append(f"{plural(self.accounts_checked, 'account')} checked: {summary}.")
        if len(self.ranking) > 1:  # many accounts: the ones that matter most, then "and N more"
            lines.append("The accounts that matter most first (by quadrant and revenue), key people first:")
            return "\n".join(lines + fs.summary_lines(self.flags, self.account_flags, self.ranking,
                                                      max_lines=fs.SUMMARY_ROOM))
        by_account: dict[str, list[Any]] = {}
        names: dict[str, str] = {}
        for item in [*self.account_flags, *self.flags]:
            by_account.setdefault(item.account_id, []).append(item)
            names[item.account_id] = item.account_name
        for shown, (aid, items) in enumerate(by_account.items()):
            if shown >= _MAX_ACCOUNTS_SHOWN:
                more = plural(len(by_account) - shown, "more account")
                lines.append(f"\n... and {more} with flags (use --json for all).")
                break
            w = self.windows.get(aid, {})
            lines.append(f"\n### {names[aid]} ({aid})")
            if w:
                lines.append(f"Touch windows: key stakeholders {w['key_days']} days, others {w['other_days']} days "
                             f"({w['why']}).")
            for item in items:
                if isinstance(item, AccountFlag):
                    lines.append(f"- **{fs.FLAG_WORDS[item.flag]}**: {item.reason}.")
            rows = [i for i in items if isinstance(i, StakeholderFlag)]
            if rows:
                lines += ["", "| stakeholder | key | flag | evidence |", "| --- | --- | --- | --- |"]
                for f in rows:
                    who = f"{f.stakeholder_name}" + (f", {f.title}" if f.title else "")
                    lines.append(f"| {who} | {'yes' if f.key else 'no'} | {fs.FLAG_WORDS[f.flag]} | {f.reason} |")
        return "\n".join(lines)


_PLANNER_FLAG_DARK_STAKEHOLDERS = PlannerHints(
    rules=(
        (r"\b(gone dark|went dark|going dark|go dark|dark|gone quiet|went quiet|going quiet"
         r"|quiet|silent|ghost(ed|ing)?|not heard|haven't heard|haven't (we |i )?(talked|spoken"
         r"|met|seen|touched)|have(n't| not) (we |i )?(been in touch|reached)|unreached"
         r"|never (met|spoken|talked|engaged|reached)|cooling|cooled|gone cold|went cold"
         r"|going cold|cold on us|single[- ]threaded|multi[- ]thread(ed)?|lost touch"
         r"|out of touch|disengag\w*|who (should|do) i re-?engage|re-?engage|sentiment (drops?"
         r"|dips?)|stakeholder (risk|flags?|health|coverage)|key (people|contacts|stakeholders)"
         r"|who('s| is) (gone )?missing|thin coverage)\b", 3.0),
    ),
    paraphrases=(
        "who have we lost contact with", "anyone we haven't spoken to in a long time", "people we're neglecting",
        "which contacts went silent", "who have I not caught up with for ages", "relationships going cold",
        "who is not answering anymore", "which decision makers have we not met", "who's fallen off the radar",
        "contacts we should ring", "any silent sponsors", "gaps in who we know there",
    ),
    exemplars=(
        "who's gone dark", "which stakeholders went quiet", "who haven't we talked to", "who is cooling off",
        "any stakeholders going dark", "who did we never meet", "is the account single threaded",
        "which contacts have we lost touch with", "who should I re-engage", "are we relying on one contact",
        "which executives have we not seen lately", "whose sentiment dropped", "who stopped replying",
        "relationship gaps at the account", "anyone we should call soon",
    ),
    slots=("account",),
)


@tool("flag_dark_stakeholders", title="Flag stakeholders gone dark", planner=_PLANNER_FLAG_DARK_STAKEHOLDERS)
def flag_dark_stakeholders(ctx: ToolContext, *, account: str | None = None) -> DarkStakeholdersResult:
    """Find stakeholders who have gone dark, were never met, are cooling or whose sentiment dropped.

    One account, or (without ``account``) every account the user can see. Also flags accounts that are
    single-threaded or thinly covered. Each flag carries its dates, counts, sentiments and the window used.
    """
    if account is not None and account.strip():
        acc: Account = resolve_account(ctx, account)
        ids: list[str] | None = [acc.id]
        scope = f"{acc.name} ({acc.id})"
    else:
        ids, scope = scope_account_ids(ctx, "all"), "all accounts in your scope"
    results = compute_flags(ctx, ids)
    flags = [f for r in results.values() for f in r.flags]
    account_flags = [f for r in results.values() for f in r.account_flags]
    ranking, summary = fs.rank_and_summarise(ctx.session, {aid: r.quadrant for aid, r in results.items()}, flags,
                                          account_flags)
    counts = {name: 0 for name in fs.FLAG_WORDS}
    for f in [*flags, *account_flags]:
        counts[f.flag] += 1
    windows = {aid: r.windows for aid, r in results.items() if r.flags or r.account_flags}
    return DarkStakeholdersResult(
        as_of=ctx.as_of, scope=scope, accounts_checked=len(results), flags=flags, account_flags=account_flags,
        counts=counts, windows=windows, ranking=ranking, summary=summary,
    )
