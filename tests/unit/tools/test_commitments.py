"""list_commitments statuses and boundaries; complete / snooze idempotent, audited and scoped."""

from __future__ import annotations

import pytest
from health_seed import AS_OF, context, days, users
from sqlmodel import select

from store.db import Database
from store.models import Account, AuditLog, Commitment
from tools.commitments import classify, complete_commitment, list_commitments, snooze_commitment
from tools.errors import NotFound, ToolError
from tools.registry import call_tool


def _seed(db: Database) -> None:
    with db.write() as s:
        users(s)
        s.add(Account(id="A1", name="Acme Corp", owner_id="U1"))
        s.add(Account(id="A2", name="Beta Ltd", owner_id="U2"))
        s.add(Account(id="A3", name="Gamma Inc", owner_id="U3"))
        s.flush()
        rows = [
            ("C1", "A1", "ours", "U1", days(-1), "open", None),  # overdue by one day
            ("C2", "A1", "ours", "U1", AS_OF, "open", None),  # due today: due soon, not overdue
            ("C3", "A1", "customer", None, days(2), "open", None),  # last day of due soon
            ("C4", "A1", "ours", "U1", days(3), "open", None),  # just past due soon: open
            ("C5", "A1", "ours", "U1", days(-5), "open", days(1)),  # overdue but snoozed until tomorrow
            ("C6", "A1", "ours", "U1", days(-9), "done", None),  # done: never listed
            ("C7", "A1", "ours", "U1", None, "open", None),  # no due date: open, listed last
            ("C8", "A2", "ours", "U2", days(-3), "open", None),  # a teammate's account
            ("C9", "A3", "ours", "U1", days(-2), "open", None),  # U1 owns it, but cannot see A3
            ("C10", "A2", "ours", "M1", days(1), "open", AS_OF),  # M1 owns it on a report's account; snooze over
        ]
        for cid, aid, side, owner, due, status, snoozed in rows:
            s.add(Commitment(id=cid, account_id=aid, side=side, owner_id=owner, description=f"do {cid}", due=due,
                             status=status, snoozed_until=snoozed))


def _ids(result: object) -> list[str]:
    return [c.id for c in result.commitments]  # type: ignore[attr-defined]


def test_classify_boundaries() -> None:
    assert classify(days(-1), AS_OF, 2) == "overdue"
    assert classify(AS_OF, AS_OF, 2) == "due_soon"
    assert classify(days(2), AS_OF, 2) == "due_soon"
    assert classify(days(3), AS_OF, 2) == "open"
    assert classify(None, AS_OF, 2) == "open"


def test_statuses_and_sorting(db: Database) -> None:
    _seed(db)
    with context(db, "U1") as ctx:
        overdue = list_commitments(ctx, scope="mine", status="overdue")
        assert _ids(overdue) == ["C1"]  # C5 snoozed, C9 invisible, C8 not mine
        assert overdue.commitments[0].days_overdue == 1 and overdue.commitments[0].status == "overdue"
        soon = list_commitments(ctx, scope="mine", status="due_soon")
        assert _ids(soon) == ["C2", "C3"]
        assert [c.days_until for c in soon.commitments] == [0, 2]
        opened = list_commitments(ctx, scope="mine", status="open")
        assert _ids(opened) == ["C5", "C1", "C2", "C3", "C4", "C7"]
        c5 = opened.commitments[0]
        assert (c5.status, c5.days_overdue, c5.snoozed_until) == ("overdue", 5, days(1))
        assert opened.commitments[-1].due is None and opened.commitments[-1].status == "open"
        md = opened.as_markdown()
        assert "snoozed until 2026-07-01" in md and "due today (2026-06-30)" in md


