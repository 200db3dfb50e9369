"""The tool catalogue: one record (``ToolSpec``) per tool, with everything any face needs to know about it.

A tool is a plain typed function ``fn(ctx: ToolContext, *, arg: T = default, ...) -> SomeResult`` with a
docstring, registered with ``@tool("name", ...)``: its argument model comes from the signature, its result model
from the return annotation, its description from the docstring. The same record serves the agent (and its
prompt), the offline planner (``planner=PlannerHints(...)``), the CLI, HTTP, Slack and an MCP server (``title``
and the read-only / destructive / idempotent hints). See docs/architecture.md, "How to add a tool".
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal, get_type_hints

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from tools.context import ToolContext
from tools.errors import ToolError
from tools.gc_pause import gc_paused
from tools.results import ToolResult

# Modules that define tools; imported on first use of the catalogue.
TOOL_MODULES = (
    "tools.scoring",
    "tools.matrix",
    "tools.stakeholders",
    "tools.commitments",
    "tools.commitment_actions",
    "tools.drift",
    "tools.plan",
    "tools.qbr",
    "tools.notes.search",
    "tools.guidance",
    "tools.notes.log",
    "tools.account_overview",
)

ToolFn = Callable[..., ToolResult]
# The day a tool acts on when the caller chose another ``as_of`` than today (``ToolContext.back_dated``):
# "any" takes it as given (reads; scorings, which store only today's), "today" acts as of today whatever was
# asked (a done date, a snooze, a plan version), "past" takes an earlier day but never a later one (a note
# about a past meeting resolves "on Tuesday" against that day).
AsOfRule = Literal["any", "today", "past"]


@dataclass(frozen=True)
class PlannerHints:
    """How the offline planner (``agent/planner``) recognises a request for the tool and fills its arguments.

    ``rules``: (regular expression, weight) word rules on the lower-cased request, the account masked.
    ``exemplars``: requests that want this tool, written without account names (ranked by similarity).
    ``paraphrases``: further varied requests, in words the rules and exemplars do not use, that train the
    planner's last resort (a small classifier) before it says it is not sure.
    ``slots``: the arguments the planner fills from the request, in order: ``account``, ``scope``, ``status``,
    ``window_days``, ``query``, ``question`` (the request itself) or ``text`` (the request, verbatim).
    ``ask_account``: the account is required; without one the planner asks "Which account should I <this>?".
    ``one_account`` / ``many_accounts``: the tool to use instead when the request names exactly one account
    (and no scope) / no account but several ("the quadrants of my accounts" is the matrix).
    ``narrative``: it takes a narrative of a meeting to log. ``method``: it answers how-to questions.
    ``record_id``: a regular expression for the id of the one record the tool acts on (a commitment's "C0075"):
    a request carrying such an id goes to one of these tools, never to another, and one of these tools runs only
    on an id the request states (slot ``commitment``); ``days`` (a snooze length) and ``to`` (a person) are
    further slots of theirs. Slot ``owner``: the colleague whose book to look at ("Jordan's accounts"), ``side``:
    "customer" when the request asks what customers promised. ``book``: the tool that answers a question about
    one colleague's book when no other tool is named ("how is Jordan doing?").
    """

    rules: tuple[tuple[str, float], ...] = ()
    exemplars: tuple[str, ...] = ()
    paraphrases: tuple[str, ...] = ()  # more ways of asking, for the planner's last-resort classifier only
    slots: tuple[str, ...] = ()
    ask_account: str | None = None
    one_account: str | None = None
    many_accounts: str | None = None
    narrative: bool = False
    method: bool = False
    record_id: str | None = None
    book: bool = False
    writes: bool = False  # set from the tool's own ``writes``: a follow-up never runs it on a guess


@dataclass(frozen=True)
class ToolSpec:
    name: str
    fn: ToolFn
    description: str
    args_model: type[BaseModel]
    result_model: type[ToolResult]
    writes: bool = False
    agent: bool = True  # whether the conversational agent may call it (confirmations and buttons: no)
    title: str = ""  # a human title (MCP ``title``)
    destructive: bool = False  # it removes or reverses something (MCP ``destructiveHint``)
    idempotent: bool = False  # calling it twice changes nothing more (MCP ``idempotentHint``)
    planner: PlannerHints = field(default_factory=PlannerHints)
    as_of: AsOfRule = "any"
    model_note: str = ""  # what a model calling it (MCP) must know beyond the docstring: the confirmation rule

    @property
    def read_only(self) -> bool:
        """It changes nothing (MCP ``readOnlyHint``)."""
        return not self.writes

    def result(self, data: dict[str, Any]) -> ToolResult:
        """The typed result again from its JSON (as a tool call record carries it)."""
        return self.result_model.model_validate(data)

    def json_schema(self) -> dict[str, Any]:
        return self.args_model.model_json_schema()

    def validate_args(self, args: dict[str, Any]) -> dict[str, Any]:
        bad = sorted(str(k) for k, v in args.items() if _unstorable(v))
        if bad:  # no id or name holds one, and neither the store nor the index can take one
            raise ToolError(f"{self.name}: bad arguments: {', '.join(bad)}: text may not contain NUL characters "
                            "or unpaired surrogates (it must be valid Unicode)")
        try:
            return self.args_model.model_validate(args).model_dump(exclude_unset=False)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'args'}: {e['msg']}" for e in exc.errors()
            )
            raise ToolError(f"{self.name}: bad arguments: {problems}") from exc

    def __call__(self, ctx: ToolContext, /, **args: Any) -> ToolResult:
        # Positional-only: an argument named ``self`` or ``ctx`` is just another key, refused by the model.
        with gc_paused():  # see tools.gc_pause: the collector would walk the call's live objects again and again
            return self.fn(self._dated(ctx), **self.validate_args(args))

    def _dated(self, ctx: ToolContext) -> ToolContext:
        if not ctx.back_dated or self.as_of == "any" or ctx.today is None:
            return ctx
        if self.as_of == "past" and ctx.as_of < ctx.today:
            return ctx
        return replace(ctx, as_of=ctx.today)


def _unstorable(value: Any) -> bool:
    """A string (anywhere in ``value``) with a NUL, which PostgreSQL refuses in text, or a lone surrogate, which
    is not Unicode text at all (JSON's ``"\\ud800"`` decodes to one)."""
    if isinstance(value, str):
        if "\x00" in value:
            return True
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_unstorable(k) or _unstorable(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_unstorable(v) for v in value)
    return False


_REGISTRY: dict[str, ToolSpec] = {}
_loaded = False


def _args_model(name: str, fn: ToolFn) -> type[BaseModel]:
    hints = get_type_hints(fn)
    fields: dict[str, Any] = {}
    for pname, param in list(inspect.signature(fn).parameters.items())[1:]:
        default = ... if param.default is inspect.Parameter.empty else param.default
        fields[pname] = (hints.get(pname, Any), default)
    model_name = "".join(part.title() for part in name.split("_")) + "Args"
    return create_model(model_name, __config__=ConfigDict(extra="forbid"), **fields)


def tool(
    name: str, *, title: str, writes: bool = False, agent: bool = True, destructive: bool = False,
    idempotent: bool = False, planner: PlannerHints | None = None, as_of: AsOfRule = "any", model_note: str = "",
) -> Callable[[ToolFn], ToolFn]:
    """Register ``fn`` as the tool ``name``; its docstring's first paragraph is its description. ``as_of``: the
    day a write acts on when the caller chose another (see ``AsOfRule``)."""

    def decorate(fn: ToolFn) -> ToolFn:
        doc = inspect.getdoc(fn) or name
        description = doc.split("\n\n")[0].replace("\n", " ")
        result_model = get_type_hints(fn).get("return")
        if not (isinstance(result_model, type) and issubclass(result_model, ToolResult)):
            raise TypeError(f"tool {name!r}: its return annotation must be a ToolResult subclass")
        _REGISTRY[name] = ToolSpec(
            name, fn, description, _args_model(name, fn), result_model, writes=writes, agent=agent, title=title,
            destructive=destructive, idempotent=idempotent, planner=replace(planner or PlannerHints(), writes=writes),
            as_of=as_of,
            model_note=model_note,
        )
        return fn

    return decorate


def _load(until: str | None = None) -> None:
    """Import the tool modules in ``TOOL_MODULES`` order; with ``until``, stop once that tool is registered (a
    one-shot ``kam tool`` loads the modules up to its tool's, not all of them). The registry's order is the
    same whichever call loads a module first."""
    global _loaded
    if _loaded or (until is not None and until in _REGISTRY):
        return
    for module in TOOL_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:  # a real import error inside an existing module
                raise
        if until is not None and until in _REGISTRY:
            return
    _loaded = True


def all_tools() -> dict[str, ToolSpec]:
    _load()
    return dict(_REGISTRY)


def agent_tool_specs() -> list[ToolSpec]:
    """The tools the conversational agent may call, in catalogue order."""
    return [spec for spec in all_tools().values() if spec.agent]


def get_tool(name: str) -> ToolSpec:
    _load(until=name)
    if name not in _REGISTRY:
        known = ", ".join(sorted(_REGISTRY))
        raise ToolError(f"no tool named {name!r}; the tools are: {known}", code="not_found")
    return _REGISTRY[name]


def spec_of(fn: Callable[..., Any]) -> ToolSpec:
    """The registered tool whose function is ``fn``."""
    _load()
    for spec in _REGISTRY.values():
        if spec.fn is fn:
            return spec
    raise ToolError(f"{getattr(fn, '__name__', fn)!r} is not a registered tool", code="not_found")


def typed_result(name: str, data: Any) -> ToolResult | None:
    """The typed result of the tool ``name`` from its JSON (a tool call record's ``result``); ``None`` when that is
    not one (an error, an unknown tool, a result from another version)."""
    spec = _REGISTRY.get(name) if _loaded else all_tools().get(name)
    if spec is None or not isinstance(data, dict):
        return None
    try:
        return spec.result(data)
    except ValidationError:
        return None


def call_tool(ctx: ToolContext, name: str, args: dict[str, Any] | None = None) -> ToolResult:
    """Validate ``args`` against the tool's signature and run it."""
    return get_tool(name)(ctx, **(args or {}))
