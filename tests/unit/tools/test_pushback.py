"""Commercial pushback (``tools.compute.pushback``): a decision maker's negative words about money in a recent
note, read with the note reader's people and sentiment cues; anyone else, other moods or other topics are not."""

from __future__ import annotations

import datetime as dt

from scoring_seed import AS_OF, account, days_ago, person, users

from store.db import Database
from store.models import Interaction
from tools.compute.pushback import commercial_pushback


def _note(db_session: object, iid: str, day: dt.date, text: str) -> None:
    db_session.add(Interaction(id=iid, account_id="A1", date=day, text=text))  # type: ignore[attr-defined]


def test_a_decision_makers_objection_to_price_is_found_and_quoted(db: Database) -> None:
    with db.write() as s:
        users(s)
        account(s, "A1", "Acme Corp", owner="U1")
        person(s, "S1", "A1", name="Fay Fenwick", title="Chief Financial Officer", authority="budget")
        person(s, "S2", "A1", name="Gus Grant", title="Engineer", authority="none")
        person(s, "S3", "A1", name="Hana Holt", title="Chief Operating Officer", authority="approver")
        _note(s, "N1", days_ago(10), "Call with Fay Fenwick. Fay objected to the 5% uplift in the renewal quote. "
                                     "We agreed to follow up next week.")
        _note(s, "N2", days_ago(12), "Workshop with Gus Grant. Gus was unhappy about the licence fees.")  # no say
        _note(s, "N3", days_ago(14), "Meeting with Hana Holt. Hana is worried about the rollout schedule.")  # not money
        _note(s, "N4", days_ago(15), "Call with Hana Holt. Hana was pleased with the pricing we proposed.")  # happy
        _note(s, "N5", days_ago(120), "Fay Fenwick complained about the price increase.")  # too long ago
    with db.session() as s:
        found = commercial_pushback(s, "A1", AS_OF)
    assert [p.stakeholder_id for p in found] == ["S1"]
    [fay] = found
    assert fay.role == "Chief Financial Officer, budget authority"
    assert [(n.interaction_id, n.quote) for n in fay.notes] == [
        ("N1", "Fay objected to the 5% uplift in the renewal quote.")]


def test_plain_haggling_on_price_is_pushback_though_not_a_mood(db: Database) -> None:
    # The note reader scores "pushed back on ..." as business (sentiment 0); for the risk register it is the signal.
    with db.write() as s:
        users(s)
        account(s, "A1", "Acme Corp", owner="U1")
        person(s, "S1", "A1", name="Fay Fenwick", title="Chief Financial Officer", authority="budget")
        person(s, "S2", "A1", name="Gus Grant", title="Engineer", authority="none")
        _note(s, "N1", days_ago(5), "Pricing call with Fay Fenwick and Gus Grant. Fay pushed back on the 4% uplift "
                                    "and asked for a flat renewal; Gus pushed back on the API limits.")
        _note(s, "N2", days_ago(6), "Review with Gus Grant. He pushed back on the licence fees.")  # no say in the deal
        _note(s, "N3", days_ago(7), "Rollout call with Fay Fenwick. She pushed back on the timeline.")  # not money
        found = commercial_pushback(s, "A1", AS_OF)
    assert [p.stakeholder_id for p in found] == ["S1"]
    assert [n.interaction_id for n in found[0].notes] == ["N1"]
    assert "Fay pushed back on the 4% uplift" in found[0].notes[0].quote
