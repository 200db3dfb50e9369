"""The web page through FastAPI's test client (on SQLite, and on PostgreSQL in the scale profile): what a browser
test cannot see quickly. Escaping of stored text, the session's life (revoked token, forged form, a next that
leaves the site), the secret, and the account overview's numbers being the tools' own and nothing stored."""

from __future__ import annotations

import datetime as dt
import json
import re
import stat
from collections.abc import Iterator

import pytest
from agent_seed import AS_OF, seed
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlmodel import func, select

from integrations.http.app import create_app
from integrations.http.tokens import issue_token, revoke_tokens
from integrations.runtime import Runtime
from integrations.web.auth import session_secret
from store.models import Account, AccountPlan, AuditLog, Interaction, ScoreRecord, User
from store.settings import Settings
from tools.registry import call_tool

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    rt = Runtime.build(settings)
    seed(rt.db)
    yield rt
    rt.close()


def _signed_in(runtime: Runtime, user: str) -> tuple[TestClient, str]:
    client = TestClient(create_app(runtime, with_slack=False), base_url="http://127.0.0.1")
    token = issue_token(runtime.db, user)
    form = client.get("/ui/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    answer = client.post("/ui/login", data={"token": token, "csrf": csrf, "next": "/ui/"}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/ui/"
    return client, token


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def test_stored_text_is_escaped_everywhere(runtime: Runtime) -> None:
    with runtime.db.write() as s:
        s.get(Account, "A001").name = EVIL
        s.add(Interaction(id="IX1", account_id="A001", date=AS_OF, kind="call", author_id="U02", text=EVIL))
        s.add(AccountPlan(account_id="A001", date=AS_OF, author_id="U02",
                          markdown=f"# Plan\n\n{EVIL}\n\n[click](javascript:alert(1))", sections={"version": 1}))
    client, _ = _signed_in(runtime, "U02")
    for path in (f"/ui/?as_of={AS_OF}", f"/ui/accounts/A001?as_of={AS_OF}", f"/ui/commitments?as_of={AS_OF}"):
        html = client.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html, path
        assert 'href="javascript:' not in html
    account = client.get(f"/ui/accounts/A001?as_of={AS_OF}").text
    assert "&lt;script&gt;alert" in account and "<h1>Plan</h1>" in account  # markdown rendered, HTML not passed
    matrix = client.get(f"/ui/?as_of={AS_OF}").text
    data = re.search(r'<script type="application/json" id="matrix-data">(.*?)</script>', matrix, re.S).group(1)
    assert "<" not in data and json.loads(data)[0]["name"] == EVIL  # tojson escapes, the browser reads it back
    assert client.get("/ui/").headers["content-security-policy"].startswith("default-src 'none'; script-src 'self'")


def test_sessions_end_with_the_token_and_forms_need_the_csrf_token(runtime: Runtime) -> None:
    client, _ = _signed_in(runtime, "U02")
    page = client.get(f"/ui/commitments?as_of={AS_OF}")
    assert page.status_code == 200
    forged = client.post("/ui/commitments/C001/done", data={"csrf": "guess", "as_of": AS_OF.isoformat()})
    assert forged.status_code == 403
    assert revoke_tokens(runtime.db, "U02") == 1
    gone = client.get(f"/ui/commitments?as_of={AS_OF}", follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"].startswith("/ui/login?next=/ui/commitments")


def test_sign_in_goes_nowhere_but_this_site_and_refuses_a_forged_form(runtime: Runtime) -> None:
    client = TestClient(create_app(runtime, with_slack=False), base_url="http://127.0.0.1")
    token = issue_token(runtime.db, "U03")
    csrf = _csrf(client.get("/ui/login?next=//evil.example/x").text)
    assert client.post("/ui/login", data={"token": token, "csrf": "x"}).status_code == 403
    answer = client.post("/ui/login", data={"token": token, "csrf": csrf, "next": "//evil.example/x"},
                         follow_redirects=False)
    assert answer.headers["location"] == "/ui/"
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/ui" in cookie
    assert client.get(f"/ui/accounts/A001?as_of={AS_OF}").status_code == 404  # Priya's account, not Sam's
    assert client.get("/ui/?as_of=2026-13-01").status_code == 422


def test_the_session_secret_is_refused_as_a_placeholder_in_prod_and_kept_otherwise(settings: Settings) -> None:
    with pytest.raises(ValueError, match="KAM_WEB_SESSION_SECRET is a placeholder"):
        Settings(env="prod", web_session_secret="changeme", data_dir=settings.data_dir)
    first = session_secret(settings)
    assert len(first) >= 48 and session_secret(settings) == first  # shared by workers and restarts
    assert stat.S_IMODE((settings.data_dir / "web-session-secret").stat().st_mode) == 0o600
    chosen = settings.model_copy(update={"web_session_secret": SecretStr("a-real-secret-from-the-vault")})
    assert session_secret(chosen) == "a-real-secret-from-the-vault"


def test_account_overview_is_read_only_and_agrees_with_the_tools(runtime: Runtime) -> None:
    with runtime.db.session() as s:
        before = [s.exec(select(func.count()).select_from(m)).one() for m in (ScoreRecord, AccountPlan, AuditLog)]
        ctx = runtime.context(s, s.get(User, "U02"), AS_OF)
        view = call_tool(ctx, "account_overview", {"account": "A001"})
        health = call_tool(ctx, "prep_qbr", {"account": "A001"}).sections.health
        flags = call_tool(ctx, "flag_dark_stakeholders", {"account": "A001"})
        after = [s.exec(select(func.count()).select_from(m)).one() for m in (ScoreRecord, AccountPlan, AuditLog)]
    assert after == before  # nothing stored, unlike scoring or drafting a plan
    assert [p.date for p in view.trend][-1] == AS_OF and view.trend[0].date == dt.date(2025, 11, 22)
    assert len(view.trend) == 13 and view.trend[-1].overall == view.health_overall == health.points[-1].overall
    assert sorted((f.stakeholder_id, f.flag) for f in view.flags) == sorted(
        (f.stakeholder_id, f.flag) for f in flags.flags)
    assert {n.name for n in view.network} == {"Dana Whitfield", "Raj Patel", "Lee Chen"}
