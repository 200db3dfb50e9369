"""The one place the web page runs a tool: the shared use-case runner (``tools.runner.run_tool``).

Callers name a tool by its function (``from tools.matrix import ...``), never by a string.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from integrations.runtime import Runtime, today
from store.models import User
from tools.results import ToolResult
from tools.runner import run_tool as run


def run_tool(runtime: Runtime, user: User, fn: Callable[..., ToolResult], as_of: dt.date,
             **args: Any) -> ToolResult:
    """Run the tool ``fn`` for ``user`` on ``as_of`` with ``args``; a ``ToolError`` propagates to the caller. The
    page lets its user choose ``as_of``; a write still acts as of today (SECURITY.md)."""
    call = run(runtime, user, fn, args, as_of=as_of, today=today(runtime.settings))
    if call.error is not None:
        raise call.error
    assert call.result is not None
    return call.result
