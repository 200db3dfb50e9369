"""A mock of Slack's Web API on an ephemeral loopback port, in the spirit of bolt-python's
``tests/mock_web_api_server``: a real HTTP server that a real ``WebClient(base_url=...)`` talks to.

It records every call (method, parameters, headers), answers the methods kam-agent uses
(``auth.test``, ``chat.postMessage``, ``chat.update``, ``chat.postEphemeral``, ``conversations.open``,
``files.getUploadURLExternal`` + the upload URL + ``files.completeUploadExternal``, ``views.publish``,
``assistant.threads.setSuggestedPrompts`` and ``assistant.threads.setStatus``) and the
``response_url`` of slash commands and button clicks. ``rate_limit(method, times, retry_after)`` makes
the next ``times`` calls of ``method`` answer 429 with ``Retry-After``.

    with MockSlack() as slack:
        client = WebClient(token="xoxb-test", base_url=slack.base_url)
        client.chat_postMessage(channel="C1", text="hi")
        assert slack.calls_to("chat.postMessage")[0].params["text"] == "hi"
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlparse

BOT_USER_ID = "UBOT0001"
BOT_ID = "BBOT0001"
TEAM_ID = "T0KAM0001"


@dataclass
class RecordedCall:
    """One request the mock received: the API method (or ``upload`` / ``response_url``) and its parameters."""

    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    status: int = 200
    ok: bool = True  # what the answer's ``ok`` said
    response: dict[str, Any] = field(default_factory=dict)  # the JSON answered
    at: float = field(default_factory=time.monotonic)


class MockSlack:
    """The mock server; start it with ``with MockSlack() as slack`` (or ``start()`` / ``stop()``)."""

    def __init__(self, *, team_id: str = TEAM_ID, bot_user_id: str = BOT_USER_ID) -> None:
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.calls: list[RecordedCall] = []
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._ts = itertools.count(1)
        self._files = itertools.count(1)
        self._rate_limits: dict[str, list[int]] = {}
        self._failures: dict[str, list[str]] = {}
        self.uploaded: set[str] = set()  # file ids completed by files.completeUploadExternal
        self.views: dict[str, dict[str, Any]] = {}  # the home view published to each user, as Slack stores it
        self.thread_status: dict[tuple[str, str], str] = {}  # an assistant thread's status ('' once cleared)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------------------------

    def start(self) -> MockSlack:
        handler = type("_Handler", (_Handler,), {"mock": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="mock-slack", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> MockSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start the mock first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def base_url(self) -> str:
        """What ``WebClient(base_url=...)`` takes: Web API methods are ``{base_url}{method}``."""
        return f"{self.url}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.url}/response_url/{name}"

    # -- scripting ---------------------------------------------------------------------------------------------

    def rate_limit(self, method: str, *, times: int = 1, retry_after: int = 0) -> None:
        """The next ``times`` calls of ``method`` answer HTTP 429 with ``Retry-After: retry_after``."""
        with self._lock:
            self._rate_limits.setdefault(method, []).extend([retry_after] * times)

    def fail(self, method: str, error: str, *, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` answer ``{"ok": false, "error": error}``."""
        with self._lock:
            self._failures.setdefault(method, []).extend([error] * times)

    # -- inspection --------------------------------------------------------------------------------------------

    def calls_to(self, method: str, *, status: int | None = 200, ok: bool | None = True) -> list[RecordedCall]:
        """The recorded calls of ``method``; by default the ones answered 200 with ``ok: true``."""
        with self._lock:
            return [c for c in self.calls if c.method == method and (status is None or c.status == status)
                    and (ok is None or c.ok == ok)]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[RecordedCall]:
        """Block until ``count`` successful calls of ``method`` were received (or the timeout passes)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [c for c in self.calls if c.method == method and c.status == 200 and c.ok]
                remaining = deadline - time.monotonic()
                if len(found) >= count or remaining <= 0:
                    return found
                self._changed.wait(remaining)

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self._rate_limits.clear()
            self._failures.clear()

    # -- answers -----------------------------------------------------------------------------------------------

    def _record(self, call: RecordedCall) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def _take(self, table: dict[str, list[Any]], method: str) -> Any:
        with self._lock:
            queue = table.get(method)
            return queue.pop(0) if queue else None

    def answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, str], dict[str, Any]]:
        """(status, headers, body) for one Web API call."""
        retry_after = self._take(self._rate_limits, method)
        if retry_after is not None:
            return 429, {"Retry-After": str(retry_after)}, {"ok": False, "error": "ratelimited"}
        error = self._take(self._failures, method)
        if error is not None:
            return 200, {}, {"ok": False, "error": error}
        body = self._body(method, params)
        return 200, {}, body

    def _next_ts(self) -> str:
        with self._lock:
            n = next(self._ts)
        return f"{1_700_000_000 + n}.{n:06d}"

    def _body(self, method: str, p: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "url": "https://kam-test.slack.com/", "team": "KAM Test", "user": "kam",
                    "team_id": self.team_id, "user_id": self.bot_user_id, "bot_id": BOT_ID, "is_enterprise_install":
                    False}
        if method == "chat.postMessage":
            if p.get("thread_ts"):
                with self._lock:  # Slack clears an assistant thread's status when the app replies in it
                    if (str(p.get("channel")), str(p["thread_ts"])) in self.thread_status:
                        self.thread_status[(str(p.get("channel")), str(p["thread_ts"]))] = ""
            ts = self._next_ts()
            message = {"type": "message", "user": self.bot_user_id, "bot_id": BOT_ID, "ts": ts,
                       "text": p.get("text"), "blocks": p.get("blocks")}
            if p.get("thread_ts"):
                message["thread_ts"] = p["thread_ts"]
            return {"ok": True, "channel": p.get("channel"), "ts": ts, "message": message}
        if method == "chat.update":
            return {"ok": True, "channel": p.get("channel"), "ts": p.get("ts"), "text": p.get("text")}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method == "conversations.open":
            users = str(p.get("users") or "")
            return {"ok": True, "channel": {"id": "D" + users.split(",")[0].removeprefix("U")}}
        if method == "files.getUploadURLExternal":
            with self._lock:
                file_id = f"F{next(self._files):08d}"
            return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = json.loads(p.get("files") or "[]")
            with self._lock:
                self.uploaded.update(str(f.get("id")) for f in files)
            return {"ok": True, "files": [{"id": f.get("id"), "title": f.get("title")} for f in files]}
        if method == "views.publish":
            return self._publish(p)
        if method == "assistant.threads.setSuggestedPrompts":
            prompts = _json_field(p.get("prompts"))
            if not p.get("channel_id") or not isinstance(prompts, list) or not 1 <= len(prompts) <= 4 or any(
                    not isinstance(x, dict) or not x.get("title") or not x.get("message") for x in prompts):
                return {"ok": False, "error": "invalid_arguments"}
            return {"ok": True}
        if method == "assistant.threads.setStatus":
            if not p.get("channel_id") or not p.get("thread_ts") or "status" not in p:
                return {"ok": False, "error": "invalid_arguments"}
            with self._lock:
                self.thread_status[(str(p["channel_id"]), str(p["thread_ts"]))] = str(p["status"])
            return {"ok": True}
        return {"ok": False, "error": "unknown_method"}

    def _publish(self, p: dict[str, Any]) -> dict[str, Any]:
        """``views.publish`` as Slack checks it: a user, a home view of at most 100 blocks, images that exist."""
        view = _json_field(p.get("view"))
        if not p.get("user_id") or not isinstance(view, dict) or view.get("type") != "home":
            return {"ok": False, "error": "invalid_arguments"}
        blocks = view.get("blocks") or []
        if not isinstance(blocks, list) or len(blocks) > 100:
            return {"ok": False, "error": "invalid_arguments", "response_metadata": {
                "messages": ["[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]"]}}
        for block in blocks:
            file_id = ((block.get("slack_file") or {}).get("id") if block.get("type") == "image" else None)
            if block.get("type") == "image" and file_id not in self.uploaded and not block.get("image_url"):
                return {"ok": False, "error": "invalid_blocks"}
        stamp = self._next_ts()
        with self._lock:
            stored = {**view, "id": f"V{next(self._files):08d}", "team_id": self.team_id, "hash": stamp}
            self.views[str(p["user_id"])] = stored
        return {"ok": True, "view": stored}


def _json_field(value: Any) -> Any:
    """A JSON argument as Slack reads it: sent as JSON, or form-encoded as a JSON string."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return None
    return value


