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
from typing import Any, Literal

from pydantic import BaseModel, Field
from rapidfuzz import fuzz, process
from sqlalchemy import ColumnElement, and_, false, func, or_
from sqlmodel import col, select

from store.audit import record
from store.models import Account, Commitment, User
from store.scopes import ScopeError, visible_owner_ids
from tools.blockkit import commitment_blocks, context, header, heading_of, section
from tools.context import ToolContext
from tools.errors import NotFound, ToolError
from tools.escape import slack_text
from tools.registry import PlannerHints, tool
from tools.results import ToolResult
from tools.transactions import writing
from tools.wording import plural

STATUSES = ("overdue", "due_soon", "open")
MAX_SNOOZE_DAYS = 90


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


class CommitmentList(ToolResult):
    """The commitments of one status in one scope, soonest due first (no due date last)."""

    scope: str
    status: str
    as_of: dt.date
    rule: str
    commitments: list[CommitmentItem]
    counts: dict[str, int] = Field(default_factory=dict)  # total, accounts, overdue, due_soon, listed, more

    def lead(self) -> str:
        return "Here are the commitments." if self.commitments else "Nothing matches: no commitments in that list."

    def as_markdown(self) -> str:
        title = {"overdue": "Overdue commitments", "due_soon": "Commitments due soon", "open": "Open commitments"}
        heading = f"## {title[self.status]} (scope {self.scope}, as of {self.as_of.isoformat()})"
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

class CommitmentChange(ToolResult):
    """The outcome of marking a commitment done or snoozing it; ``changed`` is false when it already was."""

    id: str
    account_id: str
    account_name: str
    description: str
    action: Literal["complete", "snooze"]
    changed: bool
    status: str
    done: dt.date | None
    snoozed_until: dt.date | None
    message: str

    def as_markdown(self) -> str:
        return self.message


def _when(c: CommitmentItem) -> str:
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


def _scope_condition(ctx: ToolContext, scope: str) -> ColumnElement[bool] | None:
    """The SQL condition on (Commitment, Account) for ``scope``; ``None`` means no restriction."""
    try:
        owners = visible_owner_ids(ctx.session, ctx.user, scope)
        visible = visible_owner_ids(ctx.session, ctx.user, "all")
    except ScopeError as exc:
        raise ToolError(str(exc), suggestions=["mine", "team", "all"]) from exc
    if owners is None:
        return None
    in_scope = col(Account.owner_id).in_(owners) if owners else false()
    if scope != "mine":
        return in_scope
    mine = Commitment.owner_id == ctx.user.id
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
    exemplars=(
        "what's overdue", "my commitments", "what did we promise", "what's due this week", "open follow-ups",
        "list my action items", "what do I owe customers", "overdue commitments for my team", "anything due soon",
        "what have I not delivered yet", "which promises are late", "what's on my plate for customers",
        "deliverables due in the next few days", "what do we still owe them", "outstanding tasks for my accounts",
    ),
    slots=("scope", "status"),
)


@tool("list_commitments", title="List commitments", planner=_PLANNER_LIST_COMMITMENTS)
def list_commitments(ctx: ToolContext, *, scope: str = "mine", status: str = "open") -> CommitmentList:
    """Commitments overdue, due soon (within 2 days) or open, in scope mine / team / all, soonest first.

    Overdue and due-soon leave out snoozed commitments (they are the nudge lists); open shows every open
    commitment, snoozed ones with their snooze date.
    """
    if status not in STATUSES:
        raise ToolError(f"unknown status {status!r}; use one of: {', '.join(STATUSES)}", suggestions=list(STATUSES))
    as_of = ctx.as_of
    soon = ctx.rules.commitments.due_soon_days
    horizon = as_of + dt.timedelta(days=soon)
    stmt = (
        select(Commitment, Account.name, User.name)
        .join(Account, col(Account.id) == Commitment.account_id)
        .outerjoin(User, col(User.id) == Commitment.owner_id)
        .where(Commitment.status == "open")
    )
    condition = _scope_condition(ctx, scope)
    if condition is not None:
        stmt = stmt.where(condition)
    not_snoozed = or_(col(Commitment.snoozed_until).is_(None), col(Commitment.snoozed_until) <= as_of)
    if status == "overdue":
        stmt = stmt.where(col(Commitment.due) < as_of, not_snoozed)
        rule = f"overdue: open, due before {as_of.isoformat()}, not snoozed"
    elif status == "due_soon":
        stmt = stmt.where(col(Commitment.due) >= as_of, col(Commitment.due) <= horizon, not_snoozed)
        rule = f"due soon: open, due {as_of.isoformat()} to {horizon.isoformat()} ({soon} days), not snoozed"
    else:
        rule = f"open: every open commitment; overdue means due before {as_of.isoformat()}"
    items = [_item(c, account_name, owner_name, as_of, soon) for c, account_name, owner_name in ctx.session.exec(stmt)]
    items.sort(key=lambda c: (c.due is None, c.due or as_of, c.account_name.casefold(), c.id))
    listed = min(len(items), MAX_LISTED)
    counts = {"total": len(items), "accounts": len({c.account_id for c in items}),
              "overdue": sum(c.status == "overdue" for c in items),
              "due_soon": sum(c.status == "due_soon" for c in items), "listed": listed, "more": len(items) - listed}
    return CommitmentList(scope=scope, status=status, as_of=as_of, rule=rule, commitments=items, counts=counts)


