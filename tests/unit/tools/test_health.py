"""Health dimensions at every band edge (SPEC 5.4), hand-computed."""

from __future__ import annotations

from typing import Any

import pytest
from health_seed import AS_OF, account, context, days, users

from store.db import Database
from store.models import AccountPlan, Commitment, Interaction, Opportunity, Participant, Stakeholder
from tools.compute.health import compute_health, fmt_score, overall_of
from tools.compute.scoring import compute_scores


def _health(db: Database, ids: list[str] | None = None, as_of: Any = AS_OF) -> dict[str, Any]:
    with context(db, "ADM", as_of=as_of) as ctx:
        return compute_health(ctx, ids, as_of=as_of)


def test_pipeline_coverage_band_edges(db: Database) -> None:
    amounts = {"P049": 49.0, "P050": 50.0, "P100": 100.0, "P200": 200.0, "P300": 300.0, "P299": 299.0}
    with db.write() as s:
        users(s)
        for aid in amounts:
            account(s, aid, "strategic_growth", growth_target=100.0)
        account(s, "PREV", "strategic_growth")  # no growth target: 20% of revenue 1000 = 200
        account(s, "PNONE", "strategic_growth", annual_revenue=None, growth_target=None)
        s.flush()
        for aid, amount in amounts.items():
            s.add(Opportunity(id=f"O-{aid}", account_id=aid, name="deal", amount=amount, stage="proposal",
                              created=days(-10)))
        extra = [
            ("O1", 60.0, "qualification", days(-30), None),  # open: counts
            ("O2", 40.0, "closed_won", days(-30), days(5)),  # won after as_of: still open on as_of
            ("O3", 500.0, "closed_won", days(-30), days(-1)),  # won before: not pipeline
            ("O4", 500.0, "proposal", days(1), None),  # created after as_of: not yet there
            ("O5", 500.0, "closed_lost", days(-30), None),  # closed, no date: closed
        ]
        for oid, amount, stage, created, close in extra:
            s.add(Opportunity(id=oid, account_id="PREV", name=oid, amount=amount, stage=stage, created=created,
                              close_date=close))
    health = _health(db)
    got = {aid: health[aid].dimensions["pipeline_coverage"].score for aid in amounts}
    assert got == {"P049": 1, "P050": 2, "P100": 3, "P200": 4, "P299": 4, "P300": 5}
    prev = health["PREV"].dimensions["pipeline_coverage"]
    assert prev.evidence["open_pipeline"] == 100.0 and prev.evidence["target"] == 200.0
    assert prev.evidence["ratio"] == 0.5 and prev.score == 2
    assert prev.evidence["target_source"] == "20% of annual revenue"
    assert not health["PNONE"].dimensions["pipeline_coverage"].applicable


def test_plan_currency_band_edges(db: Database) -> None:
    ages = {"G090": 90, "G091": 91, "G135": 135, "G136": 136, "G180": 180, "G181": 181, "G270": 270,
            "G271": 271}
    with db.write() as s:
        users(s)
        for aid in ages:
            account(s, aid, "strategic_growth")
        account(s, "DEVNONE", "develop")  # required, none -> 1
        account(s, "DEFNONE", "defend")  # recommended, none -> n/a
        account(s, "DEF180", "defend")  # refresh 180: 180 days -> 1x -> 5
        account(s, "MEXNONE", "maintain_exit")  # none required, none -> n/a
        account(s, "MEXPLAN", "maintain_exit")  # a plan but no refresh window -> n/a
        account(s, "FUTURE", "strategic_growth")  # the only plan is dated after as_of -> none -> 1
        s.flush()
        for aid, age in ages.items():
            s.add(AccountPlan(account_id=aid, date=days(-age - 400)))  # an older version does not count
            s.add(AccountPlan(account_id=aid, date=days(-age)))
        s.add(AccountPlan(account_id="DEF180", date=days(-180)))
        s.add(AccountPlan(account_id="MEXPLAN", date=days(-10)))
        s.add(AccountPlan(account_id="FUTURE", date=days(1)))
    health = _health(db)
    plan = {aid: h.dimensions["plan_currency"] for aid, h in health.items()}
    assert {aid: plan[aid].score for aid in ages} == {
        "G090": 5, "G091": 4, "G135": 4, "G136": 3, "G180": 3, "G181": 2, "G270": 2, "G271": 1,
    }
    assert plan["G135"].evidence["ratio"] == 1.5 and plan["G135"].evidence["days_since_plan"] == 135
    assert plan["DEVNONE"].score == 1 and "requires one" in plan["DEVNONE"].detail
    assert plan["DEF180"].score == 5
    assert plan["FUTURE"].score == 1
    for aid in ("DEFNONE", "MEXNONE", "MEXPLAN"):
        assert plan[aid].score is None and not plan[aid].applicable, aid
    assert health["DEFNONE"].quadrant == "defend"


