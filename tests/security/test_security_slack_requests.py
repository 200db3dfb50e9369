"""Red-team findings 3, 4 and the first half of 10 (issue 13): what reaches ``POST /slack/events`` unsigned,
malformed or from another workspace.

- the signature is checked before anything parses the body: an unsigned ``[]``, ``{`` or a timestamp of
  ``abc`` is a 401, never a 500;
- a signed body that is not a Slack payload is a 400;
- nothing of a refused body is logged (a newline in it cannot forge a log line; a genuine payload refused for
  clock skew does not leak its content);
- with ``KAM_SLACK_TEAM_ID`` set, a request signed with the app's secret but from another workspace is 403
  and nothing runs.

Requests are signed with ``slack_sdk.signature.SignatureVerifier``, the bot talks to the mock Web API.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from slack_mock import MockSlack
from slack_requests import signed_headers
from slack_seed import AS_OF, seed

from integrations.runtime import Runtime
from integrations.slack import SlackBot, build_slack_bot, slack_router
from store.settings import Settings

SECRET = "test-signing-secret-4e2a"
TEAM = "T0KAM0001"
FORGED = "2026-12-04 08:00:00 CRITICAL kam: forged line from a request body"


@pytest.fixture
def slack() -> Iterator[MockSlack]:
    with MockSlack(team_id=TEAM, bot_user_id="UBOT0001") as mock:
        yield mock


def _bot(tmp_path: Path, slack: MockSlack, team_id: str | None) -> tuple[Runtime, SlackBot, TestClient]:
    settings = Settings(data_dir=tmp_path / "data", env="test", slack_bot_token="xoxb-test-token",
                        slack_signing_secret=SECRET, slack_api_url=slack.base_url, slack_team_id=team_id)
    runtime = Runtime.build(settings)
    seed(runtime.db)
    bot = build_slack_bot(runtime, clock=lambda: AS_OF)
    app = FastAPI()
    app.include_router(slack_router(runtime, bot=bot))
    return runtime, bot, TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def served(tmp_path: Path, slack: MockSlack) -> Iterator[tuple[SlackBot, TestClient]]:
    runtime, bot, client = _bot(tmp_path, slack, TEAM)
    yield bot, client
    bot.wait_idle(30)
    bot.close()
    runtime.close()


def _signed(body: str, timestamp: str | None = None) -> dict[str, str]:
    return signed_headers(SECRET, body, timestamp)


def _event(team: str, text: str) -> str:
    event = {"type": "app_mention", "user": "USPRIYA", "text": f"<@UBOT0001> {text}", "ts": "1790000001.000100",
             "channel": "C0SALES", "event_ts": "1790000001.000100"}
    return json.dumps({"token": "legacy", "team_id": team, "api_app_id": "A0KAM", "type": "event_callback",
                       "event_id": "Ev1", "event_time": 1_790_000_000, "event": event})


def _post(client: TestClient, body: str, headers: dict[str, str]) -> Any:
    return client.post("/slack/events", content=body, headers={"Content-Type": "application/json", **headers})


@pytest.mark.parametrize("body", ["[]", "{", "", '{"type": "event_callback"}', f'{{"x": "a\\n{FORGED}"}}'])
def test_unsigned_or_badly_signed_bodies_are_401_and_never_parsed(served: tuple[SlackBot, TestClient],
                                                                 body: str) -> None:
    _bot_, client = served
    now = str(int(time.time()))
    for headers in ({}, {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=00"},
                    {"X-Slack-Request-Timestamp": now, "X-Slack-Signature": "v0=" + "0" * 64},
                    {"X-Slack-Request-Timestamp": "abc", **{k: v for k, v in _signed(body).items() if k[-1] == "e"}},
                    _signed(body, timestamp=str(int(time.time()) - 3600))):
        r = _post(client, body, headers)
        assert r.status_code == 401, (body, headers, r.status_code, r.text)


@pytest.mark.parametrize("body", ["[]", "{", "null", "42", '"text"', "[1, 2]"])
def test_signed_bodies_that_are_not_slack_payloads_are_4xx(served: tuple[SlackBot, TestClient], body: str,
                                                          slack: MockSlack) -> None:
    _bot_, client = served
    r = _post(client, body, _signed(body))
    assert 400 <= r.status_code < 500, (body, r.status_code, r.text)
    assert slack.calls_to("chat.postMessage") == []


def test_a_refused_body_is_never_logged(served: tuple[SlackBot, TestClient],
                                        caplog: pytest.LogCaptureFixture) -> None:
    _bot_, client = served
    caplog.set_level(logging.DEBUG)
    skewed = _event(TEAM, "the Q3 discount for Acme is 18 percent")
    forged = json.dumps({"type": "event_callback", "team_id": TEAM, "note": f"x\n{FORGED}"})
    assert _post(client, forged, {}).status_code == 401
    assert _post(client, skewed, _signed(skewed, timestamp=str(int(time.time()) - 900))).status_code == 401
    text = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
    assert "forged line" not in text and "18 percent" not in text and "CRITICAL" not in text


def test_another_workspace_signed_with_the_apps_secret_is_refused(served: tuple[SlackBot, TestClient],
                                                                  slack: MockSlack) -> None:
    bot, client = served
    other = _event("T0OTHER99", "show my matrix")
    assert _post(client, other, _signed(other)).status_code == 403
    bot.wait_idle(10)
    assert slack.calls_to("chat.postMessage") == []
    ours = _event(TEAM, "show my matrix")
    assert _post(client, ours, _signed(ours)).status_code == 200
    assert bot.wait_idle(30)
    assert len(slack.calls_to("chat.postMessage")) >= 1
