"""Properties of scoring, the matrix and the dark-stakeholder flags over generated portfolios (hypothesis).

- the quadrant always agrees with the axes, and the axes with the criteria;
- results depend only on the data and ``as_of``: not on who asks, the order rows were written, or the day
  the test runs (the tools' ``datetime`` is swapped for one whose clock raises);
- ``show_matrix`` agrees with ``score_account`` for every account.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from typing import Any

import pytest
from clock_guard import ClockReadError, no_wall_clock
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, SQLModel

from store.db import Database, make_engine
from store.models import Account, Interaction, Participant, Stakeholder, User
from store.settings import Settings
from tools.compute.engagement import load_engagement
from tools.compute.score_rules import quadrant_for
from tools.compute.scoring import compute_scores
from tools.compute.stakeholder_flags import compute_flags
from tools.context import ToolContext
from tools.matrix import show_matrix
from tools.rules import Rules
from tools.scoring import score_account

BASE = dt.date(2026, 3, 31)
OWNERS = ("U1", "U2", "U3")
SETTINGS = settings(max_examples=20, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

maybe_score = st.one_of(st.none(), st.integers(1, 5))


@st.composite
def portfolios(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(1, 6))
    accounts, people, touches = [], [], []
    for i in range(n):
        owner = draw(st.sampled_from(OWNERS))
        accounts.append(dict(
            id=f"A{i}", name=f"Account {i}", owner_id=owner, scored_by=owner,
            annual_revenue=draw(st.one_of(st.none(), st.sampled_from([0.0, 50.0, 100.0, 100.0, 250.0, 1e6]))),
            gross_margin_pct=draw(st.one_of(st.none(), st.sampled_from([0.0, 9.99, 10.0, 19.99, 20.0, 35.0, 40.0]))),
            wallet_estimate=draw(st.one_of(st.none(), st.sampled_from([100.0, 500.0, 1000.0, 2e6]))),
            cost_to_serve=draw(st.one_of(st.none(), st.sampled_from([0.0, 5.0, 90.0]))),
            growth_potential=draw(maybe_score), strategic_fit=draw(maybe_score),
            competitive_position=draw(maybe_score), propensity_to_partner=draw(maybe_score),
        ))
        for j in range(draw(st.integers(0, 4))):
            people.append(dict(
                id=f"S{i}_{j}", account_id=f"A{i}", name=f"Person {i}.{j}",
                authority=draw(st.sampled_from(["none", "none", "budget", "veto"])),
                influence=draw(st.one_of(st.none(), st.integers(1, 5))),
                is_executive=draw(st.booleans()), tag=draw(st.sampled_from([None, None, "champion", "blocker"])),
                left_company=draw(st.integers(0, 9)) == 0,
            ))
    ids_by_account: dict[str, list[str]] = {}
    for p in people:
        ids_by_account.setdefault(p["account_id"], []).append(p["id"])
    for k in range(draw(st.integers(0, 25))):
        aid = draw(st.sampled_from([a["id"] for a in accounts]))
        pool = ids_by_account.get(aid, [])
        chosen = draw(st.lists(st.sampled_from(pool), unique=True, max_size=3)) if pool else []
        touches.append(dict(
            id=f"I{k}", account_id=aid, day=BASE - dt.timedelta(days=draw(st.integers(-10, 200))),
            people=[(sid, draw(st.one_of(st.none(), st.integers(-2, 2)))) for sid in chosen],
        ))
    return {"accounts": accounts, "people": people, "touches": touches,
            "as_of": BASE + dt.timedelta(days=draw(st.integers(0, 45)))}


def _build(data: dict[str, Any], order: random.Random | None = None) -> Database:
    """A fresh in-memory store holding ``data``; rows within each table in the order ``order`` shuffles."""
    db = Database(make_engine(Settings(), "sqlite:///:memory:"))
    SQLModel.metadata.create_all(db.engine)

    def rows(items: list[Any]) -> list[Any]:
        items = list(items)
        if order is not None:
            order.shuffle(items)
        return items

    with db.write() as s:
        s.add(User(id="ADM", name="Admin", role="admin"))
        s.add(User(id="M1", name="Manager", role="manager"))
        s.flush()
        for uid in rows(OWNERS):
            s.add(User(id=uid, name=f"User {uid}", role="rep", manager_id="M1" if uid != "U3" else None))
        s.flush()
        for a in rows(data["accounts"]):
            s.add(Account(**a))
        s.flush()
        for p in rows(data["people"]):
            s.add(Stakeholder(**p))
        s.flush()
        for t in rows(data["touches"]):
            s.add(Interaction(id=t["id"], account_id=t["account_id"], date=t["day"], text="note"))
        s.flush()
        for t in rows(data["touches"]):
            for sid, sentiment in rows(t["people"]):
                s.add(Participant(interaction_id=t["id"], stakeholder_id=sid, sentiment=sentiment))
    return db


def _ctx(s: Session, user: str, as_of: dt.date) -> ToolContext:
    found = s.get(User, user)
    assert found is not None
    return ToolContext(session=s, as_of=as_of, user=found, rules=Rules())


@SETTINGS
@given(portfolios())
def test_the_quadrant_always_agrees_with_the_axes(data: dict[str, Any]) -> None:
    db = _build(data)
    with db.session() as s:
        scores = compute_scores(_ctx(s, "ADM", data["as_of"]))
    assert set(scores) == {a["id"] for a in data["accounts"]}
    for score in scores.values():
        assert score.quadrant == quadrant_for(score.attractiveness, score.strength, 3.0)
        assert (score.quadrant == "unscored") == (score.attractiveness is None or score.strength is None)
        for name, axis in score.axes.items():
            present = [score.criteria[k].value for k in axis.weights if score.criteria[k].value is not None]
            assert getattr(score, name) == axis.score
            if axis.score is not None:
                assert min(present) <= axis.score <= max(present)  # type: ignore[type-var]
                assert axis.high == (axis.score >= 3.0)
        for criterion in score.criteria.values():
            assert criterion.value is None or 1 <= criterion.value <= 5
        assert sorted(score.missing) == sorted(k for k, c in score.criteria.items() if c.value is None)
        depth = score.criteria["relationship_depth"]
        assert (depth.value is None) == (depth.evidence["mapped"] == 0)
    # the depth from the engagement facts (what the flags and health use) is the depth from SQL
    with db.session() as s:
        engagement = load_engagement(s, None, data["as_of"], Rules())
        via_engagement = compute_scores(_ctx(s, "ADM", data["as_of"]), engagement=engagement)
    assert {k: v.model_dump() for k, v in via_engagement.items()} == {k: v.model_dump() for k, v in scores.items()}
    db.dispose()


@SETTINGS
@given(portfolios(), st.randoms(use_true_random=False))
def test_results_depend_only_on_the_data_and_as_of(data: dict[str, Any], rnd: random.Random) -> None:
    first, second = _build(data), _build(data, order=rnd)
    day = data["as_of"]
    with first.session() as s1, second.session() as s2:
        a_scores = compute_scores(_ctx(s1, "ADM", day))
        a_flags = compute_flags(_ctx(s1, "ADM", day), sorted(a_scores))
        a_matrix = show_matrix(_ctx(s1, "ADM", day), scope="all").as_json()
        with no_wall_clock():
            b_scores = compute_scores(_ctx(s2, "U1", dt.date(2000, 1, 1)), as_of=day)  # another user, another ctx day
            b_flags = compute_flags(_ctx(s2, "M1", day), sorted(b_scores))
            b_matrix = show_matrix(_ctx(s2, "ADM", day), scope="all").as_json()
            with pytest.raises(ClockReadError):
                sys.modules["tools.scoring"].dt.date.today()  # the guard is really in place
    assert {k: v.model_dump() for k, v in a_scores.items()} == {k: v.model_dump() for k, v in b_scores.items()}
    assert {k: v.model_dump() for k, v in a_flags.items()} == {k: v.model_dump() for k, v in b_flags.items()}
    assert a_matrix == b_matrix
    first.dispose()
    second.dispose()


@SETTINGS
@given(portfolios())
def test_show_matrix_agrees_with_score_account_for_every_account(data: dict[str, Any]) -> None:
    db = _build(data)
    day = data["as_of"]
    with db.session() as s:
        matrix = show_matrix(_ctx(s, "ADM", day), scope="all")
    assert len(matrix.accounts) == len(data["accounts"])
    for row in matrix.accounts:
        with db.write() as s:
            single = score_account(_ctx(s, "ADM", day), account=row.id)
        assert (row.attractiveness, row.strength, row.quadrant) == (single.attractiveness, single.strength,
                                                                    single.quadrant)
        assert row.missing == single.missing
    # a manager's team matrix is the same rows, filtered
    with db.session() as s:
        team = show_matrix(_ctx(s, "M1", day), scope="team")
    by_id = {r.id: r for r in matrix.accounts}
    assert all(by_id[r.id] == r for r in team.accounts)
    assert {r.id for r in team.accounts} == {a["id"] for a in data["accounts"] if a["owner_id"] in ("U1", "U2")}
    db.dispose()
