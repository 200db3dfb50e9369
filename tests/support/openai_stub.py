"""A local server that speaks OpenAI's chat completions protocol, scripted per test.

Each request to ``POST /v1/chat/completions`` takes the next step of the script: a completion (text or
tool calls, ``content: null`` with ``tool_calls`` as the real API sends them), an HTTP error status (with
``Retry-After`` for 429), or a delay before answering. Requests are recorded for assertions.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Step:
    status: int = 200
    content: str | None = None
    tool_calls: list[dict[str, Any]] | None = None  # [{"name": ..., "arguments": "<json string>"}]
    delay_s: float = 0.0
    body: dict[str, Any] | None = None  # a raw body instead of a completion


def reply(text: str) -> Step:
    return Step(content=text)


def call(name: str, arguments: dict[str, Any] | str) -> Step:
    raw = arguments if isinstance(arguments, str) else json.dumps(arguments)
    return Step(tool_calls=[{"name": name, "arguments": raw}])


@dataclass
class OpenAIStub:
    script: list[Step] = field(default_factory=list)
    default: Step | None = None
    requests: list[dict[str, Any]] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def next_step(self) -> Step:
        with self._lock:
            if self.script:
                return self.script.pop(0)
        return self.default or reply("(stub: no more scripted steps)")

    def __enter__(self) -> OpenAIStub:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length) or b"{}")
                with stub._lock:
                    auth = self.headers.get("Authorization")
                    stub.requests.append({"path": self.path, "body": payload, "auth": auth})
                step = stub.next_step()
                if step.delay_s:
                    time.sleep(step.delay_s)
                if step.status != 200:
                    body = json.dumps({"error": {"message": f"stub error {step.status}", "type": "server_error"}})
                    self.send_response(step.status)
                    if step.status == 429:
                        self.send_header("Retry-After", "0")
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body.encode())
                    return
                body = json.dumps(step.body or _completion(payload.get("model", "stub"), step)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError):  # the client timed out and left
                    self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


def _completion(model: str, step: Step) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": step.content}
    finish = "stop"
    if step.tool_calls:
        message["content"] = None
        message["tool_calls"] = [
            {"id": f"call_{uuid.uuid4().hex[:10]}", "type": "function",
             "function": {"name": c["name"], "arguments": c["arguments"]}}
            for c in step.tool_calls
        ]
        finish = "tool_calls"
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {"prompt_tokens": 120, "completion_tokens": 12, "total_tokens": 132},
    }
