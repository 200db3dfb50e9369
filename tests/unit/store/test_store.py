"""The store: models round-trip on SQLite and PostgreSQL, migrations are idempotent, writes are atomic,
and two SQLite writers queue instead of failing with "database is locked"."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect
from sqlmodel import select

from store.audit import record
from store.db import Database, make_engine
from store.migrate import alembic_config, at_head, current, upgrade
from store.models import (
    Account,
    AccountPlan,
    AuditLog,
    Commitment,
    Interaction,
    Opportunity,
    Participant,
    Product,
    ScoreRecord,
    Stakeholder,
    User,
)
from store.settings import Settings

DAY = dt.date(2026, 3, 31)


def _seed(db: Database) -> None:
    with db.write() as s:
        s.add(User(id="M1", name="Grace Okafor", role="manager"))
        s.flush()
        s.add(User(id="U1", name="Sam Patel", role="kam", manager_id="M1", slack_user_id="UABC123"))
        s.flush()
        s.add(Account(id="A1", name="Acme Corp", owner_id="U1", industry="Manufacturing", annual_revenue=4_200_000.5,
                      gross_margin_pct=38.25, wallet_estimate=9_500_000, cost_to_serve=380_000, growth_target=900_000,
                      growth_potential=5, strategic_fit=4, competitive_position=3, propensity_to_partner=2,
                      scored_by="U1"))
        s.add(Product(id="P1", name="Nimbus Analytics"))
        s.flush()
        s.add(Stakeholder(id="S1", account_id="A1", name="Dana Whitfield", title="CFO", department="Finance",
                          authority="budget", influence=5, is_executive=True, tag="champion"))
        s.add(Interaction(id="I1", account_id="A1", date=DAY, kind="call", author_id="U1",
                          text="Dana is worried about budget — and «pricing»."))
        s.flush()
        s.add(Participant(interaction_id="I1", stakeholder_id="S1", sentiment=-1))
        s.add(Opportunity(id="O1", account_id="A1", name="Renewal", product="P1", business_unit="Plants",
                          amount=1_200_000, stage="negotiation", created=DAY, close_date=DAY + dt.timedelta(days=40)))
        s.add(Commitment(id="C1", account_id="A1", side="ours", owner_id="U1", description="Send the ROI summary",
                         due=DAY + dt.timedelta(days=2), source_interaction_id="I1"))
        s.add(ScoreRecord(account_id="A1", as_of=DAY, criteria={"revenue": 5, "gross_margin": None},
                          attractiveness=4.8, strength=3.25, quadrant="strategic_growth", scored_by="U1"))
        s.add(AccountPlan(account_id="A1", date=DAY, author_id="U1", markdown="# Plan", sections={"risks": ["budget"]}))
        record(s, actor="test", action="create", entity="account", entity_id="A1", detail={"on": DAY.isoformat()})


def test_models_round_trip(db: Database) -> None:
    _seed(db)
    with db.session() as s:
        user = s.get(User, "U1")
        assert user is not None and (user.manager_id, user.role, user.slack_user_id) == ("M1", "kam", "UABC123")
        account = s.get(Account, "A1")
        assert account is not None
        assert (account.annual_revenue, account.gross_margin_pct, account.propensity_to_partner) == (
            4_200_000.5, 38.25, 2)
        sh = s.get(Stakeholder, "S1")
        assert sh is not None and sh.is_executive is True and sh.left_company is False and sh.influence == 5
        note = s.get(Interaction, "I1")
        assert note is not None and note.date == DAY and note.text.endswith("«pricing».")
        assert s.get(Participant, ("I1", "S1")).sentiment == -1  # type: ignore[union-attr]
        opp = s.get(Opportunity, "O1")
        assert opp is not None and opp.close_date == dt.date(2026, 5, 10) and opp.amount == 1_200_000
        assert s.get(Commitment, "C1").status == "open"  # type: ignore[union-attr]
        score = s.exec(select(ScoreRecord)).one()
        assert score.criteria == {"revenue": 5, "gross_margin": None} and score.created_at is not None
        plan = s.exec(select(AccountPlan)).one()
        assert plan.sections == {"risks": ["budget"]} and plan.id is not None
        audit = s.exec(select(AuditLog)).one()
        assert (audit.actor, audit.entity_id, audit.detail) == ("test", "A1", {"on": "2026-03-31"})


def test_migrations_are_idempotent_and_at_head(db: Database) -> None:
    upgrade(db.engine)  # the fixture already upgraded once: twice more changes nothing
    upgrade(db.engine)
    head = ScriptDirectory.from_config(alembic_config(db.engine)).get_current_head()
    assert current(db.engine) == head
    tables = set(inspect(db.engine).get_table_names())
    assert {"user", "account", "stakeholder", "interaction", "participant", "auditlog"} <= tables


def test_the_head_read_from_the_scripts_is_alembics(db: Database, tmp_path: Path) -> None:
    """The start-up shortcut (no Alembic when the store is at head) agrees with Alembic, and a new or older
    store is still migrated."""
    assert at_head(db.engine)
    fresh = Database(make_engine(Settings(data_dir=tmp_path / "fresh")))
    assert not at_head(fresh.engine)  # no version table yet
    upgrade(fresh.engine, "0001")
    assert not at_head(fresh.engine)  # one revision behind
    upgrade(fresh.engine)
    head = ScriptDirectory.from_config(alembic_config(fresh.engine)).get_current_head()
    assert at_head(fresh.engine) and current(fresh.engine) == head
    fresh.dispose()


def test_write_rolls_back_everything_on_error(db: Database) -> None:
    with pytest.raises(RuntimeError), db.write() as s:
        s.add(User(id="U9", name="Half Written"))
        s.flush()
        raise RuntimeError("boom")
    with db.session() as s:
        assert s.get(User, "U9") is None


def test_two_sqlite_writers_queue_instead_of_failing(sqlite_db: Database) -> None:
    """Each writer reads, then writes, inside one transaction while the other does the same: with a
    plain BEGIN this is the classic 'database is locked'; BEGIN IMMEDIATE makes the second one wait."""
    with sqlite_db.write() as s:
        s.add(User(id="U0", name="Owner"))
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def writer(tag: str) -> None:
        try:
            start.wait()
            for i in range(25):
                with sqlite_db.write() as s:
                    seen = s.exec(select(func.count()).select_from(User)).one()
                    s.add(User(id=f"{tag}{i}", name=f"{tag} {i} after {seen}"))
        except BaseException as exc:  # noqa: BLE001 - any failure fails the test below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(tag,)) for tag in ("X", "Y")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    with sqlite_db.session() as s:
        assert s.exec(select(func.count()).select_from(User)).one() == 51
