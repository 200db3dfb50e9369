"""The one way the MCP face calls a tool: the shared use-case runner (``tools.runner.run_tool``), as every face."""

from __future__ import annotations

import datetime as dt
from typing import Any

from integrations.runtime import Runtime, today
from tools.results import ToolResult
from tools.runner import run_tool


def run(runtime: Runtime, user_id: str, name: str, args: dict[str, Any], *, as_of: dt.date,
        thread_id: str | None = None) -> ToolResult:
    """Run tool ``name`` with ``args`` as ``user_id`` on ``as_of``; a ``ToolError`` is raised for the caller to show.

    ``thread_id`` is the conversation a note proposal belongs to (confirming without an id takes the latest one
    waiting there). The client chooses ``as_of``; a write still acts as of today (SECURITY.md)."""
    call = run_tool(runtime, user_id, name, args, as_of=as_of, thread_id=thread_id, today=today(runtime.settings))
    if call.error is not None:
        raise call.error
    assert call.result is not None
    return call.result
