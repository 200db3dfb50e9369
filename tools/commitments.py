"""Commitments (docs/rules.md): what is overdue, due soon or open, and the two actions on one: done, snooze.

- Overdue: open and due before ``as_of`` (due on ``as_of`` itself is not overdue).
- Due soon: open and due from ``as_of`` to ``as_of + rules.commitments.due_soon_days`` (both included).
- Snoozed (``snoozed_until`` after ``as_of``): left out of the overdue and due-soon lists, which are the
  ones that nudge, but still listed under ``open`` with the snooze shown.

Scope ``mine`` is the commitments on the user's own accounts plus those the user owns on any account they
may see; ``team`` and ``all`` are the commitments on the accounts of that scope (docs/rules.md). The actions check
that the user may see the commitment's account: one they may not see is "not found", like a missing one.
Both actions are idempotent (done twice is done once) and write an audit record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, and_, false, or_
from sqlmodel import col, select

from store.models import Account, Commitment, User
from store.scopes import ScopeError, visible_owner_ids
from tools.accounts import resolve_account
from tools.blockkit import commitment_blocks, context, header, heading_of, section
from tools.context import ToolContext
from tools.errors import ToolError
from tools.escape import slack_text
from tools.owners import owner_filter
from tools.registry import PlannerHints, tool
from tools.results import ToolResult
from tools.wording import plural

STATUSES = ("overdue", "due_soon", "open", "done")
SIDES = ("ours", "customer")


MAX_LISTED = 28  # a longer list shows its counts and the most pressing ones (one screen), then "and N more"


class CommitmentItem(BaseModel):
    """One open commitment; ``status`` is its state as of the day asked: overdue, due_soon or open."""

    id: str
    account_id: str
    account_name: str
    owner_id: str | None
    owner_name: str | None = None
    side: str
    description: str
    due: dt.date | None
    status: str
    days_overdue: int | None = None
    days_until: int | None = None
    snoozed_until: dt.date | None = None
    done: dt.date | None = None


class CommitmentList(ToolResult):
    """The commitments of one status in one scope (or on one account, or in one rep's book), soonest due first
    (no due date last); done ones most recently done first."""

    scope: str
    status: str
    as_of: dt.date
    rule: str
    commitments: list[CommitmentItem]
    counts: dict[str, int] = Field(default_factory=dict)  # total, accounts, overdue, due_soon, listed, more
    account_id: str | None = None
    account_name: str | None = None
    owner_id: str | None = None
    owner_name: str | None = None
    side: str | None = None

    def lead(self) -> str:
        return "Here are the commitments." if self.commitments else "Nothing matches: no commitments in that list."

    def as_markdown(self) -> str:
        title = {"overdue": "Overdue commitments", "due_soon": "Commitments due soon", "open": "Open commitments",
                 "done": "Done commitments"}
        where = (f"{self.account_name} ({self.account_id})" if self.account_id
                 else f"{self.owner_name}'s accounts" if self.owner_name else f"scope {self.scope}")
        side = {"ours": "ours, ", "customer": "the customer's, "}.get(self.side or "", "")
        heading = f"## {title[self.status]} ({side}{where}, as of {self.as_of.isoformat()})"
        lines = [heading, "", f"_{self.rule}_", ""]
        if not self.commitments:
            lines.append("None.")
        elif self.counts.get("more"):  # summary first: the counts, then the most pressing
            n = self.counts
            lines += [f"{plural(n['total'], 'commitment')} on {plural(n['accounts'], 'account')}: {n['overdue']} "
                      f"overdue, {n['due_soon']} due soon. The {n['listed']} most pressing:", ""]
        for c in self.commitments[: self.counts.get("listed", len(self.commitments))]:
            lines.append(f"- **{c.id}** {c.account_name} ({c.account_id}): {c.description} — {_when(c)}; "
                         f"{c.side}, owner {c.owner_name or c.owner_id or 'unassigned'}")
        if self.counts.get("more"):
            lines += ["", f"... and {plural(self.counts['more'], 'more commitment')}: ask for one account or owner, "
                          "or see them all on the web page (/ui/commitments) or with --json."]
        return "\n".join(lines)


    def as_slack_blocks(self) -> list[dict[str, Any]]:
        blocks = [header(heading_of(self) or "Commitments")]
        if self.rule:
            blocks.append(context(slack_text(self.rule)))
        items = [c.model_dump(mode="json") for c in self.commitments]
        return blocks + (commitment_blocks(items) if items else [section("None.")])

def _when(c: CommitmentItem) -> str:
    if c.done is not None:
        return f"done {c.done.isoformat()}" + (f", was due {c.due.isoformat()}" if c.due else "")
    if c.due is None:
        text = "no due date"
    elif c.days_overdue:
        text = f"due {c.due.isoformat()}, {c.days_overdue} day{'s' if c.days_overdue != 1 else ''} overdue"
    elif c.days_until == 0:
        text = f"due today ({c.due.isoformat()})"
    else:
        text = f"due {c.due.isoformat()}, in {c.days_until} day{'s' if c.days_until != 1 else ''}"
    if c.snoozed_until is not None:
        text += f", snoozed until {c.snoozed_until.isoformat()}"
    return text


def classify(due: dt.date | None, as_of: dt.date, due_soon_days: int) -> str:
    """overdue / due_soon / open for an open commitment due on ``due``, as of ``as_of``."""
    if due is None:
        return "open"
    if due < as_of:
        return "overdue"
    if due <= as_of + dt.timedelta(days=due_soon_days):
        return "due_soon"
    return "open"


def _scope_condition(ctx: ToolContext, scope: str, person: User | None = None) -> ColumnElement[bool] | None:
    """The SQL condition on (Commitment, Account) for ``scope``; ``None`` means no restriction. With ``person``
    (scope ``mine``): that person's "mine" (their accounts and what they own), within what the user may see."""
    whose = person or ctx.user
    try:
        owners = [whose.id] if person else visible_owner_ids(ctx.session, ctx.user, scope)
        visible = visible_owner_ids(ctx.session, ctx.user, "all")
    except ScopeError as exc:
        raise ToolError(str(exc), suggestions=["mine", "team", "all"]) from exc
    if owners is None:
        return None
    in_scope = col(Account.owner_id).in_(owners) if owners else false()
    if scope != "mine":
        return in_scope
    mine = Commitment.owner_id == whose.id
    if visible is not None:
        mine = and_(mine, col(Account.owner_id).in_(visible))
    return or_(in_scope, mine)


_PLANNER_LIST_COMMITMENTS = PlannerHints(
    rules=(
        (r"\b(commitments?|committed|overdue|promised|promises|follow[- ]?ups?|to-?dos?"
         r"|action items?|owe|owed|due (this|next|soon|today|tomorrow|in)|deliverables?"
         r"|what's due|whats due|what is due|tasks?|coming due|past due|what's late"
         r"|i still have to|on my plate)\b", 3.0),
    ),
    paraphrases=(
        "what am I on the hook for", "anything I said I'd do that's slipping", "what have we promised them",
        "loose ends with customers", "things I still need to deliver", "what's outstanding for the customer",
        "who's waiting on me", "what have customers said they'd send us", "my open items",
        "things due in the next few days", "what did we sign up to do", "what's still open that we promised",
    ),
    exemplars=(
        "what's overdue", "my commitments", "what did we promise", "what's due this week", "open follow-ups",
        "list my action items", "what do I owe customers", "overdue commitments for my team", "anything due soon",
        "what have I not delivered yet", "which promises are late", "what's on my plate for customers",
        "deliverables due in the next few days", "what do we still owe them", "outstanding tasks for my accounts",
    ),
    slots=("scope", "status", "account", "owner", "side"),
)


@tool("list_commitments", title="List commitments", planner=_PLANNER_LIST_COMMITMENTS)
def list_commitments(ctx: ToolContext, *, scope: str = "mine", status: str = "open", account: str | None = None,
                     owner: str | None = None, side: str | None = None) -> CommitmentList:
    """Commitments overdue, due soon (within 2 days), open or done, in scope mine / team / all, soonest first.

    ``account`` limits them to one account, ``owner`` to one rep's book (a user the user manages: the
    commitments on their accounts and those they own), ``side`` to ours or the customer's. Overdue and due-soon
    leave out snoozed commitments (they are the nudge lists); open shows every open commitment, snoozed ones
    with their snooze date.
    """
    if status not in STATUSES:
        raise ToolError(f"unknown status {status!r}; use one of: {', '.join(STATUSES)}", suggestions=list(STATUSES))
    if side is not None and side not in SIDES:
        raise ToolError(f"unknown side {side!r}; use one of: {', '.join(SIDES)}", suggestions=list(SIDES))
    as_of = ctx.as_of
    soon = ctx.rules.commitments.due_soon_days
    horizon = as_of + dt.timedelta(days=soon)
    stmt = (
        select(Commitment, Account.name, User.name)
        .join(Account, col(Account.id) == Commitment.account_id)
        .outerjoin(User, col(User.id) == Commitment.owner_id)
        .where(Commitment.status == ("done" if status == "done" else "open"))
    )
    place, person = (resolve_account(ctx, account) if account and account.strip() else None), None
    if place is not None:
        stmt = stmt.where(Commitment.account_id == place.id)  # resolved among the accounts the user may see
    else:
        person = owner_filter(ctx, owner)
        condition = _scope_condition(ctx, "mine" if person else scope, person)
        if condition is not None:
            stmt = stmt.where(condition)
    if side is not None:
        stmt = stmt.where(Commitment.side == side)
    not_snoozed = or_(col(Commitment.snoozed_until).is_(None), col(Commitment.snoozed_until) <= as_of)
    if status == "overdue":
        stmt = stmt.where(col(Commitment.due) < as_of, not_snoozed)
        rule = f"overdue: open, due before {as_of.isoformat()}, not snoozed"
    elif status == "due_soon":
        stmt = stmt.where(col(Commitment.due) >= as_of, col(Commitment.due) <= horizon, not_snoozed)
        rule = f"due soon: open, due {as_of.isoformat()} to {horizon.isoformat()} ({soon} days), not snoozed"
    elif status == "done":
        rule = "done: marked done, most recently done first"
    else:
        rule = f"open: every open commitment; overdue means due before {as_of.isoformat()}"
    items = [_item(c, account_name, owner_name, as_of, soon) for c, account_name, owner_name in ctx.session.exec(stmt)]
    items.sort(key=lambda c: (c.due is None, c.due or as_of, c.account_name.casefold(), c.id))
    if status == "done":
        items.sort(key=lambda c: c.done or dt.date.min, reverse=True)
    listed = min(len(items), MAX_LISTED)
    counts = {"total": len(items), "accounts": len({c.account_id for c in items}),
              "overdue": sum(c.status == "overdue" for c in items),
              "due_soon": sum(c.status == "due_soon" for c in items), "listed": listed, "more": len(items) - listed}
    return CommitmentList(scope=scope, status=status, as_of=as_of, rule=rule, commitments=items, counts=counts,
                          account_id=place.id if place else None, account_name=place.name if place else None,
                          owner_id=person.id if person else None, owner_name=person.name if person else None,
                          side=side)


def _item(c: Commitment, account_name: str, owner_name: str | None, as_of: dt.date, soon: int) -> CommitmentItem:
    state = "done" if c.status == "done" else classify(c.due, as_of, soon)
    snoozed = c.snoozed_until if c.snoozed_until is not None and c.snoozed_until > as_of else None
    return CommitmentItem(
        id=c.id,
        account_id=c.account_id,
        account_name=account_name,
        owner_id=c.owner_id,
        owner_name=owner_name,
        side=c.side,
        description=c.description,
        due=c.due,
        status=state,
        days_overdue=(as_of - c.due).days if state == "overdue" and c.due else None,
        days_until=(c.due - as_of).days if state != "overdue" and c.due else None,
        snoozed_until=snoozed,
        done=c.done if c.status == "done" else None,
    )


# The actions on one commitment live in their own module; imported here so callers find them with the lists.
from tools.commitment_actions import (  # noqa: E402
    CommitmentChange,
    complete_commitment,
    reassign_commitment,
    snooze_commitment,
)

__all__ = ["CommitmentChange", "CommitmentItem", "CommitmentList", "classify", "complete_commitment",
           "list_commitments", "reassign_commitment", "snooze_commitment"]
