"""Servers the tests run on loopback: an app under uvicorn in a thread of the test process, and ``kam serve`` as
a child process (waited for on ``/healthz``, stopped at the end)."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from repo import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_app(app: FastAPI) -> tuple[uvicorn.Server, threading.Thread, int]:
    """``app`` under uvicorn on a free loopback port, in a daemon thread; (server, thread, port)."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    return server, thread, server.servers[0].sockets[0].getsockname()[1]


@contextmanager
def kam_serve(env: dict[str, str], port: int, log_path: Path, *args: str) -> Iterator[str]:
    """``kam serve ARGS`` in a child process with ``env``, listening on ``port``; yields its base URL once
    ``/healthz`` answers, and stops it on exit."""
    with log_path.open("w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "integrations.cli.main", "serve", *args],
                                env={**env, "KAM_HTTP_PORT": str(port)}, cwd=str(ROOT), stdout=log,
                                stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.time() + 180
            while time.time() < deadline:
                try:
                    if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.5)
            else:
                pytest.fail("kam serve did not come up: " + log_path.read_text()[-3000:])
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
