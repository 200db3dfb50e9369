"""The MCP server at ``/mcp`` in the FastAPI app (Streamable HTTP, stateless, so any worker answers any request),
behind the HTTP API's bearer tokens: a request without a live token is refused with 401 before any tool runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from mcp.server import Server
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser, BearerAuthBackend, RequireAuthMiddleware
from mcp.server.auth.provider import AccessToken
from mcp.server.context import ServerRequestContext
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from integrations.http.tokens import user_for_token
from integrations.mcp.server import build_server
from integrations.runtime import Runtime

MCP_PATH = "/mcp"


class _KamTokens:
    """The MCP SDK's token verifier over ``kam users token`` tokens: the token's user is the acting user."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    async def verify_token(self, token: str) -> AccessToken | None:
        user_id = await anyio.to_thread.run_sync(self._user_id, token)
        if user_id is None:
            return None
        return AccessToken(token=token, client_id=user_id, subject=user_id, scopes=[])

    def _user_id(self, token: str) -> str | None:
        with self._runtime.db.session() as session:
            user = user_for_token(session, token.strip())
            return user.id if user else None


def _token_user(ctx: ServerRequestContext[Any, Any]) -> str:
    user = getattr(ctx.request, "user", None)
    if not isinstance(user, AuthenticatedUser):  # cannot happen behind RequireAuthMiddleware; never act as nobody
        raise PermissionError("an MCP request reached a handler without an authenticated user")
    return user.access_token.client_id


class McpEndpoint:
    """The ASGI endpoint at ``/mcp``. A session manager runs only once, so each run of the app's lifespan
    (``run()``) starts a fresh one; outside it the endpoint answers 503."""

    def __init__(self, server: Server[Any]) -> None:
        self._server = server
        self._manager: StreamableHTTPSessionManager | None = None

    @asynccontextmanager
    async def run(self) -> AsyncIterator[None]:
        manager = StreamableHTTPSessionManager(app=self._server, stateless=True, json_response=True)
        async with manager.run():
            self._manager = manager
            try:
                yield
            finally:
                self._manager = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._manager is None:
            response = JSONResponse({"error": "the MCP endpoint is not running (app lifespan not started)"}, 503)
            await response(scope, receive, send)
            return
        # Behind RequireAuthMiddleware: the caller has a live token, so the answer may say which worker gave it.
        scope.setdefault("state", {})["authenticated"] = True
        await self._manager.handle_request(scope, receive, send)


def mount_mcp(app: FastAPI, runtime: Runtime) -> McpEndpoint:
    """Add ``/mcp`` to ``app``; the returned endpoint's ``run()`` must be entered in the app's lifespan."""
    server = build_server(runtime, user_of=_token_user, today=dt.date.today)  # the edge reads the clock
    mcp = McpEndpoint(server)
    endpoint = AuthenticationMiddleware(RequireAuthMiddleware(mcp, required_scopes=[]),
                                        backend=BearerAuthBackend(_KamTokens(runtime)))
    app.add_route(MCP_PATH, endpoint, include_in_schema=False)
    return mcp
