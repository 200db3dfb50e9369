"""A small portfolio for the note-draft tests: people who share a first name or a surname, two colleagues,
and a person on two accounts, so that a note has questions to answer and commitments to hand over."""

from __future__ import annotations

import datetime as dt

from store.db import Database
from store.models import Account, Stakeholder, User

AS_OF = dt.date(2026, 11, 18)  # a Wednesday: "yesterday" is the 17th, "by Friday" the 20th, "on Monday" the 16th
PEOPLE = (
    ("S1", "A1", "Dana Whitfield", "Chief Financial Officer"),
    ("S2", "A1", "Priya Raman", "VP Operations"),
    ("S3", "A1", "Priya Shah", "Procurement Manager"),
    ("S4", "A1", "Ben Okoro", "Data Engineering Manager"),
    ("S5", "A1", "Emma Wells", "Controller"),
    ("S6", "A1", "Liam Wells", "Information Security Lead"),
    ("S7", "A1", "Hannah Cole", "IT Director"),
    ("S8", "A2", "Alice O'Brien", "Solutions Architect"),
    ("S9", "A3", "Alice O'Brien", "Head of Procurement"),
    ("S10", "A2", "Erik Thornton", "Head of Data"),
)


def seed(db: Database) -> None:
    with db.write() as s:
        s.add(User(id="M1", name="Mara Manager", role="manager"))
        s.flush()
        s.add(User(id="U1", name="Rae Rep", role="rep", manager_id="M1"))
        s.add(User(id="U2", name="Tom Becker", role="rep", manager_id="M1"))
        s.flush()
        s.add(Account(id="A1", name="Acme Corp", owner_id="U1"))
        s.add(Account(id="A2", name="Globex Manufacturing", owner_id="U1"))
        s.add(Account(id="A3", name="Apex Components", owner_id="U1"))
        s.flush()
        for sid, aid, name, title in PEOPLE:
            s.add(Stakeholder(id=sid, account_id=aid, name=name, title=title))
