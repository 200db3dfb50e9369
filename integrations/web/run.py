"""The one place the web page runs a tool.

For now this mirrors the HTTP API's tool endpoint (``integrations/http/app.py``): one write transaction, the
acting user's context for the day asked, the registry's validated call, and after a writing tool the note index
brought up to date. When the shared use-case runner lands, it is switched in here and nowhere else.

Callers name a tool by its function (``from tools.matrix import ...``), never by a string: ``tool_name`` asks the
registry which name that function was registered under.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from integrations.runtime import Runtime
from store.models import User
from tools.registry import all_tools, call_tool
from tools.results import ToolResult


def tool_name(fn: Callable[..., ToolResult]) -> str:
    """The name ``fn`` is registered under in the tool catalogue."""
    for name, spec in all_tools().items():
        if spec.fn is fn:
            return name
    raise LookupError(f"{fn.__qualname__} is not a registered tool")


def run_tool(runtime: Runtime, user: User, fn: Callable[..., ToolResult], as_of: dt.date,
             **args: Any) -> ToolResult:
    """Run the tool ``fn`` for ``user`` on ``as_of`` with ``args``; a ``ToolError`` propagates to the caller."""
    name = tool_name(fn)
    with runtime.db.write() as session:
        ctx = runtime.context(session, session.get(User, user.id) or user, as_of)
        result = call_tool(ctx, name, args)
    if all_tools()[name].writes:
        from tools.note_logging import index_pending_notes

        index_pending_notes(runtime.db, runtime.knowledge)
    return result
