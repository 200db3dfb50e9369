"""The MCP server over real Streamable HTTP: ``kam serve`` on loopback (two workers on the scale profile), the
SDK's own client with the bearer token of ``kam users token``; no token or a bad one is refused with 401 before
any tool runs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import anyio
import httpx
import httpx2
import pytest
from conftest import SCALE
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError
from mcp_support import USER, DemoStore, call, child_env, module_settings, scenario, text_of
from reliability_support import figure
from security_support import legit_note
from server_support import free_port, kam_serve
from sqlmodel import func, select

from integrations.http.tokens import issue_token, revoke_tokens
from store.models import AuditLog

# Two workers where they share a Chroma server (the scale profile); on the embedded index one process owns it and
# another worker would answer note searches from SQL (degraded), so the tools' JSON could not be compared exactly.
_WORKERS = 2 if SCALE else 1


@dataclass
class Served:
    store: DemoStore
    url: str
    workers: set[str]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    base = tmp_path_factory.mktemp("mcp-http")
    for settings in module_settings(base):
        store = DemoStore(settings)
        try:
            with kam_serve(child_env(settings), free_port(), base / "serve.log", "--workers", str(_WORKERS),
                           "--no-scheduler") as url:
                yield Served(store, f"{url}/mcp", set())
        finally:
            store.close()


def _client(served: Served, token: str | None, *, fresh: bool = False) -> Client:
    """The SDK client with ``token``; ``fresh``: a new connection per request, so any worker may answer each."""
    async def seen(response: httpx2.Response) -> None:
        if worker := response.headers.get("x-kam-worker"):
            served.workers.add(worker)

    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    limits = httpx2.Limits(max_keepalive_connections=0) if fresh else httpx2.Limits()
    http = httpx2.AsyncClient(headers=headers, timeout=120, event_hooks={"response": [seen]}, limits=limits)
    return Client(streamable_http_client(served.url, http_client=http), read_timeout_seconds=120)


def test_everything_over_streamable_http(served: Served) -> None:
    async def main() -> None:
        async with _client(served, served.store.tokens[USER]) as client:
            await scenario(client, served.store)

    anyio.run(main)


def test_several_clients_at_once_any_worker_answers(served: Served) -> None:
    """Stateless HTTP: each request may land on either worker; every one answers as its token's user, and a note
    proposed through one worker is confirmed through whichever answers next."""
    results: dict[str, set[str]] = {}
    stored: list[str] = []
    served.workers.clear()

    async def one(user: str) -> None:
        async with _client(served, served.store.tokens[user], fresh=True) as client:
            for _ in range(4):
                matrix = await call(client, "show_matrix", {"scope": "mine"})
                assert not matrix.is_error, text_of(matrix)
                results.setdefault(user, set()).update(a["owner_id"] for a in matrix.structured_content["accounts"])
            account, note = legit_note(served.store.runtime.db, user)
            proposed = await call(client, "log_note", {"text": note, "account": account})
            confirmed = await call(client, "confirm_note", {"pending_id": proposed.structured_content["pending_id"]})
            assert not confirmed.is_error and confirmed.structured_content["changed"], text_of(confirmed)
            undone = await call(client, "undo_note", {"pending_id": proposed.structured_content["pending_id"]})
            assert not undone.is_error, text_of(undone)
            stored.append(user)

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            for user in ("U02", "U03", "U04", "U05"):
                tg.start_soon(one, user)

    anyio.run(main)
    assert results == {u: {u} for u in ("U02", "U03", "U04", "U05")} and len(stored) == 4
    figure(f"MCP kam serve --workers {_WORKERS} ({served.store.runtime.db.dialect}): 4 clients at once, 7 calls each "
           f"on fresh connections, each saw only their own accounts and stored and undid a note; answered by "
           f"{len(served.workers)} worker processes")
    assert len(served.workers) == _WORKERS, f"workers that answered: {served.workers}"


def _audits(store: DemoStore) -> int:
    with store.runtime.db.session() as s:
        return s.exec(select(func.count()).select_from(AuditLog)).one()


@pytest.mark.parametrize("kind", ["none", "unknown", "basic", "revoked"])
def test_no_token_or_a_bad_one_is_refused_before_any_tool_runs(served: Served, kind: str) -> None:
    header = {"none": None, "unknown": "Bearer kam_not-a-real-token", "basic": "Basic dXNlcjpwYXNz"}.get(kind)
    if kind == "revoked":
        token = issue_token(served.store.runtime.db, "U03")
        revoke_tokens(served.store.runtime.db, "U03")
        header = f"Bearer {token}"
    before = _audits(served.store)
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": {"name": "score_account", "arguments": {"account": "Acme"}}}
    headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json",
               "MCP-Protocol-Version": "2025-06-18", **({"Authorization": header} if header else {})}
    response = httpx.post(served.url, json=body, headers=headers, timeout=30)
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert _audits(served.store) == before, "a refused request ran a tool (score_account stores and audits)"


def test_the_sdk_client_without_a_token_gets_nothing(served: Served) -> None:
    """The SDK client without a token cannot even list the tools (its probe and handshake get 401)."""
    async def main() -> None:
        async with _client(served, None) as client:
            await client.list_tools()

    with pytest.raises(ExceptionGroup) as raised:  # the client's task group carries the refusal
        anyio.run(main)
    assert raised.group_contains(MCPError, match="error response")
