"""Small hand-made stores for the health, drift, commitment, plan and QBR tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from store.db import Database
from store.models import Account, Interaction, Participant, User
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


def account(s: Any, aid: str, quadrant: str, **extra: Any) -> None:
    """An account whose quadrant is fixed by its data: revenue 1000 (quintile 1 when all are equal), margin 50%.

    High attractiveness: growth potential and fit 5 -> (0.3*1 + 0.2*5 + 0.3*5 + 0.2*5) = 3.80; low: 1.80.
    High strength: wallet 1000 (share 1.0 -> 5), position and propensity 5 -> 5.00; low: 1.00.
    """
    a_high = quadrant in ("strategic_growth", "develop")
    s_high = quadrant in ("strategic_growth", "defend")
    judged = 5 if a_high else 1
    strong = 5 if s_high else 1
    fields: dict[str, Any] = dict(
        name=f"Account {aid}", owner_id="U1", annual_revenue=1000.0, gross_margin_pct=50.0,
        wallet_estimate=1000.0 if s_high else 100000.0, growth_potential=judged, strategic_fit=judged,
        competitive_position=strong, propensity_to_partner=strong,
    )
    fields.update(extra)
    s.add(Account(id=aid, **fields))


def touch(s: Any, iid: str, aid: str, day: dt.date, people: list[tuple[str, int | None]], *, kind: str = "meeting",
          text: str = "", author: str | None = "U1") -> None:
    """One interaction with its participants (stakeholder id, sentiment)."""
    s.add(Interaction(id=iid, account_id=aid, date=day, kind=kind, text=text or f"note {iid}", author_id=author))
    s.flush()
    for sid, sentiment in people:
        s.add(Participant(interaction_id=iid, stakeholder_id=sid, sentiment=sentiment))
