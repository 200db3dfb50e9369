"""Red-team finding 9 (issue 13): the ``as_of`` an HTTP caller chooses moves what the tools read, not the dates
they store. A done date and a snooze start today, a plan version is dated today, a scoring as of another day is
an answer and is not stored; a note may be about an earlier day, never a later one (SECURITY.md, "as_of")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from agent_seed import seed
from fastapi.testclient import TestClient
from sqlmodel import col, func, select

from integrations.http.app import create_app
from integrations.http.tokens import issue_token
from integrations.runtime import Runtime
from store.models import AccountPlan, Commitment, ScoreRecord
from store.settings import Settings

PAST, FUTURE = "2021-03-01", "2031-03-01"


@pytest.fixture
def api(settings: Settings) -> Iterator[tuple[Runtime, TestClient, dict[str, str]]]:
    rt = Runtime.build(settings)
    seed(rt.db)
    headers = {"Authorization": f"Bearer {issue_token(rt.db, 'U02')}"}
    with TestClient(create_app(rt, with_slack=False)) as client:
        yield rt, client, headers
    rt.close()


def _tool(client: TestClient, headers: dict[str, str], name: str, args: dict[str, Any], as_of: str) -> Any:
    r = client.post(f"/v1/tools/{name}", json={"args": args, "as_of": as_of}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def test_done_and_snooze_act_as_of_today_whatever_as_of_says(api: tuple[Runtime, TestClient, dict[str, str]]) -> None:
    rt, client, headers = api
    today = dt.date.today()
    snoozed = _tool(client, headers, "snooze_commitment", {"commitment": "C001", "days": 3}, FUTURE)
    assert snoozed["snoozed_until"] == (today + dt.timedelta(days=3)).isoformat()
    done = client.post("/v1/commitments/C001/done", params={"as_of": PAST}, headers=headers)
    assert done.status_code == 200 and done.json()["done"] == today.isoformat()
    with rt.db.session() as s:
        assert s.get(Commitment, "C001").done == today


Api = tuple[Runtime, TestClient, dict[str, str]]


def test_a_plan_is_dated_today_and_a_past_scoring_is_not_stored(api: Api) -> None:
    rt, client, headers = api
    today = dt.date.today()
    _tool(client, headers, "draft_plan", {"account": "A001"}, PAST)
    with rt.db.session() as s:
        assert [p.date for p in s.exec(select(AccountPlan).where(AccountPlan.account_id == "A001"))] == [today]

    def stored() -> int:
        with rt.db.session() as s:
            return int(s.exec(select(func.count()).select_from(ScoreRecord).where(
                col(ScoreRecord.account_id) == "A001")).one())

    before = stored()
    for day in (PAST, FUTURE):
        answer = _tool(client, headers, "score_account", {"account": "A001"}, day)
        assert answer["as_of"] == day and answer["score_record_id"] is None  # read as of that day
    assert client.get("/v1/accounts/A001", params={"as_of": PAST}, headers=headers).status_code == 200
    assert stored() == before
    _tool(client, headers, "score_account", {"account": "A001"}, today.isoformat())
    assert stored() == before + 1


def test_a_note_may_be_about_an_earlier_day_never_a_later_one(api: tuple[Runtime, TestClient, dict[str, str]]) -> None:
    _rt, client, headers = api
    text = "Met the Acme team today; they liked the pilot scope."
    past = _tool(client, headers, "log_note", {"text": text, "account": "A001"}, PAST)
    assert past["interaction_date"] == PAST
    future = _tool(client, headers, "log_note", {"text": text, "account": "A001"}, FUTURE)
    assert future["interaction_date"] == dt.date.today().isoformat()
