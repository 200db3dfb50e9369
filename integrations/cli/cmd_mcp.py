"""``kam mcp --as USER``: serve every tool, the guidance and account briefs to an MCP client over stdio."""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer

from integrations.cli.app import app
from integrations.cli.common import AsOfOption, build_runtime, parse_as_of, resolve_user


@app.command("mcp")
def mcp_command(
    as_user: Annotated[str, typer.Option("--as", help="Act as this user (id, Slack id or name).")],
    as_of: AsOfOption = None,
) -> None:
    """Serve the MCP server over stdio (for Claude Desktop and IDE agents), acting as one user."""
    from integrations.mcp.stdio import serve_stdio

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)  # stdout carries the protocol
    day = parse_as_of(as_of) if as_of else None
    runtime = build_runtime()
    try:
        with runtime.db.session() as session:
            user = resolve_user(session, as_user)
        serve_stdio(runtime, user.id, as_of=day)
    finally:
        runtime.close()
