"""``kam chat --json`` in one thread: the proposal's JSON (``pending_confirmation``) through a correction and a
confirm, with the field names clients read."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from draft_seed import AS_OF, seed
from sqlmodel import select
from typer.testing import CliRunner

import integrations.cli.main  # noqa: F401  (registers every command)
from integrations.cli.app import app
from store.db import Database
from store.models import Commitment
from store.settings import Settings

runner = CliRunner()


@pytest.fixture
def store() -> Iterator[Database]:
    db = Database.from_settings(Settings())
    seed(db)
    try:
        yield db
    finally:
        db.dispose()


def _chat(message: str) -> dict:
    result = runner.invoke(app, ["chat", "--json", "--as", "U1", "--thread", "t-cli", "--as-of", AS_OF.isoformat(),
                                 message])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_kam_chat_json_keeps_the_proposal_fields_through_an_edit(store: Database) -> None:
    first = _chat("Met Dana Whitfield at Acme today, she is worried about the budget. I'll send the ROI deck by "
                  "Friday.")["pending_confirmation"]
    revised = _chat("the owner is Tom")
    pending = revised["pending_confirmation"]
    assert revised["reply"].startswith("Revised:")
    for proposal in (first, pending):
        assert [(p["stakeholder_id"], p["sentiment"]) for p in proposal["participants"]] == [("S1", -1)]
        assert [sorted({"side", "owner_id", "description", "due"} & set(c)) for c in proposal["commitments"]] == [
            ["description", "due", "owner_id", "side"]]
        assert proposal["changes"] == []
    assert [(c["side"], c["owner_id"], c["due"]) for c in pending["commitments"]] == [("ours", "U2", "2026-11-20")]
    done = _chat("yes, save it")
    assert "pending_confirmation" not in done and done["tool_calls"][0]["result"]["status"] == "stored"
    with store.session() as s:
        assert [(c.owner_id, c.due.isoformat()) for c in s.exec(select(Commitment))] == [("U2", "2026-11-20")]
