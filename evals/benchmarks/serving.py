"""Serving an ASGI app under uvicorn on a loopback port, in a thread, for the served benchmarks."""

from __future__ import annotations

import threading
import time
from typing import Any

import uvicorn


def serve_in_thread(app: Any, timeout_s: float = 20) -> tuple[uvicorn.Server, threading.Thread, int]:
    """Start ``app`` on 127.0.0.1 at a free port; (server, thread, port). Stop with ``server.should_exit``."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + timeout_s
    while not server.started and time.time() < deadline:
        time.sleep(0.02)
    if not server.started:
        raise RuntimeError("uvicorn did not start")
    return server, thread, server.servers[0].sockets[0].getsockname()[1]
