"""The HTTP API (FastAPI): chat, tools, read endpoints, health. Adapters only: authenticate, build the
context, call the same use-case function as the CLI and Slack, return its JSON."""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.body_limit import RequestBodyLimitMiddleware

from integrations.http.body_limit import DeclaredLengthLimit
from integrations.http.openapi import bearer, errors, offline_docs_app
from integrations.http.tokens import user_for_token
from integrations.runtime import Runtime, today
from store.models import User
from store.scopes import get_visible_account, scoped_accounts_stmt
from store.settings import Settings
from tools import runner
from tools.commitments import complete_commitment, list_commitments, snooze_commitment
from tools.context import as_of_problem
from tools.drift import find_drifting_accounts
from tools.matrix import show_matrix
from tools.scoring import assign_quadrant

log = logging.getLogger(__name__)
_WORKER = str(os.getpid())


class ApiError(Exception):
    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.message, self.extra = status, message, extra


class ChatRequest(BaseModel):
    message: str = Field(..., max_length=20_000, description="What the user says")
    thread_id: str | None = Field(None, max_length=200, description="Continue this conversation")
    as_of: dt.date | None = Field(None, description="The day to reason about; default today")


class ToolRequest(BaseModel):
    args: dict[str, Any] = Field(default_factory=dict)
    as_of: dt.date | None = None


def _runtime(request: Request) -> Runtime:
    return request.app.state.runtime


RuntimeDep = Annotated[Runtime, Depends(_runtime)]


def _session(runtime: RuntimeDep) -> Iterator[Session]:
    session = runtime.db.session()
    try:
        yield session
    finally:
        _close_read_session(session)


def _close_read_session(session: Session) -> None:
    """Close a request's read session. This runs after the answer was sent: a connection that died since (the
    database restarted) must not turn that answer into a dropped connection. SQLAlchemy has already
    discarded the dead connection from the pool."""
    try:
        session.close()
    except DBAPIError as exc:
        log.warning("closing a read session failed (%s); its connection was discarded", type(exc).__name__)


SessionDep = Annotated[Session, Depends(_session)]


def _current_user(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)] = None,
) -> User:
    token = credentials.credentials.strip() if credentials is not None else None
    user = user_for_token(session, token)
    if user is None:
        raise ApiError(401, "missing or invalid bearer token", hint="kam users token USER issues one")
    request.state.authenticated = True  # only then does the answer say which worker process gave it
    return user


CurrentUser = Annotated[User, Depends(_current_user)]


def _as_of(runtime: Runtime, value: dt.date | None) -> dt.date:
    if value is not None and (problem := as_of_problem(value)):
        raise ApiError(422, problem)
    return value or today(runtime.settings)  # the edge reads the clock (in KAM_TIMEZONE); tools never do


_STATUS = {"not_found": 404, "ambiguous": 409}


def _tool_response(runtime: Runtime, user: User, tool: Any, args: dict[str, Any], as_of: dt.date) -> dict[str, Any]:
    # The caller chooses as_of; a write still acts as of today (SECURITY.md).
    call = runner.run_tool(runtime, user, tool, args, as_of=as_of, thread_id=f"http:{user.id}",
                           today=today(runtime.settings))
    if call.error is not None:
        raise ApiError(_STATUS.get(call.error.code, 400), call.error.message, code=call.error.code,
                       suggestions=call.error.suggestions)
    assert call.result is not None
    return call.result.as_json()


