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
from agent.planner.entities import Catalog
from agent.planner.records import described_commitment, is_direct_command, stated_ids
from store.models import Account, Commitment, User
from tools.registry import ToolSpec, agent_tool_specs
from tools.runner import run_tool


def _lc_tool(deps: AgentDeps, spec: ToolSpec) -> BaseTool:
    lenient = {"model_config": ConfigDict(extra="ignore")}
    schema = type(f"{spec.args_model.__name__}ForAgent", (spec.args_model,), lenient)

    def _run(runtime: ToolRuntime, **kwargs: Any) -> tuple[str, dict[str, Any]]:
        turn = runtime.context
        refusal = _unstated_record(deps, spec, kwargs, turn.message)
        if refusal:
            # The arguments are not echoed: an id the user did not type is not shown back to anyone.
            return f"Error: {refusal}", {"name": spec.name, "args": {}, "ok": False,
                                          "result": {"error": refusal, "code": "invalid", "suggestions": []}}
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


def _unstated_record(deps: AgentDeps, spec: ToolSpec, args: dict[str, Any], message: str) -> str | None:
    """Why a tool acting on one record may not run this turn: the user did not ask for it in their own words,
    as a short command naming that record's id or describing it (text they pasted, or a note or document the
    model read, never counts). ``None`` when it may run."""
    if not spec.planner.record_id:
        return None
    wanted = {str(v).upper() for k, v in args.items() if k == "commitment"}
    if len(wanted) == 1 and is_direct_command(message):
        (ref,) = wanted
        if ref in stated_ids(message, spec.planner.record_id) or _describes(deps, message, ref):
            return None
    return ("I change a commitment only when you ask for it yourself, naming its id in a short message "
            "(e.g. \"mark <its id> done\").")


def _describes(deps: AgentDeps, message: str, ref: str) -> bool:
    """The message describes the commitment ``ref`` (its description's words and its account's name)."""
    with deps.db.session() as session:
        row = session.get(Commitment, ref)
        account = session.get(Account, row.account_id) if row is not None else None
    if row is None or account is None:
        return False
    one = Catalog.of(User(id="-", name="-", role="rep"), [(account.id, account.name)],
                     commitments=[(row.id, row.account_id, row.description)])
    return described_commitment(message, one) == row.id


def agent_tools(deps: AgentDeps) -> list[BaseTool]:
    """LangChain tools for every registered tool the agent may call."""
    return [_lc_tool(deps, spec) for spec in agent_tool_specs()]
