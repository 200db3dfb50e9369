"""A small hand-made portfolio for agent tests: two reps under a manager, a few accounts and people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from integrations.runtime import Runtime
from store.db import Database
from store.models import Account, Commitment, Interaction, Participant, Stakeholder, User
from store.settings import Settings

AS_OF = dt.date(2026, 11, 22)


def seed(db: Database) -> None:
    with db.write() as s:
        s.add(User(id="U01", name="Morgan Lee", role="manager"))
        s.add(User(id="U99", name="Ada Admin", role="admin"))
        s.flush()
        s.add(User(id="U02", name="Priya Shah", role="kam", manager_id="U01"))
        s.add(User(id="U03", name="Sam Ortiz", role="rep", manager_id="U01"))
        s.flush()
        s.add(Account(id="A001", name="Acme Corp", owner_id="U02", industry="Manufacturing", annual_revenue=4_000_000,
                      gross_margin_pct=32, wallet_estimate=10_000_000, cost_to_serve=300_000, growth_potential=4,
                      strategic_fit=4, competitive_position=3, propensity_to_partner=4, scored_by="U02"))
        s.add(Account(id="A002", name="Halcyon Retail Group", owner_id="U02", industry="Retail",
                      annual_revenue=2_500_000, gross_margin_pct=18, wallet_estimate=4_000_000, growth_potential=2,
                      strategic_fit=3, competitive_position=4, propensity_to_partner=3, scored_by="U02"))
        s.add(Account(id="A003", name="Borealis Energy", owner_id="U03", industry="Energy", annual_revenue=1_000_000,
                      gross_margin_pct=25, wallet_estimate=2_000_000, growth_potential=3, strategic_fit=2,
                      competitive_position=2, propensity_to_partner=2, scored_by="U03"))
        s.flush()
        s.add(Stakeholder(id="S001", account_id="A001", name="Dana Whitfield", title="CFO", department="Finance",
                          authority="budget", influence=5, is_executive=True))
        s.add(Stakeholder(id="S002", account_id="A001", name="Raj Patel", title="CTO", department="IT",
                          authority="approver", influence=4, is_executive=True, tag="champion"))
        s.add(Stakeholder(id="S003", account_id="A001", name="Lee Chen", title="Procurement Lead",
                          department="Procurement", authority="none", influence=3))
        s.add(Stakeholder(id="S004", account_id="A002", name="Nora Quinn", title="VP Operations", authority="budget",
                          influence=4))
        s.add(Stakeholder(id="S005", account_id="A003", name="Otto Berg", title="Head of IT", influence=3))
        s.flush()
        notes = [
            ("I001", "A001", AS_OF - dt.timedelta(days=10), "U02",
             "Dana raised pricing again: the 8% uplift is hard for her budget this year.", [("S001", -1)]),
            ("I002", "A001", AS_OF - dt.timedelta(days=40), "U02",
             "Raj loved the integration demo; wants a pilot in the Berlin plant.", [("S002", 2)]),
            ("I003", "A002", AS_OF - dt.timedelta(days=5), "U02",
             "Nora asked for the renewal quote and a headcount plan.", [("S004", 1)]),
            ("I004", "A003", AS_OF - dt.timedelta(days=3), "U03",
             "Otto says Borealis is evaluating a competitor, Voltix, on price.", [("S005", 0)]),
        ]
        for iid, aid, day, author, text, _ in notes:
            s.add(Interaction(id=iid, account_id=aid, date=day, kind="meeting", author_id=author, text=text))
        s.flush()
        for iid, *_rest, parts in notes:
            for sid, sentiment in parts:
                s.add(Participant(interaction_id=iid, stakeholder_id=sid, sentiment=sentiment))
        s.add(Commitment(id="C001", account_id="A001", side="ours", owner_id="U02", description="Send pilot scope",
                         due=AS_OF - dt.timedelta(days=3)))
        s.add(Commitment(id="C002", account_id="A003", side="ours", owner_id="U03", description="Price comparison",
                         due=AS_OF + dt.timedelta(days=1)))


@contextmanager
def seeded_runtime(settings: Settings) -> Iterator[Runtime]:
    """A runtime over ``settings`` with this portfolio in its store; closed afterwards."""
    runtime = Runtime.build(settings)
    seed(runtime.db)
    try:
        yield runtime
    finally:
        runtime.close()
