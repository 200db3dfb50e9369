"""The bridge from the tool catalogue to LangChain tools the agent loop can call.

The acting user and ``as_of`` come from the LangGraph runtime context of the turn, never from the
model's arguments: a tool's argument schema has no field for them, and unknown fields are dropped.
Each call goes through the one use-case runner (``tools.runner.run_tool``), like every other face.
"""

from __future__ import annotations

from typing import Any

from langchain.tools import ToolRuntime
from langchain_core.tools import BaseTool, StructuredTool
from pydantic import ConfigDict

from agent.deps import AgentDeps
from tools.registry import ToolSpec, agent_tool_specs
from tools.runner import run_tool


def _lc_tool(deps: AgentDeps, spec: ToolSpec) -> BaseTool:
    lenient = {"model_config": ConfigDict(extra="ignore")}
    schema = type(f"{spec.args_model.__name__}ForAgent", (spec.args_model,), lenient)

    def _run(runtime: ToolRuntime, **kwargs: Any) -> tuple[str, dict[str, Any]]:
        turn = runtime.context
        call = run_tool(deps, turn.user_id, spec, kwargs, as_of=turn.as_of, thread_id=turn.thread_id,
                        event_key=turn.event_key, today=turn.today)
        return call.as_text(), call.as_record()

    return StructuredTool.from_function(
        func=_run,
        name=spec.name,
        description=spec.description,
        args_schema=schema,
        response_format="content_and_artifact",
    )


def agent_tools(deps: AgentDeps) -> list[BaseTool]:
    """LangChain tools for every registered tool the agent may call."""
    return [_lc_tool(deps, spec) for spec in agent_tool_specs()]
