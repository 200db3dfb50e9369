"""The one way the MCP face calls a tool. It does what the HTTP tool endpoint does (a write transaction, the
context built by the runtime, the tool, the index after the commit); the shared use-case runner replaces it here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from integrations.runtime import Runtime
from store.models import User
from tools.errors import NotFound
from tools.note_logging import index_pending_notes
from tools.registry import get_tool
from tools.results import ToolResult


def run(runtime: Runtime, user_id: str, name: str, args: dict[str, Any], *, as_of: dt.date,
        thread_id: str | None = None) -> ToolResult:
    """Run tool ``name`` with ``args`` as ``user_id`` on ``as_of``; a ``ToolError`` is the caller's to show.

    ``thread_id`` is the conversation a note proposal belongs to (``confirm_note`` without an id takes the latest
    one waiting there)."""
    spec = get_tool(name)
    with runtime.db.write() as session:
        user = session.get(User, user_id)
        if user is None:  # the token's or --as user was removed since
            raise NotFound(f"no user {user_id!r}")
        ctx = runtime.context(session, user, as_of)
        ctx.thread_id = thread_id
        result = spec(ctx, **args)
    if spec.writes:
        index_pending_notes(runtime.db, runtime.knowledge)  # a stored or undone note reaches the index now
    return result
