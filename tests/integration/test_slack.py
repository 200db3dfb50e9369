"""The Slack app, tested the way bolt-python tests itself: a mock Web API server on an ephemeral port, a real
``WebClient`` pointed at it, and requests signed with Slack's v0 scheme posted to ``/slack/events``."""

from __future__ import annotations

import itertools
import json
import logging
import struct
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import slack_requests
from fastapi.testclient import TestClient
from repo import ROOT
from slack_mock import MockSlack
from slack_requests import running_bot, signed_headers, slack_client, slack_runtime
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_seed import AS_OF
from sqlmodel import col, func, select

from integrations.runtime import Runtime
from integrations.slack import SlackBot, build_slack_bot, slack_mode, socket_mode_handler
from integrations.slack.blocks import (
    ACTION_DONE,
    ACTION_NOTE_CANCEL,
    ACTION_NOTE_CONFIRM,
    ACTION_NOTE_UNDO,
    ACTION_SNOOZE,
    commitment_buttons,
    mrkdwn,
    reply_blocks,
    split_messages,
)
from integrations.slack.conversation import REFUSAL, clean_text
from integrations.slack.matrix_png import matrix_png
from store.models import AuditLog, Commitment, Interaction, PendingAction, ProcessedEvent, ScoreRecord

SECRET = "test-signing-secret-8c1d"
TEAM = "T0KAM0001"
BOT = "UBOT0001"
_ts = itertools.count(1)


def _next_ts() -> str:
    return f"{1_790_000_000 + next(_ts)}.000{next(_ts):03d}"


# ------------------------------------------------------------------------------------------------ fixtures


@pytest.fixture
def slack() -> Iterator[MockSlack]:
    with MockSlack(team_id=TEAM, bot_user_id=BOT) as mock:
        yield mock


@pytest.fixture
def runtime(tmp_path: Path, slack: MockSlack) -> Iterator[Runtime]:
    with slack_runtime(tmp_path, slack, SECRET, slack_app_token="xapp-test-token") as rt:
        yield rt


