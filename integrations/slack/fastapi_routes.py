"""``POST /slack/events`` on the FastAPI app: Events API, slash commands and button clicks over HTTP.

The request is verified by bolt with the signing secret (HMAC-SHA256 over ``v0:{timestamp}:{body}``;
a bad signature or a timestamp more than 5 minutes old is answered 401 and goes no further). Bolt's
dispatch runs on a worker thread so the event loop never blocks; it returns as soon as the listener
acknowledged, and the slow work goes on in the bot's pool.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from slack_bolt import BoltRequest
from slack_bolt.adapter.starlette.handler import to_starlette_response
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
    router = APIRouter(tags=["slack"])

    @router.post("/slack/events", include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return Response(status_code=413, content="request too large")
        bolt_request = BoltRequest(body=body.decode("utf-8", errors="replace"), query=dict(request.query_params),
                                   headers=_headers(request))
        bolt_response = await run_in_threadpool(bot.app.dispatch, bolt_request)
        return to_starlette_response(bolt_response)

    router.slack_bot = bot  # type: ignore[attr-defined]
    return router


def _headers(request: Request) -> dict[str, Any]:
    headers: dict[str, list[str]] = {}
    for key, value in request.headers.items():
        headers.setdefault(key.lower(), []).append(value)
    return headers
