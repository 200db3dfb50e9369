"""Logging a meeting note conversationally (docs/agent.md): ``log_note`` proposes, the user confirms, undo reverses.

``log_note`` reads the note with the configured extractor (``ctx.extractor``: offline or a model), drops
whatever the note does not support (``tools.notes.validate``) and either asks its questions (nothing
stored) or stores a ``PendingAction`` and shows the proposal. Only the user's own reply confirms it:
``tools.notes.replies`` (``confirm`` / ``undo`` / ``cancel`` in the thread) or the ``confirm_note`` tool with the
proposal's id (a Slack button, ``--yes`` in the CLI). Teams that set ``auto_confirm_notes`` skip the step.

The note's text is data: whatever it says, it is stored as the interaction's text and changes nothing else.
Writes go into the caller's transaction (``ctx.session`` from ``db.write()``); after the commit the use-case
runner (``tools.runner``) runs ``tools.notes.index_hook`` so the note reaches the search index. The same
confirm / undo / cancel typed in a conversation are ``tools.notes.replies``.
"""

from __future__ import annotations

import logging

from sqlmodel import col, select

from store.audit import record
from store.models import Account, PendingAction, Stakeholder, User, utcnow
from store.scopes import visible_owner_ids
from tools.accounts import resolve_account
from tools.context import ToolContext
from tools.errors import Ambiguous, NotFound, ToolError
from tools.notes.results import NoteCancelled, NoteProposal, NoteStored, NoteUndone, ProposedCommitment
from tools.notes.schema import KnownAccount, KnownPerson, NoteExtraction
from tools.notes.store import KIND, cancel_note, find_action, new_id, store_note, undo_note
from tools.notes.validate import validate
from tools.registry import PlannerHints, tool

log = logging.getLogger(__name__)

MAX_NOTE_CHARS = 20_000


_PLANNER_LOG_NOTE = PlannerHints(
    exemplars=(
        "met Dana today she's worried about budget, I'll send the ROI deck by Friday",
        "had a call with the CTO, he's happy with the rollout", "log a note: lunch with procurement",
        "spoke to their VP of ops yesterday, they want a proposal next week",
        "just got off a call with the champion, she left the company",
        "quick catch-up with their finance lead this morning; she wants the invoice fixed, I'll sort it by Monday",
        "the new head of IT joined the call and was sceptical about the migration",
    ),
    slots=("text", "account"), narrative=True,
)


@tool("log_note", title="Log a meeting note", writes=True, planner=_PLANNER_LOG_NOTE, as_of="past",
      model_note="Nothing is stored by this call: it returns a proposal with a pending_id. Show the proposal to the "
                 "user and call confirm_note with that pending_id only after the user says yes; cancel_note "
                 "discards it. When the result has questions, ask the user and call log_note again with the answer.")
def log_note(ctx: ToolContext, *, text: str, account: str | None = None) -> NoteProposal:
    """Log a meeting or call note: propose the interaction, people, sentiment, commitments and changes it
    describes, for the user to confirm (or ask what is unclear: the account, a person, a date).

    Pass the user's note as written in ``text``; ``account`` only when the user named one separately.
    """
    note = (text or "").strip()
    if not note:
        raise ToolError("the note is empty: tell me what happened in the meeting")
    if len(note) > MAX_NOTE_CHARS:
        raise ToolError(f"the note is {len(note)} characters; the limit is {MAX_NOTE_CHARS}. Split it up.")
    if ctx.extractor is None:
        raise ToolError("note extraction is not configured")
    account_id: str | None = None
    if account is not None and account.strip():
        try:
            account_id = resolve_account(ctx, account).id
        except (NotFound, Ambiguous) as exc:
            return NoteProposal(status="question", questions=[exc.message])
    accounts, people = known_scope(ctx)
    raw = ctx.extractor.extract(note, as_of=ctx.as_of, people=people, accounts=accounts, account_id=account_id)
    extraction, dropped = validate(raw, text=note, as_of=ctx.as_of, people=people, accounts=accounts,
                                   account_id=account_id)
    commitments = _commitments(ctx, extraction)
    proposal = NoteProposal(
        status="question" if extraction.questions else "pending",
        account_id=extraction.account.id if extraction.account else None,
        account_name=extraction.account.name if extraction.account else None,
        account_span=extraction.account.span if extraction.account else None,
        interaction_date=extraction.interaction_date(ctx.as_of),
        date_span=extraction.date.span if extraction.date else None,
        kind=extraction.interaction_kind(),
        participants=extraction.participants,
        commitments=commitments,
        changes=extraction.changes,
        questions=extraction.questions,
        dropped=dropped,
        extractor=raw.source,
    )
    if extraction.questions or extraction.account is None:
        return proposal
    action = PendingAction(
        id=new_id("P"), user_id=ctx.user.id, thread_id=ctx.thread_id, kind=KIND, status="pending",
        payload={
            "text": note,
            "as_of": ctx.as_of.isoformat(),
            "account_id": extraction.account.id,
            "extraction": extraction.model_dump(mode="json"),
            "commitments": [c.model_dump(mode="json") for c in commitments],
            "dropped": [d.model_dump(mode="json") for d in dropped],
        },
    )
    _supersede(ctx, action.id)
    ctx.session.add(action)
    record(ctx.session, actor=ctx.user.id, action="propose", entity="pending_action", entity_id=action.id,
           detail={"account_id": extraction.account.id, "thread_id": ctx.thread_id})
    ctx.session.flush()
    proposal.pending_id = action.id
    if ctx.settings is not None and ctx.settings.auto_confirm_notes:
        stored = store_note(ctx, action)
        proposal.status = "stored"
        proposal.stored = stored.as_json()
    return proposal


