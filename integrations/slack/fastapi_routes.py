"""``POST /slack/events`` on the FastAPI app: Events API, slash commands and button clicks over HTTP.

The request's signature is checked here, before anything parses the body (HMAC-SHA256 with the signing secret
over ``v0:{timestamp}:{body}``; a bad or missing signature, a timestamp that is not a number or is more than 5
minutes off is answered 401 and goes no further, and nothing of the body is logged). A signed body that is not
a Slack payload is a 400. The workspace check (``KAM_SLACK_TEAM_ID``) is bolt middleware, shared with Socket
Mode (``integrations.slack.app``). Bolt's dispatch runs on a worker thread so the event loop never blocks; it
returns as soon as the listener acknowledged, and the slow work goes on in the bot's pool.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from slack_bolt import BoltRequest
from slack_bolt.adapter.starlette.handler import to_starlette_response
from slack_sdk.signature import SignatureVerifier
from starlette.concurrency import run_in_threadpool

from integrations.runtime import Runtime
from integrations.slack.app import SlackBot, SlackConfigError, build_slack_bot

MAX_BODY_BYTES = 1_000_000  # Slack's payloads are far smaller; anything bigger is not from Slack


def slack_router(runtime: Runtime, *, bot: SlackBot | None = None) -> APIRouter:
    """A router serving ``POST /slack/events``; the bot is built from the runtime's Settings unless given.

    The router keeps the bot as ``router.slack_bot`` (call ``router.slack_bot.close()`` on shutdown).
    """
    if runtime.settings.slack_signing_secret is None:
        raise SlackConfigError("HTTP events need KAM_SLACK_SIGNING_SECRET: requests are refused unverified")
    bot = bot or build_slack_bot(runtime)
    verifier = SignatureVerifier(runtime.settings.slack_signing_secret.get_secret_value())
    router = APIRouter(tags=["slack"])

    @router.post("/slack/events", include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return Response(status_code=413, content="request too large")
        if not _signed(verifier, body, request):
            return Response(status_code=401, content="invalid request signature")
        try:
            bolt_request = BoltRequest(body=body.decode("utf-8", errors="replace"),
                                       query=dict(request.query_params), headers=_headers(request))
        except (ValueError, TypeError, AttributeError, KeyError):  # signed, but not a payload Slack sends
            return Response(status_code=400, content="malformed Slack request")
        bolt_response = await run_in_threadpool(bot.app.dispatch, bolt_request)
        return to_starlette_response(bolt_response)

    router.slack_bot = bot  # type: ignore[attr-defined]
    return router


def _signed(verifier: SignatureVerifier, body: bytes, request: Request) -> bool:
    timestamp = request.headers.get("x-slack-request-timestamp", "")
    signature = request.headers.get("x-slack-signature")
    if not timestamp.isdigit() or not signature:
        return False
    return verifier.is_valid(body=body, timestamp=timestamp, signature=signature)


def _headers(request: Request) -> dict[str, Any]:
    headers: dict[str, list[str]] = {}
    for key, value in request.headers.items():
        headers.setdefault(key.lower(), []).append(value)
    return headers
