"""The offline planner's turn without running the agent graph: the same messages, the same tools, the same thread.

With the offline planner as the backend, a turn is at most two planner steps around one tool call, and the
agent graph's machinery (a task per node in executor threads, a checkpoint per step) costs more than the turn's
own work, and importing it (LangGraph's graph, LangChain's agent and tools) costs a one-shot ``kam chat`` most of
its second. This runs the loop the graph runs: the planner's step (``agent.planner.step.respond``), the tool with
the arguments LangChain's tool would pass (``agent.tool_calls``), the planner again. The turn's messages are then
stored as the model node's update: through the graph's own ``update_state`` on a thread that has messages, and
on a new thread as the first checkpoint ``update_state`` writes (``first_checkpoint``, checked against it by
``tests/integration/test_chat_offline_turn.py``), which needs LangGraph's checkpoint package only. A later turn,
on either path or on a real model, reads the thread exactly as if the graph had run.

Anything unusual (a tool the planner may not call, arguments its schema refuses) returns ``None`` before any
tool ran, and the turn runs on the graph instead.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from langchain_core.messages import BaseMessage, HumanMessage, ToolMessage
from pydantic import ValidationError

from agent.deps import AgentDeps, TurnContext
from agent.planner.entities import Catalog
from agent.planner.intents import ExemplarIndex
from agent.planner.step import respond
from agent.tool_calls import call_tool_for_turn, tool_kwargs
from tools.registry import ToolSpec

_MAX_STEPS = 6  # planner steps in one turn (it takes two: a tool call, then the reply)
# The checkpoint format LangGraph's graph writes (``langgraph.pregel._checkpoint.LATEST_VERSION``; the base
# package's own ``empty_checkpoint`` is an older one) and what the agent graph (``langchain.agents.create_agent``)
# adds to each checkpoint's metadata.
CHECKPOINT_FORMAT = 4
GRAPH_METADATA = {"ls_integration": "langchain_create_agent"}


def offline_turn(deps: AgentDeps, specs: Mapping[str, ToolSpec], catalog: Callable[[], Catalog],
                 exemplars: ExemplarIndex | None, checkpointer: Any, graph: Callable[[], Any],
                 config: dict[str, Any], context: TurnContext, human: HumanMessage,
                 fresh: bool = False) -> list[BaseMessage] | None:
    """The turn's messages (``human`` first), stored in the thread; ``None`` to run the turn on the graph.
    ``fresh``: a thread this turn starts (nothing to read); ``graph`` builds the agent graph when needed."""
    saved = None if fresh else checkpointer.get_tuple(config)
    thread = list(saved.checkpoint["channel_values"].get("messages", [])) if saved else []
    messages: list[BaseMessage] = [*thread, human]
    new: list[BaseMessage] = [human]
    for _ in range(_MAX_STEPS):
        reply = respond(messages, catalog, exemplars, tuple(specs))
        reply.id = reply.id or f"lc_run--{uuid.uuid4()}"  # as a chat model's run names it
        messages.append(reply)
        new.append(reply)
        if not reply.tool_calls:
            break
        for call in reply.tool_calls:
            result = _call(deps, specs.get(call["name"]), call, context)
            if result is None:
                return None
            messages.append(result)
            new.append(result)
    else:
        return None
    if saved is None:
        first_checkpoint(checkpointer, config, new)
    else:
        graph().update_state(config, {"messages": new}, as_node="model")
    return new


def _call(deps: AgentDeps, spec: ToolSpec | None, call: Any, context: TurnContext) -> ToolMessage | None:
    if spec is None:
        return None
    try:
        kwargs = tool_kwargs(spec, dict(call["args"]))
    except ValidationError:  # arguments its schema refuses: the graph's tool node words that error
        return None
    content, record = call_tool_for_turn(deps, spec, kwargs, context)
    return ToolMessage(content, artifact=record, tool_call_id=call["id"], name=spec.name, status="success",
                       id=str(uuid.uuid4()))


def first_checkpoint(checkpointer: Any, config: dict[str, Any], messages: list[BaseMessage]) -> None:
    """Store ``messages`` as a new thread's first checkpoint, as the agent graph's ``update_state(config,
    {"messages": messages}, as_node="model")`` stores it."""
    from langgraph.checkpoint.base.id import uuid6

    version = checkpointer.get_next_version(None, None)
    checkpoint = {"v": CHECKPOINT_FORMAT, "id": str(uuid6(clock_seq=-2)), "ts": dt.datetime.now(dt.UTC).isoformat(),
                  "channel_values": {"messages": list(messages)}, "channel_versions": {"messages": version},
                  "versions_seen": {"model": {}}, "updated_channels": None}
    thread = config["configurable"]["thread_id"]
    put_config = {"configurable": {"checkpoint_ns": "", "thread_id": thread},
                  "metadata": {**GRAPH_METADATA, "thread_id": thread}}
    checkpointer.put(put_config, checkpoint, {"parents": {}, "source": "update", "step": 0}, {"messages": version})
