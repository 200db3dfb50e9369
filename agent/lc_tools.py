"""The bridge from the tool catalogue to LangChain tools the agent loop can call.

The acting user and ``as_of`` come from the LangGraph runtime context of the turn, never from the
model's arguments: a tool's argument schema has no field for them, and unknown fields are dropped.
Each call goes through ``agent.tool_calls`` (the record check, then the one use-case runner), like the
offline loop's.
"""

from __future__ import annotations

from typing import Any

from langchain.tools import ToolRuntime
from langchain_core.tools import BaseTool, StructuredTool

from agent.deps import AgentDeps
from agent.tool_calls import call_tool_for_turn, lenient_schema
from tools.registry import ToolSpec, agent_tool_specs


def _lc_tool(deps: AgentDeps, spec: ToolSpec) -> BaseTool:
    def _run(runtime: ToolRuntime, **kwargs: Any) -> tuple[str, dict[str, Any]]:
        return call_tool_for_turn(deps, spec, kwargs, runtime.context)

    return StructuredTool.from_function(
        func=_run,
        name=spec.name,
        description=spec.description,
        args_schema=lenient_schema(spec),
        response_format="content_and_artifact",
    )


def agent_tools(deps: AgentDeps) -> list[BaseTool]:
    """LangChain tools for every registered tool the agent may call."""
    return [_lc_tool(deps, spec) for spec in agent_tool_specs()]
