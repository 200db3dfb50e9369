"""One conversational turn: the use-case function every interface calls (CLI, HTTP, Slack).

Replies to a thread's note draft (answers, corrections, confirm, cancel: ``tools.notes.replies``) and ``undo``
are handled here, without the model: only the user's own words can confirm a write. Everything else runs the
agent loop (one LangChain agent over the tools, any backend) with the acting user and ``as_of`` in the runtime
context.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import uuid
from dataclasses import dataclass, field, replace
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from pydantic import BaseModel, Field

from agent import grounding
from agent.catalog import CatalogCache
from agent.deps import AgentDeps, TurnContext
from agent.memory import make_checkpointer
from agent.offline_turn import offline_turn
from store.models import User
from tools.escape import md_inline
from tools.registry import ToolSpec, agent_tool_specs, typed_result
from tools.results import ToolResult
from tools.runner import execute

MAX_MESSAGE_CHARS = 20_000
_SURE = 0.5  # the message-kind classifier's confidence below which a reply to a draft is read as "unsure"
_SURE_REQUEST = 0.8
_UNDO = re.compile(r"^\s*(undo|revert|take (it|that) back|undo that)\s*[.!]*\s*$", re.IGNORECASE)
_SURROGATE = re.compile("[\ud800-\udfff]")


class ToolCallRecord(BaseModel):
    """One tool call of a turn as JSON (``tools.runner.ToolCall.as_record()``); ``typed()`` is its result model."""

    name: str
    args: dict[str, Any] = Field(default_factory=dict)
    ok: bool = True
    result: Any = None

    def typed(self) -> ToolResult | None:
        """The tool's result model again (``None`` for an error)."""
        return typed_result(self.name, self.result) if self.ok else None


class ChatResponse(BaseModel):
    """What ``POST /v1/chat`` and ``kam chat --json`` return."""

    thread_id: str
    reply: str
    tool_calls: list[ToolCallRecord] = Field(default_factory=list)
    pending_confirmation: dict[str, Any] | None = None
    backend: str | None = None
    model_calls: int = 0
    tokens: int = 0

    def public(self) -> dict[str, Any]:
        data = self.model_dump(mode="json", exclude={"backend", "model_calls", "tokens"})
        if data.get("pending_confirmation") is None:
            data.pop("pending_confirmation", None)
        return data