class AgentSpy:
    """Counts the agent turns (each one is a model call, or the offline planner's)."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.turns = 0
        self._real = runtime.agent

    def __call__(self) -> Any:
        agent = self._real()
        spy = self

        class _Counting:
            def turn(self, *args: Any, **kwargs: Any) -> Any:
                spy.turns += 1
                return agent.turn(*args, **kwargs)

        return _Counting()


@pytest.fixture
def agent_spy(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> AgentSpy:
    spy = AgentSpy(runtime)
    monkeypatch.setattr(runtime, "agent", spy)
    return spy


@pytest.fixture
def bot(runtime: Runtime, agent_spy: AgentSpy) -> Iterator[SlackBot]:
    with running_bot(runtime) as bot:
        yield bot


@pytest.fixture
def http(runtime: Runtime, bot: SlackBot) -> TestClient:
    return slack_client(runtime, bot)


# ------------------------------------------------------------------------------------------------ helpers


def _sign(body: str, *, timestamp: int | None = None, secret: str = SECRET) -> dict[str, str]:
    return signed_headers(secret, body, timestamp)


def post_event(http: TestClient, event: dict[str, Any], *, event_id: str = "Ev001", retry: int | None = None,
               timestamp: int | None = None, secret: str = SECRET) -> Any:
    return slack_requests.post_event(http, secret, event, event_id=event_id, retry=retry, timestamp=timestamp)


def post_form(http: TestClient, fields: dict[str, str]) -> Any:
    return slack_requests.post_form(http, SECRET, fields)


def mention(text: str, *, user: str = "USPRIYA", channel: str = "C0SALES", ts: str | None = None,
            thread_ts: str | None = None) -> dict[str, Any]:
    event = {"type": "app_mention", "user": user, "text": f"<@{BOT}> {text}", "ts": ts or _next_ts(),
             "channel": channel, "event_ts": ts or "1"}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def count(runtime: Runtime, model: Any, *where: Any) -> int:
    with runtime.db.session() as s:
        return int(s.exec(select(func.count()).select_from(model).where(*where)).one())


def replies(slack: MockSlack) -> list[Any]:
    return slack.calls_to("chat.postMessage")


# ------------------------------------------------------------------------------------------------ events


def test_mention_is_answered_in_its_thread_with_blocks(http: TestClient, bot: SlackBot, slack: MockSlack,
                                                       runtime: Runtime) -> None:
    event = mention("score Acme")
    response = post_event(http, event)
    assert response.status_code == 200
    assert bot.wait_idle(30)
    [reply] = replies(slack)
    assert reply.params["channel"] == "C0SALES"
    assert reply.params["thread_ts"] == event["ts"]  # a new thread under the user's message
    blocks = reply.params["blocks"]
    assert blocks[0] == {"type": "section", "text": {"type": "mrkdwn", "text": "Acme Corp scores as Strategic Growth."}}
    assert blocks[1]["type"] == "header" and "Acme Corp (A001)" in blocks[1]["text"]["text"]
    figures = {f["text"].split("\n")[0]: f["text"].split("\n")[1] for f in blocks[2]["fields"]}
    with runtime.db.session() as s:
        stored = s.exec(select(ScoreRecord).where(ScoreRecord.account_id == "A001")).one()
    assert figures["*Attractiveness*"] == f"{stored.attractiveness:.2f}"  # the tool's own numbers
    assert figures["*Supplier strength*"] == f"{stored.strength:.2f}"
    assert "Acme Corp" in reply.params["text"]
    key = f"slack:{TEAM}:C0SALES:{event['ts']}"
    assert count(runtime, ProcessedEvent, ProcessedEvent.key == key) == 1


def test_a_thread_is_one_conversation(http: TestClient, bot: SlackBot, slack: MockSlack) -> None:
    first = mention("prep my QBR for Halcyon")
    post_event(http, first, event_id="Ev1")
    assert bot.wait_idle(30)
    post_event(http, mention("score it", thread_ts=first["ts"]), event_id="Ev2")
    assert bot.wait_idle(30)
    second = replies(slack)[-1]
    assert second.params["thread_ts"] == first["ts"]
    assert "Halcyon Retail Group" in second.params["text"]  # "it" resolved from the thread's memory


def test_bad_signature_is_refused_before_anything_happens(http: TestClient, bot: SlackBot, slack: MockSlack,
                                                          runtime: Runtime, agent_spy: AgentSpy) -> None:
    response = post_event(http, mention("score Acme"), secret="not-the-secret")
    assert response.status_code == 401
    bot.wait_idle(5)
    assert agent_spy.turns == 0
    assert replies(slack) == []
    assert count(runtime, ProcessedEvent) == 0
    assert count(runtime, ScoreRecord) == 0


def test_request_older_than_five_minutes_is_refused(http: TestClient, bot: SlackBot, slack: MockSlack,
                                                    agent_spy: AgentSpy) -> None:
    stale = int(time.time()) - 6 * 60
    response = post_event(http, mention("score Acme"), timestamp=stale)  # correctly signed, but replayed late
    assert response.status_code == 401
    bot.wait_idle(5)
    assert agent_spy.turns == 0 and replies(slack) == []


def test_missing_signature_headers_are_refused(http: TestClient, agent_spy: AgentSpy) -> None:
    body = json.dumps({"type": "event_callback", "team_id": TEAM, "event": mention("score Acme")})
    response = http.post("/slack/events", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 401
    assert agent_spy.turns == 0


def test_url_verification_answers_the_challenge(http: TestClient) -> None:
    body = json.dumps({"type": "url_verification", "token": "legacy", "challenge": "c-123"})
    response = http.post("/slack/events", content=body, headers={"Content-Type": "application/json", **_sign(body)})
    assert response.status_code == 200
    assert response.json()["challenge"] == "c-123"


# ------------------------------------------------------------------------------------------------ exactly once


NOTE = "Met Otto at Borealis today, he's worried about price; I'll send the price comparison by Friday"


def _notes(runtime: Runtime) -> tuple[int, int]:
    """(note proposals by Sam, interactions stored from Sam's note)."""
    return (count(runtime, PendingAction, PendingAction.user_id == "U03"),
            count(runtime, Interaction, Interaction.author_id == "U03", col(Interaction.text).contains("price comp")))


def test_same_event_three_times_with_retry_headers_logs_one_note(http: TestClient, bot: SlackBot, slack: MockSlack,
                                                                 runtime: Runtime) -> None:
    runtime.settings.auto_confirm_notes = True  # the team stores notes without a confirm step
    event = mention(NOTE, user="USSAM")
    statuses = [post_event(http, event, event_id="EvSame", retry=retry).status_code for retry in (None, 1, 2)]
    assert statuses == [200, 200, 200]
    assert bot.wait_idle(30)
    assert _notes(runtime) == (1, 1)
    assert len(replies(slack)) == 1
    # once more, after the first delivery finished: still one note, no second answer
    assert post_event(http, event, event_id="EvSame", retry=3).status_code == 200
    assert bot.wait_idle(30)
    assert _notes(runtime) == (1, 1)
    assert len(replies(slack)) == 1


def test_only_the_retry_arriving_logs_one_note(http: TestClient, bot: SlackBot, slack: MockSlack,
                                               runtime: Runtime) -> None:
    assert post_event(http, mention(NOTE, user="USSAM"), event_id="EvLost", retry=1).status_code == 200
    assert bot.wait_idle(30)
    assert _notes(runtime) == (1, 0)  # one proposal, waiting for Confirm
    [reply] = replies(slack)
    assert [b["block_id"] for b in reply.params["blocks"] if b["type"] == "actions"][0].startswith("note:P-")


def test_same_message_under_a_new_event_id_logs_one_note(http: TestClient, bot: SlackBot, slack: MockSlack,
                                                         runtime: Runtime) -> None:
    event = mention(NOTE, user="USSAM", channel="D0SAM")
    post_event(http, event, event_id="EvA")
    dm = {**event, "type": "message", "channel_type": "im"}  # the same message delivered as a DM event too
    post_event(http, dm, event_id="EvB")
    assert bot.wait_idle(30)
    post_event(http, event, event_id="EvC")
    assert bot.wait_idle(30)
    assert _notes(runtime) == (1, 0)
    assert len(replies(slack)) == 1


def test_a_twin_delivery_in_another_process_finds_the_write_claimed(
    http: TestClient, bot: SlackBot, slack: MockSlack, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another instance checked ProcessedEvent before this one committed: the key claimed with the write stops it."""
    from integrations.slack import conversation

    event = mention("score Borealis", user="USSAM")
    post_event(http, event, event_id="EvX")
    assert bot.wait_idle(30)
    monkeypatch.setattr(conversation, "is_processed", lambda db, key: False)  # the other instance's stale view
    msg = conversation.InboundMessage(team=TEAM, channel=event["channel"], slack_user="USSAM", text=event["text"],
                                      ts=event["ts"])
    assert conversation.handle_message(bot, msg) == "duplicate"
    assert count(runtime, ScoreRecord, ScoreRecord.account_id == "A003") == 1
    assert len(replies(slack)) == 1


def test_a_read_only_answer_is_not_repeated_on_a_late_retry(http: TestClient, bot: SlackBot, slack: MockSlack,
                                                            agent_spy: AgentSpy) -> None:
    event = mention("what's overdue for me?")
    post_event(http, event, event_id="EvRead")
    assert bot.wait_idle(30)
    post_event(http, event, event_id="EvRead", retry=1)
    assert bot.wait_idle(30)
    assert agent_spy.turns == 1
    assert len(replies(slack)) == 1


# ------------------------------------------------------------------------------------------------ who may talk


def test_unknown_slack_user_gets_a_polite_refusal_and_nothing_else(http: TestClient, bot: SlackBot,
                                                                   slack: MockSlack, runtime: Runtime,
                                                                   agent_spy: AgentSpy) -> None:
    post_event(http, mention("score Acme", user="USTRANGER"))
    assert bot.wait_idle(30)
    [refusal] = slack.calls_to("chat.postEphemeral")
    assert refusal.params["user"] == "USTRANGER" and refusal.params["text"] == REFUSAL
    assert agent_spy.turns == 0
    assert replies(slack) == []
    assert count(runtime, ProcessedEvent) == 0 and count(runtime, ScoreRecord) == 0


def test_direct_message_is_answered_and_edits_and_bots_are_ignored(http: TestClient, bot: SlackBot,
                                                                   slack: MockSlack, agent_spy: AgentSpy) -> None:
    ts = _next_ts()
    dm = {"type": "message", "channel_type": "im", "user": "USPRIYA", "text": "show my overdue commitments",
          "ts": ts, "channel": "D0PRIYA"}
    post_event(http, dm, event_id="EvDm")
    post_event(http, {**dm, "subtype": "message_changed", "ts": _next_ts()}, event_id="EvEdit")
    post_event(http, {**dm, "bot_id": "BOTHER", "ts": _next_ts()}, event_id="EvBot")
    post_event(http, {**dm, "channel_type": "channel", "ts": _next_ts()}, event_id="EvChan")
    assert bot.wait_idle(30)
    assert agent_spy.turns == 1
    [reply] = replies(slack)
    assert reply.params["channel"] == "D0PRIYA" and reply.params["thread_ts"] == ts
    # overdue commitments come with Done / Snooze buttons, one row per commitment
    actions = [b for b in reply.params["blocks"] if b["type"] == "actions"]
    assert [a["block_id"] for a in actions] == ["commitment:C001", "commitment:C006"]


def test_slash_command_is_acked_at_once_and_answered_in_a_thread(http: TestClient, bot: SlackBot,
                                                                 slack: MockSlack) -> None:
    response = post_form(http, {"command": "/kam", "text": "score Acme", "team_id": TEAM, "channel_id": "C0SALES",
                                "user_id": "USPRIYA", "trigger_id": "trig-1", "response_url": slack.response_url()})
    assert response.status_code == 200
    assert bot.wait_idle(30)
    echo, answer = replies(slack)
    assert "/kam score Acme" in echo.params["text"]
    assert "thread_ts" not in echo.params
    assert answer.params["thread_ts"] == echo.response["ts"]  # answered in the thread of the echoed request
    assert "Acme Corp" in answer.params["text"]


def test_slash_command_where_the_app_cannot_post_answers_privately(http: TestClient, bot: SlackBot,
                                                                   slack: MockSlack) -> None:
    slack.fail("chat.postMessage", "not_in_channel")
    post_form(http, {"command": "/kam", "text": "score Acme", "team_id": TEAM, "channel_id": "C0ELSE",
                     "user_id": "USPRIYA", "trigger_id": "trig-2", "response_url": slack.response_url("r2")})
    assert bot.wait_idle(30)
    [private] = slack.calls_to("response_url")
    assert private.params["response_type"] == "ephemeral" and "Acme Corp" in private.params["text"]


# ------------------------------------------------------------------------------------------------ socket mode


class _RecordingSocketClient:
    """Stands in for the WebSocket: records the acknowledgements sent back by envelope id."""

    def __init__(self) -> None:
        self.logger = logging.getLogger("test.socket")
        self.acks: list[Any] = []

    def send_socket_mode_response(self, response: Any) -> None:
        self.acks.append(response)


def test_socket_mode_envelope_is_acknowledged_by_id_and_answered(runtime: Runtime, bot: SlackBot,
                                                                 slack: MockSlack) -> None:
    assert slack_mode(runtime.settings) == "socket"
    handler = socket_mode_handler(bot)
    try:
        event = mention("score Acme")
        payload = {"team_id": TEAM, "api_app_id": "A0KAM", "type": "event_callback", "event_id": "EvSock",
                   "event": event}
        socket = _RecordingSocketClient()
        request = SocketModeRequest(type="events_api", envelope_id="env-7", payload=payload)
        handler.handle(socket, request)  # type: ignore[arg-type]
        assert [ack.envelope_id for ack in socket.acks] == ["env-7"]
        assert bot.wait_idle(30)
        [reply] = replies(slack)
        assert reply.params["thread_ts"] == event["ts"]
        # the same message redelivered over the socket as a retry: acknowledged, not answered again
        retry = SocketModeRequest(type="events_api", envelope_id="env-8", payload=payload, retry_attempt=1,
                                  retry_reason="timeout")
        handler.handle(socket, retry)  # type: ignore[arg-type]
        assert bot.wait_idle(30)
        assert [ack.envelope_id for ack in socket.acks] == ["env-7", "env-8"]
        assert len(replies(slack)) == 1
    finally:
        handler.client.close()


# ------------------------------------------------------------------------------------------------ buttons


def _click(action_id: str, value: dict[str, Any], *, user: str = "USPRIYA", blocks: list[dict[str, Any]] | None = None,
           response_url: str = "") -> dict[str, str]:
    payload = {
        "type": "block_actions", "team": {"id": TEAM}, "user": {"id": user}, "api_app_id": "A0KAM",
        "trigger_id": "trig-click", "response_url": response_url, "container": {"type": "message"},
        "channel": {"id": "D0PRIYA"},
        "message": {"ts": "1790000000.000001", "text": "nudge", "blocks": blocks or []},
        "actions": [{"action_id": action_id, "block_id": f"commitment:{value.get('commitment')}",
                     "value": json.dumps(value), "type": "button", "action_ts": "1"}],
    }
    return {"payload": json.dumps(payload)}


def test_done_button_marks_the_commitment_done_audits_and_updates_the_message(
    http: TestClient, bot: SlackBot, slack: MockSlack, runtime: Runtime
) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "C001"}, "block_id": "line:C001"},
              commitment_buttons("C001"), commitment_buttons("C003")]
    response = post_form(http, _click(ACTION_DONE, {"commitment": "C001"}, blocks=blocks))
    assert response.status_code == 200
    assert bot.wait_idle(30)
    with runtime.db.session() as s:
        row = s.get(Commitment, "C001")
        audit = s.exec(select(AuditLog).where(AuditLog.entity_id == "C001")).all()
    assert row is not None and row.status == "done" and row.done == AS_OF
    assert [(a.actor, a.action) for a in audit] == [("U02", "complete")]
    [update] = slack.calls_to("chat.update")
    assert update.params["channel"] == "D0PRIYA" and update.params["ts"] == "1790000000.000001"
    new_blocks = update.params["blocks"]
    assert [b.get("block_id") for b in new_blocks if b["type"] == "actions"] == ["commitment:C003"]
    marks = [b for b in new_blocks if b["type"] == "context"]
    assert "Marked C001 done" in marks[0]["elements"][0]["text"]


def test_snooze_button_snoozes_and_someone_out_of_scope_changes_nothing(
    http: TestClient, bot: SlackBot, slack: MockSlack, runtime: Runtime
) -> None:
    post_form(http, _click(ACTION_SNOOZE, {"commitment": "C003", "days": 2}))
    post_form(http, _click(ACTION_DONE, {"commitment": "C001"}, user="USSAM"))  # Sam may not see Acme
    assert bot.wait_idle(30)
    with runtime.db.session() as s:
        snoozed, untouched = s.get(Commitment, "C003"), s.get(Commitment, "C001")
    assert snoozed is not None and str(snoozed.snoozed_until) == "2026-11-24"
    assert untouched is not None and untouched.status == "open"
    texts = [b["elements"][0]["text"] for u in slack.calls_to("chat.update") for b in u.params["blocks"]
             if b["type"] == "context"]
    assert any("Snoozed C003" in t for t in texts)
    assert any("no commitment 'C001'" in t for t in texts)


def test_button_from_an_unknown_user_is_refused(http: TestClient, bot: SlackBot, slack: MockSlack,
                                                runtime: Runtime) -> None:
    post_form(http, _click(ACTION_DONE, {"commitment": "C001"}, user="USTRANGER",
                           response_url=slack.response_url("click")))
    assert bot.wait_idle(30)
    [refusal] = slack.calls_to("response_url")
    assert refusal.params["text"] == REFUSAL
    with runtime.db.session() as s:
        row = s.get(Commitment, "C001")
    assert row is not None and row.status == "open"


def _note_click(action_id: str, reply: Any, *, user: str = "USSAM") -> dict[str, str]:
    [row] = [b for b in reply.params["blocks"] if b["type"] == "actions"]
    value = next(e["value"] for e in row["elements"] if e["action_id"] == action_id)
    payload = {
        "type": "block_actions", "team": {"id": TEAM}, "user": {"id": user}, "api_app_id": "A0KAM",
        "trigger_id": "trig-note", "response_url": "", "container": {"type": "message"},
        "channel": {"id": reply.params["channel"]},
        "message": {"ts": reply.response["ts"], "thread_ts": reply.params["thread_ts"], "text": reply.params["text"],
                    "blocks": reply.params["blocks"]},
        "actions": [{"action_id": action_id, "block_id": row["block_id"], "value": value, "type": "button"}],
    }
    return {"payload": json.dumps(payload)}


def test_confirm_then_undo_buttons_store_and_reverse_the_note(http: TestClient, bot: SlackBot, slack: MockSlack,
                                                              runtime: Runtime) -> None:
    post_event(http, mention(NOTE, user="USSAM"))
    assert bot.wait_idle(30)
    [proposal] = replies(slack)
    post_form(http, _note_click(ACTION_NOTE_CONFIRM, proposal, user="USPRIYA"))  # not hers: nothing happens
    assert bot.wait_idle(30)
    assert _notes(runtime) == (1, 0)
    post_form(http, _note_click(ACTION_NOTE_CONFIRM, proposal))
    post_form(http, _note_click(ACTION_NOTE_CONFIRM, proposal))  # a double click stores once
    assert bot.wait_idle(30)
    assert _notes(runtime) == (1, 1)
    with runtime.db.session() as s:
        new = s.exec(select(Commitment).where(col(Commitment.source_interaction_id).is_not(None))).all()
    assert [(c.owner_id, str(c.due)) for c in new] == [("U03", "2026-11-27")]
    updates = slack.calls_to("chat.update")
    assert "no note proposal" in json.dumps(updates[0].params["blocks"])
    stored = updates[-1].params["blocks"]
    [undo_row] = [b for b in stored if b["type"] == "actions"]
    assert [e["action_id"] for e in undo_row["elements"]] == [ACTION_NOTE_UNDO]
    post_form(http, _note_click(ACTION_NOTE_UNDO, _as_reply(proposal, stored)))
    assert bot.wait_idle(30)
    assert _notes(runtime)[1] == 0
    with runtime.db.session() as s:
        assert s.exec(select(Commitment).where(col(Commitment.source_interaction_id).is_not(None))).all() == []


def _as_reply(reply: Any, blocks: list[dict[str, Any]]) -> Any:
    """The proposal message as it looks after an update (its blocks replaced)."""
    from slack_mock import RecordedCall

    return RecordedCall(reply.method, {**reply.params, "blocks": blocks}, reply.headers, response=reply.response)


def test_cancel_button_discards_the_proposal(http: TestClient, bot: SlackBot, slack: MockSlack,
                                             runtime: Runtime) -> None:
    post_event(http, mention(NOTE, user="USSAM"))
    assert bot.wait_idle(30)
    post_form(http, _note_click(ACTION_NOTE_CANCEL, replies(slack)[0]))
    assert bot.wait_idle(30)
    with runtime.db.session() as s:
        [action] = s.exec(select(PendingAction).where(PendingAction.user_id == "U03")).all()
    assert action.status == "cancelled"
    assert _notes(runtime) == (1, 0)
    [update] = slack.calls_to("chat.update")
    assert not [b for b in update.params["blocks"] if b["type"] == "actions"]


# ------------------------------------------------------------------------------------------------ rate limits


def test_rate_limited_reply_is_retried_after_retry_after_and_posted_once(http: TestClient, bot: SlackBot,
                                                                         slack: MockSlack) -> None:
    slack.rate_limit("chat.postMessage", times=1, retry_after=0)
    post_event(http, mention("show my overdue commitments"))
    assert bot.wait_idle(30)
    assert len(slack.calls_to("chat.postMessage", status=429, ok=None)) == 1
    assert len(replies(slack)) == 1


# ------------------------------------------------------------------------------------------------ the matrix


def test_show_my_matrix_posts_the_png_into_the_thread(http: TestClient, bot: SlackBot, slack: MockSlack) -> None:
    event = mention("show my matrix")
    post_event(http, event)
    assert bot.wait_idle(30)
    [upload] = slack.calls_to("upload")
    [complete] = slack.calls_to("files.completeUploadExternal")
    assert complete.params["channel_id"] == "C0SALES" and complete.params["thread_ts"] == event["ts"]
    assert upload.params["bytes"] > 10_000


def test_matrix_png_places_accounts_on_a_labelled_chart() -> None:
    result = {"threshold": 3.0, "as_of": "2026-11-22", "accounts": [
        {"id": "A1", "name": "Acme", "attractiveness": 4.0, "strength": 3.75, "quadrant": "strategic_growth"},
        {"id": "A2", "name": "Borealis", "attractiveness": None, "strength": None, "quadrant": "unscored"}]}
    png = matrix_png(result)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (1080, 1080)


# ------------------------------------------------------------------------------------------------ rendering


def test_mrkdwn_turns_tables_headings_and_bold_into_slack_text_and_makes_no_links() -> None:
    md = "## Title\n| a | b \\| c |\n| --- | --- |\n| **x** | [doc](https://example.com/d) <!here> & |\n- item"
    assert mrkdwn(md) == ("*Title*\n• a · b | c\n• *x* · [doc](https://example.com/d) &lt;!here&gt; &amp;\n"
                          "• item")


def test_clean_text_drops_the_bot_mention_and_slack_markup() -> None:
    text = f"<@{BOT}> score <https://acme.example|Acme> &amp; ping <@U123|dana> in <#C1|sales>"
    assert clean_text(text, BOT) == "score Acme & ping @dana in #sales"


def test_reply_blocks_show_errors_and_respect_slack_limits() -> None:
    failed = [{"name": "score_account", "ok": False, "result": {"error": "no account named 'Acmee'", "code": "x"}}]
    blocks = reply_blocks("no account named 'Acmee'", failed, offline=True)
    assert blocks == [{"type": "section", "text": {"type": "mrkdwn", "text": ":warning: no account named 'Acmee'"}}]
    long_reply = "\n".join(f"line {i} " + "x" * 80 for i in range(400))
    sections = reply_blocks(long_reply, [], offline=True)
    assert all(len(b["text"]["text"]) <= 3000 for b in sections)
    assert "".join(b["text"]["text"] for b in sections).count("line ") == 400
    assert [len(m) for m in split_messages([{"type": "divider"}] * 120)] == [50, 50, 20]


def test_the_manifest_subscribes_to_what_the_app_handles() -> None:
    import yaml

    manifest = yaml.safe_load((ROOT / "integrations" / "slack_manifest.yaml").read_text())
    settings = manifest["settings"]
    assert sorted(settings["event_subscriptions"]["bot_events"]) == [
        "app_home_opened", "app_mention", "assistant_thread_context_changed", "assistant_thread_started", "message.im"]
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert "assistant_view" in manifest["features"]
    assert settings["interactivity"]["is_enabled"] is True
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/kam"]
    urls = [settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"],
            manifest["features"]["slash_commands"][0]["url"]]
    assert all(url.endswith("/slack/events") for url in urls)
    needed = {"app_mentions:read", "assistant:write", "chat:write", "commands", "files:write", "im:history", "im:write"}
    assert needed <= set(manifest["oauth_config"]["scopes"]["bot"])


def test_a_refused_bot_token_is_a_clear_error_at_start(runtime: Runtime, slack: MockSlack) -> None:
    from integrations.slack import SlackConfigError

    slack.fail("auth.test", "invalid_auth")
    with pytest.raises(SlackConfigError, match=r"Slack refused KAM_SLACK_BOT_TOKEN \(auth.test: invalid_auth\)"):
        build_slack_bot(runtime)
