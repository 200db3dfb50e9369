"""Requests as Slack sends them (v0-signed event callbacks and form posts) and the app they go to: a runtime
pointed at the Slack mock, the bot and its router on a test client. Shared by the Slack tests."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI
from fastapi.testclient import TestClient
from slack_mock import MockSlack
from slack_sdk.signature import SignatureVerifier
from slack_seed import AS_OF, seed

from integrations.runtime import Runtime
from integrations.slack import SlackBot, build_slack_bot, slack_router
from store.settings import Settings

TEAM = "T0KAM0001"


def signed_headers(secret: str, body: str, timestamp: int | str | None = None) -> dict[str, str]:
    """The two headers Slack signs a request with (v0 scheme), for ``body`` sent now or at ``timestamp``."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {"X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)}


def event_body(event: dict[str, Any], *, event_id: str, team: str = TEAM) -> str:
    """An Events API callback wrapping ``event``."""
    return json.dumps({"token": "legacy", "team_id": team, "api_app_id": "A0KAM", "type": "event_callback",
                       "event_id": event_id, "event_time": 1_790_000_000, "event": event})


def post_event(http: TestClient, secret: str, event: dict[str, Any], *, event_id: str, retry: int | None = None,
               timestamp: int | None = None) -> Any:
    """Post one signed event callback to ``/slack/events``, as a retry when ``retry`` is given."""
    body = event_body(event, event_id=event_id)
    headers = {"Content-Type": "application/json", **signed_headers(secret, body, timestamp)}
    if retry is not None:
        headers.update({"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"})
    return http.post("/slack/events", content=body, headers=headers)


def post_form(http: TestClient, secret: str, fields: dict[str, str]) -> Any:
    """Post one signed form (a slash command or an interactive payload) to ``/slack/events``."""
    body = urlencode(fields)
    headers = {"Content-Type": "application/x-www-form-urlencoded", **signed_headers(secret, body)}
    return http.post("/slack/events", content=body, headers=headers)


@contextmanager
def slack_runtime(tmp_path: Path, slack: MockSlack, secret: str, **settings: Any) -> Iterator[Runtime]:
    """A runtime on a fresh data dir, seeded, whose Slack Web API is the mock."""
    rt = Runtime.build(Settings(data_dir=tmp_path / "data", env="test", slack_bot_token="xoxb-test-token",
                                slack_signing_secret=secret, slack_api_url=slack.base_url, **settings))
    seed(rt.db)
    try:
        yield rt
    finally:
        rt.close()


@contextmanager
def running_bot(runtime: Runtime) -> Iterator[SlackBot]:
    """The Slack bot on the seed's day; it finishes its queued work before it closes."""
    bot = build_slack_bot(runtime, clock=lambda: AS_OF)
    try:
        yield bot
    finally:
        bot.wait_idle(30)
        bot.close()


def slack_client(runtime: Runtime, bot: SlackBot) -> TestClient:
    """A test client for an app serving only the Slack router."""
    app = FastAPI()
    app.include_router(slack_router(runtime, bot=bot))
    return TestClient(app)
