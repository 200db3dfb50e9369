"""The App Home tab and assistant threads, through the Slack mock: signed event requests in, the Web API calls
(``views.publish``, ``assistant.threads.*``) a real ``WebClient`` makes, checked as Slack would receive them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import slack_requests
from fastapi.testclient import TestClient
from slack_mock import MockSlack
from slack_requests import running_bot, signed_headers, slack_client, slack_runtime
from slack_seed import AS_OF
from sqlmodel import select

from integrations.runtime import Runtime
from integrations.slack import SlackBot
from integrations.slack.assistant import WORKING_STATUS, suggested_prompts
from integrations.slack.blocks import ACTION_DONE, ACTION_SNOOZE
from store.models import Account, Commitment, User
from tools.commitments import list_commitments
from tools.drift import find_drifting_accounts
from tools.runner import run_tool

SECRET = "home-signing-secret-51aa"
TEAM = "T0KAM0001"


@pytest.fixture
def slack() -> Iterator[MockSlack]:
    with MockSlack(team_id=TEAM) as mock:
        yield mock


@pytest.fixture
def runtime(tmp_path: Path, slack: MockSlack) -> Iterator[Runtime]:
    with slack_runtime(tmp_path, slack, SECRET) as rt:
        yield rt


@pytest.fixture
def bot(runtime: Runtime) -> Iterator[SlackBot]:
    with running_bot(runtime) as bot:
        yield bot


@pytest.fixture
def http(runtime: Runtime, bot: SlackBot) -> TestClient:
    return slack_client(runtime, bot)


def _signed(body: str) -> dict[str, str]:
    return signed_headers(SECRET, body)


def post_event(http: TestClient, event: dict[str, Any], event_id: str = "EvHome1") -> Any:
    return slack_requests.post_event(http, SECRET, event, event_id=event_id)


def open_home(http: TestClient, bot: SlackBot, slack_user: str) -> None:
    event = {"type": "app_home_opened", "user": slack_user, "channel": "D0HOME", "tab": "home",
             "event_ts": "1790000000.000100"}
    assert post_event(http, event, event_id=f"EvHome-{slack_user}").status_code == 200
    assert bot.wait_idle(30)


def button_ids(view: dict[str, Any], action_id: str) -> list[str]:
    return [json.loads(e["value"])["commitment"] for b in view["blocks"] if b["type"] == "actions"
            for e in b["elements"] if e["action_id"] == action_id]


def text_of(view: dict[str, Any]) -> str:
    parts: list[str] = []
    for b in view["blocks"]:
        if isinstance(b.get("text"), dict):
            parts.append(b["text"]["text"])
        parts += [e.get("text", "") for e in b.get("elements", []) if isinstance(e.get("text"), str)]
    return "\n".join(parts)


def due_ids(runtime: Runtime, user_id: str) -> list[str]:
    ids: list[str] = []
    for status in ("overdue", "due_soon"):
        call = run_tool(runtime, user_id, list_commitments, {"scope": "mine", "status": status}, as_of=AS_OF)
        ids += [c.id for c in call.result.commitments]  # type: ignore[union-attr]
    return ids


# ------------------------------------------------------------------------------------------------ App Home


def test_home_tab_shows_the_kams_matrix_and_due_commitments_with_buttons(http: TestClient, bot: SlackBot,
                                                                          slack: MockSlack, runtime: Runtime) -> None:
    open_home(http, bot, "USPRIYA")
    [call] = slack.calls_to("views.publish")
    assert call.params["user_id"] == "USPRIYA"
    view = slack.views["USPRIYA"]
    assert view["type"] == "home"
    # the matrix: the PNG was uploaded (as a file, no channel) and the image block shows that file
    [image] = [b for b in view["blocks"] if b["type"] == "image"]
    [upload] = slack.calls_to("upload")
    assert upload.params["bytes"] > 10_000
    assert image["slack_file"]["id"] == upload.params["file_id"]
    with runtime.db.session() as s:
        owned = s.exec(select(Account).where(Account.owner_id == "U02")).all()
    assert f"{len(owned)} accounts" in text_of(view)
    # the commitments: exactly the overdue and due-soon ones the tool lists, each with Done and Snooze
    expected = due_ids(runtime, "U02")
    assert expected, "the seed gives Priya something due"
    assert button_ids(view, ACTION_DONE) == expected
    assert button_ids(view, ACTION_SNOOZE) == expected
    assert "Drifting accounts" not in text_of(view)  # a KAM's home has no team drift
    biggest = max(owned, key=lambda a: a.annual_revenue or 0)
    assert f"prep my QBR for {biggest.name}" in text_of(view)  # something worth asking, from their own book
    assert "<" not in text_of(view).replace("<@", "")  # no raw angle brackets Slack would read as a link


def test_managers_home_lists_the_teams_drifting_accounts(http: TestClient, bot: SlackBot, slack: MockSlack,
                                                         runtime: Runtime) -> None:
    open_home(http, bot, "USMORGAN")
    view = slack.views["USMORGAN"]
    text = text_of(view)
    assert "Drifting accounts (your team)" in text
    drift = run_tool(runtime, "U01", find_drifting_accounts, {"scope": "team"}, as_of=AS_OF).result
    for account in drift.accounts[:8]:  # type: ignore[union-attr]
        assert f"*{account.name}* ({account.id})" in text
    if not drift.accounts:  # type: ignore[union-attr]
        assert "No account in your team is drifting." in text
    assert "team" in text and len(view["blocks"]) <= 100


def test_done_on_the_home_tab_goes_through_the_runner_and_republishes(http: TestClient, bot: SlackBot,
                                                                      slack: MockSlack, runtime: Runtime) -> None:
    open_home(http, bot, "USPRIYA")
    first = slack.views["USPRIYA"]
    target = button_ids(first, ACTION_DONE)[0]
    payload = {"type": "block_actions", "team": {"id": TEAM}, "user": {"id": "USPRIYA"}, "api_app_id": "A0KAM",
               "trigger_id": "trig-1", "container": {"type": "view", "view_id": first["id"]},
               "view": {"id": first["id"], "type": "home", "blocks": first["blocks"]},
               "actions": [{"action_id": ACTION_DONE, "block_id": f"commitment:{target}", "type": "button",
                            "value": json.dumps({"commitment": target}), "action_ts": "1790000001.1"}]}
    body = urlencode({"payload": json.dumps(payload)})
    response = http.post("/slack/events", content=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded", **_signed(body)})
    assert response.status_code == 200
    assert bot.wait_idle(30)
    with runtime.db.session() as s:
        assert s.get(Commitment, target).status == "done"  # type: ignore[union-attr]
    assert len(slack.calls_to("views.publish")) == 2
    again = slack.views["USPRIYA"]
    assert target not in button_ids(again, ACTION_DONE)  # done: no longer due
    assert ":white_check_mark:" in text_of(again) and target in text_of(again)
    assert len(slack.calls_to("upload")) == 1  # the unchanged matrix is not uploaded twice
    assert slack.calls_to("response_url", ok=None) == []  # a home click has no response_url to answer


def test_someone_not_linked_gets_a_home_that_says_how_to_get_access(http: TestClient, bot: SlackBot,
                                                                    slack: MockSlack) -> None:
    open_home(http, bot, "USTRANGER")
    view = slack.views["USTRANGER"]
    assert "slack_user_id" in text_of(view)
    assert not [b for b in view["blocks"] if b["type"] in ("image", "actions")]


# ------------------------------------------------------------------------------------------------ assistant


def test_assistant_thread_gets_prompts_that_fit_the_role(http: TestClient, bot: SlackBot, slack: MockSlack,
                                                         runtime: Runtime) -> None:
    for n, who in enumerate(("USPRIYA", "USMORGAN")):
        event = {"type": "assistant_thread_started", "event_ts": f"17900000{n}.1",
                 "assistant_thread": {"user_id": who, "channel_id": f"D0{who}", "thread_ts": f"17900000{n}.5",
                                      "context": {}}}
        assert post_event(http, event, event_id=f"EvAT{n}").status_code == 200
        assert bot.wait_idle(30)
    kam, manager = slack.calls_to("assistant.threads.setSuggestedPrompts")
    assert kam.params["channel_id"] == "D0USPRIYA" and kam.params["thread_ts"] == "179000000.5"
    kam_messages = [p["message"] for p in kam.params["prompts"]]
    with runtime.db.session() as s:
        biggest = max(s.exec(select(Account).where(Account.owner_id == "U02")).all(),
                      key=lambda a: a.annual_revenue or 0)
    assert kam_messages[0] == f"Prep my QBR for {biggest.name}"  # their own biggest account
    assert not any("team" in m for m in kam_messages)
    manager_messages = [p["message"] for p in manager.params["prompts"]]
    assert all("team" in m for m in manager_messages) and len(manager_messages) == 4


def test_every_suggested_prompt_is_answered_by_a_tool(runtime: Runtime) -> None:
    """No dead prompts: each one, asked of the agent as its user, runs a tool that answers."""
    for user_id in ("U02", "U01"):
        with runtime.db.session() as s:
            user = s.get(User, user_id)
        for n, prompt in enumerate(suggested_prompts(runtime.db, user)):
            response = runtime.agent().turn(user, prompt["message"], thread_id=f"t-{user_id}-{n}", as_of=AS_OF)
            assert response.tool_calls and all(c.ok for c in response.tool_calls), prompt


def test_working_status_shows_while_the_turn_runs_and_the_reply_clears_it(http: TestClient, bot: SlackBot,
                                                                         slack: MockSlack) -> None:
    event = {"type": "message", "channel_type": "im", "channel": "D0USPRIYA", "user": "USPRIYA",
             "text": "score Acme", "ts": "1790000100.000200", "thread_ts": "1790000100.000100"}
    assert post_event(http, event, event_id="EvAsk").status_code == 200
    assert bot.wait_idle(30)
    methods = [c.method for c in slack.calls if c.method in ("assistant.threads.setStatus", "chat.postMessage")]
    assert methods == ["assistant.threads.setStatus", "chat.postMessage"]  # the status first, then the answer
    [status] = slack.calls_to("assistant.threads.setStatus")
    assert {k: status.params[k] for k in ("channel_id", "thread_ts", "status")} == {
        "channel_id": "D0USPRIYA", "thread_ts": "1790000100.000100", "status": WORKING_STATUS}
    [reply] = slack.calls_to("chat.postMessage")
    assert reply.params["thread_ts"] == "1790000100.000100" and "Acme Corp" in reply.params["text"]
    assert slack.thread_status[("D0USPRIYA", "1790000100.000100")] == ""  # cleared by the reply


def test_a_plain_dm_outside_a_thread_sets_no_status(http: TestClient, bot: SlackBot, slack: MockSlack) -> None:
    event = {"type": "message", "channel_type": "im", "channel": "D0USPRIYA", "user": "USPRIYA",
             "text": "score Acme", "ts": "1790000200.000100"}
    assert post_event(http, event, event_id="EvPlain").status_code == 200
    assert bot.wait_idle(30)
    assert slack.calls_to("assistant.threads.setStatus", ok=None) == []
    assert len(slack.calls_to("chat.postMessage")) == 1


def test_matrix_images_use_the_teams_quadrant_words(tmp_path: Path, slack: MockSlack,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The PNG in a thread and on the home tab is drawn with the rules file's quadrant labels."""
    import integrations.slack.conversation as conversation
    import integrations.slack.home as home
    from integrations.slack.matrix_png import matrix_figure

    rules_file = tmp_path / "rules.toml"
    rules_file.write_text('[labels.quadrants]\nstrategic_growth = "Strategic"\ndevelop = "Star"\n'
                          'defend = "Status"\nmaintain_exit = "Streamline"\n', encoding="utf-8")
    drawn: list[set[str]] = []

    def drawing(result: dict[str, Any], **kwargs: Any) -> bytes:  # the real drawing, its words noted
        drawn.append({t.get_text() for t in matrix_figure(result, **kwargs).axes[0].texts})
        return real(result, **kwargs)

    real = home.matrix_png
    monkeypatch.setattr(home, "matrix_png", drawing)
    monkeypatch.setattr(conversation, "matrix_png", drawing)
    with slack_runtime(tmp_path, slack, SECRET, rules_file=rules_file) as rt, running_bot(rt) as bot:
        http = slack_client(rt, bot)
        open_home(http, bot, "USPRIYA")
        event = {"type": "app_mention", "user": "USPRIYA", "text": "<@UBOT0001> show my matrix",
                 "ts": "1790000300.000100", "channel": "C0SALES", "event_ts": "1"}
        assert post_event(http, event, event_id="EvMatrix").status_code == 200
        assert bot.wait_idle(30)
    assert len(drawn) == 2 and len(slack.calls_to("upload")) == 2  # the home's image and the thread's
    for words in drawn:
        assert "Strategic" in words and "Strategic Growth" not in words
    home_text = text_of(slack.views["USPRIYA"])
    assert "Strategic" in home_text and "Strategic Growth" not in home_text  # the counts in the team's words