def _router() -> APIRouter:
    router = APIRouter()

    @router.get("/healthz", tags=["meta"])
    def healthz(request: Request, runtime: RuntimeDep,
                authorization: Annotated[str | None, Header()] = None) -> JSONResponse:
        """The store, the notes index and Slack: ok, degraded or down (503); details with a valid token."""
        from integrations.http.health import health

        scheme, _, token = (authorization or "").partition(" ")
        status, body = health(runtime, token.strip() if scheme.lower() == "bearer" else None)
        request.state.authenticated = "store" in body  # only then does the answer say which worker gave it
        return JSONResponse(body, status_code=status)

    @router.post("/v1/chat", tags=["chat"], responses=errors(401, 413, 422))
    def chat(body: ChatRequest, runtime: RuntimeDep, user: CurrentUser) -> dict[str, Any]:
        """One conversational turn: the reply, the tool calls it made and any note awaiting confirmation."""
        response = runtime.agent().turn(user, body.message, thread_id=body.thread_id, as_of=_as_of(runtime, body.as_of),
                                        today=today(runtime.settings))
        return response.public()

    @router.post("/v1/tools/{name}", tags=["tools"], responses=errors(400, 401, 404, 409, 413, 422))
    def run_tool(name: str, body: ToolRequest, runtime: RuntimeDep, user: CurrentUser) -> dict[str, Any]:
        """Call one tool without the model; the result is the tool's JSON."""
        return _tool_response(runtime, user, name, body.args, _as_of(runtime, body.as_of))

    @router.get("/v1/accounts", tags=["read"], responses=errors(401, 422))
    def accounts(session: SessionDep, user: CurrentUser,
                 scope: Annotated[str, Query(pattern="^(mine|team|all)$")] = "all") -> dict[str, Any]:
        """The accounts the caller may see."""
        rows = session.exec(scoped_accounts_stmt(session, user, scope)).all()
        return {"accounts": [{"id": a.id, "name": a.name, "owner_id": a.owner_id, "industry": a.industry,
                              "annual_revenue": a.annual_revenue} for a in sorted(rows, key=lambda a: a.id)]}

    @router.get("/v1/accounts/{account_id}", tags=["read"], responses=errors(401, 404, 422))
    def account(account_id: str, runtime: RuntimeDep, session: SessionDep, user: CurrentUser,
                as_of: dt.date | None = None) -> dict[str, Any]:
        """One account with its current score; 404 when missing or not the caller's to see."""
        found = get_visible_account(session, user, account_id)
        if found is None:
            raise ApiError(404, f"no account {account_id!r}")
        score = _tool_response(runtime, user, assign_quadrant, {"account": found.id}, _as_of(runtime, as_of))
        return {"account": found.model_dump(mode="json"), "quadrant": score}

    @router.get("/v1/matrix", tags=["read"], responses=errors(400, 401, 422))
    def matrix(runtime: RuntimeDep, user: CurrentUser, scope: str = "mine",
               as_of: dt.date | None = None) -> dict[str, Any]:
        return _tool_response(runtime, user, show_matrix, {"scope": scope}, _as_of(runtime, as_of))

    @router.get("/v1/drifting", tags=["read"], responses=errors(400, 401, 422))
    def drifting(runtime: RuntimeDep, user: CurrentUser, scope: str = "team", window_days: int | None = None,
                 as_of: dt.date | None = None) -> dict[str, Any]:
        args: dict[str, Any] = {"scope": scope}
        if window_days is not None:
            args["window_days"] = window_days
        return _tool_response(runtime, user, find_drifting_accounts, args, _as_of(runtime, as_of))

    @router.get("/v1/commitments", tags=["read"], responses=errors(400, 401, 422))
    def commitments(runtime: RuntimeDep, user: CurrentUser, scope: str = "mine", status: str = "open",
                    as_of: dt.date | None = None) -> dict[str, Any]:
        args = {"scope": scope, "status": status}
        return _tool_response(runtime, user, list_commitments, args, _as_of(runtime, as_of))

    @router.post("/v1/commitments/{commitment_id}/done", tags=["actions"],
                 responses=errors(400, 401, 404, 409, 413, 422))
    def commitment_done(commitment_id: str, runtime: RuntimeDep, user: CurrentUser,
                        as_of: dt.date | None = None) -> dict[str, Any]:
        args = {"commitment": commitment_id}
        return _tool_response(runtime, user, complete_commitment, args, _as_of(runtime, as_of))

    @router.post("/v1/commitments/{commitment_id}/snooze", tags=["actions"],
                 responses=errors(400, 401, 404, 409, 413, 422))
    def commitment_snooze(commitment_id: str, runtime: RuntimeDep, user: CurrentUser, days: int = 2,
                          until: str | None = None, as_of: dt.date | None = None) -> dict[str, Any]:
        args: dict[str, Any] = {"commitment": commitment_id, "days": days}
        if until:
            args["until"] = until
        return _tool_response(runtime, user, snooze_commitment, args, _as_of(runtime, as_of))

    return router


def create_app(runtime: Runtime, *, with_slack: bool = True) -> FastAPI:
    """The FastAPI app over ``runtime``; Slack's HTTP events are mounted when Slack is configured."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime.start_indexing()  # notes stored by any process (or during an index outage) get indexed
        async with app.state.mcp.run():  # the MCP session manager's task group lives as long as the app
            yield
        runtime.close()

    app = offline_docs_app(title="kam-agent", version="0.1.0", lifespan=lifespan,
                           description="Conversational key account management: chat, tools and read endpoints.")
    app.state.runtime = runtime
    # Starlette counts a body's bytes as they arrive (with or without a Content-Length) and stops at the limit
    # with 413, so no request is buffered past it; outside it, a declared length over the limit gets our JSON
    # error before anything reads the body (see integrations/http/body_limit.py).
    app.add_middleware(RequestBodyLimitMiddleware, max_body_size=runtime.settings.max_request_bytes)
    app.add_middleware(DeclaredLengthLimit, max_bytes=runtime.settings.max_request_bytes)

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse({"error": exc.message, **exc.extra}, status_code=exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        return JSONResponse({"error": "invalid request", "problems": problems}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code)

    @app.middleware("http")
    async def _crash(request: Request, call_next: Any) -> Any:
        # Answered here rather than by an exception handler for Exception: Starlette re-raises after such a
        # handler, and uvicorn then drops the keep-alive connection, failing the client's next request too.
        try:
            response = await call_next(request)
            if getattr(request.state, "authenticated", False):
                response.headers["X-Kam-Worker"] = _WORKER  # which process answered, for a caller with a token
            return response
        except Exception as exc:
            log.exception("unhandled error: %s", type(exc).__name__)
            return JSONResponse({"error": "internal error"}, status_code=500)

    app.include_router(_router())
    from integrations.web.app import web_app

    app.mount("/ui", web_app(runtime))

    from integrations.mcp.http import mount_mcp

    app.state.mcp = mount_mcp(app, runtime)
    s = runtime.settings
    if with_slack and s.slack_signing_secret and s.slack_bot_token and not s.slack_app_token:  # HTTP events mode
        from integrations.slack.fastapi_routes import slack_router

        app.include_router(slack_router(runtime))
    return app


def app_factory() -> FastAPI:
    """For ``uvicorn --factory`` and several workers: each process builds its runtime from the environment."""
    return create_app(Runtime.build(Settings()))
