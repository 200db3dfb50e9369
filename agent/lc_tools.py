"""The bridge from the tool catalogue to LangChain tools the agent loop can call.

The acting user and ``as_of`` come from the LangGraph runtime context of the turn, never from the
model's arguments: a tool's argument schema has no field for them, and unknown fields are dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain.tools import ToolRuntime
from langchain_core.tools import BaseTool, StructuredTool
from pydantic import ConfigDict
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from agent.deps import AgentDeps, TurnContext
from store.models import ProcessedEvent, User
from tools.errors import ToolError
from tools.registry import ToolSpec, all_tools

# The tools the conversation may call (SPEC 7). Commitment writes go through buttons and confirmations.
AGENT_TOOLS = (
    "score_account",
    "assign_quadrant",
    "show_matrix",
    "draft_plan",
    "flag_dark_stakeholders",
    "prep_qbr",
    "log_note",
    "find_drifting_accounts",
    "list_commitments",
    "search_notes",
    "ask_guidance",
)


class AlreadyProcessed(ToolError):
    """The inbound event this write answers was acted on before (a retry or a redelivery)."""

    def __init__(self, key: str) -> None:
        super().__init__(f"already done: this message was processed before ({key}); nothing was written twice",
                         code="duplicate")


def claim_event(session: Session, key: str, source: str = "slack") -> None:
    """Record ``key`` as processed in the caller's transaction; raise if it was processed already."""
    if session.get(ProcessedEvent, key) is not None:
        raise AlreadyProcessed(key)
    session.add(ProcessedEvent(key=key, source=source))
    session.flush()


def run_tool(
    deps: AgentDeps, spec: ToolSpec, turn: TurnContext, args: dict[str, Any], extractor: Any = None
) -> tuple[str, dict[str, Any]]:
    """Run one tool for the turn's user: (text for the model, the call record with the JSON result)."""
    record: dict[str, Any] = {"name": spec.name, "args": dict(args), "ok": True, "result": None}
    try:
        with deps.db.write() as session:
            user = session.get(User, turn.user_id)
            if user is None:
                raise ToolError(f"unknown user {turn.user_id!r}")
            ctx = deps.tool_context(session, user, turn.as_of, today=turn.today)
            ctx.extractor = extractor
            ctx.thread_id = turn.thread_id
            if spec.writes and turn.event_key:
                claim_event(session, turn.event_key)  # in the same transaction as the write it guards
            result = spec(ctx, **args)
            text = result.as_markdown()
            record["result"] = result.as_json()
    except IntegrityError:
        if not (spec.writes and turn.event_key):
            raise
        # Two deliveries of the same event raced: the other one committed first and this one rolled back.
        dup = AlreadyProcessed(turn.event_key)
        record.update(ok=False, result=dup.as_dict())
        return f"Error: {dup.message}", record
    except ToolError as exc:
        record.update(ok=False, result=exc.as_dict())
        hint = f" Suggestions: {', '.join(exc.suggestions)}." if exc.suggestions else ""
        return f"Error: {exc.message}{hint}", record
    return text, record


def _lc_tool(deps: AgentDeps, spec: ToolSpec, extractor_for: Callable[[], Any]) -> BaseTool:
    lenient = {"model_config": ConfigDict(extra="ignore")}
    schema = type(f"{spec.args_model.__name__}ForAgent", (spec.args_model,), lenient)

    def _run(runtime: ToolRuntime, **kwargs: Any) -> tuple[str, dict[str, Any]]:
        extractor = extractor_for() if spec.writes and spec.name == "log_note" else None
        return run_tool(deps, spec, runtime.context, kwargs, extractor)

    return StructuredTool.from_function(
        func=_run,
        name=spec.name,
        description=spec.description,
        args_schema=schema,
        response_format="content_and_artifact",
    )


def agent_tools(deps: AgentDeps, extractor_for: Callable[[], Any] = lambda: None) -> list[BaseTool]:
    """LangChain tools for every SPEC 7 tool that is registered."""
    specs = all_tools()
    return [_lc_tool(deps, specs[name], extractor_for) for name in AGENT_TOOLS if name in specs]
