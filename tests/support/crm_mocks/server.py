"""A threaded HTTP(S) server on loopback: the shared base of the CRM protocol mocks.

A mock subclass answers ``handle(method, path, query, body, headers)`` with ``(status, headers, json)``.
Every request is recorded (method, path, query, headers, body), and failures can be queued: the next
request whose method and path match gets the queued status (e.g. 429 with ``Retry-After``) instead.
"""

from __future__ import annotations

import json
import re
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

Reply = tuple[int, dict[str, str], Any]


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


class MockCrm:
    """The state and routes of one mock CRM; see the subclasses."""

    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self._failures: list[tuple[str, re.Pattern[str], int, dict[str, str], Any]] = []
        self.lock = threading.Lock()

    def fail_next(self, method: str, path_pattern: str, status: int, headers: dict[str, str] | None = None,
                  body: Any = None) -> None:
        """The next ``method`` request whose path matches ``path_pattern`` gets ``status``."""
        self._failures.append((method, re.compile(path_pattern), status, headers or {}, body))

    def dispatch(self, method: str, raw_path: str, headers: dict[str, str], raw_body: bytes) -> Reply:
        parts = urlsplit(raw_path)
        body = json.loads(raw_body) if raw_body else None
        with self.lock:
            self.requests.append(Seen(method, parts.path, parse_qs(parts.query), headers, body))
            for i, (m, pattern, status, extra, payload) in enumerate(self._failures):
                if m == method and pattern.search(parts.path):
                    del self._failures[i]
                    return status, extra, payload
            return self.handle(method, parts.path, parse_qs(parts.query), body, headers)

    def handle(self, method: str, path: str, query: dict[str, list[str]], body: Any,
               headers: dict[str, str]) -> Reply:
        raise NotImplementedError


def _handler(mock: MockCrm) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            status, headers, payload = mock.dispatch(self.command, self.path, dict(self.headers), raw)
            data = b"" if payload is None else json.dumps(payload).encode()
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            if data:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = do_DELETE = _serve

        def log_message(self, *args: Any) -> None:  # keep the test output clean
            return None

    return Handler


@contextmanager
def serve(mock: MockCrm, ssl_context: ssl.SSLContext | None = None) -> Iterator[str]:
    """Serve ``mock`` on an ephemeral loopback port; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(mock))
    if ssl_context is not None:
        server.socket = ssl_context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    scheme = "https" if ssl_context else "http"
    try:
        yield f"{scheme}://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
