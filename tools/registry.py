"""The tool catalogue: every tool by its SPEC 7 name, with an argument schema taken from its signature.

A tool is a plain typed function ``fn(ctx: ToolContext, *, arg: T = default, ...) -> ToolResult`` with a
docstring, registered with ``@tool("name")``. The same entry serves the agent, the CLI and HTTP.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, get_type_hints

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from tools.context import ToolContext
from tools.errors import ToolError
from tools.results import ToolResult

# Modules that define tools; imported on first use of the catalogue.
TOOL_MODULES = (
    "tools.scoring",
    "tools.matrix",
    "tools.stakeholders",
    "tools.commitments",
    "tools.drift",
    "tools.plan",
    "tools.qbr",
    "tools.notes",
    "tools.guidance",
    "tools.note_logging",
)

ToolFn = Callable[..., ToolResult]


@dataclass(frozen=True)
class ToolSpec:
    name: str
    fn: ToolFn
    description: str
    args_model: type[BaseModel]
    writes: bool = False
    agent: bool = True  # whether the conversational agent may call it (confirmations and buttons: no)

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

    def __call__(self, ctx: ToolContext, **args: Any) -> ToolResult:
        return self.fn(ctx, **self.validate_args(args))


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


def tool(name: str, *, writes: bool = False, agent: bool = True) -> Callable[[ToolFn], ToolFn]:
    """Register ``fn`` as the tool ``name``; its docstring's first paragraph is its description."""

    def decorate(fn: ToolFn) -> ToolFn:
        doc = inspect.getdoc(fn) or name
        description = doc.split("\n\n")[0].replace("\n", " ")
        _REGISTRY[name] = ToolSpec(name, fn, description, _args_model(name, fn), writes, agent)
        return fn

    return decorate


def _load() -> None:
    global _loaded
    if _loaded:
        return
    for module in TOOL_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:  # a real import error inside an existing module
                raise
    _loaded = True


def all_tools() -> dict[str, ToolSpec]:
    _load()
    return dict(_REGISTRY)


def agent_tool_specs() -> list[ToolSpec]:
    """The tools the conversational agent may call, in catalogue order."""
    return [spec for spec in all_tools().values() if spec.agent]


def get_tool(name: str) -> ToolSpec:
    _load()
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


def call_tool(ctx: ToolContext, name: str, args: dict[str, Any] | None = None) -> ToolResult:
    """Validate ``args`` against the tool's signature and run it."""
    return get_tool(name)(ctx, **(args or {}))
