"""Reassigning a commitment (who may take it over, audited, idempotent) and the commitment list limited to one
account, one rep's book, one side or the done ones; the matrix and drift limited to one rep's book."""

from __future__ import annotations

import datetime as dt

import pytest
from health_seed import context, days, users
from sqlmodel import select

from store.db import Database
from store.models import Account, AuditLog, Commitment, User
from tools.commitments import list_commitments, reassign_commitment, snooze_commitment
from tools.drift import find_drifting_accounts
from tools.errors import Ambiguous, NotFound, ToolError
from tools.matrix import show_matrix


def _seed(db: Database) -> None:
    with db.write() as s:
        users(s)  # M1 manages U1 (Rae Rep) and U2 (Sol Second); U3 is outside; ADM is an admin
        s.add(Account(id="A1", name="Acme Corp", owner_id="U1"))
        s.add(Account(id="A2", name="Beta Ltd", owner_id="U2"))
        s.add(Account(id="A3", name="Gamma Inc", owner_id="U3"))
        s.flush()
        rows = [("K1", "A1", "ours", "U1", days(-2), "open", None),
                ("K2", "A1", "customer", None, days(4), "open", None),
                ("K3", "A2", "ours", "U2", days(-1), "open", None),
                ("K4", "A1", "ours", "U1", days(-9), "done", days(-3)),
                ("K5", "A3", "ours", "U3", days(1), "open", None)]
        for cid, aid, side, owner, due, status, done in rows:
            s.add(Commitment(id=cid, account_id=aid, side=side, owner_id=owner, description=f"do {cid}", due=due,
                             status=status, done=done))


def _ids(result: object) -> list[str]:
    return [c.id for c in result.commitments]  # type: ignore[attr-defined]


def test_reassign_to_a_peer_by_name_is_audited_and_idempotent(db: Database) -> None:
    _seed(db)
    with context(db, "U1") as ctx:
        moved = reassign_commitment(ctx, commitment="k1", to="sol")  # a peer under the same manager, by first name
        assert moved.changed and moved.owner_id == "U2" and moved.owner_name == "Sol Second"
        again = reassign_commitment(ctx, commitment="K1", to="Sol Second")
        assert not again.changed and "already" in again.message
        with pytest.raises(NotFound):
            reassign_commitment(ctx, commitment="K1", to="Olu Outsider")  # not in the rep's team
        with pytest.raises(NotFound):
            reassign_commitment(ctx, commitment="K5", to="U1")  # a commitment on an account U1 cannot see
    with db.session() as s:
        row = s.get(Commitment, "K1")
        assert row is not None and row.owner_id == "U2"
        audits = s.exec(select(AuditLog).where(AuditLog.entity_id == "K1")).all()
        assert [(a.actor, a.action, a.detail["owner_id"]) for a in audits] == [("U1", "reassign", "U2")]


def test_a_rep_may_hand_a_commitment_up_to_their_manager(db: Database) -> None:
    _seed(db)
    with context(db, "U2") as ctx:
        moved = reassign_commitment(ctx, commitment="K3", to="Mara")
        assert moved.changed and moved.owner_id == "M1"
    with context(db, "U1") as ctx, pytest.raises(NotFound):
        reassign_commitment(ctx, commitment="K1", to="Ada Admin")  # an admin elsewhere is no manager of theirs


def test_reassign_to_a_name_that_fits_two_people_is_asked_about(db: Database) -> None:
    _seed(db)
    with db.write() as s:
        s.add(User(id="U4", name="Sol Another", role="rep", manager_id="M1"))
    with context(db, "M1") as ctx, pytest.raises(Ambiguous):
        reassign_commitment(ctx, commitment="K1", to="Sol")


def test_lists_by_account_side_done_and_a_reps_book(db: Database) -> None:
    _seed(db)
    with context(db, "M1") as ctx:
        assert _ids(list_commitments(ctx, scope="team", account="acme")) == ["K1", "K2"]
        assert _ids(list_commitments(ctx, scope="team", side="customer")) == ["K2"]
        done = list_commitments(ctx, scope="team", status="done")
        assert _ids(done) == ["K4"] and done.commitments[0].done == days(-3)
        book = list_commitments(ctx, scope="team", owner="Sol")
        assert _ids(book) == ["K3"] and book.owner_id == "U2"
        with pytest.raises(NotFound):
            list_commitments(ctx, account="Gamma")  # not in the manager's team: not found
        with pytest.raises(NotFound):
            list_commitments(ctx, owner="Olu Outsider")
    with context(db, "U2") as ctx, pytest.raises(NotFound):
        list_commitments(ctx, owner="Rae Rep")  # a rep may not look at a peer's book


def test_matrix_and_drift_for_one_reps_book(db: Database) -> None:
    _seed(db)
    with context(db, "M1") as ctx:
        matrix = show_matrix(ctx, scope="team", owner="rae")
        assert [a.id for a in matrix.accounts] == ["A1"] and matrix.owner_name == "Rae Rep"
        assert "Rae Rep's accounts" in matrix.as_markdown()
        drift = find_drifting_accounts(ctx, scope="team", owner="U2")
        assert drift.owner_id == "U2" and drift.accounts_checked <= 1
    with context(db, "U1") as ctx, pytest.raises(NotFound):
        show_matrix(ctx, owner="Sol Second")


def test_snooze_until_a_named_day_counts_from_today_and_asks_when_it_names_none(db: Database) -> None:
    _seed(db)
    with context(db, "U1") as ctx:  # as of AS_OF
        monday = ctx.as_of + dt.timedelta(days=(0 - ctx.as_of.weekday()) % 7 or 7)
        moved = snooze_commitment(ctx, commitment="K1", until="Monday")
        assert moved.changed and moved.snoozed_until == monday
        later = snooze_commitment(ctx, commitment="K1", until=(monday + dt.timedelta(days=9)).isoformat())
        assert later.snoozed_until == monday + dt.timedelta(days=9)
        with pytest.raises(ToolError, match="can't read 'when legal answers' as a day"):
            snooze_commitment(ctx, commitment="K1", until="when legal answers")
        with pytest.raises(ToolError, match="not after today"):
            snooze_commitment(ctx, commitment="K1", until="yesterday")
    with db.session() as s:
        row = s.get(Commitment, "K1")
        assert row is not None and row.snoozed_until == monday + dt.timedelta(days=9)  # the failed asks wrote nothing
