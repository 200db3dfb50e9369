"""The tools as MCP describes them, generated from the registry: input schema from the tool's argument model,
output schema from its result model, a description for a model, annotations; and results in MCP's shape."""

from __future__ import annotations

import datetime as dt
import inspect
from functools import lru_cache
from typing import Any, get_type_hints

import mcp_types as types

from tools.context import as_of_problem
from tools.errors import ToolError
from tools.registry import ToolSpec, all_tools
from tools.results import ToolResult

AS_OF = "as_of"
_AS_OF_SCHEMA = {"type": "string", "format": "date",
                 "description": "The day to reason about (YYYY-MM-DD); default today. Never needed for 'now'."}


@lru_cache(maxsize=1)
def mcp_tools() -> tuple[types.Tool, ...]:
    """Every registered tool, by name."""
    return tuple(_tool(spec) for _, spec in sorted(all_tools().items()))


def _tool(spec: ToolSpec) -> types.Tool:
    annotations = types.ToolAnnotations(
        title=spec.title,
        read_only_hint=spec.read_only,
        destructive_hint=spec.destructive if spec.writes else None,
        idempotent_hint=spec.idempotent if spec.writes else None,
        open_world_hint=False,  # the tools reach only this team's store and guidance
    )
    return types.Tool(name=spec.name, title=spec.title, description=_description(spec),
                      input_schema=input_schema(spec), output_schema=output_schema(spec), annotations=annotations)


def _description(spec: ToolSpec) -> str:
    doc = (inspect.getdoc(spec.fn) or spec.description).replace("``", "`")
    parts = [doc, spec.model_note] if spec.model_note else [doc]
    parts.append("Acts as the signed-in user and sees only their accounts; another user's account is reported "
                 "as not found.")
    return "\n\n".join(parts)


def input_schema(spec: ToolSpec) -> dict[str, Any]:
    """The tool's own argument schema, plus the optional ``as_of`` day every face accepts."""
    schema = spec.json_schema()
    schema.setdefault("properties", {})[AS_OF] = _AS_OF_SCHEMA
    schema["additionalProperties"] = False
    return schema


def output_schema(spec: ToolSpec) -> dict[str, Any]:
    """The JSON schema of the tool's result model (what ``POST /v1/tools/{name}`` returns)."""
    result_type = get_type_hints(spec.fn)["return"]
    return result_type.model_json_schema(mode="serialization")


def split_as_of(args: dict[str, Any] | None, default: dt.date) -> tuple[dict[str, Any], dt.date]:
    """The tool's own arguments and the day to reason about (``as_of`` when given, else ``default``)."""
    rest = dict(args or {})
    value = rest.pop(AS_OF, None)
    if value is None:
        return rest, default
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ToolError(f"as_of: {value!r} is not a date; write it as YYYY-MM-DD (e.g. 2026-11-22)") from exc
    if problem := as_of_problem(day):
        raise ToolError(problem)
    return rest, day


def tool_result(result: ToolResult) -> types.CallToolResult:
    """The result's JSON as structured content and its markdown as text content."""
    return types.CallToolResult(content=[types.TextContent(type="text", text=result.as_markdown())],
                                structured_content=result.as_json())


def error_result(exc: ToolError) -> types.CallToolResult:
    """A tool error for the model to act on: its message and suggestions, not a protocol error."""
    text = exc.message
    if exc.suggestions:
        text += "\nSuggestions: " + "; ".join(exc.suggestions)
    return types.CallToolResult(content=[types.TextContent(type="text", text=text)],
                                structured_content=exc.as_dict(), is_error=True)
