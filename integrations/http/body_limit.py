"""A declared body over the limit is refused with our JSON error before anything reads it.

Starlette's ``max_body_size`` (set on the app) counts the bytes of every body as they arrive and stops at the
limit, with or without a ``Content-Length``; it answers a *declared* length over the limit in plain text, so
this outer layer answers that case first, in the same JSON shape as every other error of the API.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Receive, Scope, Send


class DeclaredLengthLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            length = dict(scope.get("headers") or []).get(b"content-length")
            if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
                body = json.dumps({"error": f"request body over {self.max_bytes} bytes"}).encode()
                await send({"type": "http.response.start", "status": 413,
                            "headers": [(b"content-type", b"application/json"), (b"connection", b"close"),
                                        (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
