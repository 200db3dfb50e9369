"""The offline planner: from one request (and the thread so far) to one tool call, or one short question.

``decide(message, catalog, memory)`` is a pure function: the agent feeds it the user's catalogue (visible
accounts and people, ``agent.catalog``) and the thread's memory; each tool's word rules, exemplars and slots
come from its ``PlannerHints`` in the tool catalogue (``tools.registry``). ``OfflinePlanner`` wraps it as a
LangChain chat model so the same agent loop runs on it as on a real model.
"""

from agent.planner.entities import AccountMatch, Catalog, find_accounts
from agent.planner.router import Ask, ThreadMemory, ToolDecision, decide

__all__ = ["AccountMatch", "Ask", "Catalog", "ThreadMemory", "ToolDecision", "decide", "find_accounts"]
