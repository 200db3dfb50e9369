"""``GET /healthz``: the store, the notes index and Slack, checked live.

Anyone may ask; only the overall verdict is told to an anonymous caller: ``ok``, ``degraded`` (the index
is unreachable or not this process's to use: note searches are answered from SQL) or ``down`` (the store
does not answer: HTTP 503). A caller with a valid bearer token also gets the details (database dialect and
schema revision, index backend, reachability and pending notes, Slack mode, chat model), never a secret.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from integrations.http.tokens import user_for_token
from integrations.runtime import Runtime


def _store(runtime: Runtime) -> tuple[dict[str, Any], Session | None]:
    session = runtime.db.session()
    try:
        session.exec(text("SELECT 1"))  # type: ignore[call-overload]
        revision = session.exec(text("SELECT version_num FROM alembic_version")).scalar()  # type: ignore[call-overload]
    except Exception as exc:
        session.close()
        return {"reachable": False, "dialect": runtime.db.dialect, "problem": type(exc).__name__}, None
    return {"reachable": True, "dialect": runtime.db.dialect, "revision": revision}, session


def _slack(runtime: Runtime) -> dict[str, Any]:
    s = runtime.settings
    mode = "socket mode" if s.slack_app_token and s.slack_bot_token else (
        "http events" if s.slack_signing_secret and s.slack_bot_token else "off")
    return {"configured": mode != "off", "mode": mode}


def health(runtime: Runtime, token: str | None) -> tuple[int, dict[str, Any]]:
    """(HTTP status, body) for ``/healthz``; ``token`` is the caller's bearer token, if any."""
    store, session = _store(runtime)
    if session is None:
        return 503, {"status": "down"}
    try:
        index = runtime.knowledge.status()
        status = "ok" if index.reachable else "degraded"
        body: dict[str, Any] = {"status": status}
        if token and user_for_token(session, token) is not None:
            s = runtime.settings
            body.update(store=store, index=index.as_dict(), slack=_slack(runtime),
                        model=s.llm_model if s.llm_base_url else "offline-planner")
    finally:
        session.close()
    return 200, body
