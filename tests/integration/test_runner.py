"""The one use-case runner every face calls (``tools.runner.run_tool``), and the drift it ended between faces:
a note stored from the CLI reaches the index at once, Slack's commitment buttons write in a write transaction,
and HTTP and the CLI take "today" in ``KAM_TIMEZONE``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from agent_seed import AS_OF, seed
from conftest import env_for
from fastapi.testclient import TestClient
from sqlalchemy import event
from typer.testing import CliRunner

import integrations.cli.cmd_tool  # noqa: F401  (registers the commands)
from integrations.cli.app import app
from integrations.http.app import create_app
from integrations.http.tokens import issue_token
from integrations.runtime import Runtime
from integrations.slack.actions import commitment_action
from knowledge.outbox import pending_count
from store.models import Commitment, ProcessedEvent, User
from store.settings import Settings
from tools.commitments import complete_commitment
from tools.runner import run_tool

cli = CliRunner()
# Fourteen hours ahead of UTC and twelve behind: at any moment their calendar dates differ, so whatever zone the
# machine runs in, a face that ignores KAM_TIMEZONE gets at least one of the two wrong.
ZONES = ("Pacific/Kiritimati", "Etc/GMT+12")


@pytest.fixture
def runtime(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Runtime]:
    for key, value in env_for(settings).items():  # the CLI (run in this process) opens the same store and index
        monkeypatch.setenv(key, value)
    rt = Runtime.build(settings)
    seed(rt.db)
    yield rt
    rt.close()


def _kam(*args: str) -> dict[str, Any]:
    result = cli.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr or result.stdout
    return json.loads(result.stdout)


def test_a_note_stored_from_the_cli_is_searchable_without_a_restart(runtime: Runtime) -> None:
    index = runtime.knowledge  # the index a running server holds open, opened before the note exists
    note = "Met Raj Patel at Acme today: he flagged the Zephyrine migration as the main risk for the pilot."
    proposal = _kam("tool", "log_note", "--as", "U02", "--arg", f"text={note}", "--arg", "account=A001",
                    "--json", "--as-of", AS_OF.isoformat())
    assert proposal["status"] == "pending"
    stored = _kam("tool", "confirm_note", "--as", "U02", "--arg", f"pending_id={proposal['pending_id']}",
                  "--json", "--as-of", AS_OF.isoformat())
    assert stored["status"] == "stored"
    assert pending_count(runtime.db) == 0  # indexed after the commit, not on some later start
    hits = index.search_notes("Zephyrine migration risk", ["A001"], k=3)
    assert hits and "Zephyrine" in hits[0].excerpt


def test_a_commitment_button_writes_in_a_write_transaction(runtime: Runtime) -> None:
    seen: list[bool] = []

    def _statement(conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if "commitment" in statement.lower():
            seen.append(bool(conn.get_execution_options().get("kam_write")))

    event.listen(runtime.db.engine, "before_cursor_execute", _statement)
    try:
        with runtime.db.session() as s:
            user = s.get(User, "U02")
        assert user is not None
        outcome = commitment_action(runtime, user, action="done", commitment_id="C001", as_of=AS_OF)
    finally:
        event.remove(runtime.db.engine, "before_cursor_execute", _statement)
    assert outcome.ok and outcome.status == "done"
    # The visibility check, the locked re-read and the update: all in the one write transaction (BEGIN IMMEDIATE
    # on SQLite), none in a read session's snapshot beside it.
    assert len(seen) >= 3 and all(seen)
    with runtime.db.session() as s:
        row = s.get(Commitment, "C001")
    assert row is not None and row.status == "done" and row.done == AS_OF


def _in(zone: str) -> set[dt.date]:
    now = dt.datetime.now(ZoneInfo(zone))
    return {now.date(), (now + dt.timedelta(minutes=5)).date()}  # a run that crosses midnight there


@pytest.mark.parametrize("zone", ZONES)
def test_http_takes_today_in_kam_timezone(runtime: Runtime, zone: str) -> None:
    runtime.settings = runtime.settings.model_copy(update={"timezone": zone})
    headers = {"Authorization": f"Bearer {issue_token(runtime.db, 'U02')}"}
    with TestClient(create_app(runtime, with_slack=False)) as client:
        response = client.get("/v1/matrix", headers=headers)
    assert response.status_code == 200, response.text
    assert dt.date.fromisoformat(response.json()["as_of"]) in _in(zone)


@pytest.mark.parametrize("zone", ZONES)
def test_the_cli_takes_today_in_kam_timezone(runtime: Runtime, zone: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAM_TIMEZONE", zone)
    matrix = _kam("tool", "show_matrix", "--as", "U02", "--json")
    assert dt.date.fromisoformat(matrix["as_of"]) in _in(zone)


def test_an_event_key_is_claimed_once_in_the_writes_transaction(runtime: Runtime) -> None:
    first = run_tool(runtime, "U02", complete_commitment, {"commitment": "C001"}, as_of=AS_OF, event_key="k1")
    again = run_tool(runtime, "U02", complete_commitment, {"commitment": "C001"}, as_of=AS_OF, event_key="k1")
    assert first.ok and first.result is not None
    assert not again.ok and again.error is not None and again.error.code == "duplicate"
    with runtime.db.session() as s:
        assert s.get(ProcessedEvent, "k1") is not None


def test_errors_come_back_in_the_call_never_raised(runtime: Runtime) -> None:
    unknown = run_tool(runtime, "U02", "no_such_tool", {}, as_of=AS_OF)
    assert not unknown.ok and unknown.error is not None and unknown.error.code == "not_found"
    bad = run_tool(runtime, "U02", complete_commitment, {"commitment": "C404"}, as_of=AS_OF)
    assert bad.as_record()["ok"] is False and bad.as_text().startswith("Error: ")
    assert bad.as_record()["result"]["code"] == "not_found"
