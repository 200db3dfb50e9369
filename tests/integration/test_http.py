"""The HTTP API through FastAPI's test client and through a real uvicorn server on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from agent_seed import AS_OF, seed
from fastapi.testclient import TestClient
from server_support import serve_app

from integrations.http.app import create_app
from integrations.http.tokens import issue_token, revoke_tokens
from integrations.runtime import Runtime
from store.settings import Settings


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    rt = Runtime.build(settings)
    seed(rt.db)
    yield rt
    rt.close()


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime, with_slack=False)) as c:
        yield c


def _auth(runtime: Runtime, user_id: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(runtime.db, user_id)}"}


def test_no_token_or_bad_token_is_401(client: TestClient) -> None:
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}):
        r = client.post("/v1/chat", json={"message": "show my matrix"}, headers=headers)
        assert r.status_code == 401 and "token" in r.json()["error"]
        assert r.headers["www-authenticate"] == "Bearer"


def test_revoked_token_is_401(client: TestClient, runtime: Runtime) -> None:
    headers = _auth(runtime, "U02")
    assert client.get("/v1/accounts", headers=headers).status_code == 200
    assert revoke_tokens(runtime.db, "U02") == 1
    assert client.get("/v1/accounts", headers=headers).status_code == 401


def test_chat_returns_the_spec_shape(client: TestClient, runtime: Runtime) -> None:
    headers = _auth(runtime, "U02")
    r = client.post("/v1/chat", json={"message": "score Acme", "as_of": AS_OF.isoformat()}, headers=headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) >= {"thread_id", "reply", "tool_calls"}
    call = body["tool_calls"][0]
    assert call["name"] == "score_account" and call["ok"] and call["args"] == {"account": "A001"}
    assert call["result"]["quadrant"] in {"strategic_growth", "develop", "defend", "maintain_exit", "unscored"}
    # The same thread remembers the account.
    r2 = client.post("/v1/chat", json={"message": "and who's gone dark there?", "thread_id": body["thread_id"],
                                       "as_of": AS_OF.isoformat()}, headers=headers)
    assert r2.json()["tool_calls"][0]["args"]["account"] == "A001"


def test_another_users_thread_id_does_not_share_memory(client: TestClient, runtime: Runtime) -> None:
    priya, morgan = _auth(runtime, "U02"), _auth(runtime, "U01")
    first = client.post("/v1/chat", json={"message": "score Acme", "thread_id": "shared",
                                          "as_of": AS_OF.isoformat()}, headers=priya).json()
    assert first["tool_calls"][0]["args"]["account"] == "A001"
    other = client.post("/v1/chat", json={"message": "and who's gone dark there?", "thread_id": "shared",
                                          "as_of": AS_OF.isoformat()}, headers=morgan).json()
    assert other["tool_calls"][0]["args"].get("account") is None


def test_tool_endpoint_matches_the_tool_and_hides_other_accounts(client: TestClient, runtime: Runtime) -> None:
    priya = _auth(runtime, "U02")
    ok = client.post("/v1/tools/score_account", json={"args": {"account": "A001"}, "as_of": AS_OF.isoformat()},
                     headers=priya)
    assert ok.status_code == 200 and ok.json()["account_id"] == "A001"
    theirs = client.post("/v1/tools/score_account", json={"args": {"account": "A003"}}, headers=priya)
    missing = client.post("/v1/tools/score_account", json={"args": {"account": "A999"}}, headers=priya)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["error"].replace("A003", "X") == missing.json()["error"].replace("A999", "X")
    assert client.get("/v1/accounts/A003", headers=priya).status_code == 404
    assert client.get("/v1/accounts/A001", headers=priya).status_code == 200
    unknown = client.post("/v1/tools/launch_rockets", json={"args": {}}, headers=priya)
    assert unknown.status_code == 404 and "score_account" in unknown.json()["error"]
    bad = client.post("/v1/tools/show_matrix", json={"args": {"scope": "galaxy"}}, headers=priya)
    assert bad.status_code == 400 and "scope" in bad.json()["error"]


def test_read_endpoints_are_scoped(client: TestClient, runtime: Runtime) -> None:
    sam, morgan = _auth(runtime, "U03"), _auth(runtime, "U01")
    assert [a["id"] for a in client.get("/v1/accounts", headers=sam).json()["accounts"]] == ["A003"]
    assert len(client.get("/v1/accounts", headers=morgan).json()["accounts"]) == 3
    matrix = client.get("/v1/matrix", params={"scope": "team", "as_of": AS_OF.isoformat()}, headers=morgan).json()
    assert {a["id"] for a in matrix["accounts"]} == {"A001", "A002", "A003"}
    overdue = client.get("/v1/commitments", params={"status": "overdue", "as_of": AS_OF.isoformat()},
                         headers=_auth(runtime, "U02")).json()
    assert [c["id"] for c in overdue["commitments"]] == ["C001"]
    drifting = client.get("/v1/drifting", params={"as_of": AS_OF.isoformat()}, headers=morgan)
    assert drifting.status_code == 200 and "accounts" in drifting.json()


def test_commitment_actions(client: TestClient, runtime: Runtime) -> None:
    priya, sam = _auth(runtime, "U02"), _auth(runtime, "U03")
    assert client.post("/v1/commitments/C001/done", headers=sam).status_code == 404
    done = client.post("/v1/commitments/C001/done", params={"as_of": AS_OF.isoformat()}, headers=priya)
    assert done.status_code == 200, done.text
    overdue = client.get("/v1/commitments", params={"status": "overdue", "as_of": AS_OF.isoformat()},
                         headers=priya).json()
    assert overdue["commitments"] == []


def test_limits_and_errors_are_json(client: TestClient, runtime: Runtime) -> None:
    headers = _auth(runtime, "U02")
    big = client.post("/v1/chat", content=b'{"message": "' + b"x" * 300_000 + b'"}',
                      headers={**headers, "Content-Type": "application/json"})
    assert big.status_code == 413 and "request body over" in big.json()["error"]
    invalid = client.post("/v1/chat", json={"thread_id": "x"}, headers=headers)
    assert invalid.status_code == 422 and any("message" in p for p in invalid.json()["problems"])
    assert client.get("/nope").json() == {"error": "Not Found"}
    schema = client.get("/openapi.json").json()
    assert "/v1/chat" in schema["paths"] and "/v1/tools/{name}" in schema["paths"]


def test_healthz_tells_details_only_to_a_token(client: TestClient, runtime: Runtime) -> None:
    anonymous = client.get("/healthz")
    assert anonymous.status_code == 200 and anonymous.json() == {"status": "ok"}  # no dialect, model or version
    assert client.get("/healthz", headers={"Authorization": "Bearer nope"}).json() == {"status": "ok"}
    body = client.get("/healthz", headers=_auth(runtime, "U02")).json()
    assert body["status"] == "ok" and body["model"] == "offline-planner"
    assert body["store"]["reachable"] and body["store"]["revision"]
    assert body["index"]["reachable"] and body["index"]["pending_notes"] == 0
    assert body["slack"] == {"configured": False, "mode": "off"}


def test_healthz_is_503_when_the_store_is_down(settings: Settings) -> None:
    runtime = Runtime.build(settings)
    app = create_app(runtime, with_slack=False)
    runtime.db.engine.dispose()
    runtime.db.engine.pool._creator = _refuse  # type: ignore[attr-defined]  # every new connection fails
    with TestClient(app) as c:
        r = c.get("/healthz")
    assert r.status_code == 503 and r.json() == {"status": "down"}


def _refuse() -> None:
    raise ConnectionRefusedError("the database is down")


def test_real_server_on_loopback(runtime: Runtime) -> None:
    server, thread, port = serve_app(create_app(runtime, with_slack=False))
    try:
        headers = _auth(runtime, "U02")
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            assert http.get("/healthz").json()["status"] == "ok"
            r = http.post("/v1/chat", json={"message": "what's overdue?", "as_of": AS_OF.isoformat()},
                          headers=headers)
            assert r.status_code == 200
            body = r.json()
            assert body["tool_calls"][0]["name"] == "list_commitments"
            assert [c["id"] for c in body["tool_calls"][0]["result"]["commitments"]] == ["C001"]
            assert http.post("/v1/chat", json={"message": "hi"}).status_code == 401
    finally:
        server.should_exit = True
        thread.join(timeout=10)
