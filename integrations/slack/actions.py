"""The buttons' use cases: mark a commitment done or snooze it; confirm, cancel or undo a logged note.

Each runs as the user who clicked (their scope decides what they may touch) through the one use-case runner
the CLI and HTTP call (``tools.runner.run_tool``): a write transaction, and a stored or removed note indexed
after the commit. The result is a short line that replaces the clicked buttons.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from integrations.runtime import Runtime
from store.models import User
from tools.commitments import complete_commitment, snooze_commitment
from tools.notes.log import cancel_pending, confirm_pending, undo_action
from tools.runner import ToolCall, run_tool


@dataclass(frozen=True)
class ActionOutcome:
    """What a click did: ``ok`` false means nothing changed and ``message`` says why."""

    ok: bool
    message: str
    status: str | None = None
    result: dict[str, Any] | None = None

    @classmethod
    def of(cls, call: ToolCall) -> ActionOutcome:
        if call.error is not None or call.result is None:
            return cls(False, call.error.message if call.error else "that did not work")
        status = getattr(call.result, "status", None)  # the commitment's or the note's, where the result has one
        return cls(True, call.result.as_markdown(), status=str(status), result=call.result.as_json())


_COMMITMENT_TOOLS = {"done": complete_commitment, "snooze": snooze_commitment}
_NOTE_TOOLS = {"confirm": confirm_pending, "cancel": cancel_pending, "undo": undo_action}


def commitment_action(
    runtime: Runtime, user: User, *, action: str, commitment_id: str, as_of: dt.date, days: int | None = None
) -> ActionOutcome:
    """``done`` or ``snooze`` one commitment as ``user`` on ``as_of`` (audited; idempotent)."""
    if action not in _COMMITMENT_TOOLS:
        raise ValueError(f"unknown commitment action {action!r}")
    args: dict[str, Any] = {"commitment": commitment_id}
    if action == "snooze" and days is not None:
        args["days"] = days
    return ActionOutcome.of(run_tool(runtime, user, _COMMITMENT_TOOLS[action], args, as_of=as_of))


def note_action(runtime: Runtime, user: User, *, action: str, pending_id: str, as_of: dt.date) -> ActionOutcome:
    """``confirm``, ``cancel`` or ``undo`` the note proposal ``pending_id`` as ``user``, in one write transaction;
    a stored or removed note is (un)indexed after the commit. Only the proposal's author may act on it."""
    if action not in _NOTE_TOOLS:
        raise ValueError(f"unknown note action {action!r}")
    return ActionOutcome.of(run_tool(runtime, user, _NOTE_TOOLS[action], {"pending_id": pending_id}, as_of=as_of))
