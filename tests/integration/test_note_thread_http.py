"""A note written, answered, corrected and confirmed in one thread over real HTTP (``POST /v1/chat`` on a uvicorn
server on loopback): every turn goes through the agent as any client's would, and the stored record is the
revised proposal."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from draft_seed import AS_OF, seed
from server_support import serve_app
from sqlmodel import select

from integrations.http.app import create_app
from integrations.http.tokens import issue_token
from integrations.runtime import Runtime
from store.models import Commitment, Interaction, Participant, PendingAction
from store.settings import Settings


@pytest.fixture
def http(settings: Settings) -> Iterator[tuple[httpx.Client, Runtime]]:
    runtime = Runtime.build(settings)
    seed(runtime.db)
    server, thread, port = serve_app(create_app(runtime, with_slack=False))
    headers = {"Authorization": f"Bearer {issue_token(runtime.db, 'U1')}"}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=60) as client:
            yield client, runtime
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        runtime.close()


def test_a_note_is_answered_corrected_and_confirmed_over_http(http: tuple[httpx.Client, Runtime]) -> None:
    client, runtime = http
    thread = "t-http-draft"

    def say(message: str) -> dict:
        r = client.post("/v1/chat", json={"message": message, "thread_id": thread, "as_of": AS_OF.isoformat()})
        assert r.status_code == 200, r.text
        return r.json()

    asked = say("Met Priya at Acme yesterday, she was happy with the rollout. I'll send the ROI deck by Friday "
                "and I'll book a workshop by 2026-12-04.")
    assert "pending_confirmation" not in asked and "Which Priya" in asked["reply"]

    filled = say("Priya Shah")
    pending = filled["pending_confirmation"]
    assert [(p["stakeholder_id"], p["sentiment"]) for p in pending["participants"]] == [("S3", 1)]
    assert [(c["side"], c["owner_id"], c["due"]) for c in pending["commitments"]] == [
        ("ours", "U1", "2026-11-20"), ("ours", "U1", "2026-12-04")]

    moved = say("the meeting was on monday actually")["pending_confirmation"]
    assert moved["interaction_date"] == "2026-11-16"
    handed = say("Tom will do the second one")["pending_confirmation"]
    assert [c["owner_id"] for c in handed["commitments"]] == ["U1", "U2"]
    trimmed = say("drop the first commitment")
    assert trimmed["reply"].startswith("Revised:")
    assert [c["description"] for c in trimmed["pending_confirmation"]["commitments"]] == ["book a workshop"]

    aside = say("what's overdue?")  # a request in between: answered, the draft stays
    assert "pending_confirmation" not in aside and aside["tool_calls"]
    with runtime.db.session() as s:
        assert [a.status for a in s.exec(select(PendingAction))] == ["pending"]

    done = say("ok confirm")
    assert done["tool_calls"][0]["result"]["status"] == "stored"
    with runtime.db.session() as s:
        interaction = s.exec(select(Interaction)).one()
        assert interaction.date.isoformat() == "2026-11-16" and interaction.account_id == "A1"
        people = s.exec(select(Participant).where(Participant.interaction_id == interaction.id)).all()
        assert [(p.stakeholder_id, p.sentiment) for p in people] == [("S3", 1)]
        stored = s.exec(select(Commitment).where(Commitment.source_interaction_id == interaction.id)).all()
        assert [(c.owner_id, c.due.isoformat() if c.due else None) for c in stored] == [("U2", "2026-12-04")]


def test_cancel_in_ordinary_words_over_http(http: tuple[httpx.Client, Runtime]) -> None:
    client, runtime = http
    body = {"thread_id": "t-http-cancel", "as_of": AS_OF.isoformat()}
    first = client.post("/v1/chat", json={**body, "message": "Met Dana Whitfield at Acme today, all good."}).json()
    assert first["pending_confirmation"]["participants"][0]["stakeholder_id"] == "S1"
    gone = client.post("/v1/chat", json={**body, "message": "scrap that"}).json()
    assert "pending_confirmation" not in gone and gone["tool_calls"][0]["result"]["status"] == "cancelled"
    with runtime.db.session() as s:
        assert s.exec(select(Interaction)).all() == []
