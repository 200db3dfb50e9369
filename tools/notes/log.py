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

from tools.accounts import resolve_account
from tools.context import ToolContext
from tools.errors import Ambiguous, NotFound, ToolError
from tools.notes.draft import known_scope, new_payload, proposal, read_note, save_new, settle
from tools.notes.results import NoteCancelled, NoteProposal, NoteStored, NoteUndone
from tools.notes.store import cancel_note, find_action, store_note, undo_note
from tools.registry import PlannerHints, tool

log = logging.getLogger(__name__)
__all__ = ["cancel_pending", "confirm_pending", "known_scope", "log_note", "undo_action"]

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
    from tools.notes.extract.emoji_mood import from_shortcodes  # the extractor's package: loaded when a note comes

    note = from_shortcodes((text or "").strip())  # pasted from Slack: ":rage:" is the 😡 its writer saw
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
    extraction, dropped, source = read_note(ctx, note, account_id)
    payload = new_payload(note, ctx.as_of, extraction.account.id if extraction.account else None, extraction,
                          dropped, source)
    settle(ctx, payload)
    status = "question" if extraction.questions or extraction.account is None else "pending"
    if status == "question" and not ctx.thread_id:
        return proposal(payload, status=status)  # nobody to answer in a thread: ask, store nothing
    action = save_new(ctx, payload, status)  # a question draft waits for its answers in the thread
    if status == "question":
        return proposal(payload, status=status)
    result = proposal(payload, status="pending", pending_id=action.id)
    if ctx.settings is not None and ctx.settings.auto_confirm_notes:
        stored = store_note(ctx, action)
        result.status = "stored"
        result.stored = stored.as_json()
    return result


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
