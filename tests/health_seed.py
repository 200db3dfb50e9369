"""Small hand-made stores for the health, drift, commitment, plan and QBR tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from store.db import Database
from store.models import User
from tools.context import ToolContext
from tools.rules import Rules

AS_OF = dt.date(2026, 6, 30)


def days(n: int) -> dt.date:
    """``AS_OF`` moved by ``n`` days (negative: before)."""
    return AS_OF + dt.timedelta(days=n)


def users(s: Any) -> None:
    """A manager M1 with reps U1 and U2, a rep U3 outside the team, an admin."""
    s.add(User(id="M1", name="Mara Manager", role="manager"))
    s.add(User(id="ADM", name="Ada Admin", role="admin"))
    s.add(User(id="U3", name="Olu Outsider", role="rep"))
    s.flush()
    s.add(User(id="U1", name="Rae Rep", role="kam", manager_id="M1"))
    s.add(User(id="U2", name="Sol Second", role="rep", manager_id="M1"))
    s.flush()


@contextmanager
def context(db: Database, user_id: str, as_of: dt.date = AS_OF, rules: Rules | None = None,
            knowledge: Any = None) -> Iterator[ToolContext]:
    with db.session() as session:
        user = session.get(User, user_id)
        assert user is not None
        yield ToolContext(session=session, as_of=as_of, user=user, rules=rules or Rules(), db=db,
                          knowledge=knowledge)
