"""Chat-model backends: the offline planner (default) and any OpenAI-compatible endpoint, with a fallback.

When the endpoint fails (timeout, connection error, 5xx after retries) the call falls back to the offline
planner and the response says so. A malformed tool call from the model is refused with a clear message:
nothing runs.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ConfigDict

from agent.catalog import CatalogCache
from agent.deps import AgentDeps
from agent.planner.model import OfflinePlanner

log = logging.getLogger(__name__)


class FallbackChatModel(BaseChatModel):
    """A real model first; the offline planner when it fails. Tools are bound to both."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    primary: Any
    fallback: OfflinePlanner
    bound_primary: Any = None

    @property
    def _llm_type(self) -> str:
        return "kam-fallback"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> FallbackChatModel:  # type: ignore[override]
        bound = self.primary.bind_tools(tools, **kwargs)
        return self.model_copy(update={"bound_primary": bound, "fallback": self.fallback.bind_tools(tools)})

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        model = self.bound_primary or self.primary
        try:
            message = model.invoke(messages)
        except Exception as exc:  # the endpoint failed after its own retries: answer offline, and say so
            reason = _reason(exc)
            log.warning("model call failed (%s); falling back to the offline planner", reason)
            message = self.fallback.respond(messages)
            message.response_metadata = {**message.response_metadata, "fallback": reason}
            return ChatResult(generations=[ChatGeneration(message=message)])
        if isinstance(message, AIMessage) and message.invalid_tool_calls:
            bad = message.invalid_tool_calls[0]
            text = (
                f"The model returned a malformed call to {bad.get('name') or 'a tool'} "
                f"({bad.get('error') or 'arguments are not valid JSON'}); nothing was done. Please ask again."
            )
            message = AIMessage(content=text, response_metadata={"malformed_tool_call": True},
                                usage_metadata=message.usage_metadata)
        return ChatResult(generations=[ChatGeneration(message=message)])


def _reason(exc: Exception) -> str:
    name = type(exc).__name__
    status = getattr(exc, "status_code", None)
    return f"{name} {status}" if status else name


def openai_chat_model(deps: AgentDeps) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    s = deps.settings
    key = s.llm_api_key.get_secret_value() if s.llm_api_key else "not-needed"
    return ChatOpenAI(
        model=s.llm_model or "gpt-4o-mini",
        base_url=s.llm_base_url,
        api_key=key,
        timeout=s.llm_timeout_s,
        max_retries=s.llm_max_retries,
        temperature=0,
    )


def make_chat_model(deps: AgentDeps, exemplars: Any = None, catalog_for: Any = None) -> BaseChatModel:
    """The configured backend: an OpenAI-compatible model with the offline fallback, or the planner alone.
    ``catalog_for``: the user's catalogue by id (a ``CatalogCache`` on the store by default)."""
    planner = OfflinePlanner(catalog_for=catalog_for or CatalogCache(deps.db), exemplars=exemplars)
    if deps.settings.llm_base_url:
        return FallbackChatModel(primary=openai_chat_model(deps), fallback=planner)
    return planner


def backend_name(deps: AgentDeps) -> str:
    s = deps.settings
    return f"openai-compatible:{s.llm_model or 'default'}@{s.llm_base_url}" if s.llm_base_url else "offline-planner"