def _parse_params(content_type: str, raw: bytes, query: str) -> dict[str, Any]:
    params: dict[str, Any] = dict(parse_qsl(query))
    if not raw:
        return params
    if content_type.startswith("application/json"):
        data = json.loads(raw.decode("utf-8"))
        if isinstance(data, dict):
            params.update(data)
    elif content_type.startswith("application/x-www-form-urlencoded"):
        params.update(dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True)))
    else:
        params["_bytes"] = len(raw)
    for key in ("blocks", "attachments"):  # form-encoded JSON fields, as Slack reads them
        if isinstance(params.get(key), str):
            with contextlib.suppress(json.JSONDecodeError):
                params[key] = json.loads(params[key])
    return params


class _Handler(BaseHTTPRequestHandler):
    mock: MockSlack
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's signature
        return

    def _send(self, status: int, headers: dict[str, str], body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.do_POST()

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        url = urlparse(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        if url.path.startswith("/upload/"):
            self.mock._record(RecordedCall("upload", {"file_id": url.path.rsplit("/", 1)[-1], "bytes": len(raw)},
                                           headers))
            self._send(200, {}, f"OK - {len(raw)}".encode(), "text/plain")
            return
        params = _parse_params(headers.get("content-type", ""), raw, url.query)
        if url.path.startswith("/response_url/"):
            self.mock._record(RecordedCall("response_url", params, headers))
            self._send(200, {}, b"ok", "text/plain")
            return
        if not url.path.startswith("/api/"):
            self._send(404, {}, b"not found", "text/plain")
            return
        method = url.path.removeprefix("/api/")
        if not headers.get("authorization", "").startswith("Bearer ") and "token" not in params:
            status, extra, body = 200, {}, {"ok": False, "error": "not_authed"}
        else:
            status, extra, body = self.mock.answer(method, params)
        self.mock._record(RecordedCall(method, params, headers, status, bool(body.get("ok")), body))
        self._send(status, extra, json.dumps(body).encode(), "application/json; charset=utf-8")
