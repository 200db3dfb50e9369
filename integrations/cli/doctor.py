"""``kam doctor``'s checks: each looks at one part of a configuration and says what is wrong with it.

Every check returns a ``Check`` (``ok``, ``warn`` or ``fail`` with a sentence an operator can act on); none
changes anything (the schema is not migrated, the outbox is not drained, nothing is sent to Slack).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from store.settings import Settings


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # ok | warn | fail
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "status": self.status, "detail": self.detail}


def _store(settings: Settings, state: dict[str, Any]) -> Check:
    from alembic.script import ScriptDirectory
    from sqlalchemy import text

    from store.db import Database
    from store.migrate import alembic_config, current

    db = Database.from_settings(settings, migrate=False)
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        have = current(db.engine)
    except Exception as exc:
        db.dispose()
        return Check("store", "fail", f"{db.dialect} at {_safe_url(settings)} does not answer: {_brief(exc)}")
    state["db"] = db
    head = ScriptDirectory.from_config(alembic_config(db.engine)).get_current_head()
    if have != head:
        return Check("store", "warn", f"{db.dialect} reachable; schema at {have or 'nothing'}, code at {head}: any "
                                      "kam command (e.g. `kam users list`) migrates it")
    return Check("store", "ok", f"{db.dialect} at {_safe_url(settings)}, schema at head ({head})")


def _index(settings: Settings, state: dict[str, Any]) -> Check:
    db = state.get("db")
    if db is None:
        return Check("index", "fail", "not checked: the store is unreachable")
    from knowledge.service import IndexService

    service = IndexService(settings, db, drain_on_open=False)
    try:
        status = service.status()
    finally:
        service.close()
    where = f"Chroma server {settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else (
        f"embedded Chroma in {settings.chroma_path}")
    pending = f"{status.pending_notes} note(s) waiting in the outbox"
    if status.reachable:
        return Check("index", "ok", f"{where}; {pending}")
    if status.owner_pid is not None and settings.chroma_host is None:
        return Check("index", "ok", f"{where}, owned by the running kam process {status.owner_pid}; {pending}")
    return Check("index", "fail", f"{where}: {status.problem}; searches answer from SQL until it is reachable")


def _embedder(settings: Settings, state: dict[str, Any]) -> Check:
    from knowledge.embedder import make_embedder

    try:
        embedder = make_embedder(settings)
        vectors = embedder.embed(["kam doctor probe"])
    except Exception as exc:
        return Check("embedder", "fail", f"{settings.embedder}: {_brief(exc)}")
    return Check("embedder", "ok", f"{embedder.name}, {vectors.shape[1]} dimensions")


_SLACK_SHAPES = {"slack_bot_token": re.compile(r"^xoxb-[\w-]+$"), "slack_app_token": re.compile(r"^xapp-[\w-]+$"),
                 "slack_signing_secret": re.compile(r"^[0-9a-f]{32}$")}


def _slack(settings: Settings, state: dict[str, Any]) -> Check:
    problems = []
    for name, shape in _SLACK_SHAPES.items():
        value = getattr(settings, name)
        if value is not None and not shape.match(value.get_secret_value().strip()):
            problems.append(f"KAM_{name.upper()} does not look like one ({shape.pattern})")
    bot, app, secret = settings.slack_bot_token, settings.slack_app_token, settings.slack_signing_secret
    if (app or secret) and not bot:
        problems.append("KAM_SLACK_BOT_TOKEN is missing: Slack needs it in either mode")
    if bot and not (app or secret):
        problems.append("set KAM_SLACK_APP_TOKEN (socket mode) or KAM_SLACK_SIGNING_SECRET (HTTP events)")
    if problems:
        return Check("slack", "fail", "; ".join(problems))
    if not bot:
        return Check("slack", "ok", "off (no tokens set)")
    return Check("slack", "ok", "socket mode" if app else "HTTP events")


def _llm(settings: Settings, state: dict[str, Any]) -> Check:
    if not settings.llm_base_url:
        return Check("llm", "ok", "offline planner (KAM_LLM_BASE_URL not set)")
    import httpx

    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    url = settings.llm_base_url.rstrip("/") + "/models"
    try:
        r = httpx.get(url, headers={"Authorization": f"Bearer {key}"} if key else {}, timeout=10)
    except httpx.HTTPError as exc:
        return Check("llm", "fail", f"{url} does not answer: {_brief(exc)}")
    if r.status_code in (401, 403):
        return Check("llm", "fail", f"{url} refused the key (HTTP {r.status_code}): check KAM_LLM_API_KEY")
    if r.status_code >= 400:
        return Check("llm", "warn", f"{url} answered HTTP {r.status_code}; the chat endpoint may still work")
    return Check("llm", "ok", f"{settings.llm_base_url} reachable, model {settings.llm_model or '(not set)'}")


CHECKS: tuple[Callable[[Settings, dict[str, Any]], Check], ...] = (_store, _index, _embedder, _slack, _llm)


def run_checks(settings: Settings) -> list[Check]:
    """Every check in order (the index check uses the store the first one opened)."""
    state: dict[str, Any] = {}
    try:
        return [check(settings, state) for check in CHECKS]
    finally:
        if "db" in state:
            state["db"].dispose()


def _safe_url(settings: Settings) -> str:
    from sqlalchemy.engine import make_url

    return make_url(settings.effective_database_url).render_as_string(hide_password=True)


def _brief(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
