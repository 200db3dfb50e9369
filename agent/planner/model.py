"""The offline planner as a LangChain chat model: the same agent loop runs on it as on a real model.

Given a user message it answers with one tool call (or a short question); given the tool's result it
words the final reply from the result. It is deterministic and needs no network or keys. The decision itself
is ``router.decide``, a pure function of the message, the user's catalogue and the thread's memory: the
catalogue is handed in (``catalog_for``, from the agent), the planner never opens the store.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ConfigDict

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


class OfflinePlanner(BaseChatModel):
    """A deterministic chat model that routes each request to one tool and words its result."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    catalog_for: Any  # (user id) -> Catalog: the acting user's visible accounts, loaded by the agent
    exemplars: ExemplarIndex | None = None
    tool_names: tuple[str, ...] = ()

    @property
    def _llm_type(self) -> str:
        return "kam-offline-planner"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> OfflinePlanner:  # type: ignore[override]
        names = tuple(getattr(t, "name", None) or t.get("name") for t in tools)  # type: ignore[union-attr]
        return self.model_copy(update={"tool_names": names})

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self.respond(messages))])

    def respond(self, messages: Sequence[BaseMessage], catalog: Catalog | None = None) -> AIMessage:
        """The next message of the turn: one tool call, a question, or the reply worded from the tool's result.
        ``catalog``: the acting user's, when the caller has it (else asked for from the graph's runtime)."""
        start, human = _current_turn(messages)
        tool_messages = [m for m in messages[start + 1 :] if isinstance(m, ToolMessage)]
        if tool_messages:
            records = [m.artifact if isinstance(m.artifact, dict) else {"name": m.name} for m in tool_messages]
            texts = [str(m.content) for m in tool_messages]
            return AIMessage(content=word_results(records, texts))
        text = str(human.content) if human is not None else ""
        catalog = catalog if catalog is not None else self._catalog()
        decision = decide(text, catalog, thread_memory(messages[:start]), self.exemplars)
        if isinstance(decision, Ask):
            asked = {ASKED_KEY: decision.tool} if decision.tool else {}
            return AIMessage(content=decision.text, additional_kwargs=asked)
        assert isinstance(decision, ToolDecision)
        if self.tool_names and decision.name not in self.tool_names:
            return AIMessage(content=f"The {decision.name} tool is not available here.")
        call_id = f"call_{uuid.uuid4().hex[:12]}"
        call = {"name": decision.name, "args": decision.args, "id": call_id, "type": "tool_call"}
        return AIMessage(content="", tool_calls=[call])

    def _catalog(self) -> Catalog:
        from langgraph.runtime import get_runtime

        return self.catalog_for(get_runtime().context.user_id)
