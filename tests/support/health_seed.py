"""Small hand-made stores for the health, drift, commitment, plan and QBR tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from store.db import Database
from store.models import Account, Commitment, Interaction, Opportunity, Participant, Product, Stakeholder, User
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


def rich_account(s: Any) -> None:
    """Acme Corp (A1, owner U1, Strategic Growth) with a stakeholder tree, notes, deals and commitments; and
    Hidden Co (A2, owner U3), which U1 may not see. The tests of plans and QBR briefs hand-check against it.

    Scores: revenue quintile 1 (the two accounts share a revenue), margin 30% -> 4, growth 5, fit 4:
    attractiveness 3.40. Engaged in 90 days: Dana, Eli, Fay = 3 of 5 -> band 4, an executive engaged -> 4;
    share of wallet 0.5 -> 5; position 4, propensity 4: strength 4.25.
    """
    s.add_all([Product(id="P1", name="Analytics"), Product(id="P2", name="Payments"),
               Product(id="P3", name="Support Plus")])
    common: dict[str, Any] = dict(annual_revenue=1_000_000.0, gross_margin_pct=30.0, wallet_estimate=2_000_000.0,
                                  growth_target=200_000.0, growth_potential=5, strategic_fit=4,
                                  competitive_position=4, propensity_to_partner=4, cost_to_serve=50_000.0)
    s.add(Account(id="A1", name="Acme Corp", owner_id="U1", industry="Logistics", **common))
    s.add(Account(id="A2", name="Hidden Co", owner_id="U3", **common))
    s.flush()
    people = [
        ("S1", "Dana Reyes", "CFO", dict(is_executive=True, authority="budget", influence=5)),
        ("S2", "Eli Park", "Head of Logistics", dict(authority="approver", influence=4, reports_to="S1")),
        ("S3", "Fay Chen", "Finance Manager", dict(tag="champion", influence=3, reports_to="Eli Park")),
        ("S4", "Gus Ito", "Buyer", dict(influence=2, reports_to="S2")),
        ("S5", "Hal Ng", "COO", dict(authority="veto", influence=4, reports_to="S1")),
    ]
    for sid, name, title, extra in people:
        s.add(Stakeholder(id=sid, account_id="A1", name=name, title=title, **extra))
    s.add(Stakeholder(id="S9", account_id="A2", name="Ivy Secret", authority="budget"))
    s.flush()
    touch(s, "I4", "A1", days(-200), [("S1", 0), ("S2", 2)], kind="qbr", text="QBR: reviewed the roadmap.")
    touch(s, "I3", "A1", days(-100), [("S5", 0)], text="Hal raised concerns about support response times.")
    touch(s, "I2", "A1", days(-40), [("S3", 2)], kind="call", author="U2",
          text="Fay is evaluating a competitor for Payments in Finance. We must respond with a better offer.")
    touch(s, "I1", "A1", days(-10), [("S1", 1), ("S2", 1)],
          text="Dana said the budget for analytics is approved for Q3. Pricing needs to be sharper.")
    touch(s, "I5", "A1", days(5), [("S1", -2)], text="A future note about pricing that must not be quoted.")
    touch(s, "I9", "A2", days(-5), [("S9", 1)], text="Secret pricing talk at Hidden Co.")
    opps = [
        ("O1", "Analytics rollout", "Analytics", "Logistics", 300_000.0, "negotiation", days(-60), days(20)),
        ("O2", "Payments switch", "P2", "Finance", 150_000.0, "proposal", days(-30), days(40)),
        ("O3", "Analytics pilot", "analytics", "Finance", 80_000.0, "closed_won", days(-250), days(-150)),
        ("O4", "Support upgrade", "Support Plus", "Logistics", 60_000.0, "closed_lost", days(-120), days(-50)),
        ("O5", "Payments for depots", "Payments", "Logistics", 40_000.0, "prospecting", days(-300), None),
        ("O6", "Unplaced idea", None, None, 10_000.0, "prospecting", days(-20), None),
        ("O7", "Future deal", "Analytics", "Marketing", 99_000.0, "prospecting", days(3), None),
    ]
    for oid, name, product, bu, amount, stage, created, close in opps:
        s.add(Opportunity(id=oid, account_id="A1", name=name, product=product, business_unit=bu, amount=amount,
                          stage=stage, created=created, close_date=close))
    commitments = [
        ("C1", "ours", "U1", "Send the ROI deck", days(-3), "open", None),
        ("C2", "customer", None, "Share usage data", days(10), "open", None),
        ("C3", "ours", "U1", "Run the pricing workshop", days(45), "open", None),
        ("C4", "ours", "U2", "Fix the invoice error", days(-20), "done", days(-25)),
        ("C5", "ours", "U1", "Plan next year's rollout", days(200), "open", None),
    ]
    for cid, side, owner, text, due, status, done in commitments:
        s.add(Commitment(id=cid, account_id="A1", side=side, owner_id=owner, description=text, due=due,
                         status=status, done=done))
