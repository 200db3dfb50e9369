"""Red-team findings 2 and 10 (issue 13): request bodies are limited as they arrive, and an anonymous caller
learns nothing about the server.

The memory test runs a real ``kam serve`` child on loopback and sends it a 128 MB chunked body (no
Content-Length) on several paths, with and without a token; the child's peak RSS (``VmHWM``) must stay within
a few MB of what it was before: the limit stops reading at ``max_request_bytes`` plus one chunk.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from agent_seed import seeded_runtime
from conftest import env_for
from fastapi.testclient import TestClient
from security_support import report_figure

from integrations.http.app import create_app
from integrations.http.tokens import issue_token
from integrations.runtime import Runtime
from store.settings import Settings

CHUNK = 1 << 20
TOTAL = 128 * CHUNK


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    with seeded_runtime(settings) as rt:
        yield rt


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM in /proc status")


def _chunks(total: int) -> Iterator[bytes]:
    block = b"x" * CHUNK
    for _ in range(total // CHUNK):
        yield block


def _chunked_post(base: str, path: str, headers: dict[str, str]) -> httpx.Response:
    # A generator body has no length: httpx sends it with Transfer-Encoding: chunked.
    try:
        return httpx.post(f"{base}{path}", content=_chunks(TOTAL), headers=headers, timeout=120)
    except httpx.HTTPError as exc:  # the server may close while we are still sending: it answered 413 first
        raise AssertionError(f"{path}: {type(exc).__name__}: {exc}") from exc


@pytest.fixture
def served(runtime: Runtime, settings: Settings, tmp_path: Path) -> Iterator[tuple[str, int, str]]:
    token = issue_token(runtime.db, "U02")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAM_")}
    env.update(env_for(settings), KAM_HTTP_PORT=str(port))
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "integrations.cli.main", "serve", "--no-scheduler"],
                            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=Path(__file__).parent.parent)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                pytest.fail("kam serve did not come up: " + (tmp_path / "serve.log").read_text()[-3000:])
            time.sleep(0.3)
        yield base, proc.pid, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_a_128_mb_chunked_body_is_refused_without_being_read(served: tuple[str, int, str]) -> None:
    base, pid, token = served
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    # Warm the paths up first, so the baseline includes what a normal request allocates.
    assert httpx.post(f"{base}/v1/chat", json={"message": "hi"}, headers=auth, timeout=60).status_code == 200
    before = _peak_rss_mb(pid)
    for path, headers in (("/v1/chat", {}), ("/v1/chat", auth), ("/v1/tools/show_matrix", auth)):
        r = _chunked_post(base, path, headers)
        assert r.status_code == 413, (path, r.status_code, r.text)
    after = _peak_rss_mb(pid)
    report_figure(f"SECURITY 128 MB chunked POST x3 paths to kam serve: peak RSS {before:.1f} MB before, "
                  f"{after:.1f} MB after (+{after - before:.1f} MB; the body is {TOTAL / CHUNK:.0f} MB)")
    assert after - before < 16, f"peak RSS grew by {after - before:.1f} MB"
    anonymous = httpx.get(f"{base}/healthz", timeout=5)
    assert anonymous.json() == {"status": "ok"}  # still serving, and saying nothing more
    assert not {"server", "x-kam-worker"} & set(anonymous.headers), anonymous.headers


def test_a_declared_length_over_the_limit_is_413_before_reading(runtime: Runtime) -> None:
    with TestClient(create_app(runtime, with_slack=False)) as client:
        length = str(runtime.settings.max_request_bytes + 1)
        json_type = {"Content-Type": "application/json"}
        r = client.post("/v1/chat", content=b"{}", headers={"Content-Length": length, **json_type})
        assert r.status_code == 413 and "request body over" in r.json()["error"]
        small = client.post("/v1/chat", content=b'{"message": "hi"}', headers={"Content-Type": "application/json"})
        assert small.status_code == 401  # under the limit it goes on to authentication


def test_an_anonymous_caller_learns_nothing_from_health_or_headers(runtime: Runtime) -> None:
    token = issue_token(runtime.db, "U02")
    with TestClient(create_app(runtime, with_slack=False)) as client:
        anonymous = client.get("/healthz")
        assert anonymous.json() == {"status": "ok"}
        for r in (anonymous, client.get("/v1/accounts"), client.get("/nope"), client.get("/openapi.json")):
            assert "x-kam-worker" not in r.headers, r.url
            assert runtime.db.dialect not in r.text or r.url.path == "/openapi.json"
        authed = client.get("/healthz", headers={"Authorization": f"Bearer {token}"})
        assert authed.json()["store"]["dialect"] == runtime.db.dialect and "model" in authed.json()
        assert authed.headers["x-kam-worker"] == str(os.getpid())
