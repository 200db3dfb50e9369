"""The vectorised engagement pass (tools/compute/touch_columns.py) against the straightforward computation,
on the demo portfolio, on SQLite and PostgreSQL: every stakeholder's facts on several days, all accounts and a
subset, identical to ``load_engagement``'s grouped queries and to applying each touch in Python."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from store.db import Database
from store.demo import generate_portfolio, write_csvs
from store.importer import import_dir
from store.models import Interaction, Participant, Stakeholder
from tools.compute.engagement import AccountEngagement, load_engagement
from tools.compute.history import AccountHistory
from tools.compute.touch_columns import TouchColumns, day_number
from tools.rules import Rules

AS_OF = dt.date(2026, 3, 2)


def _facts(engagement: dict[str, AccountEngagement]) -> dict[str, list[dict[str, Any]]]:
    return {aid: [vars(a) for a in e.stakeholders] for aid, e in engagement.items()}


def _demo(db: Database, tmp_path: Path) -> None:
    report = import_dir(db, write_csvs(generate_portfolio(as_of=AS_OF), tmp_path / "demo"), actor="tester")
    assert report.ok


def test_vectorised_engagement_matches_the_plain_computation_on_the_demo(db: Database, tmp_path: Path) -> None:
    _demo(db, tmp_path)
    rules = Rules()
    days = [AS_OF, AS_OF - dt.timedelta(days=30), AS_OF - dt.timedelta(days=90), AS_OF - dt.timedelta(days=400)]
    with db.session() as s:
        columns = TouchColumns.load(s, None, AS_OF)
        assert len(columns.who) > 1000 and len(columns.s_who) > 100  # the demo has real history to compare
        for day in days:
            got = columns.engagement_on(day, rules)
            want = load_engagement(s, None, day, rules)
            assert _facts(got) == _facts(want)
        now = columns.engagement_on(AS_OF, rules)
        assert any(a.previous_sentiment is not None for e in now.values() for a in e.stakeholders)
        some = sorted(_facts(load_engagement(s, None, AS_OF, rules)))[::3] + ["NO-SUCH-ACCOUNT"]
        subset = TouchColumns.load(s, some, AS_OF)
        for day in days:
            got = subset.engagement_on(day, rules)
            assert set(got) == set(some)
            for aid in some[:-1]:  # one account's own history applied touch by touch, newest first
                want = AccountHistory.load(s, aid, AS_OF).engagement_on(day, rules)
                assert _facts({aid: got[aid]}) == _facts({aid: want})
            assert got["NO-SUCH-ACCOUNT"].stakeholders == []


def test_ties_on_a_day_go_to_the_later_interaction_id(db: Database, tmp_path: Path) -> None:
    """Two sentiments on the same day: "latest" is the greater interaction id, as SQL ranks them."""
    _demo(db, tmp_path)
    rules = Rules()
    with db.write() as s:
        person = s.exec(select(Stakeholder).where(col(Stakeholder.left_company).is_(False))
                        .order_by(col(Stakeholder.id))).first()
        assert person is not None
        for iid, sentiment in (("ZZ-TIE-B", -2), ("ZZ-TIE-A", 2)):
            s.add(Interaction(id=iid, account_id=person.account_id, date=AS_OF, kind="call", text="tie"))
            s.flush()
            s.add(Participant(interaction_id=iid, stakeholder_id=person.id, sentiment=sentiment))
        account_id, person_id = person.account_id, person.id
    with db.session() as s:
        got = TouchColumns.load(s, None, AS_OF).engagement_on(AS_OF, rules)
        act = next(a for a in got[account_id].stakeholders if a.id == person_id)
        assert (act.latest_sentiment, act.previous_sentiment) == (-2, 2)
        assert _facts(got) == _facts(load_engagement(s, None, AS_OF, rules))


def test_day_numbers_are_days_since_1970() -> None:
    assert day_number(dt.date(1970, 1, 1)) == 0
    assert day_number(dt.date(2026, 3, 2)) - day_number(dt.date(2026, 2, 28)) == 2
