"""Small builders for the scoring, matrix and stakeholder tests: users, accounts, people and touches."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from sqlmodel import Session

from store.models import Account, Interaction, Participant, Stakeholder, User
from tools.context import ToolContext
from tools.rules import Rules

AS_OF = dt.date(2026, 6, 30)
_ids = itertools.count(1)

# An account whose attractiveness and strength are both 5 whatever its relationship depth
# (strength = 0.3 x depth + 3.5 >= 3.8): Strategic Growth once it has a revenue at the top.
TOP = {"gross_margin_pct": 50.0, "wallet_estimate": 1.0, "growth_potential": 5, "strategic_fit": 5,
       "competitive_position": 5, "propensity_to_partner": 5}
# Attractiveness 1 (with the lowest revenue), strength high: Defend.
DEFEND = {"gross_margin_pct": 5.0, "wallet_estimate": 1.0, "growth_potential": 1, "strategic_fit": 1,
          "competitive_position": 5, "propensity_to_partner": 5}
# Attractiveness high, strength low: Develop.
DEVELOP = {"gross_margin_pct": 50.0, "wallet_estimate": 1e12, "growth_potential": 5, "strategic_fit": 5,
           "competitive_position": 1, "propensity_to_partner": 1}
# Both axes low: Maintain/Exit.
MAINTAIN = {"gross_margin_pct": 5.0, "wallet_estimate": 1e12, "growth_potential": 1, "strategic_fit": 1,
            "competitive_position": 1, "propensity_to_partner": 1}


def users(s: Session) -> None:
    """U1, U2 reps reporting to M1 (manager); U3 a rep elsewhere; ADM an admin."""
    s.add(User(id="M1", name="Mona Manager", role="manager"))
    s.add(User(id="ADM", name="Ada Admin", role="admin"))
    s.flush()
    s.add(User(id="U1", name="Rita Rep", role="rep", manager_id="M1"))
    s.add(User(id="U2", name="Sam Rep", role="kam", manager_id="M1"))
    s.add(User(id="U3", name="Olga Other", role="rep"))
    s.flush()


def account(s: Session, aid: str, name: str, owner: str = "U1", **values: Any) -> Account:
    values.setdefault("scored_by", owner)
    acc = Account(id=aid, name=name, owner_id=owner, **values)
    s.add(acc)
    s.flush()
    return acc


def person(s: Session, sid: str, aid: str, name: str | None = None, **values: Any) -> Stakeholder:
    sh = Stakeholder(id=sid, account_id=aid, name=name or f"Person {sid}", **values)
    s.add(sh)
    s.flush()
    return sh


def touch(s: Session, aid: str, day: dt.date, *people: str | tuple[str, int | None]) -> str:
    """One interaction on ``day`` with ``people`` (a stakeholder id, or ``(id, sentiment)``)."""
    iid = f"I{next(_ids)}"
    s.add(Interaction(id=iid, account_id=aid, date=day, text=f"note {iid}"))
    s.flush()
    for p in people:
        sid, sentiment = (p, None) if isinstance(p, str) else p
        s.add(Participant(interaction_id=iid, stakeholder_id=sid, sentiment=sentiment))
    s.flush()
    return iid


def days_ago(n: int, as_of: dt.date = AS_OF) -> dt.date:
    return as_of - dt.timedelta(days=n)


def ctx_for(s: Session, user_id: str, as_of: dt.date = AS_OF, rules: Rules | None = None, **kw: Any) -> ToolContext:
    user = s.get(User, user_id)
    assert user is not None
    return ToolContext(session=s, as_of=as_of, user=user, rules=rules or Rules(), **kw)
