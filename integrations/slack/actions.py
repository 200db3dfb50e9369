"""The buttons' use cases: mark a commitment done or snooze it; confirm, cancel or undo a logged note.

Each runs as the user who clicked (their scope decides what they may touch) through the same function
the CLI and HTTP call: the ``complete_commitment`` / ``snooze_commitment`` tools, and the note-logging
functions of ``tools.note_logging``. The result is a short line that replaces the clicked buttons.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from integrations.runtime import Runtime
from store.models import User
from tools.errors import ToolError
from tools.registry import call_tool


@dataclass(frozen=True)
class ActionOutcome:
    """What a click did: ``ok`` false means nothing changed and ``message`` says why."""

    ok: bool
    message: str
    status: str | None = None
    result: dict[str, Any] | None = None


def commitment_action(
    runtime: Runtime, user: User, *, action: str, commitment_id: str, as_of: dt.date, days: int | None = None
) -> ActionOutcome:
    """``done`` or ``snooze`` one commitment as ``user`` on ``as_of`` (audited; idempotent)."""
    if action not in ("done", "snooze"):
        raise ValueError(f"unknown commitment action {action!r}")
    name = "complete_commitment" if action == "done" else "snooze_commitment"
    args: dict[str, Any] = {"commitment": commitment_id}
    if action == "snooze" and days is not None:
        args["days"] = days
    try:
        with runtime.db.session() as session:
            ctx = runtime.context(session, user, as_of, with_knowledge=False)
            result = call_tool(ctx, name, args)
    except ToolError as exc:
        return ActionOutcome(False, exc.message)
    data = result.as_json()
    return ActionOutcome(True, result.as_markdown(), status=str(data.get("status")), result=data)


def note_action(runtime: Runtime, user: User, *, action: str, pending_id: str, as_of: dt.date) -> ActionOutcome:
    """``confirm``, ``cancel`` or ``undo`` the note proposal ``pending_id`` as ``user``, in one write transaction;
    a stored or removed note is (un)indexed after the commit. Only the proposal's author may act on it."""
    from tools.note_logging import index_pending_notes

    names = {"confirm": "confirm_note", "cancel": "cancel_note", "undo": "undo_note"}
    if action not in names:
        raise ValueError(f"unknown note action {action!r}")
    try:
        with runtime.db.write() as session:
            ctx = runtime.context(session, session.get(User, user.id) or user, as_of)
            result = call_tool(ctx, names[action], {"pending_id": pending_id})
    except ToolError as exc:
        return ActionOutcome(False, exc.message)
    if action != "cancel":
        index_pending_notes(runtime.db, runtime.knowledge)
    data = result.as_json()
    return ActionOutcome(True, result.as_markdown(), status=str(data.get("status")), result=data)