@tool("confirm_note", title="Confirm a proposed note", writes=True, agent=False, idempotent=True,
      model_note="Call only when the user has confirmed the proposal. Confirming an already stored note again "
                 "stores nothing twice.")
def confirm_pending(ctx: ToolContext, *, pending_id: str | None = None) -> NoteStored:
    """Store a proposed note (by its id, or the latest one waiting in this conversation) in one transaction."""
    return store_note(ctx, find_action(ctx, pending_id, ("pending",)))


@tool("undo_note", title="Undo a stored note", writes=True, agent=False, destructive=True, idempotent=True,
      model_note="Removes the note and what it stored; call only when the user asks.")
def undo_action(ctx: ToolContext, *, pending_id: str | None = None) -> NoteUndone:
    """Reverse a stored note (by its proposal id, or the latest one stored in this conversation)."""
    return undo_note(ctx, find_action(ctx, pending_id, ("confirmed",)))


@tool("cancel_note", title="Cancel a proposed note", writes=True, agent=False, destructive=True, idempotent=True)
def cancel_pending(ctx: ToolContext, *, pending_id: str | None = None) -> NoteCancelled:
    """Discard a proposed note without storing anything."""
    return cancel_note(ctx, find_action(ctx, pending_id, ("pending",)))


def known_scope(ctx: ToolContext) -> tuple[list[KnownAccount], list[KnownPerson]]:
    """The accounts the user sees, and their stakeholders who have not left."""
    owners = visible_owner_ids(ctx.session, ctx.user, "all")
    acc_stmt = select(Account.id, Account.name)
    people_stmt = (
        select(Stakeholder.id, Stakeholder.name, Stakeholder.account_id, Stakeholder.title)
        .join(Account, col(Account.id) == Stakeholder.account_id)
        .where(col(Stakeholder.left_company).is_(False))
    )
    if owners is not None:
        acc_stmt = acc_stmt.where(col(Account.owner_id).in_(owners))
        people_stmt = people_stmt.where(col(Account.owner_id).in_(owners))
    accounts = [KnownAccount(id=a, name=n) for a, n in ctx.session.exec(acc_stmt.order_by(col(Account.id))).all()]
    people = [KnownPerson(id=i, name=n, account_id=a, title=t)
              for i, n, a, t in ctx.session.exec(people_stmt.order_by(col(Stakeholder.id))).all()]
    return accounts, people


def _supersede(ctx: ToolContext, new_id_: str) -> None:
    """A new proposal in a conversation replaces the user's earlier ones still waiting there (a corrected note):
    they are cancelled, so an old Confirm button cannot store the version the user corrected."""
    if not ctx.thread_id:
        return
    older = ctx.session.exec(
        select(PendingAction).where(PendingAction.user_id == ctx.user.id, PendingAction.thread_id == ctx.thread_id,
                                    PendingAction.kind == KIND, PendingAction.status == "pending")
    ).all()
    for action in older:
        action.status = "cancelled"
        action.result = {"superseded_by": new_id_}
        action.updated_at = utcnow()
        ctx.session.add(action)
        record(ctx.session, actor=ctx.user.id, action="cancel", entity="pending_action", entity_id=action.id,
               detail={"superseded_by": new_id_})


def _commitments(ctx: ToolContext, extraction: NoteExtraction) -> list[ProposedCommitment]:
    """The extraction's commitments with owners: ours are the acting user's."""
    out = []
    for c in extraction.commitments:
        ours = c.side == "ours"
        out.append(ProposedCommitment(
            side=c.side,
            owner_id=ctx.user.id if ours else None,
            owner_stakeholder_id=None if ours else c.owner,
            owner_name=_user_name(ctx.user) if ours else c.owner_name,
            description=c.description, due=c.due, due_span=c.due_span, span=c.span,
        ))
    return out


def _user_name(user: User) -> str:
    return user.name or user.id
