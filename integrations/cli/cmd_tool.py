"""``kam tool NAME``: run any registered tool without a model; ``kam tools``: list them."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from integrations.cli.app import app
from integrations.cli.common import AsOfOption, build_runtime, fail, parse_as_of, resolve_user
from tools.registry import ToolSpec, all_tools
from tools.runner import run_tool

_NULLS = {"null", "none"}


def parse_args(pairs: list[str]) -> dict[str, Any]:
    """``KEY=VALUE`` pairs as a dict. ``null``/``none`` is no value; ``[...]``/``{...}`` is JSON; the rest is
    text that the tool's argument model converts (``30`` for an int, ``2026-06-30`` for a date)."""
    args: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            fail(f"--arg: {pair!r} is not KEY=VALUE (e.g. --arg account=Acme)", 2)
        if key in args:
            fail(f"--arg: {key!r} is given twice", 2)
        if value.strip().lower() in _NULLS:
            args[key] = None
        elif value.strip()[:1] in ("[", "{"):
            try:
                args[key] = json.loads(value)
            except json.JSONDecodeError as exc:
                fail(f"--arg {key}: not valid JSON: {exc}", 2)
        else:
            args[key] = value
    return args


def _describe_args(spec: ToolSpec) -> list[str]:
    schema = spec.json_schema()
    required = set(schema.get("required", []))
    out = []
    for name, prop in schema.get("properties", {}).items():
        kinds = [p.get("type") or ("one of " + "/".join(p["enum"]) if "enum" in p else "?")
                 for p in prop.get("anyOf", [prop])]
        if "enum" in prop:
            kinds = ["one of " + " / ".join(str(v) for v in prop["enum"])]
        kind = " or ".join(str(k) for k in kinds if k)
        default = "required" if name in required else f"default {json.dumps(prop.get('default'))}"
        out.append(f"{name} ({kind}; {default})")
    return out


def tools_listing() -> str:
    lines = []
    for name, spec in sorted(all_tools().items()):
        args = _describe_args(spec)
        lines.append(f"{name}{'  [writes]' if spec.writes else ''}")
        lines.append(f"    {spec.description}")
        lines.append(f"    args: {', '.join(args) if args else 'none'}")
    return "\n".join(lines)


@app.command("tools")
def tools_command() -> None:
    """List the tools with their descriptions and arguments."""
    typer.echo(tools_listing())


@app.command("tool")
def tool_command(
    name: Annotated[str | None, typer.Argument(help="The tool (`kam tools` lists them).")] = None,
    as_user: Annotated[str | None, typer.Option("--as", help="Run as this user (id, Slack id or name).")] = None,
    arg: Annotated[list[str] | None, typer.Option("--arg", help="An argument as KEY=VALUE; repeatable.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result's JSON (as HTTP returns it).")] = False,
    list_tools: Annotated[bool, typer.Option("--list", help="List the tools and their arguments.")] = False,
    as_of: AsOfOption = None,
) -> None:
    """Run one tool without a model, as a user, and print its result."""
    if list_tools:
        typer.echo(tools_listing())
        return
    if not name:
        fail("which tool? `kam tool --list` shows them", 2)
    if not as_user:
        fail("--as USER is required: a tool runs as a user and sees what they may see", 2)
    day = parse_as_of(as_of)
    args = parse_args(arg or [])
    runtime = build_runtime()
    try:
        with runtime.db.session() as session:
            user = resolve_user(session, as_user)
        call = run_tool(runtime, user, name, args, as_of=day)
    finally:
        runtime.close()
    if call.error is not None:
        if as_json:
            typer.echo(json.dumps(call.error.as_dict(), indent=2, ensure_ascii=False))
        fail(call.error.message)
    assert call.result is not None
    result = call.result
    typer.echo(json.dumps(result.as_json(), indent=2, ensure_ascii=False) if as_json else result.as_markdown())