def test_scopes(db: Database) -> None:
    _seed(db)
    with context(db, "M1") as ctx:
        assert _ids(list_commitments(ctx, scope="team", status="overdue")) == ["C8", "C1"]
        assert _ids(list_commitments(ctx, scope="mine", status="overdue")) == []
        assert _ids(list_commitments(ctx, scope="mine", status="due_soon")) == ["C10"]  # owned by M1; snooze over
        assert _ids(list_commitments(ctx, scope="team", status="due_soon")) == ["C2", "C10", "C3"]
    with context(db, "U2") as ctx:
        assert _ids(list_commitments(ctx, scope="team", status="overdue")) == ["C8"]  # a rep's team is themself
    with context(db, "ADM") as ctx:
        assert _ids(list_commitments(ctx, scope="all", status="overdue")) == ["C8", "C9", "C1"]
    with context(db, "U1") as ctx, pytest.raises(ToolError, match="unknown scope"):
        list_commitments(ctx, scope="everyone")
    with context(db, "U1") as ctx, pytest.raises(ToolError, match="unknown status"):
        list_commitments(ctx, status="late")


def test_json_field_names(db: Database) -> None:
    _seed(db)
    with context(db, "U1") as ctx:
        data = call_tool(ctx, "list_commitments", {"status": "overdue"}).as_json()
    row = data["commitments"][0]
    assert {"id", "account_id", "owner_id", "due", "status", "days_overdue"} <= set(row)
    assert row["due"] == "2026-06-29"


def test_complete_is_idempotent_and_audited(db: Database) -> None:
    _seed(db)
    with context(db, "U1") as ctx:
        first = complete_commitment(ctx, commitment="c1")  # ids in any case
        assert first.changed and first.status == "done" and first.done == AS_OF
        assert _ids(list_commitments(ctx, status="overdue")) == []  # the read session sees the write
        second = complete_commitment(ctx, commitment="C1")
        assert not second.changed and "already done" in second.message
    with db.session() as s:
        row = s.get(Commitment, "C1")
        assert row is not None and row.status == "done" and row.done == AS_OF
        audits = s.exec(select(AuditLog).where(AuditLog.entity_id == "C1")).all()
        assert [(a.actor, a.action, a.entity) for a in audits] == [("U1", "complete", "commitment")]


def test_snooze_is_idempotent_and_hides_from_nudges(db: Database) -> None:
    _seed(db)
    with context(db, "U1") as ctx:
        result = snooze_commitment(ctx, commitment="C1", days=2)
        assert result.changed and result.snoozed_until == days(2)
        assert _ids(list_commitments(ctx, status="overdue")) == []
        assert "C1" in _ids(list_commitments(ctx, status="open"))
        assert not snooze_commitment(ctx, commitment="C1", days=1).changed  # an earlier date: no change
        assert not snooze_commitment(ctx, commitment="C1", days=2).changed
        assert snooze_commitment(ctx, commitment="C1", days=3).changed
        with pytest.raises(ToolError, match="between 1 and"):
            snooze_commitment(ctx, commitment="C1", days=0)
        assert not snooze_commitment(ctx, commitment="C6").changed  # done: nothing to snooze
    with context(db, "U1", as_of=days(3)) as later:
        assert "C1" in _ids(list_commitments(later, status="overdue"))  # the snooze has run out
    with db.session() as s:
        actions = [a.action for a in s.exec(select(AuditLog).where(AuditLog.entity_id == "C1")).all()]
    assert actions == ["snooze", "snooze"]


def test_actions_are_scoped_like_missing(db: Database) -> None:
    _seed(db)
    with context(db, "U1") as ctx:
        with pytest.raises(NotFound) as hidden:
            complete_commitment(ctx, commitment="C9")  # owned by U1 but on an account U1 cannot see
        with pytest.raises(NotFound) as missing:
            complete_commitment(ctx, commitment="C99")
        assert str(hidden.value) == "no commitment 'C9'"
        assert "C9" not in missing.value.suggestions and str(missing.value).startswith("no commitment 'C99'")
        with pytest.raises(NotFound):
            snooze_commitment(ctx, commitment="C9")
    with context(db, "M1") as ctx:
        assert complete_commitment(ctx, commitment="C8").changed  # a manager may act on the team's accounts
    with db.session() as s:
        row = s.get(Commitment, "C9")
        assert row is not None and row.status == "open" and row.snoozed_until is None
