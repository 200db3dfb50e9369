"""The offline planner: from one request (and the thread so far) to one tool call, or one short question.

``decide(message, catalog, memory)`` is a pure function: the agent feeds it the user's catalogue (visible
accounts and people, ``agent.catalog``) and the thread's memory; each tool's word rules, exemplars and slots
come from its ``PlannerHints`` in the tool catalogue (``tools.registry``). ``OfflinePlanner`` wraps it as a
LangChain chat model so the same agent loop runs on it as on a real model.

The names below load on first use (``tools.notes.extract`` says why a package does not import its own modules).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agent.planner.entities import AccountMatch, Catalog, find_accounts
    from agent.planner.router import Ask, ThreadMemory, ToolDecision, decide

_HOME = {"AccountMatch": "entities", "Catalog": "entities", "find_accounts": "entities", "Ask": "router",
         "ThreadMemory": "router", "ToolDecision": "router", "decide": "router"}

__all__ = ["AccountMatch", "Ask", "Catalog", "ThreadMemory", "ToolDecision", "decide", "find_accounts"]


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(import_module(f"{__name__}.{_HOME[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