def test_commitment_health_band_edges(db: Database) -> None:
    # account id -> (overdue, not overdue) counts of our open commitments
    mix = {"K0": (0, 4), "K10": (1, 9), "K11": (1, 8), "K25": (1, 3), "K50": (1, 1), "K67": (2, 1)}
    with db.write() as s:
        users(s)
        for aid in [*mix, "KNONE", "KEDGE"]:
            account(s, aid, "develop")
        s.flush()
        s.add(Interaction(id="LATER", account_id="KEDGE", date=days(3), text="said after as_of"))
        s.flush()
        n = 0
        for aid, (late, fine) in mix.items():
            for i in range(late + fine):
                n += 1
                due = days(-1) if i < late else AS_OF  # due today is not overdue
                s.add(Commitment(id=f"C{n}", account_id=aid, side="ours", description="x", due=due))
        edge = [
            ("E1", "ours", "open", days(-1), None, None),  # overdue
            ("E2", "ours", "done", days(-5), days(2), None),  # done after as_of: open and overdue on as_of
            ("E3", "ours", "done", days(-5), days(-2), None),  # done before: not open
            ("E4", "customer", "open", days(-5), None, None),  # theirs: not counted
            ("E5", "ours", "open", days(-5), None, "LATER"),  # promised after as_of: did not exist yet
            ("E6", "ours", "cancelled", days(-5), None, None),
            ("E7", "ours", "open", None, None, None),  # no due date: open, never overdue
            ("E8", "ours", "open", days(9), None, None),
        ]
        for cid, side, status, due, done, source in edge:
            s.add(Commitment(id=cid, account_id="KEDGE", side=side, description=cid, due=due, status=status,
                             done=done, source_interaction_id=source))
    health = _health(db)
    got = {aid: health[aid].dimensions["commitment_health"].score for aid in mix}
    assert got == {"K0": 5, "K10": 4, "K11": 3, "K25": 3, "K50": 2, "K67": 1}
    assert not health["KNONE"].dimensions["commitment_health"].applicable
    edge_dim = health["KEDGE"].dimensions["commitment_health"]
    assert (edge_dim.evidence["open"], edge_dim.evidence["overdue"]) == (4, 2)  # E1, E2, E7, E8
    assert edge_dim.score == 2  # 50%
    assert [c["id"] for c in edge_dim.evidence["overdue_commitments"]] == ["E2", "E1"]


def test_sentiment_relationship_and_overall(db: Database) -> None:
    with db.write() as s:
        users(s)
        account(s, "A1", "strategic_growth", growth_target=100.0)
        account(s, "A2", "strategic_growth")
        s.flush()
        people = [("S1", True), ("S2", False), ("S3", False), ("S4", False)]
        for sid, is_exec in people:
            s.add(Stakeholder(id=sid, account_id="A1", name=f"Person {sid}", is_executive=is_exec))
        s.add(Stakeholder(id="S9", account_id="A2", name="Quiet"))
        s.flush()
        touches = [
            ("I1", days(-10), "S1", 2),
            ("I2", days(-100), "S2", -1),  # engaged in 180 days, not in 90
            ("I3", days(-180), "S3", -2),  # exactly 180 days back: outside the 180-day window
            ("I4", days(-20), "S4", None),  # engaged, but no sentiment ever: not in the mean
            ("I5", days(5), "S2", -2),  # after as_of: ignored
        ]
        for iid, day, sid, sentiment in touches:
            s.add(Interaction(id=iid, account_id="A1", date=day, text=iid))
            s.flush()
            s.add(Participant(interaction_id=iid, stakeholder_id=sid, sentiment=sentiment))
        s.add(Opportunity(id="O1", account_id="A1", name="d", amount=300.0, stage="negotiation"))
        s.add(AccountPlan(account_id="A1", date=days(-100)))
        s.add(Commitment(id="C1", account_id="A1", description="x", due=days(-3)))
        s.add(Commitment(id="C2", account_id="A1", description="y", due=days(3)))
    health = _health(db)
    a1 = health["A1"]
    sentiment = a1.dimensions["sentiment"]
    assert sentiment.score == 3.5 and sentiment.evidence["stakeholders"] == 2  # (2 + -1) / 2 + 3
    with context(db, "ADM") as ctx:
        depth = compute_scores(ctx, ["A1"])["A1"].criteria["relationship_depth"].value
    # S1 (an executive) and S4 engaged in 90 days: 2 of 4 = 0.50 -> band 3, an executive engaged: 3
    assert a1.dimensions["relationship_depth"].score == depth == 3
    assert a1.scores() == {
        "relationship_depth": 3.0, "pipeline_coverage": 5.0, "plan_currency": 4.0, "commitment_health": 2.0,
        "sentiment": 3.5,
    }
    assert a1.overall == 3.5  # (3 + 5 + 4 + 2 + 3.5) / 5
    a2 = health["A2"]
    assert not a2.dimensions["sentiment"].applicable and not a2.dimensions["commitment_health"].applicable
    # A2: depth 0 of 1 engaged -> 1 (no exec: floor 1); pipeline 0/200 -> 1; no plan but required -> 1
    assert a2.scores()["relationship_depth"] == 1 and a2.overall == 1.0
    assert "Overall" in a1.as_markdown_table()


def test_overall_helpers_and_subset(db: Database) -> None:
    assert overall_of([3.0, None, 4.0, 4.0]) == 3.67
    assert overall_of([None, None]) is None
    assert fmt_score(None) == "n/a" and fmt_score(4.0) == "4" and fmt_score(3.5) == "3.50"
    with db.write() as s:
        users(s)
        account(s, "A1", "develop")
        account(s, "A2", "defend")
    assert set(_health(db, ["A2", "MISSING"])) == {"A2"}
    assert _health(db, []) == {}


@pytest.mark.parametrize("as_of", [days(-400), days(400)])
def test_dimensions_use_only_data_up_to_the_day(db: Database, as_of: Any) -> None:
    with db.write() as s:
        users(s)
        account(s, "A1", "strategic_growth", growth_target=100.0)
        s.flush()
        s.add(Opportunity(id="O1", account_id="A1", name="d", amount=300.0, stage="proposal", created=AS_OF))
        s.add(AccountPlan(account_id="A1", date=AS_OF))
    h = _health(db, ["A1"], as_of=as_of)["A1"]
    if as_of < AS_OF:
        assert h.dimensions["pipeline_coverage"].score == 1 and h.dimensions["plan_currency"].score == 1
    else:
        assert h.dimensions["pipeline_coverage"].score == 5 and h.dimensions["plan_currency"].score == 1  # 4.4x