@dataclass
class Agent:
    """The agent for one process, shared by every turn and thread: with the offline planner, its loop run directly
    (``agent/offline_turn.py``); the compiled agent graph (LangChain's agent over LangGraph) built on first need
    (a real model, a thread's later turns, anything the direct loop leaves to it)."""

    deps: AgentDeps
    checkpointer: Any = None
    exemplars: Any = None
    _graph: Any = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _catalog: CatalogCache | None = field(default=None, repr=False)
    _specs: dict[str, ToolSpec] = field(default_factory=dict, repr=False)
    offline: bool = True  # the offline planner's turns run without the graph (when the backend is the planner)

    @classmethod
    def build(cls, deps: AgentDeps, *, checkpointer: Any = None, exemplars: Any = None) -> Agent:
        agent = cls(deps=deps, checkpointer=checkpointer or make_checkpointer(deps.settings),
                    exemplars=exemplars if exemplars is not None else _default_exemplars(),
                    _catalog=CatalogCache(deps.db), _specs={s.name: s for s in agent_tool_specs()},
                    offline=not deps.settings.llm_base_url)
        if deps.extractor_factory is None:
            deps.extractor_factory = _lazy_extractor(deps)
        if not agent.offline:
            agent.graph()
        return agent

    def graph(self) -> Any:
        """The compiled agent graph, built once (imports LangChain's agent and LangGraph: most of a second)."""
        with self._lock:
            if self._graph is None:
                from langchain.agents import create_agent
                from langchain.agents.middleware import ModelRequest, dynamic_prompt

                from agent.backends import make_chat_model
                from agent.lc_tools import agent_tools
                from agent.prompts import system_prompt

                deps = self.deps

                @dynamic_prompt
                def _prompt(request: ModelRequest) -> str:
                    turn: TurnContext = request.runtime.context  # type: ignore[assignment]
                    return system_prompt(deps, turn)

                model = make_chat_model(deps, exemplars=self.exemplars, catalog_for=self._catalog)
                self._graph = create_agent(model, agent_tools(deps), middleware=[_prompt],
                                           checkpointer=self.checkpointer, context_schema=TurnContext)
            return self._graph

    def turn(
        self, user: User, message: str, *, thread_id: str | None = None, as_of: dt.date, event_key: str | None = None,
        today: dt.date | None = None,
    ) -> ChatResponse:
        """Answer one message from ``user`` in ``thread_id`` (a new thread when None). ``today``: the real day, when
        the caller chose ``as_of`` (writes then act as of today: ``ToolContext.back_dated``)."""
        # NUL characters carry nothing a person typed and PostgreSQL cannot store them: dropped. Lone surrogates
        # (bytes a terminal could not decode) are not text: each becomes U+FFFD.
        thread_id = _text(thread_id or "")
        fresh = not thread_id  # a thread this turn starts: it has no draft and no messages yet
        thread_id = thread_id or f"t-{uuid.uuid4().hex[:16]}"
        message = _text(message or "").strip()
        notice = ""
        if len(message) > MAX_MESSAGE_CHARS:
            last = md_inline(" ".join(message[MAX_MESSAGE_CHARS - 40 : MAX_MESSAGE_CHARS].split()))
            notice = (f"_(Your message was {len(message):,} characters; I read the first {MAX_MESSAGE_CHARS:,}, up to "
                      f"\"{last}\". Send the rest in another message.)_\n\n")
            message = message[:MAX_MESSAGE_CHARS]
        backend = "offline-planner" if not self.deps.settings.llm_base_url else "openai-compatible"
        handled = self._thread_reply(user, message, thread_id, as_of, today, event_key, fresh) if message else None
        if handled is not None:
            return ChatResponse(thread_id=thread_id, reply=handled.reply, backend=backend,
                                tool_calls=[ToolCallRecord(**handled.record)] if handled.record else [],
                                pending_confirmation=handled.pending)
        if not message:
            return ChatResponse(thread_id=thread_id, reply="Say what you need: ask about an account, or tell me "
                                "about a meeting to log it.", backend=backend)
        # Memory is per user within a thread: nobody reads another user's conversation by reusing its id.
        config = {"configurable": {"thread_id": f"{user.id}/{thread_id}"}}
        context = TurnContext(user_id=user.id, as_of=as_of, thread_id=thread_id, event_key=event_key, today=today,
                              user_name=user.name, user_role=user.role, message=message)
        # The turn's own message carries an id (as LangGraph would give it): the turn's messages are found after it,
        # without reading the thread's checkpoint before the turn.
        human = HumanMessage(content=message, id=str(uuid.uuid4()))
        new = None
        if self.offline and self._catalog is not None:  # the planner's loop without the graph's machinery
            catalog = self._catalog
            new = offline_turn(self.deps, self._specs, lambda: replace(catalog(user.id), today=as_of), self.exemplars,
                               self.checkpointer, self.graph, config, context, human, fresh=fresh)
        if new is None:
            state = self.graph().invoke({"messages": [human]}, config=config, context=context)
            new = _since(list(state["messages"]), human.id)
        response = self._response(thread_id, message, new, backend)
        return response.model_copy(update={"reply": notice + response.reply}) if notice else response

    def _thread_reply(self, user: User, message: str, thread_id: str, as_of: dt.date,
                      today: dt.date | None, event_key: str | None, fresh: bool = False) -> Any:
        """A reply to the thread's note draft (an answer, a correction, confirm, cancel) or ``undo``, acted on
        without the model (``tools.notes.replies``); ``None`` for any other message. ``event_key``: the inbound
        event, claimed in the reply's own write (a redelivered "drop the second one" drops nothing more)."""
        from tools.notes.draft import has_open_draft

        if _UNDO.match(message):
            from tools.notes.replies import handle_reply

            return execute(self.deps, user, lambda ctx: handle_reply(ctx, kind="undo"), as_of=as_of, writes=True,
                           thread_id=thread_id, today=today)  # the note is unindexed after the commit
        if fresh or not execute(self.deps, user, has_open_draft, as_of=as_of, writes=False, thread_id=thread_id,
                                today=today):
            return None
        # Only a thread with a draft reads its replies (their reader loads its own classifier).
        from agent.understanding.message_kind import classify_message
        from tools.notes.replies import HandledReply, respond
        from tools.runner import AlreadyProcessed

        kind = classify_message(message)
        # Unsure: the reply grammar may still read an edit in it, but never a confirm or a cancel.
        # A request must be clearly one to leave the draft aside ("sorry, I meant Globex" is not).
        sure = kind.confidence >= (_SURE_REQUEST if kind.kind == "request" else _SURE)
        reads_as = kind.kind if sure else "unsure"
        try:
            return execute(self.deps, user, lambda ctx: respond(ctx, message, reads_as=reads_as, event_key=event_key),
                           as_of=as_of, writes=True, thread_id=thread_id, today=today)  # indexed after the commit
        except AlreadyProcessed as exc:
            return HandledReply(reply=exc.message)

    def _response(self, thread_id: str, message: str, new: list[BaseMessage], backend: str) -> ChatResponse:
        records: list[dict[str, Any]] = []
        texts: list[str] = []
        model_calls = tokens = 0
        fallback: str | None = None
        reply = ""
        for msg in new:
            if isinstance(msg, ToolMessage):
                record = msg.artifact if isinstance(msg.artifact, dict) else {"name": msg.name, "ok": False,
                                                                              "result": {"error": str(msg.content)}}
                records.append(record)
                texts.append(str(msg.content))
            elif isinstance(msg, AIMessage):
                model_calls += 1
                usage = msg.usage_metadata or {}
                tokens += int(usage.get("total_tokens", 0) or 0)
                fallback = fallback or msg.response_metadata.get("fallback")
                if not msg.tool_calls:
                    reply = str(msg.content or "")
        if backend != "offline-planner" and records and grounding.ungrounded_numbers(reply, records, message):
            from agent.planner.wording import word_results

            reply = word_results(records, texts)  # the model wrote a number no tool gave: use the tools' words
        if fallback:
            reply = f"_(The language model is unavailable ({fallback}); answered by the offline planner.)_\n\n{reply}"
        pending = None
        for record in records:
            typed = typed_result(str(record.get("name")), record.get("result")) if record.get("ok") else None
            if typed is not None and typed.awaits_confirmation():
                pending = record["result"]
        return ChatResponse(
            thread_id=thread_id,
            reply=reply.strip(),
            tool_calls=[ToolCallRecord(**r) for r in records],
            pending_confirmation=pending,
            backend=backend,
            model_calls=model_calls,
            tokens=tokens,
        )


def _since(messages: list[BaseMessage], message_id: str | None) -> list[BaseMessage]:
    """The messages from the one with ``message_id`` on (the last such: ids are unique within a thread)."""
    for index in range(len(messages) - 1, -1, -1):
        if messages[index].id == message_id:
            return messages[index:]
    raise RuntimeError("the turn's message is not in the thread's state")


def _text(value: str) -> str:
    """``value`` without NUL characters, and with U+FFFD for each lone surrogate."""
    value = value.replace("\x00", "")
    return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value


def _lazy_extractor(deps: AgentDeps) -> Any:
    """The note extractor, built on first use (only a logged note needs it)."""
    built: list[Any] = []

    def get() -> Any:
        if not built:
            from agent.extraction import make_extractor_factory

            built.append(make_extractor_factory(deps.settings)())
        return built[0]

    return get


def _default_exemplars() -> Any:
    from agent.planner.intents import default_exemplar_index

    return default_exemplar_index()
