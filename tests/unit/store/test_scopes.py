"""Access scopes (SPEC 9): rep and KAM see their own accounts; a manager their own and every report's,
nested reports included; an admin everything; out of scope looks exactly like missing."""

from __future__ import annotations

import pytest
from sqlmodel import update

from store.db import Database
from store.models import Account, User
from store.scopes import (
    ScopeError,
    can_see_account,
    get_visible_account,
    scoped_account_ids,
    scoped_accounts_stmt,
    team_member_ids,
    visible_owner_ids,
)

# id, role, manager: Grace manages Sam (KAM), Jordan (rep) and Nadia (a manager), who manages Omar (rep).
# Rosa (rep) belongs to nobody's team; Lena is the admin.
USERS = [
    ("GRACE", "manager", None),
    ("SAM", "kam", "GRACE"),
    ("JORDAN", "rep", "GRACE"),
    ("NADIA", "manager", "GRACE"),
    ("OMAR", "rep", "NADIA"),
    ("ROSA", "rep", None),
    ("LENA", "admin", None),
]
ACCOUNTS = {"A-GRACE": "GRACE", "A-SAM": "SAM", "A-JORDAN": "JORDAN", "A-NADIA": "NADIA", "A-OMAR": "OMAR",
            "A-OMAR2": "OMAR", "A-ROSA": "ROSA"}
EVERY = sorted(ACCOUNTS)


@pytest.fixture
def book(db: Database) -> Database:
    with db.write() as s:
        for uid, role, manager in USERS:
            s.add(User(id=uid, name=uid.title(), role=role, manager_id=manager))
            s.flush()
        for aid, owner in ACCOUNTS.items():
            s.add(Account(id=aid, name=f"Account of {owner.title()}", owner_id=owner))
    return db


@pytest.mark.parametrize(
    ("user", "scope", "expected"),
    [
        ("SAM", "mine", ["A-SAM"]),
        ("SAM", "team", ["A-SAM"]),
        ("SAM", "all", ["A-SAM"]),
        ("JORDAN", "all", ["A-JORDAN"]),
        ("NADIA", "mine", ["A-NADIA"]),
        ("NADIA", "team", ["A-NADIA", "A-OMAR", "A-OMAR2"]),
        ("NADIA", "all", ["A-NADIA", "A-OMAR", "A-OMAR2"]),
        ("GRACE", "mine", ["A-GRACE"]),
        ("GRACE", "team", ["A-GRACE", "A-JORDAN", "A-NADIA", "A-OMAR", "A-OMAR2", "A-SAM"]),
        ("GRACE", "all", ["A-GRACE", "A-JORDAN", "A-NADIA", "A-OMAR", "A-OMAR2", "A-SAM"]),
        ("LENA", "all", EVERY),
        ("LENA", "team", []),
        ("LENA", "mine", []),
        ("ROSA", "team", ["A-ROSA"]),
    ],
)
def test_scoped_account_ids(book: Database, user: str, scope: str, expected: list[str]) -> None:
    with book.session() as s:
        who = s.get(User, user)
        assert who is not None
        assert scoped_account_ids(s, who, scope) == expected
        via_stmt = sorted(a.id for a in s.exec(scoped_accounts_stmt(s, who, scope)).all())
        assert via_stmt == expected


def test_team_reaches_nested_reports_and_stops_on_cycles(book: Database) -> None:
    with book.session() as s:
        grace = s.get(User, "GRACE")
        assert grace is not None
        assert set(team_member_ids(s, grace)) == {"GRACE", "SAM", "JORDAN", "NADIA", "OMAR"}
        assert visible_owner_ids(s, s.get(User, "LENA"), "all") is None  # type: ignore[arg-type]
    with book.write() as s:  # a corrupt chain (Omar manages Nadia who manages Omar) must not loop forever
        s.exec(update(User).where(User.id == "NADIA").values(manager_id="OMAR"))  # type: ignore[call-overload]
    with book.session() as s:
        assert set(team_member_ids(s, s.get(User, "OMAR"))) == {"OMAR", "NADIA"}  # type: ignore[arg-type]


def test_out_of_scope_looks_like_missing(book: Database) -> None:
    with book.session() as s:
        jordan, grace, lena = (s.get(User, u) for u in ("JORDAN", "GRACE", "LENA"))
        assert jordan and grace and lena
        assert get_visible_account(s, jordan, "A-JORDAN") is not None
        assert get_visible_account(s, jordan, "A-SAM") is None
        assert get_visible_account(s, jordan, "NO-SUCH") is None
        assert get_visible_account(s, grace, "A-OMAR") is not None  # through Nadia
        assert get_visible_account(s, grace, "A-ROSA") is None
        assert can_see_account(s, lena, "A-ROSA") and not can_see_account(s, lena, "NO-SUCH")


def test_unknown_scope_is_refused(book: Database) -> None:
    with book.session() as s:
        sam = s.get(User, "SAM")
        assert sam is not None
        with pytest.raises(ScopeError, match="unknown scope 'everyone'"):
            scoped_account_ids(s, sam, "everyone")
