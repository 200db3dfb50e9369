"""Real child processes for the index tests: ``kam`` commands and a ``kam serve`` on a loopback port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from conftest import env_for

from store.settings import Settings

AS_OF = "2026-11-22"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def child_env(settings: Settings, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAM_")}
    env.update(env_for(settings), **extra)
    return env


def kam(settings: Settings, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run one ``kam`` command (this worktree's code) as a child process on ``settings``' data."""
    return subprocess.run([sys.executable, "-m", "integrations.cli.main", *args], env=child_env(settings),
                          capture_output=True, text=True, timeout=timeout, check=False)


@contextmanager
def serving(settings: Settings, log_path: Path) -> Iterator[str]:
    """``kam serve --no-scheduler`` in a child process; yields its base URL once ``/healthz`` answers."""
    port = free_port()
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "integrations.cli.main", "serve", "--no-scheduler", "--port", str(port)],
            env=child_env(settings), stdout=log, stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(f"{base}/healthz", timeout=5).status_code in (200, 503):
                        break
                except httpx.HTTPError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("kam serve did not come up: " + log_path.read_text()[-3000:])
                time.sleep(0.3)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def search(http: httpx.Client, token: str, query: str, k: int = 5) -> httpx.Response:
    return http.post("/v1/tools/search_notes", json={"args": {"query": query, "k": k}, "as_of": AS_OF},
                     headers={"Authorization": f"Bearer {token}"})


def wait_until_found(http: httpx.Client, token: str, word: str, within_s: float) -> float | None:
    """Seconds until ``search_notes`` finds a note holding ``word`` in the index (asking every 0.2 s), or ``None``."""
    started = time.monotonic()
    while time.monotonic() - started < within_s:
        r = search(http, token, word)
        body = r.json() if r.status_code == 200 else {}
        from_index = not any("degraded" in n for n in body.get("notes", []))  # not the SQL fallback's answer
        if from_index and any(word in h["excerpt"].lower() for h in body.get("hits", [])):
            return time.monotonic() - started
        time.sleep(0.2)
    return None


class ChromaServer:
    """A throwaway ``chroma run`` (from the chromadb package) on a loopback port, stopped and restarted at will;
    its data survives a restart (``--path``), as a real server's does."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.port = free_port()
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        exe = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
        log = (self.path.parent / f"{self.path.name}.log").open("ab")
        self._proc = subprocess.Popen([exe, "run", "--path", str(self.path), "--host", "127.0.0.1", "--port",
                                       str(self.port)], stdout=log, stderr=subprocess.STDOUT,
                                      env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        pytest.fail("chroma run did not come up")

    def stop(self) -> None:
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            self._proc = None
