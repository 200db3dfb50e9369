"""``confirm`` / ``undo`` / ``cancel`` typed in a conversation: the same acts as the note tools, without a model.

Only the user's own words can confirm a write: the agent routes these replies here before any model sees them
(``agent.chat``), and the use-case runner (``tools.runner.execute``) runs them in one write transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tools.context import ToolContext
from tools.errors import NotFound, ToolError
from tools.notes.log import cancel_pending, confirm_pending, undo_action
from tools.notes.store import cancel_note, find_action, store_note, undo_note
from tools.registry import spec_of

_REPLIES = {"confirm": confirm_pending, "undo": undo_action, "cancel": cancel_pending}


@dataclass
class HandledReply:
    """A ``confirm`` / ``undo`` / ``cancel`` reply acted on: the text for the user and a tool-call record."""

    reply: str
    record: dict[str, Any] = field(default_factory=dict)


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
    name = spec_of(_REPLIES[kind]).name  # the record reads as the tool's own call
    args = {"pending_id": action.id}
    try:
        if kind == "confirm":
            result: Any = store_note(ctx, action)
        elif kind == "undo":
            result = undo_note(ctx, action)
        else:
            result = cancel_note(ctx, action)
    except ToolError as exc:
        return HandledReply(reply=exc.message, record={"name": name, "args": args, "ok": False,
                                                       "result": exc.as_dict()})
    return HandledReply(reply=result.as_markdown(), record={"name": name, "args": args, "ok": True,
                                                            "result": result.as_json()})
