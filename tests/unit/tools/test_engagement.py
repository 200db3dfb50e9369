"""Engagement facts as of a date: touch windows, counts and the two latest sentiments."""

from __future__ import annotations

import datetime as dt

from store.db import Database
from store.models import Account, Interaction, Participant, Stakeholder, User
from tools.compute.engagement import is_key_stakeholder, load_engagement, within
from tools.rules import Rules

AS_OF = dt.date(2026, 6, 30)


def _seed(db: Database) -> None:
    with db.write() as s:
        s.add(User(id="U1", name="Rep", role="rep"))
        s.flush()
        s.add(Account(id="A1", name="Acme", owner_id="U1"))
        s.add(Account(id="A2", name="Beta", owner_id="U1"))
        s.flush()
        s.add(Stakeholder(id="S1", account_id="A1", name="Dana", authority="budget"))
        s.add(Stakeholder(id="S2", account_id="A1", name="Eli", influence=2))
        s.add(Stakeholder(id="S3", account_id="A1", name="Gone", left_company=True))
        s.add(Stakeholder(id="S4", account_id="A2", name="Fay", tag="Champion"))
        s.flush()
        rows = [
            ("I1", "A1", AS_OF - dt.timedelta(days=89), [("S1", 1), ("S2", None)]),  # first day of the 90
            ("I2", "A1", AS_OF - dt.timedelta(days=90), [("S1", 2)]),  # previous window
            ("I3", "A1", AS_OF - dt.timedelta(days=179), [("S1", -1)]),  # first day of previous window
            ("I4", "A1", AS_OF - dt.timedelta(days=180), [("S1", 0)]),  # outside both
            ("I5", "A1", AS_OF + dt.timedelta(days=1), [("S1", -2), ("S2", -2)]),  # after as_of: ignored
            ("I6", "A2", AS_OF, [("S4", -1)]),
        ]
        for iid, aid, day, _parts in rows:
            s.add(Interaction(id=iid, account_id=aid, date=day, text=f"note {iid}"))
        s.flush()
        for iid, _aid, _day, parts in rows:
            for sid, sentiment in parts:
                s.add(Participant(interaction_id=iid, stakeholder_id=sid, sentiment=sentiment))


def test_windows_counts_and_sentiments(db: Database) -> None:
    _seed(db)
    with db.session() as s:
        eng = load_engagement(s, None, AS_OF, Rules())
    a1 = {x.id: x for x in eng["A1"].stakeholders}
    assert set(a1) == {"S1", "S2"}  # S3 left the company: not mapped
    s1 = a1["S1"]
    assert s1.last_touch == AS_OF - dt.timedelta(days=89)
    assert (s1.recent_count, s1.previous_count) == (1, 2)
    assert (s1.latest_sentiment, s1.previous_sentiment) == (1, 2)
    assert a1["S2"].latest_sentiment is None and a1["S2"].recent_count == 1
    assert [x.id for x in eng["A1"].engaged(AS_OF, 90)] == ["S1", "S2"]
    assert eng["A1"].engaged(AS_OF, 89) == []
    assert eng["A2"].stakeholders[0].latest_sentiment == -1


def test_account_subset_and_empty_accounts(db: Database) -> None:
    _seed(db)
    with db.session() as s:
        eng = load_engagement(s, ["A2", "NOPE"], AS_OF, Rules())
    assert set(eng) == {"A2", "NOPE"}
    assert eng["NOPE"].mapped == 0


def test_within_and_key_rules() -> None:
    assert within(AS_OF, AS_OF, 1) and not within(AS_OF - dt.timedelta(days=1), AS_OF, 1)
    assert not within(AS_OF + dt.timedelta(days=1), AS_OF, 30)
    rules = Rules()
    assert is_key_stakeholder(Stakeholder(id="x", account_id="A", name="n", authority="veto"), rules)
    assert is_key_stakeholder(Stakeholder(id="x", account_id="A", name="n", influence=4), rules)
    assert not is_key_stakeholder(Stakeholder(id="x", account_id="A", name="n", influence=3), rules)
    assert is_key_stakeholder(Stakeholder(id="x", account_id="A", name="n", is_executive=True), rules)
