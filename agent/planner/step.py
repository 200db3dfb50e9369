"""The offline planner's step, as plain functions over LangChain messages: what it answers next in a turn (a tool
call, a question, or the reply worded from the tool's result), and what the thread settled so far. No chat-model
machinery is imported here: ``model.OfflinePlanner`` wraps ``respond`` for the agent graph, and the agent's
offline loop (``agent/offline_turn.py``) calls it directly.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from agent.planner.entities import Catalog
from agent.planner.intents import ExemplarIndex
from agent.planner.router import Ask, ThreadMemory, ToolDecision, decide
from agent.planner.wording import word_results

ASKED_KEY = "kam_asked_tool"  # on a question's message: the tool the question was about


def thread_memory(messages: Sequence[BaseMessage]) -> ThreadMemory:
    """What the thread settled: the last account talked about and the last request answered (a tool call that
    succeeded; a refused or failed call answers nothing), and whether the last turn ended in a question."""
    memory = ThreadMemory()
    failed = {m.tool_call_id for m in messages if isinstance(m, ToolMessage) and _failed(m)}
    answered = False
    for message in messages:
        if isinstance(message, HumanMessage):
            answered, memory.asked_tool = False, None
        elif isinstance(message, AIMessage):
            for call in message.tool_calls:
                if call.get("id") in failed:
                    continue
                answered = True
                memory.last_tool = call["name"]
                memory.last_args = dict(call.get("args") or {})
                account = memory.last_args.get("account")
                if account:
                    memory.last_account = str(account)
            if not message.tool_calls and not answered:
                memory.asked_tool = message.additional_kwargs.get(ASKED_KEY)
        memory.unanswered = not answered
    return memory


def _failed(message: ToolMessage) -> bool:
    artifact = message.artifact if isinstance(message.artifact, dict) else None
    return message.status == "error" or (artifact is not None and artifact.get("ok") is False)


def _current_turn(messages: Sequence[BaseMessage]) -> tuple[int, HumanMessage | None]:
    for index in range(len(messages) - 1, -1, -1):
        if isinstance(messages[index], HumanMessage):
            return index, messages[index]  # type: ignore[return-value]
    return -1, None


def respond(messages: Sequence[BaseMessage], catalog: Callable[[], Catalog], exemplars: ExemplarIndex | None,
            tool_names: tuple[str, ...] = ()) -> AIMessage:
    """The next message of the turn: one tool call, a question, or the reply worded from the tool's result.
    ``catalog``: gives the acting user's catalogue (asked for only when a request is decided)."""
    start, human = _current_turn(messages)
    tool_messages = [m for m in messages[start + 1 :] if isinstance(m, ToolMessage)]
    if tool_messages:
        records = [m.artifact if isinstance(m.artifact, dict) else {"name": m.name} for m in tool_messages]
        texts = [str(m.content) for m in tool_messages]
        return AIMessage(content=word_results(records, texts))
    text = str(human.content) if human is not None else ""
    decision = decide(text, catalog(), thread_memory(messages[:start]), exemplars)
    if isinstance(decision, Ask):
        asked = {ASKED_KEY: decision.tool} if decision.tool else {}
        return AIMessage(content=decision.text, additional_kwargs=asked)
    assert isinstance(decision, ToolDecision)
    if tool_names and decision.name not in tool_names:
        return AIMessage(content=f"The {decision.name} tool is not available here.")
    call_id = f"call_{uuid.uuid4().hex[:12]}"
    call = {"name": decision.name, "args": decision.args, "id": call_id, "type": "tool_call"}
    return AIMessage(content="", tool_calls=[call])
