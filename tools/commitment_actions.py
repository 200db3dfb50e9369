"""The actions on one commitment by its id (docs/rules.md): mark it done, snooze it, hand it to someone else.

Each checks that the user may see the commitment's account: one they may not see is "not found", like a
missing one. All three are idempotent (done twice is done once) and write an audit record. The offline planner
calls them only on an explicit commitment id in the user's own message, never on a guess.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from rapidfuzz import fuzz, process
from sqlmodel import col, false, func, select

from store.audit import record
from store.models import Account, Commitment, User
from store.scopes import visible_owner_ids
from tools.context import ToolContext
from tools.errors import NotFound, ToolError
from tools.owners import book_owner_ids, peer_ids, resolve_user
from tools.registry import PlannerHints, tool
from tools.results import ToolResult
from tools.transactions import writing

MAX_SNOOZE_DAYS = 90
# A commitment's id as people type it: "C0075", "c0016".
COMMITMENT_ID = r"\b[cC]\d{3,6}\b"


class CommitmentChange(ToolResult):
    """The outcome of marking a commitment done, snoozing or reassigning it; ``changed`` is false when it already
    was so."""

    id: str
    account_id: str
    account_name: str
    description: str
    action: Literal["complete", "snooze", "reassign"]
    changed: bool
    status: str
    done: dt.date | None
    snoozed_until: dt.date | None
    message: str
    owner_id: str | None = None
    owner_name: str | None = None

    def as_markdown(self) -> str:
        return self.message


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


def _change(c: Commitment, account: Account, action: str, changed: bool, message: str,
            owner_name: str | None = None) -> CommitmentChange:
    return CommitmentChange(
        id=c.id, account_id=c.account_id, account_name=account.name, description=c.description,
        action=action, changed=changed, status=c.status, done=c.done, snoozed_until=c.snoozed_until,
        message=message, owner_id=c.owner_id, owner_name=owner_name,
    )


_PLANNER_COMPLETE = PlannerHints(
    rules=((r"\b(done|complete|completed|finished|delivered|closed?( out| off)?|"
            r"(tick|check|cross)(ed)? (?:(?:it|that|this|them|these|those|that one|this one) )?off|"
            r"resolved|sorted|shipped|sent|handled|fulfilled|kept|"
            r"(went|gone|is|are|now) (out|live|over)|signed off)\b", 3.0),),
    slots=("commitment",), record_id=COMMITMENT_ID,
)
_PLANNER_SNOOZE = PlannerHints(
    rules=((r"\b(snooze|snoozed|push(ed)?( it)?( back| out)?|postpone|defer|delay|later|remind me|hold off|"
            r"park|bump|move( it)? (back|out)|give (me|it) (\w+ ){0,2}(days?|weeks?)|until|till|in \d+ days?)\b",
            3.0),),
    slots=("commitment", "days", "until"), record_id=COMMITMENT_ID,
)
_PLANNER_REASSIGN = PlannerHints(
    rules=((r"\b(reassign|re-assign|assign|handover|transfer|(hand|give|pass|move|switch)\b.{0,48}\b(to|over to)|"
            r"owner (is|should be|to)|change (the )?owner|let \w+ (own|take|handle)|"
            r"\w+ (should|will|can) (own|take|handle))\b", 3.0),),
    slots=("commitment", "to"), record_id=COMMITMENT_ID,
)


@tool("complete_commitment", title="Mark a commitment done", writes=True, idempotent=True, as_of="today",
      planner=_PLANNER_COMPLETE,
      model_note="Call only when the user names the commitment (its id) and says it was delivered.")
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


@tool("snooze_commitment", title="Snooze a commitment", writes=True, idempotent=True, as_of="today",
      planner=_PLANNER_SNOOZE, model_note="Call only when the user names the commitment (its id).")
def snooze_commitment(ctx: ToolContext, *, commitment: str, days: int = 2,
                      until: str | None = None) -> CommitmentChange:
    """Hold one open commitment out of the overdue / due-soon nudges for ``days`` days (default 2), or until the day
    ``until`` names ("Monday", "dec 10", "2026-12-10", "end of month"), read from today (``as_of``).

    Snoozing again to the same or an earlier date changes nothing.
    """
    if until and until.strip():
        days = _days_until(until, ctx.as_of)
    if not 1 <= days <= MAX_SNOOZE_DAYS:
        raise ToolError(f"days must be between 1 and {MAX_SNOOZE_DAYS}; got {days}")
    found, account = _find_visible(ctx, commitment)
    until_day = ctx.as_of + dt.timedelta(days=days)
    with writing(ctx) as s:
        row = s.get(Commitment, found.id, with_for_update=True)
        if row is None:
            raise NotFound(f"no commitment {commitment.strip()!r}")
        if row.status != "open":
            return _change(row, account, "snooze", False, f"{row.id} is {row.status}; there is nothing to snooze.")
        if row.snoozed_until is not None and row.snoozed_until >= until_day:
            return _change(row, account, "snooze", False,
                           f"{row.id} is already snoozed until {row.snoozed_until.isoformat()}; nothing changed.")
        previous = row.snoozed_until
        row.snoozed_until = until_day
        s.add(row)
        record(s, actor=ctx.user.id, action="snooze", entity="commitment", entity_id=row.id,
               detail={"snoozed_until": until_day.isoformat(), "previous": previous.isoformat() if previous else None,
                       "as_of": ctx.as_of.isoformat()})
        s.flush()
        return _change(row, account, "snooze", True,
                       f"Snoozed {row.id} ({account.name}: {row.description}) until {until_day.isoformat()}.")


def _days_until(phrase: str, as_of: dt.date) -> int:
    """The days from ``as_of`` to the day ``phrase`` names; a question back when it names no day after today."""
    from tools.notes.extract.dates import describe, resolve  # dateparser only when a day is named

    day = resolve(phrase, as_of, prefer="future")
    if day is None:
        raise ToolError(f"I can't read {phrase.strip()!r} as a day. Until when: a weekday, a date like 2026-12-10, "
                        "or a number of days?")
    if day <= as_of:
        raise ToolError(f"{phrase.strip()!r} is {describe(day)}, not after today ({as_of.isoformat()}). "
                        "Until when should it be snoozed?")
    return (day - as_of).days


@tool("reassign_commitment", title="Reassign a commitment", writes=True, idempotent=True, planner=_PLANNER_REASSIGN,
      model_note="Call only when the user names the commitment (its id) and the person to hand it to.")
def reassign_commitment(ctx: ToolContext, *, commitment: str, to: str) -> CommitmentChange:
    """Hand one open commitment to another user (``to``: a user id or name) who may own it.

    A manager may hand it to anyone in their team (an admin to anyone); a rep or KAM to themself, the account's
    owner, their own manager, or a peer under the same manager. Handing it to its owner again changes nothing.
    """
    found, account = _find_visible(ctx, commitment)
    allowed = book_owner_ids(ctx)
    if allowed is not None:
        allowed = list(dict.fromkeys([*allowed, *peer_ids(ctx), account.owner_id]))
    target = resolve_user(ctx, to, allowed)
    with writing(ctx) as s:
        row = s.get(Commitment, found.id, with_for_update=True)
        if row is None:
            raise NotFound(f"no commitment {commitment.strip()!r}")
        if row.status != "open":
            return _change(row, account, "reassign", False, f"{row.id} is {row.status}; it cannot be reassigned.",
                           _name(s, row.owner_id))
        if row.owner_id == target.id:
            return _change(row, account, "reassign", False, f"{row.id} is already {target.name}'s; nothing changed.",
                           target.name)
        previous = row.owner_id
        row.owner_id = target.id
        s.add(row)
        record(s, actor=ctx.user.id, action="reassign", entity="commitment", entity_id=row.id,
               detail={"owner_id": target.id, "previous": previous})
        s.flush()
        return _change(row, account, "reassign", True,
                       f"Reassigned {row.id} ({account.name}: {row.description}) to {target.name}.", target.name)


def _name(session: object, user_id: str | None) -> str | None:
    user = session.get(User, user_id) if user_id else None  # type: ignore[attr-defined]
    return user.name if user else None
