"""The offline planner as a LangChain chat model: the same agent loop runs on it as on a real model.

Given a user message it answers with one tool call (or a short question); given the tool's result it
words the final reply from the result. It is deterministic and needs no network or keys. The decision itself
is ``router.decide``, a pure function of the message, the user's catalogue and the thread's memory: the
catalogue is handed in (``catalog_for``, from the agent), the planner never opens the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ConfigDict

from agent.planner.entities import Catalog
from agent.planner.intents import ExemplarIndex
from agent.planner.step import ASKED_KEY, respond, thread_memory

__all__ = ["ASKED_KEY", "OfflinePlanner", "thread_memory"]


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
        """The next message of the turn (``step.respond``); ``catalog``: the acting user's, when the caller has it
        (else asked for from the graph's runtime)."""
        return respond(messages, (lambda: catalog) if catalog is not None else self._catalog, self.exemplars,
                       self.tool_names)

    def _catalog(self) -> Catalog:
        from langgraph.runtime import get_runtime

        context = get_runtime().context
        return replace(self.catalog_for(context.user_id), today=getattr(context, "as_of", None))
