"""``kam mcp --as USER``: the MCP server over stdin/stdout, acting as one user (Claude Desktop, IDE agents)."""

from __future__ import annotations

import datetime as dt

import anyio
from mcp.server.stdio import stdio_server

from integrations.mcp.server import build_server
from integrations.runtime import Runtime


def serve_stdio(runtime: Runtime, user_id: str, *, as_of: dt.date | None = None) -> None:
    """Serve until the client closes stdin. ``as_of`` pins the default day (demos, tests); else today."""
    server = build_server(runtime, user_of=lambda _ctx: user_id, today=lambda: as_of or dt.date.today())

    async def main() -> None:
        async with stdio_server() as (read_stream, write_stream):
            await server.run(read_stream, write_stream, server.create_initialization_options())

    anyio.run(main)
