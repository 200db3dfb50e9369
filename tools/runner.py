"""The one use-case runner: every face (the agent's tools, HTTP, Slack, the CLI, the scheduler) runs a tool here.

``run_tool(services, user, tool, args, as_of=...)`` is the whole wrapper, written once:

1. one transaction: a write transaction (``db.write()``) for a tool that writes, a read session otherwise;
2. one immutable ``ToolContext`` built by one factory (``Services.context``);
3. the exactly-once key of the inbound event (``event_key``), claimed in the write's own transaction;
4. errors mapped once: a ``ToolError`` (or a duplicate delivery) comes back in the ``ToolCall``, never raised;
5. after the commit, the notes the call stored or removed are indexed (the outbox is drained once).

See docs/architecture.md for the flow and how to add a tool.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from store.db import Database
from store.models import ProcessedEvent, User
from store.settings import Settings
from tools.context import ToolContext
from tools.errors import ToolError
from tools.registry import ToolSpec, get_tool, spec_of
from tools.results import ToolResult
from tools.rules import Rules

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class Services:
    """What a tool call needs from the process: settings, the store, the rules, the index and the note extractor.

    Built once by the composition root (``integrations.runtime.Runtime``), which injects how to open the index
    and which extractor reads notes (offline or model-backed, from ``agent.extraction``).
    """

    settings: Settings
    db: Database
    rules: Rules
    open_knowledge: Callable[[], Any] | None = field(default=None, repr=False)
    extractor_factory: Callable[[], Any] | None = field(default=None, repr=False)
    _knowledge: Any = field(default=None, repr=False)
    _lock: Any = field(default_factory=threading.RLock, repr=False)

    @property
    def knowledge(self) -> Any:
        """The guidance and notes index, opened once, on first use, by whichever thread gets there first."""
        if self._knowledge is None and self.open_knowledge is not None:
            with self._lock:
                if self._knowledge is None:
                    self._knowledge = self.open_knowledge()
        return self._knowledge

    def extractor(self) -> Any:
        """The note extractor ``log_note`` uses (``None`` when none was injected)."""
        return self.extractor_factory() if self.extractor_factory is not None else None

    def context(
        self, session: Session, user: User, as_of: dt.date, *, thread_id: str | None = None,
        with_knowledge: bool = True, today: dt.date | None = None,
    ) -> ToolContext:
        """The one context factory: every tool call's ``ToolContext`` is built here. ``today``: the real day when
        the caller chose ``as_of`` (writes then act as of today: ``ToolContext.back_dated``)."""
        return ToolContext(
            session=session, as_of=as_of, user=user, rules=self.rules, settings=self.settings, db=self.db,
            knowledge=self.knowledge if with_knowledge else None, extractor=self.extractor(), thread_id=thread_id,
            today=today,
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


@dataclass(frozen=True)
class ToolCall:
    """One tool call and what came of it: the typed result, or the error the caller can act on."""

    name: str
    args: dict[str, Any]
    result: ToolResult | None = None
    error: ToolError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def as_record(self) -> dict[str, Any]:
        """The call as JSON: ``{"name", "args", "ok", "result"}`` (an error's result is its ``as_dict()``)."""
        payload = self.result.as_json() if self.result is not None else (self.error.as_dict() if self.error else None)
        return {"name": self.name, "args": dict(self.args), "ok": self.ok, "result": payload}

    def as_text(self) -> str:
        """The call in words: the result's markdown, or the error with its suggestions."""
        if self.error is not None:
            hint = f" Suggestions: {', '.join(self.error.suggestions)}." if self.error.suggestions else ""
            return f"Error: {self.error.message}{hint}"
        return self.result.as_markdown() if self.result is not None else ""


def execute(
    services: Services, user: User | str, work: Callable[[ToolContext], T], *, as_of: dt.date, writes: bool,
    thread_id: str | None = None, event_key: str | None = None, today: dt.date | None = None,
) -> T:
    """Run ``work(ctx)`` as ``user`` in one transaction (steps 1-3 and 5 above); a ``ToolError`` propagates."""
    try:
        with services.db.write() if writes else services.db.session() as session:
            ctx = services.context(session, _user(session, user), as_of, thread_id=thread_id, today=today)
            if writes and event_key:
                claim_event(session, event_key)  # in the same transaction as the write it guards
            outcome = work(ctx)
    except IntegrityError:
        if not (writes and event_key):
            raise
        raise AlreadyProcessed(event_key) from None  # a twin delivery committed first; this one rolled back
    if writes:
        index_pending_notes(services)
    return outcome


def run_tool(
    services: Services, user: User | str, tool: str | ToolSpec | Callable[..., ToolResult],
    args: dict[str, Any] | None = None, *, as_of: dt.date, thread_id: str | None = None,
    event_key: str | None = None, today: dt.date | None = None,
) -> ToolCall:
    """Run one tool as ``user`` on ``as_of``; the outcome (result or error) comes back in a ``ToolCall``.

    ``tool`` is a registered name (what a user or a model typed), its ``ToolSpec``, or the tool function itself
    (how code names a tool, so no face keys a tool by a string). ``thread_id`` is the conversation a note
    proposal belongs to; ``event_key`` the inbound event a write answers, recorded once; ``today`` the real day
    when the caller chose ``as_of`` (HTTP, MCP, the web page).
    """
    args = dict(args or {})
    try:
        spec = tool if isinstance(tool, ToolSpec) else get_tool(tool) if isinstance(tool, str) else spec_of(tool)
    except ToolError as exc:
        return ToolCall(str(tool), args, error=exc)
    try:
        result = execute(services, user, lambda ctx: spec(ctx, **args), as_of=as_of, writes=spec.writes,
                         thread_id=thread_id, event_key=event_key, today=today)
    except ToolError as exc:
        return ToolCall(spec.name, args, error=exc)
    return ToolCall(spec.name, args, result=result)


def index_pending_notes(services: Services) -> Any:
    """After a commit: index the notes stored or removed since (the outbox); the index is opened only when there
    is something to index. Never fails the caller (a note not indexed now stays in the outbox)."""
    from knowledge.outbox import pending_count
    from tools.notes.index_hook import index_pending_notes as drain_outbox

    try:
        pending = pending_count(services.db)
    except Exception:  # noqa: BLE001 - the write is committed; the outbox is drained on the next write or start
        log.warning("could not read the index outbox; stored notes stay in it", exc_info=True)
        return None
    return drain_outbox(services.db, services.knowledge) if pending else None


def _user(session: Session, user: User | str) -> User:
    found = session.get(User, user.id if isinstance(user, User) else user)
    if found is not None:
        return found
    if isinstance(user, User):
        return user  # a caller's own user object (built outside the store, e.g. by a test)
    raise ToolError(f"unknown user {user!r}", code="not_found")
