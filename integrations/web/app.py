"""The web page under ``/ui``: server-rendered HTML (Jinja2, autoescaped), a few plain scripts, no build step,
nothing fetched from elsewhere (a strict Content-Security-Policy says so to the browser too)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup
from starlette.middleware.sessions import SessionMiddleware

from integrations.runtime import Runtime
from integrations.web.auth import SESSION_COOKIE, SESSION_MAX_AGE, BadCsrf, LoginRequired, login_url, session_secret
from tools.compute.economics import money
from tools.compute.score_rules import CRITERION_LABELS
from tools.context import as_of_problem
from tools.rules import quadrant_label

_HERE = Path(__file__).parent
_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
_markdown = MarkdownIt("js-default")  # no raw HTML passes through; unsafe link schemes are refused


def _templates(runtime: Runtime) -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(_HERE / "templates"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals["quadrant"] = lambda q: quadrant_label(q, runtime.rules)
    env.globals["criterion"] = lambda name: CRITERION_LABELS.get(name, name)
    env.filters["money"] = lambda v: "-" if v is None else money(v)
    env.filters["score"] = lambda v: "-" if v is None else f"{v:.2f}"
    env.filters["signed"] = lambda v: "-" if v is None else f"{v:+d}"
    env.filters["markdown"] = lambda text: Markup(_markdown.render(text or ""))
    return Jinja2Templates(env=env)


class PageError(Exception):
    """An answer other than the page: the status and a sentence for people (a tool's error message)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """``name`` rendered with ``context``, plus what every page uses: ``link`` keeps the page's ``as_of``."""
    templates: Jinja2Templates = request.app.state.templates
    as_of = request.query_params.get("as_of")

    def link(path: str) -> str:
        return f"{path}{'&' if '?' in path else '?'}as_of={as_of}" if as_of else path

    context = {"link": link, "as_of_param": as_of, **context}
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def day_of(request: Request) -> dt.date:
    """The ``as_of`` asked for in the query, else today (the edge reads the clock; tools never do)."""
    return parse_day(request.query_params.get("as_of"))


def parse_day(value: str | None) -> dt.date:
    """An ``as_of`` from a query or a form, checked; today when there is none."""
    if not value:
        return dt.date.today()
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise PageError(422, f"as_of must be a date like 2026-11-22; got {value!r}") from None
    if problem := as_of_problem(day):
        raise PageError(422, problem)
    return day


def web_app(runtime: Runtime) -> FastAPI:
    """The page as an app of its own, mounted at ``/ui`` by the HTTP app."""
    from integrations.web.pages import router

    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.state.runtime = runtime
    app.state.templates = _templates(runtime)
    app.add_middleware(SessionMiddleware, secret_key=session_secret(runtime.settings), session_cookie=SESSION_COOKIE,
                       max_age=SESSION_MAX_AGE, path="/ui", same_site="strict",
                       https_only=runtime.settings.env == "prod")
    app.mount("/static", StaticFiles(directory=_HERE / "static"), name="static")
    app.include_router(router)

    @app.middleware("http")
    async def _headers(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = _CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        if not request.url.path.startswith("/ui/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.exception_handler(LoginRequired)
    async def _login(_request: Request, exc: LoginRequired) -> RedirectResponse:
        return RedirectResponse(login_url(exc.next_path), status_code=303)

    @app.exception_handler(PageError)
    async def _page_error(request: Request, exc: PageError) -> HTMLResponse:
        titles = {404: "Not found", 422: "Cannot show that"}
        return render(request, "error.html", exc.status, title=titles.get(exc.status, "Cannot do that"),
                      message=exc.message)

    @app.exception_handler(BadCsrf)
    async def _csrf(request: Request, _exc: BadCsrf) -> HTMLResponse:
        return render(request, "error.html", 403, title="Form expired",
                      message="This form was not sent from your current session. Reload the page and try again.")

    return app
