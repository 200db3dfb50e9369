"""Replies typed in a thread with a note draft: answers, corrections, confirm, cancel, undo, without a model.

Only the user's own words can confirm a write: the agent routes a thread's messages here before any model sees
them (``agent.chat``), and the use-case runner (``tools.runner.execute``) runs them in one write transaction.
``respond`` reads a message against the thread's open draft (``tools.notes.draft``) with the edit grammar of
``tools.notes.edits``: it fills a question, corrects the proposal (and shows the revised one), confirms or
cancels it; a question, a request or a new note is left to the agent (the draft stays pending, or a new note
supersedes it). ``handle_reply`` is the same confirm / undo / cancel by name (buttons, ``--yes``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tools.context import ToolContext
from tools.errors import NotFound, ToolError
from tools.notes.draft import known_scope, open_draft, proposal, read_note, save_revision, settle
from tools.notes.draft_refs import MEETING_FRAME, moves_an_item, names_another_account, stands_alone
from tools.notes.edits import (
    ACT_CONFIDENCE,
    APPROVES,
    EDIT_OPENS,
    PUT_BACK,
    SAVE_IT,
    DraftView,
    Reading,
    leans_on,
    read_reply,
)
from tools.notes.extract.dates import DATE_RE
from tools.notes.extract.organisations import distinctive, words
from tools.notes.log import cancel_pending, confirm_pending, log_note, undo_action
from tools.notes.reply_act import reply_act
from tools.notes.reply_wording import KEEPS, spelled_out
from tools.notes.results import NoteProposal, ProposedCommitment
from tools.notes.schema import NoteExtraction
from tools.notes.store import cancel_note, find_action, store_note, undo_note
from tools.registry import spec_of
from tools.runner import claim_event

_REPLIES = {"confirm": confirm_pending, "undo": undo_action, "cancel": cancel_pending}
# A note that amends the draft rather than starting another: it leans on it ("also", "actually", "she", "no, ...").
_AMENDS = re.compile(r"^\W*(?:also|and|actually|oh|ah|ach|och|sorry|no|nope|not|correction|wait|hang\s+on|hold\s+on|"
                     r"plus|she|he|they|it|the\s+meeting|the\s+call|(?:one|another)\s+more\s+(?:thing|point)|"
                     r"(?:one|another)\s+(?:thing|point)|i\s+forgot|forgot\s+to|p\.?s\.?|btw|by\s+the\s+way|"
                     r"for\s+the\s+record|to\s+add|additionally|in\s+addition)\b|"
                     r"\b(?:too|as\s+well|actually|instead|also)\b", re.IGNORECASE)
_SURE_ASSENT = 0.9
# Said of the draft, whatever else the message is: "That'll do nicely, thank you.", "works for me", "spot on"
_WILL_DO = re.compile(r"\b(?:(?:that|it|this)(?:['’]ll|\s+will)\s+do|works\s+for\s+me|spot\s+on|lgtm)\b", re.I)
# A greeting or a farewell is small talk, never a yes to the draft: "good morning", "good night", "have a good one"
_GREETING = re.compile(r"\W*(?:good\s+(?:morning|afternoon|evening|night|day)|morning|evening|night|have\s+a\s+(?:good|"
                       r"nice|great|lovely)|(?:nice|good|great|lovely)\s+(?:weekend|week|day|evening|weather))\b", re.I)
# The draft is wrong, not yet said where: "that's wrong", "not quite right", "that's not what I said"
_WRONG = re.compile(r"\b(?:wrong|not\s+(?:quite\s+)?right|incorrect|not\s+quite|not\s+what\s+I\s+(?:said|meant))\b",
                    re.IGNORECASE)
_SHORT_NOTE = 10  # words: a note this short, read as an edit of the draft, amends it


@dataclass
class HandledReply:
    """A reply acted on: the text for the user, a tool-call record, and the proposal still waiting (if any)."""

    reply: str
    record: dict[str, Any] = field(default_factory=dict)
    pending: dict[str, Any] | None = None


def respond(ctx: ToolContext, message: str, *, reads_as: str, event_key: str | None = None) -> HandledReply | None:
    """Act on ``message`` as a reply to the thread's open draft; ``None`` when there is none, or when the message
    is not a reply to it (a question, a request, a new note). ``reads_as``: the message-kind classifier's reading;
    ``event_key``: the inbound event, claimed only when the reply is acted on (else the agent's tool claims it)."""
    action = open_draft(ctx)
    if action is None:
        return None
    payload = _upgraded(action.payload)
    view = DraftView(payload["work_text"], NoteExtraction.model_validate(payload["extraction"]),
                     [ProposedCommitment.model_validate(c) for c in payload["commitments"]])
    typed, message = message, spelled_out(message)  # "s/Thu/Wed/", "-Irene", "kind=qbr": read in words
    # "forgot one: Kevin Nakamura ... put him down as positive": an edit's opening holds at any length
    leans_on_draft = bool(_AMENDS.search(message)) or EDIT_OPENS.search(message) is not None or bool(
        PUT_BACK.search(message)) or (
        len(message.split()) <= 2 * _SHORT_NOTE and moves_an_item(message, view))
    # someone new, but said of the draft ("Remove her. And Amir Haddad has left Halcyon", "Please add to the record
    # that ..."): an amendment, unless it names another account or tells of a meeting of its own
    alone = stands_alone(ctx, message, view) and (
        names_another_account(ctx, message, view) or not leans_on(message, view)
        or bool(MEETING_FRAME.search(message) and DATE_RE.search(message)))
    if reads_as == "note" and not (leans_on_draft or len(message.split()) <= _SHORT_NOTE) and alone and not (
            view.extraction.questions and read_reply(ctx, message, view, reads_as="reply").answered):
        return None  # a new note: the agent logs it, and it supersedes this draft; not one that answers its question
    # "Thank you, store it.", "That'll do nicely": asked outright or said of the draft, a plainer yes will do
    save_it = SAVE_IT.search(message) is not None or _WILL_DO.search(message) is not None
    greeting = _GREETING.match(message) is not None and not save_it  # "good morning": small talk, whatever it reads as
    short = len(message.split()) <= 8  # "Is everything right now. Can confirm.": read as a request, a plain yes
    if (reads_as == "small_talk" and (APPROVES.search(message) or save_it) or reads_as in ("request", "unsure")
            and short and (APPROVES.search(message) or save_it) or reads_as in ("note", "small_talk") and
            _says_nothing_new(ctx, message)) and not greeting and (
            act := reply_act(message)).act == "assent" and act.confidence >= (
            ACT_CONFIDENCE if save_it else _SURE_ASSENT):
        reads_as = "reply"  # "perfect, thanks, that's everything!": said to the draft waiting, a yes
    reading = read_reply(ctx, message, view, reads_as=reads_as)
    kept = KEEPS.search(message) is not None  # "Is Susan down as neutral? Good, that's right so.": read as a request
    if reading.act == "none" and (reads_as != "request" or kept) and (leans_on_draft or (
            reads_as == "note" and not alone) or ((reads_as in ("reply", "unsure") or kept)
                                                  and not message.rstrip().endswith("?") and leans_on(message, view))):
        # "oh and she's ...", a note naming only the draft's own people, "both Susan and Valentina are on there?
        # Good.": about this draft, though not read; never a new note over it
        reading.act = "unclear"
    if reading.act == "none":
        return None
    if event_key:
        claim_event(ctx.session, event_key)  # in the same transaction as the edit it guards
    if reading.act == "confirm" and action.status == "pending":
        return _act(ctx, "confirm", action.id, lambda: store_note(ctx, action))
    if reading.act == "cancel":
        return _act(ctx, "cancel", action.id, lambda: cancel_note(ctx, action))
    if reading.act == "edit":
        return _revise(ctx, action.id, payload, reading, typed, action)
    if reading.act in ("unclear", "confirm", "hold"):  # "confirm" while questions are open: they come first
        shown = proposal(payload, status=action.status,
                         pending_id=action.id if action.status == "pending" else None)
        lead = ("I still need an answer before I can log this." if shown.questions
                else "Nothing is stored. What should I change? Say e.g. \"the date was Tuesday\", \"drop the second "
                     "one\", \"Dana was neutral\"." if reading.act == "hold" and _WRONG.search(message)
                else "No rush: nothing is stored until you confirm." if reading.act == "hold"
                else "Kept as it is; nothing changed. Reply `confirm` to store it." if kept and not shown.questions
                else "I couldn't tell what to change. Say e.g. \"the date was Tuesday\", \"drop the second one\", "
                     "\"the owner is Tom\", or `confirm`.")
        return _shown(ctx, action.id, typed, shown, lead)
    return None


def _says_nothing_new(ctx: ToolContext, message: str) -> bool:
    """A short message with nothing a note is made of: no number, no name in capitals but a sentence's first word,
    no person or account the user knows ("The record is now correct. Kindly file it.", "Grand job, that's it. In you
    go."): whatever its shape, said to the draft waiting."""
    if len(message.split()) > _SHORT_NOTE or "?" in message or re.search(r"\d", message):
        return False
    if re.search(r"(?<![.!?;:]\s)(?<!^)\b(?!I\b)[A-Z][a-z]", message.strip()):
        return False
    accounts, people = known_scope(ctx)
    names = {w for p in people for w in words(p.name)} | {w for a in accounts for w in distinctive(a.name)}
    return not names & set(words(message))


def _revise(ctx: ToolContext, action_id: str, payload: dict[str, Any], reading: Reading, message: str,
            action: Any) -> HandledReply:
    payload = dict(payload)
    if reading.work_text or reading.account_id:
        payload["work_text"] = reading.work_text or payload["work_text"]
        payload["account_id"] = reading.account_id or payload.get("account_id")
        base, dropped, source = read_note(ctx, payload["work_text"], payload["account_id"])
        payload.update(base=base.model_dump(mode="json"), source=source,
                       dropped=[d.model_dump(mode="json") for d in dropped])
    payload["answered"] = [*payload.get("answered", []), *reading.answered]
    payload["edits"] = [*payload.get("edits", []), *reading.edits]
    extraction = settle(ctx, payload)
    status = "question" if extraction.questions or extraction.account is None else "pending"
    save_revision(ctx, action, payload, status, reading.revisions)
    shown = proposal(payload, status=status, pending_id=action_id if status == "pending" else None,
                     revisions=reading.revisions)
    return _shown(ctx, action_id, message, shown, None)


def _shown(ctx: ToolContext, action_id: str, message: str, shown: NoteProposal, lead: str | None) -> HandledReply:
    text = shown.as_markdown()
    record = {"name": spec_of(log_note).name, "args": {"pending_id": action_id, "reply": message}, "ok": True,
              "result": shown.as_json()}
    return HandledReply(reply=f"{lead}\n\n{text}" if lead else text, record=record,
                        pending=shown.as_json() if shown.awaits_confirmation() else None)


def _act(ctx: ToolContext, kind: str, action_id: str, work: Any) -> HandledReply:
    name = spec_of(_REPLIES[kind]).name  # the record reads as the tool's own call
    args = {"pending_id": action_id}
    try:
        result = work()
    except ToolError as exc:
        return HandledReply(reply=exc.message, record={"name": name, "args": args, "ok": False,
                                                       "result": exc.as_dict()})
    return HandledReply(reply=result.as_markdown(), record={"name": name, "args": args, "ok": True,
                                                            "result": result.as_json()})


def _upgraded(payload: dict[str, Any]) -> dict[str, Any]:
    """A payload written before drafts could be edited: the note as written, with no answers or edits."""
    if "work_text" in payload:
        return payload
    return {**payload, "work_text": payload["text"], "answered": [], "edits": []}


def handle_reply(ctx: ToolContext, *, kind: str) -> HandledReply | None:
    """Act on ``confirm`` / ``undo`` / ``cancel`` typed in ``ctx.thread_id``; ``None`` when there is nothing to act
    on there (the message is then an ordinary one)."""
    if kind not in _REPLIES:
        raise ValueError(f"kind must be one of {', '.join(_REPLIES)}, not {kind!r}")
    if not ctx.thread_id:
        return None
    statuses = ("confirmed",) if kind == "undo" else ("pending",)
    try:
        action = find_action(ctx, None, statuses)
    except NotFound:
        return None
    if kind == "confirm":
        return _act(ctx, kind, action.id, lambda: store_note(ctx, action))
    if kind == "undo":
        return _act(ctx, kind, action.id, lambda: undo_note(ctx, action))
    return _act(ctx, kind, action.id, lambda: cancel_note(ctx, action))
