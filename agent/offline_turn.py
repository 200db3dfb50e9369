"""The offline planner's turn without running the agent graph: the same messages, the same tools, the same thread.

With the offline planner as the backend, a turn is at most two planner steps around one tool call, and the
agent graph's machinery (a task per node in executor threads, a checkpoint per step) costs more than the turn's
own work. This runs the loop the graph runs (planner, the tool through its LangChain tool, planner) on the
thread's messages from the checkpointer, then writes the turn's messages to the thread through the graph's own
``update_state``, as the model node would have produced them: a later turn, on either path or on a real model,
reads the thread exactly as if the graph had run. Anything unusual (a tool the planner may not call, arguments
its schema refuses) returns ``None`` before any tool ran, and the turn runs on the graph instead.
"""

from __future__ import annotations

import uuid
from typing import Any

from langchain.tools import ToolRuntime
from langchain_core.messages import BaseMessage, HumanMessage, ToolMessage
from langchain_core.tools import BaseTool
from pydantic import ValidationError

from agent.deps import TurnContext
from agent.planner.entities import Catalog
from agent.planner.model import OfflinePlanner

_MAX_STEPS = 6  # planner steps in one turn (it takes two: a tool call, then the reply)


def offline_turn(graph: Any, checkpointer: Any, planner: OfflinePlanner, tools: dict[str, BaseTool],
                 catalog: Catalog, config: dict[str, Any], context: TurnContext,
                 human: HumanMessage) -> list[BaseMessage] | None:
    """The turn's messages (``human`` first), stored in the thread; ``None`` to run the turn on the graph.
    ``checkpointer``: where the thread so far is read from (``None`` for a thread this turn starts)."""
    saved = checkpointer.get_tuple(config) if checkpointer is not None else None
    thread = list(saved.checkpoint["channel_values"].get("messages", [])) if saved else []
    messages: list[BaseMessage] = [*thread, human]
    new: list[BaseMessage] = [human]
    for _ in range(_MAX_STEPS):
        reply = planner.respond(messages, catalog=catalog)
        reply.id = reply.id or f"lc_run--{uuid.uuid4()}"  # as a chat model's run gives it
        messages.append(reply)
        new.append(reply)
        if not reply.tool_calls:
            break
        for call in reply.tool_calls:
            result = _call(tools.get(call["name"]), call, context, messages)
            if result is None:
                return None
            messages.append(result)
            new.append(result)
    else:
        return None
    graph.update_state(config, {"messages": new}, as_node="model")
    return new


def _call(tool: BaseTool | None, call: Any, context: TurnContext, state: list[BaseMessage]) -> ToolMessage | None:
    if tool is None:
        return None
    runtime = ToolRuntime(state={"messages": state}, context=context, config={}, stream_writer=lambda _c: None,
                          tool_call_id=call["id"], store=None, tools=[tool])
    try:
        message = tool.invoke({**call, "args": {**call["args"], "runtime": runtime}, "type": "tool_call"})
    except ValidationError:  # arguments its schema refuses: the graph's tool node words that error
        return None
    return message if isinstance(message, ToolMessage) else None
