"""Signing in to the web page: a token from ``kam users token`` buys a signed session cookie.

The cookie (Starlette's ``SessionMiddleware``, signed with itsdangerous) is HttpOnly and SameSite=Strict,
Secure in prod, and holds only the user id, the id of the token used and a CSRF token. Every request checks
that this token is still live: revoking a user's tokens signs them out of the page too. Every form posts the
CSRF token, compared in constant time.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from sqlmodel import Session

from store.models import ApiToken, User
from store.settings import Settings

SESSION_COOKIE = "kam_ui"
SESSION_MAX_AGE = 12 * 3600
_SECRET_FILE = "web-session-secret"


class LoginRequired(Exception):
    """No (live) session: the page answers with a redirect to the sign-in form."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class BadCsrf(Exception):
    """A form posted without the session's CSRF token."""


def session_secret(settings: Settings) -> str:
    """``KAM_WEB_SESSION_SECRET`` (a placeholder is refused in prod by ``Settings``), else a random secret kept
    in the data dir (mode 0600), so that several workers and a restart share it."""
    if settings.web_session_secret is not None:
        return settings.web_session_secret.get_secret_value()
    path = Path(settings.data_dir) / _SECRET_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        value = secrets.token_urlsafe(48)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker wrote it first
            return path.read_text(encoding="ascii").strip()
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(value)
        return value


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def check_csrf(request: Request, posted: str | None) -> None:
    expected = request.session.get("csrf")
    if not expected or not posted or not secrets.compare_digest(str(expected), str(posted)):
        raise BadCsrf


def sign_in(request: Request, token: ApiToken) -> None:
    request.session.clear()  # a fresh session: nothing from before the sign-in survives it
    request.session.update({"uid": token.user_id, "tid": token.id, "csrf": secrets.token_urlsafe(32)})


def session_user(request: Request, session: Session) -> User | None:
    """The signed-in user, when the session's token is still live."""
    uid, tid = request.session.get("uid"), request.session.get("tid")
    if not uid or tid is None:
        return None
    row = session.get(ApiToken, tid)
    if row is None or row.revoked_at is not None or row.user_id != uid:
        request.session.clear()
        return None
    return session.get(User, uid)


def safe_next(path: str | None) -> str:
    """Where to go after signing in: a page of this site only, never another host."""
    if path and path.startswith("/ui/") and not path.startswith("//") and "\\" not in path:
        return path
    return "/ui/"


def _current_user(request: Request) -> User:
    runtime = request.app.state.runtime
    with runtime.db.session() as session:
        user = session_user(request, session)
        if user is not None:
            session.expunge(user)
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target)
    return user


WebUser = Annotated[User, Depends(_current_user)]


def login_url(next_path: str) -> str:
    return "/ui/login?next=" + quote(safe_next(next_path), safe="/")
