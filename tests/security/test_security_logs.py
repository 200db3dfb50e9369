"""No secret or token in any log line.

Every logger is captured at DEBUG (the root, and any logger that does not propagate) while the process does
what handles secrets: settings with a model API key, an embedding key, Slack tokens and a signing secret;
API tokens issued and used as bearer tokens (and a wrong one tried); chat turns whose model calls fail against
the stub (500, 401, 429, a timeout, and a note extraction that fails) so the error paths log; signed and badly
signed Slack events, nudges sent through a rate-limited and failing mock Slack. No record's message, arguments,
exception text or extra fields may contain any of those values.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openai_stub import OpenAIStub, Step, call, reply
from pydantic import SecretStr
from security_support import demo_runtime, report_figure
from slack_mock import MockSlack
from slack_requests import signed_headers

from evals.fixtures import DEMO_AS_OF
from integrations.http.app import create_app
from integrations.http.tokens import issue_token
from integrations.nudges import run_nudges
from integrations.runtime import Runtime
from integrations.slack import build_slack_bot, slack_router
from store.settings import Settings


@pytest.fixture
def every_logger(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """caplog at DEBUG on the root; every logger that sets its own level (SQLAlchemy's SQL and parameters,
    for one) opened to DEBUG too, and the ones that do not propagate to the root captured directly."""
    caplog.set_level(logging.DEBUG)
    loggers = [lg for lg in list(logging.Logger.manager.loggerDict.values()) if isinstance(lg, logging.Logger)]
    saved = [(lg, lg.level, lg.disabled) for lg in loggers]
    isolated = [lg for lg in loggers if not lg.propagate]
    for lg in loggers:
        if lg.level > logging.DEBUG:
            lg.setLevel(logging.DEBUG)
        lg.disabled = False
    for lg in isolated:
        lg.addHandler(caplog.handler)
    yield caplog
    for lg in isolated:
        lg.removeHandler(caplog.handler)
    for lg, level, disabled in saved:
        lg.setLevel(level)
        lg.disabled = disabled


def _texts(record: logging.LogRecord, formatter: logging.Formatter) -> list[str]:
    """Everything a log line can carry: the message, its template and arguments, exception and stack text,
    and any extra attributes."""
    texts = [record.getMessage(), str(record.msg), repr(record.args)]
    if record.exc_info:
        texts.append(formatter.formatException(record.exc_info))
    if record.exc_text:
        texts.append(record.exc_text)
    if record.stack_info:
        texts.append(record.stack_info)
    standard = set(vars(logging.makeLogRecord({})))
    texts += [repr(v) for k, v in vars(record).items() if k not in standard and k not in ("message", "asctime")]
    return texts


def _sign(secret: str, body: str) -> dict[str, str]:
    return {"Content-Type": "application/json", **signed_headers(secret, body)}


def _mention(text: str, user: str, n: int) -> str:
    event = {"type": "app_mention", "user": user, "text": f"<@UBOT0001> {text}", "ts": f"1790000{n:03d}.000100",
             "channel": "C0SALES", "event_ts": f"1790000{n:03d}.000100"}
    return json.dumps({"token": "legacy", "team_id": "T0KAM0001", "api_app_id": "A0KAM", "type": "event_callback",
                       "event_id": f"EvLog{n}", "event_time": 1_790_000_000, "event": event})


def test_no_secret_or_token_in_any_log_line(settings: Settings, every_logger: pytest.LogCaptureFixture) -> None:
    values = {
        "llm_api_key": f"sk-live-{secrets.token_hex(20)}",
        "embedding_api_key": f"sk-embed-{secrets.token_hex(20)}",
        "slack_bot_token": f"xoxb-{secrets.token_hex(16)}",
        "slack_app_token": f"xapp-1-{secrets.token_hex(16)}",
        "slack_signing_secret": secrets.token_hex(20),
    }
    wrong_token = f"kam_{secrets.token_urlsafe(32)}"
    with OpenAIStub() as stub, MockSlack() as slack:
        configured = settings.model_copy(update={
            "llm_base_url": stub.base_url, "llm_model": "stub", "llm_timeout_s": 0.5, "llm_max_retries": 1,
            "slack_api_url": slack.base_url, **{k: SecretStr(v) for k, v in values.items()}})
        runtime = demo_runtime(configured)
        try:
            tokens = _exercise(runtime, DEMO_AS_OF, stub, slack, values, wrong_token)
        finally:
            runtime.close()
        keyed = [r for r in stub.requests if r["auth"] == f"Bearer {values['llm_api_key']}"]
        bot_calls = [c for c in slack.calls if values["slack_bot_token"] in json.dumps(c.headers)]
    # The tokens' SHA-256 hashes may show (SQL parameters at DEBUG): the hash is what the store keeps, and it
    # cannot be turned back into a token. The tokens themselves may not.
    secrets_ = [*values.values(), *tokens, wrong_token]
    formatter = logging.Formatter()
    records = every_logger.records
    found = []
    for record in records:
        for text in _texts(record, formatter):
            found += [f"{record.name}: {record.getMessage()[:120]!r}" for s in secrets_ if s in text]
    by_level: dict[str, int] = {}
    for record in records:
        by_level[record.levelname] = by_level.get(record.levelname, 0) + 1
    warnings = by_level.get("WARNING", 0) + by_level.get("ERROR", 0)
    report_figure(f"SECURITY logs: {len(records)} log lines checked at DEBUG ({warnings} warnings and errors from "
                  f"failed model calls, refused tokens and signatures, Slack rate limits) for {len(secrets_)} "
                  f"secrets and tokens: {len(found)} found")
    assert not found, "\n".join(found[:20])
    # Not vacuous: the secrets were in use while the logs were written, and error paths did log.
    assert keyed and bot_calls, "the model key and the Slack token were sent where they belong"
    assert len(records) > 200 and warnings >= 5, by_level
    assert all(v not in repr(configured) and v not in configured.model_dump_json() for v in values.values())


def _exercise(runtime: Runtime, as_of: Any, stub: OpenAIStub, slack: MockSlack, values: dict[str, str],
              wrong_token: str) -> list[str]:
    tokens = [issue_token(runtime.db, uid) for uid in ("U02", "U04", "U01")]
    day = as_of.isoformat()
    with TestClient(create_app(runtime, with_slack=False)) as client:
        sam = {"Authorization": f"Bearer {tokens[0]}"}
        assert client.get("/v1/accounts", headers=sam).status_code == 200
        for bad in (f"Bearer {wrong_token}", f"Basic {tokens[1]}", tokens[2]):
            assert client.get("/v1/accounts", headers={"Authorization": bad}).status_code == 401
        # Failing model calls: each turn falls back to the offline planner, and says so in a warning.
        for step in (Step(status=500), Step(status=401), Step(status=429), Step(delay_s=1.5, content="late")):
            stub.script, stub.default = [step, step, step], reply("fine")
            r = client.post("/v1/chat", json={"message": "score Acme", "as_of": day}, headers=sam)
            assert r.status_code == 200 and "offline planner" in r.json()["reply"], r.text
        # A note whose model extraction fails (the extractor falls back and logs it), then a working turn.
        stub.script, stub.default = [call("log_note", {"text": "Met Dana Whitfield at Acme Corp today."}),
                                     Step(status=500), Step(status=500), reply("Proposed.")], reply("ok")
        r = client.post("/v1/chat", json={"message": "Met Dana Whitfield at Acme Corp today.", "as_of": day},
                        headers=sam)
        assert r.status_code == 200, r.text
        r = client.post("/v1/tools/prep_qbr", json={"args": {"account": "A002"}, "as_of": day},
                        headers={"Authorization": f"Bearer {tokens[1]}"})
        assert r.status_code == 200, r.text
    # Slack over HTTP: a signed mention is answered, a wrongly signed one refused; Web API calls rate limited.
    bot = build_slack_bot(runtime, clock=lambda: as_of)
    try:
        app = FastAPI()
        app.include_router(slack_router(runtime, bot=bot))
        slack.rate_limit("chat.postMessage", times=1, retry_after=0)
        stub.script, stub.default = [Step(status=500)] * 3, reply("ok")
        with TestClient(app) as client:
            body = _mention("what's overdue?", "U8D9422DF81", 1)
            assert client.post("/slack/events", content=body,
                               headers=_sign(values["slack_signing_secret"], body)).status_code == 200
            forged = _mention("show the matrix for all", "U8D9422DF81", 2)
            assert client.post("/slack/events", content=forged,
                               headers=_sign("not-the-secret", forged)).status_code == 401
        assert bot.wait_idle(60)
    finally:
        bot.close()
    # Nudges through the same client: one DM fails, the others go out.
    slack.fail("chat.postMessage", "channel_not_found", times=1)
    report = run_nudges(runtime, as_of, client=bot.client)
    assert report is not None
    return tokens
