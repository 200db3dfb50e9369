"""A note dictated without punctuation is read sentence by sentence (``tools/notes/extract/dictation.py``), and a
due date prefers the deadline ("by the end of the month") over another day in the promise ("for next year")."""

from __future__ import annotations

import datetime as dt

from tests.unit.agent.test_extraction import SUN, extract, people
from tools.notes.extract.dictation import dictated, punctuate
from tools.notes.extract.people import scan_people
from tools.notes.schema import KnownPerson

RUN_ON = ("just got off the phone with dana whitfield well it was friday actually not today she was really happy "
          "with the new dashboards and said she is keen to talk multi year tom baker joined for the last ten minutes "
          "didn't say much i will send dana a one pager on the discount by wednesday")


def test_a_dictated_note_gets_its_sentences() -> None:
    scan = scan_people(RUN_ON, [KnownPerson("S1", "Dana Whitfield", "A1", "CFO"),
                                KnownPerson("S4", "Tom Baker", "A1", "IT Director")])
    marked = punctuate(RUN_ON, scan.mentions)
    assert marked is not None and ". tom baker joined" in marked and ". i will send" in marked
    assert punctuate("Met Dana. She was happy, and Tom Baker joined later.", scan.mentions) is None
    assert not dictated("Met Dana today, she was happy.")


def test_each_person_in_a_dictated_note_keeps_their_own_mood() -> None:
    found = extract(RUN_ON, as_of=SUN)
    assert people(found) == {"S1": 2, "S4": 0}
    assert [(c.side, c.due) for c in found.commitments] == [("ours", dt.date(2026, 11, 25))]


def test_the_deadline_is_the_due_not_another_day_in_the_promise() -> None:
    found = extract("Call with Dana. Tom will send the forecast for next year by the end of the month.", as_of=SUN)
    assert [(c.owner, c.due) for c in found.commitments] == [("S4", dt.date(2026, 11, 30))]
