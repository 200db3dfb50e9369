"""The pages: sign-in, the matrix, one account, drift and commitments. Each page runs tools through
``integrations.web.run`` and renders what they return; no number is computed here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from integrations.http.tokens import live_token
from integrations.runtime import Runtime
from integrations.web.app import PageError, day_of, parse_day, render
from integrations.web.auth import WebUser, check_csrf, csrf_token, safe_next, session_user, sign_in
from integrations.web.run import run_tool
from store.models import User
from tools.account_overview import account_overview
from tools.commitments import complete_commitment, list_commitments, snooze_commitment
from tools.drift import find_drifting_accounts
from tools.errors import ToolError
from tools.matrix import show_matrix
from tools.results import ToolResult
from tools.rules import quadrant_label

router = APIRouter()
Field = Annotated[str | None, Form()]


def _runtime(request: Request) -> Runtime:
    return request.app.state.runtime


def _call(request: Request, user: User, fn: Callable[..., ToolResult], day: dt.date | None = None,
          **args: Any) -> Any:
    try:
        return run_tool(_runtime(request), user, fn, day or day_of(request), **args)
    except ToolError as exc:
        raise PageError(404 if exc.code == "not_found" else 400, exc.message) from exc


def _page(request: Request, user: User, name: str, **context: Any) -> HTMLResponse:
    flash = request.session.pop("flash", None)
    return render(request, name, user=user, csrf=csrf_token(request), flash=flash,
                  manager=user.role in ("manager", "admin"), **context)


def _back(request: Request, path: str, as_of: str | None) -> RedirectResponse:
    return RedirectResponse(f"{path}?as_of={as_of}" if as_of else path, status_code=303)


# ------------------------------------------------------------------------------------------- sign-in


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> Response:
    with _runtime(request).db.session() as session:
        if session_user(request, session) is not None:
            return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", csrf=csrf_token(request), next=safe_next(next), error=None)


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, token: Field = None, csrf: Field = None, next: Field = None) -> Response:
    check_csrf(request, csrf)
    with _runtime(request).db.session() as session:
        row = live_token(session, (token or "").strip())
    if row is None:
        return render(request, "login.html", 401, csrf=csrf_token(request), next=safe_next(next),
                      error="That token is unknown or revoked. `kam users token YOUR_ID` issues a new one.")
    sign_in(request, row)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, csrf: Field = None) -> RedirectResponse:
    check_csrf(request, csrf)
    request.session.clear()
    return RedirectResponse("/ui/login", status_code=303)


# ------------------------------------------------------------------------------------------------ pages


@router.get("/", response_class=HTMLResponse)
def matrix(request: Request, user: WebUser, scope: str = "mine") -> HTMLResponse:
    if scope not in ("mine", "team", "all"):
        raise PageError(422, f"unknown scope {scope!r}; use mine, team or all")
    result = _call(request, user, show_matrix, scope=scope)
    as_of = request.query_params.get("as_of")
    points = [
        {"id": a.id, "name": a.name, "a": a.attractiveness, "s": a.strength, "q": a.quadrant,
         "label": quadrant_label(a.quadrant, _runtime(request).rules), "revenue": a.annual_revenue,
         "url": f"/ui/accounts/{quote(a.id, safe='')}" + (f"?as_of={as_of}" if as_of else "")}
        for a in result.accounts if a.attractiveness is not None and a.strength is not None
    ]
    return _page(request, user, "matrix.html", result=result, points=points, scope=scope,
                 unplaced=[a for a in result.accounts if a.attractiveness is None or a.strength is None])


@router.get("/accounts/{account_id}", response_class=HTMLResponse)
def account(request: Request, user: WebUser, account_id: str) -> HTMLResponse:
    view = _call(request, user, account_overview, account=account_id)
    if view.account_id != account_id:  # a name that resolved: the page lives at the id
        raise PageError(404, f"no account {account_id!r}")
    trend = [{"date": p.date.isoformat(), "overall": p.overall, "dimensions": p.dimensions} for p in view.trend]
    return _page(request, user, "account.html", view=view, trend=trend)


@router.get("/drift", response_class=HTMLResponse)
def drift(request: Request, user: WebUser) -> HTMLResponse:
    scope = "team" if user.role in ("manager", "admin") else "mine"
    result = _call(request, user, find_drifting_accounts, scope=scope)
    return _page(request, user, "drift.html", result=result)


@router.get("/commitments", response_class=HTMLResponse)
def commitments(request: Request, user: WebUser, scope: str = "mine") -> HTMLResponse:
    if scope not in ("mine", "team"):
        raise PageError(422, f"unknown scope {scope!r}; use mine or team")
    overdue = _call(request, user, list_commitments, scope=scope, status="overdue")
    due_soon = _call(request, user, list_commitments, scope=scope, status="due_soon")
    return _page(request, user, "commitments.html", overdue=overdue, due_soon=due_soon, scope=scope)


@router.post("/commitments/{commitment_id}/done")
def commitment_done(request: Request, user: WebUser, commitment_id: str, csrf: Field = None,
                    as_of: Field = None) -> RedirectResponse:
    check_csrf(request, csrf)
    change = _act(request, user, as_of, complete_commitment, commitment=commitment_id)
    request.session["flash"] = change.message
    return _back(request, "/ui/commitments", as_of)


@router.post("/commitments/{commitment_id}/snooze")
def commitment_snooze(request: Request, user: WebUser, commitment_id: str, csrf: Field = None,
                      as_of: Field = None, days: Field = None) -> RedirectResponse:
    check_csrf(request, csrf)
    if days is not None and not days.isdigit():
        raise PageError(422, f"days must be a whole number; got {days!r}")
    change = _act(request, user, as_of, snooze_commitment, commitment=commitment_id, days=int(days or 2))
    request.session["flash"] = change.message
    return _back(request, "/ui/commitments", as_of)


def _act(request: Request, user: User, as_of: str | None, fn: Callable[..., ToolResult], **args: Any) -> Any:
    """A posted action runs on the day of the page it was posted from (its hidden ``as_of``)."""
    return _call(request, user, fn, parse_day(as_of), **args)
