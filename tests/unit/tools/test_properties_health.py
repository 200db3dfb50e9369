"""Properties of health, drift and commitments over generated portfolios (hypothesis).

- every health dimension is within 1-5 or does not apply (and then has no score);
- overall health is the two-decimal mean of the dimensions that apply;
- health computed for a whole set equals health computed one account at a time;
- every drifting account has a reason that holds, and the list is worst first;
- one account's history, and the several-days loader, give the same engagement as ``load_engagement``;
- the health facts of several days from one read equal the grouped queries of each day, and scores of several
  days on one ``ScoringBasis`` equal each day scored alone;
- results depend only on the data and ``as_of``: the tools' clock raises while they run.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import pytest
from clock_guard import ClockReadError, no_wall_clock
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, SQLModel

from store.db import Database, make_engine
from store.models import (
    Account,
    AccountPlan,
    Commitment,
    Interaction,
    Opportunity,
    Participant,
    Stakeholder,
    User,
)
from store.settings import Settings
from tools.commitments import list_commitments
from tools.compute.engagement import load_engagement
from tools.compute.health import DIMENSIONS, compute_health, round2
from tools.compute.health_facts import FactHistory, load_facts
from tools.compute.history import AccountHistory, load_engagement_days
from tools.compute.scoring import ScoringBasis, compute_scores
from tools.context import ToolContext
from tools.drift import find_drifting_accounts
from tools.qbr import prep_qbr
from tools.rules import Rules

BASE = dt.date(2026, 3, 31)
SETTINGS = settings(max_examples=20, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
maybe_score = st.one_of(st.none(), st.integers(1, 5))
offset = st.integers(-400, 60)


def _day(n: int) -> dt.date:
    return BASE + dt.timedelta(days=n)


@st.composite
def portfolios(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(1, 5))
    accounts, people, touches, opps, plans, commitments = [], [], [], [], [], []
    for i in range(n):
        aid = f"A{i}"
        accounts.append(dict(
            id=aid, name=f"Account {i}", owner_id=draw(st.sampled_from(["U1", "U2"])),
            annual_revenue=draw(st.one_of(st.none(), st.sampled_from([0.0, 100.0, 1000.0, 5e5]))),
            gross_margin_pct=draw(st.one_of(st.none(), st.sampled_from([5.0, 25.0, 45.0]))),
            wallet_estimate=draw(st.one_of(st.none(), st.sampled_from([500.0, 2000.0]))),
            growth_target=draw(st.one_of(st.none(), st.sampled_from([0.0, 50.0, 100.0]))),
            growth_potential=draw(maybe_score), strategic_fit=draw(maybe_score),
            competitive_position=draw(maybe_score), propensity_to_partner=draw(maybe_score),
        ))
        for j in range(draw(st.integers(0, 4))):
            people.append(dict(id=f"S{i}_{j}", account_id=aid, name=f"Person {i}.{j}",
                               authority=draw(st.sampled_from(["none", "budget"])),
                               influence=draw(st.one_of(st.none(), st.integers(1, 5))),
                               is_executive=draw(st.booleans())))
        for j in range(draw(st.integers(0, 3))):
            stage = draw(st.sampled_from(["prospecting", "proposal", "negotiation", "closed_won", "closed_lost"]))
            opps.append(dict(id=f"O{i}_{j}", account_id=aid, name=f"Deal {j}", stage=stage,
                             amount=draw(st.one_of(st.none(), st.sampled_from([10.0, 50.0, 200.0]))),
                             created=draw(st.one_of(st.none(), offset.map(_day))),
                             close_date=draw(st.one_of(st.none(), offset.map(_day)))))
        for _ in range(draw(st.integers(0, 2))):
            plans.append(dict(account_id=aid, date=_day(draw(offset))))
        for j in range(draw(st.integers(0, 4))):
            status = draw(st.sampled_from(["open", "open", "done", "cancelled"]))
            commitments.append(dict(
                id=f"C{i}_{j}", account_id=aid, side=draw(st.sampled_from(["ours", "customer"])), owner_id="U1",
                description="x", due=draw(st.one_of(st.none(), offset.map(_day))), status=status,
                done=_day(draw(offset)) if status == "done" else None,
                snoozed_until=draw(st.one_of(st.none(), offset.map(_day)))))
    by_account: dict[str, list[str]] = {}
    for p in people:
        by_account.setdefault(p["account_id"], []).append(p["id"])
    for k in range(draw(st.integers(0, 20))):
        aid = draw(st.sampled_from([a["id"] for a in accounts]))
        pool = by_account.get(aid, [])
        chosen = draw(st.lists(st.sampled_from(pool), unique=True, max_size=3)) if pool else []
        touches.append(dict(id=f"I{k}", account_id=aid, day=_day(-draw(st.integers(-10, 250))),
                            kind=draw(st.sampled_from(["meeting", "call", "qbr"])),
                            people=[(sid, draw(st.one_of(st.none(), st.integers(-2, 2)))) for sid in chosen]))
    return {"accounts": accounts, "people": people, "touches": touches, "opps": opps, "plans": plans,
            "commitments": commitments, "as_of": _day(draw(st.integers(0, 45)))}


def _build(data: dict[str, Any]) -> Database:
    db = Database(make_engine(Settings(), "sqlite:///:memory:"))
    SQLModel.metadata.create_all(db.engine)
    with db.write() as s:
        s.add(User(id="ADM", name="Admin", role="admin"))
        s.add(User(id="M1", name="Manager", role="manager"))
        s.flush()
        s.add_all([User(id=u, name=f"User {u}", role="rep", manager_id="M1") for u in ("U1", "U2")])
        s.flush()
        s.add_all([Account(**a) for a in data["accounts"]])
        s.flush()
        s.add_all([Stakeholder(**p) for p in data["people"]])
        s.add_all([Opportunity(**o) for o in data["opps"]])
        s.add_all([AccountPlan(**p) for p in data["plans"]])
        s.add_all([Commitment(**c) for c in data["commitments"]])
        s.flush()
        for t in data["touches"]:
            s.add(Interaction(id=t["id"], account_id=t["account_id"], date=t["day"], kind=t["kind"],
                              text=f"note {t['id']} about pricing and risk", author_id="U1"))
        s.flush()
        for t in data["touches"]:
            for sid, sentiment in t["people"]:
                s.add(Participant(interaction_id=t["id"], stakeholder_id=sid, sentiment=sentiment))
    return db


def _ctx(s: Session, user: str, as_of: dt.date) -> ToolContext:
    found = s.get(User, user)
    assert found is not None
    return ToolContext(session=s, as_of=as_of, user=found, rules=Rules())


@SETTINGS
@given(portfolios())
def test_dimensions_in_range_and_overall_is_their_mean(data: dict[str, Any]) -> None:
    db = _build(data)
    with db.session() as s:
        ctx = _ctx(s, "ADM", data["as_of"])
        health = compute_health(ctx, None)
        one_by_one = {aid: compute_health(ctx, [aid])[aid] for aid in health}
    assert set(health) == {a["id"] for a in data["accounts"]}
    for aid, h in health.items():
        assert set(h.dimensions) == set(DIMENSIONS)
        applicable = []
        for d in h.dimensions.values():
            assert (d.score is None) == (not d.applicable), d
            if d.score is not None:
                assert 1 <= d.score <= 5, d
                applicable.append(d.score)
            assert d.detail
        if applicable:
            assert h.overall == round2(sum(applicable) / len(applicable))
            assert min(applicable) <= h.overall <= max(applicable)
        else:
            assert h.overall is None
        assert one_by_one[aid].as_dict() == h.as_dict()
    db.dispose()


@SETTINGS
@given(portfolios(), st.lists(st.integers(-120, 60), min_size=1, max_size=3))
def test_account_history_matches_load_engagement(data: dict[str, Any], offsets: list[int]) -> None:
    db = _build(data)
    with db.session() as s:
        for account in data["accounts"]:
            history = AccountHistory.load(s, account["id"], data["as_of"])
            for n in offsets:
                day = data["as_of"] + dt.timedelta(days=min(n, 0))
                want = load_engagement(s, [account["id"]], day, Rules())[account["id"]]
                got = history.engagement_on(day, Rules())
                assert [vars(a) for a in got.stakeholders] == [vars(a) for a in want.stakeholders]
    db.dispose()


@SETTINGS
@given(portfolios(), st.lists(st.integers(-120, 0), min_size=1, max_size=3), st.booleans())
def test_engagement_on_several_days_matches_load_engagement(data: dict[str, Any], offsets: list[int],
                                                            subset: bool) -> None:
    db = _build(data)
    ids = [a["id"] for a in data["accounts"]][:2] if subset else None
    days = [data["as_of"] + dt.timedelta(days=n) for n in offsets]
    with db.session() as s:
        together = load_engagement_days(s, ids, days, Rules())
        for day in days:
            alone = load_engagement(s, ids, day, Rules())
            assert set(together[day]) == set(alone)
            for aid, eng in alone.items():
                assert [vars(a) for a in together[day][aid].stakeholders] == [vars(a) for a in eng.stakeholders]
    db.dispose()


@SETTINGS
@given(portfolios(), st.sampled_from([7, 30, 90]))
def test_drift_reasons_hold_and_the_list_is_worst_first(data: dict[str, Any], window: int) -> None:
    db = _build(data)
    day = data["as_of"]
    with db.session() as s:
        ctx = _ctx(s, "ADM", day)
        result = find_drifting_accounts(ctx, scope="all", window_days=window)
        before = compute_health(ctx, None, as_of=day - dt.timedelta(days=window))
        now = compute_health(ctx, None)
    drops = [a.health_drop for a in result.accounts]
    assert drops == sorted(drops, reverse=True)
    listed = {a.id for a in result.accounts}
    for aid in now:
        b, n = before[aid], now[aid]
        overall_fell = b.overall is not None and n.overall is not None and round2(b.overall - n.overall) >= 0.5
        dim_fell = any(b.dimensions[k].score is not None and n.dimensions[k].score is not None
                       and (b.dimensions[k].score or 0) - (n.dimensions[k].score or 0) >= 2 for k in DIMENSIONS)
        if overall_fell or dim_fell:
            assert aid in listed
    for a in result.accounts:
        assert a.reasons
        for r in a.reasons:
            if r.kind == "overall_drop":
                assert (a.health_before or 0) - (a.health_now or 0) >= 0.5 - 1e-9
            elif r.kind == "dimension_drop":
                assert r.evidence["before"] - r.evidence["now"] >= 2
            elif r.kind == "quadrant_down":
                assert a.quadrant_now != a.quadrant_before
    db.dispose()


@settings(SETTINGS, max_examples=10)
@given(portfolios())
def test_results_do_not_depend_on_the_wall_clock(data: dict[str, Any]) -> None:
    db = _build(data)
    day = data["as_of"]
    aid = data["accounts"][0]["id"]

    def run(s: Session) -> list[Any]:
        ctx = _ctx(s, "ADM", day)
        return [
            {k: v.as_dict() for k, v in compute_health(ctx, None).items()},
            find_drifting_accounts(ctx, scope="all").as_json(),
            [list_commitments(ctx, scope="all", status=st_).as_json() for st_ in ("overdue", "due_soon", "open")],
            prep_qbr(ctx, account=aid).as_json(),
        ]

    with db.session() as s:
        plain = run(s)
    with db.session() as s, no_wall_clock():
        guarded = run(s)
        with pytest.raises(ClockReadError):
            sys.modules["tools.compute.health"].dt.date.today()  # the guard is in place
    assert plain == guarded
    db.dispose()


@SETTINGS
@given(portfolios(), st.lists(st.integers(-400, 60), min_size=1, max_size=4))
def test_facts_of_several_days_from_one_read_match_the_grouped_queries(data: dict[str, Any],
                                                                       offsets: list[int]) -> None:
    db = _build(data)
    ids = [a["id"] for a in data["accounts"]]
    with db.session() as s:
        rows = FactHistory.load(s, ids)
        for n in offsets:
            day = data["as_of"] + dt.timedelta(days=n)
            assert rows.on(day) == load_facts(s, ids, day)
    db.dispose()


@SETTINGS
@given(portfolios(), st.lists(st.integers(-400, 60), min_size=2, max_size=4))
def test_scores_of_several_days_on_one_basis_match_each_day_scored_alone(data: dict[str, Any],
                                                                         offsets: list[int]) -> None:
    db = _build(data)
    ids = [a["id"] for a in data["accounts"]]
    with db.session() as s:
        ctx = _ctx(s, "ADM", data["as_of"])
        for scope in (None, ids[:2]):
            basis = ScoringBasis.load(s, scope, ctx.rules)
            for n in offsets:
                day = data["as_of"] + dt.timedelta(days=n)
                shared = compute_scores(ctx, scope, as_of=day, basis=basis)
                alone = compute_scores(ctx, scope, as_of=day)
                assert list(shared) == list(alone)
                assert {k: v.model_dump() for k, v in shared.items()} == {k: v.model_dump() for k, v in alone.items()}
    db.dispose()