def _item(c: Commitment, account_name: str, owner_name: str | None, as_of: dt.date, soon: int) -> CommitmentItem:
    state = classify(c.due, as_of, soon)
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
    )


def _find_visible(ctx: ToolContext, ref: str) -> tuple[Commitment, Account]:
    """The commitment ``ref`` (its id, any case) if the user may see its account; else ``NotFound``.

    One query of the same shape whether the row is missing or out of scope (the scope is in its WHERE), then
    the same suggestions query: neither the answer nor the work done tells another user's commitment apart
    from one that does not exist.
    """
    text = (ref or "").strip()
    if not text:
        raise ToolError("which commitment? give its id")
    stmt = (select(Commitment, Account).join(Account, col(Account.id) == Commitment.account_id)
            .where(func.lower(Commitment.id) == text.lower()))
    owners = visible_owner_ids(ctx.session, ctx.user, "all")
    if owners is not None:
        stmt = stmt.where(col(Account.owner_id).in_(owners) if owners else false())
    found = ctx.session.exec(stmt.order_by(col(Commitment.id) != text, col(Commitment.id))).first()
    if found is None:
        suggestions = _nearest_ids(ctx, text, owners)
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        raise NotFound(f"no commitment {text!r}{hint}", suggestions=suggestions)
    return found[0], found[1]


def _nearest_ids(ctx: ToolContext, text: str, owners: list[str] | None) -> list[str]:
    stmt = select(Commitment.id).join(Account, col(Account.id) == Commitment.account_id)
    stmt = stmt.where(Commitment.status == "open")
    if owners is not None:
        stmt = stmt.where(col(Account.owner_id).in_(owners) if owners else false())
    ids = list(ctx.session.exec(stmt).all())
    found = process.extract(text, ids, scorer=fuzz.ratio, limit=3, score_cutoff=70.0)
    return [match for match, _score, _index in found]


def _change(c: Commitment, account: Account, action: str, changed: bool, message: str) -> CommitmentChange:
    return CommitmentChange(
        id=c.id, account_id=c.account_id, account_name=account.name, description=c.description,
        action=action, changed=changed, status=c.status, done=c.done, snoozed_until=c.snoozed_until,
        message=message,
    )


@tool("complete_commitment", title="Mark a commitment done", writes=True, agent=False, idempotent=True,
      as_of="today", model_note="Call only when the user says the commitment was delivered.")
def complete_commitment(ctx: ToolContext, *, commitment: str) -> CommitmentChange:
    """Mark one commitment done as of today (``as_of``); marking a done one again changes nothing."""
    found, account = _find_visible(ctx, commitment)
    with writing(ctx) as s:
        row = s.get(Commitment, found.id, with_for_update=True)
        if row is None:  # removed between the read and the write
            raise NotFound(f"no commitment {commitment.strip()!r}")
        if row.status == "cancelled":
            raise ToolError(f"commitment {row.id} was cancelled; it cannot be marked done")
        if row.status == "done":
            done = row.done.isoformat() if row.done else "an earlier date"
            return _change(row, account, "complete", False, f"{row.id} was already done ({done}); nothing changed.")
        previous = row.status
        row.status, row.done = "done", ctx.as_of
        s.add(row)
        record(s, actor=ctx.user.id, action="complete", entity="commitment", entity_id=row.id,
               detail={"previous_status": previous, "done": ctx.as_of.isoformat()})
        s.flush()
        return _change(row, account, "complete", True,
                       f"Marked {row.id} done ({account.name}: {row.description}) on {ctx.as_of.isoformat()}.")


@tool("snooze_commitment", title="Snooze a commitment", writes=True, agent=False, idempotent=True,
      as_of="today")
def snooze_commitment(ctx: ToolContext, *, commitment: str, days: int = 2) -> CommitmentChange:
    """Hold one open commitment out of the overdue / due-soon nudges for ``days`` days (default 2).

    Snoozing again to the same or an earlier date changes nothing.
    """
    if not 1 <= days <= MAX_SNOOZE_DAYS:
        raise ToolError(f"days must be between 1 and {MAX_SNOOZE_DAYS}; got {days}")
    found, account = _find_visible(ctx, commitment)
    until = ctx.as_of + dt.timedelta(days=days)
    with writing(ctx) as s:
        row = s.get(Commitment, found.id, with_for_update=True)
        if row is None:
            raise NotFound(f"no commitment {commitment.strip()!r}")
        if row.status != "open":
            return _change(row, account, "snooze", False, f"{row.id} is {row.status}; there is nothing to snooze.")
        if row.snoozed_until is not None and row.snoozed_until >= until:
            return _change(row, account, "snooze", False,
                           f"{row.id} is already snoozed until {row.snoozed_until.isoformat()}; nothing changed.")
        previous = row.snoozed_until
        row.snoozed_until = until
        s.add(row)
        record(s, actor=ctx.user.id, action="snooze", entity="commitment", entity_id=row.id,
               detail={"snoozed_until": until.isoformat(), "previous": previous.isoformat() if previous else None,
                       "as_of": ctx.as_of.isoformat()})
        s.flush()
        return _change(row, account, "snooze", True,
                       f"Snoozed {row.id} ({account.name}: {row.description}) until {until.isoformat()}.")
