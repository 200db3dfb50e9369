"""The MCP server at ``/mcp`` in the FastAPI app (Streamable HTTP, stateless, so any worker answers any request),
behind the HTTP API's bearer tokens: a request without a live token is refused with 401 before any tool runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser, BearerAuthBackend, RequireAuthMiddleware
from mcp.server.auth.provider import AccessToken
from mcp.server.context import ServerRequestContext
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp, StreamableHTTPSessionManager
from starlette.middleware.authentication import AuthenticationMiddleware

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


def mount_mcp(app: FastAPI, runtime: Runtime) -> StreamableHTTPSessionManager:
    """Add ``/mcp`` to ``app``; the returned manager's ``run()`` must be entered in the app's lifespan."""
    server = build_server(runtime, user_of=_token_user, today=dt.date.today)  # the edge reads the clock
    manager = StreamableHTTPSessionManager(app=server, stateless=True, json_response=True)
    endpoint = AuthenticationMiddleware(RequireAuthMiddleware(StreamableHTTPASGIApp(manager), required_scopes=[]),
                                        backend=BearerAuthBackend(_KamTokens(runtime)))
    app.add_route(MCP_PATH, endpoint, include_in_schema=False)
    return manager
