"""Shorthand a rep types between meetings (fifth round): contractions written without their apostrophe ("ill send",
"im sending", "ive promised"), "<thing> to <one of them> <day>" as our promise, "first thing Monday" as a due's own
words, "promised to <verb>" (no recipient), "she's <title> now", "notes from friday", a line "X has left", "moved to
<title>", a title followed by a word that is no first name, "kept pushing back", and a surname written in lower case
that opens a clause ("weds: reid pushing back") asked about when two people share it."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.agent.test_extraction import SUN, extract, people
from tools.notes.extract.people import scan_people
from tools.notes.schema import KnownPerson


def promises(text: str) -> list[tuple[str, str, dt.date | None]]:
    return [(c.side, c.description, c.due) for c in extract(text, as_of=SUN).commitments]


@pytest.mark.parametrize(("text", "expected"), [
    ("Call with Dana. im sending the renewal proposal by tuesday",
     [("ours", "send the renewal proposal", dt.date(2026, 11, 24))]),
    ("Call with Dana. ill get her the pen test summary by dec 1",
     [("ours", "get her the pen test summary", dt.date(2026, 12, 1))]),
    ("Call with Dana. ive promised her the deck by friday", [("ours", "the deck for her", dt.date(2026, 11, 27))]),
    ("Call with Dana. im going to send the deck by friday", [("ours", "send the deck", dt.date(2026, 11, 27))]),
    ("Call with Dana Whitfield. recovery plan to Dana first thing Monday.",
     [("ours", "recovery plan to Dana", dt.date(2026, 11, 23))]),
    ("Call with Dana Whitfield. deck to her by friday.", [("ours", "deck to her", dt.date(2026, 11, 27))]),
    ("Call with Dana. Dana promised to nominate a test clinic first thing Monday.",
     [("customer", "nominate a test clinic", dt.date(2026, 11, 23))]),
])
def test_shorthand_promises(text: str, expected: list[tuple[str, str, dt.date | None]]) -> None:
    assert promises(text) == expected


@pytest.mark.parametrize("text", [
    "Call with Dana, she was ill last week.",  # "ill" the word
    "Call with Dana Whitfield. sent the deck to her on friday.",  # told in the past: done, not promised
])
def test_no_promise(text: str) -> None:
    assert promises(text) == []


def test_notes_from_a_day_date_the_meeting_and_its_due_is_no_meeting_day() -> None:
    found = extract("notes from friday, walking to the car... Dana Whitfield really angry. recovery plan to Dana "
                    "first thing Monday.", as_of=SUN)
    assert found.date is not None and found.date.value == dt.date(2026, 11, 20)


@pytest.mark.parametrize(("text", "change"), [
    ("Call with Dana Whitfield, in a great mood, she's Chief Transformation Officer now.",
     ("S1", "title_change", "Chief Transformation Officer")),
    ("Tom Baker moved to Head of Manufacturing Excellence.", ("S4", "title_change",
                                                             "Head of Manufacturing Excellence")),
    ("Call - Mon 16 Nov\n- Dana Whitfield: positive\n- Tom Baker has left\n- me: the breakdown by Thursday",
     ("S4", "left_company", None)),
])
def test_changes(text: str, change: tuple[str, str, str | None]) -> None:
    found = extract(text, as_of=SUN)
    assert [(c.stakeholder_id, c.kind, c.new_title) for c in found.changes] == [change]
    assert "S4" not in people(found) or change[0] != "S4"  # who changed is named for it, not as one who was there
    assert all(p.stakeholder_id for p in found.participants)  # "Excellence" after a title is no new person


def test_she_is_happy_now_changes_no_title() -> None:
    assert extract("Call with Dana Whitfield. She is happy now.", as_of=SUN).changes == []


def test_haggling_is_business_but_kept_pushing_back_is_a_stand() -> None:
    assert people(extract("Call with Dana and Tom. Dana pushed back on price.", as_of=SUN))["S1"] == 0
    assert people(extract("Call with Dana and Tom. Dana kept pushing back on price.", as_of=SUN))["S1"] == -1


REIDS = [KnownPerson("P1", "Ian Reid", "A1", "COO"), KnownPerson("P2", "Hannah Reid", "A1", "IT Director"),
         KnownPerson("P3", "David Harper", "A1", "VP Finance")]


def test_a_lower_case_surname_opening_a_clause_is_asked_about() -> None:
    scan = scan_people("pioneer mtg weds: reid pushing back hard on the timeline, harper v supportive.", REIDS)
    assert scan.questions == ["Which Reid do you mean: Ian Reid (COO) or Hannah Reid (IT Director)?"]
    assert [m.person_id for m in scan.mentions if m.person_id] == ["P3"]


def test_a_lower_case_everyday_word_mid_sentence_is_no_name() -> None:
    scan = scan_people("pioneer mtg weds: we need to reid the terms, harper v supportive.", REIDS)
    assert scan.questions == []


@pytest.mark.parametrize(("text", "asked"), [
    ("Call with Dana, Thursday 17 Nov. All good.", "'Thursday 17 Nov' does not match the calendar (2026-11-17 was a "
                                                   "Tuesday)"),
    ("Call with Dana, this was, uh, Wednesday the 31st. All good.", "'Wednesday the 31st' does not match"),
    ("Acme - call Tues 19.11.\nPresent: Dana.", "'Tues 19.11.' does not match the calendar (2026-11-19 was a "
                                              "Thursday)"),  # the month after the day is quoted with it
    ("mtg last thurs 11/26 w dana, all good", "'last thurs 11/26' is a day still to come"),
])
def test_a_weekday_and_a_date_that_disagree_are_asked_about(text: str, asked: str) -> None:
    found = extract(text, as_of=SUN)
    assert found.date is None and any(asked in q for q in found.questions), found.questions


@pytest.mark.parametrize("text", ["Call with Dana, Tuesday 17 Nov. All good.", "Call with Dana Wed 18/11, all good.",
                                  "Call with Dana on Thu 19.11., all good."])
def test_a_weekday_and_a_date_that_agree(text: str) -> None:
    found = extract(text, as_of=SUN)
    assert found.date is not None and found.questions == []


def test_a_weekday_owning_the_meeting_dates_it() -> None:
    found = extract("Hi, logging Friday's call with Acme: Dana Whitfield was on, really positive.", as_of=SUN)
    assert found.date is not None and found.date.value == dt.date(2026, 11, 20)
    numbers = extract("Call with Dana Whitfield today, she said Tuesday's numbers were fine.", as_of=SUN)
    assert numbers.date is not None and numbers.date.value == SUN


def test_a_day_after_the_people_of_a_meeting_is_no_one_to_ask_about() -> None:
    found = extract("Acme - Teams w/ Dana Whitfield, Fri. Dana supportive of the rollout.", as_of=SUN)
    assert found.questions == [] and people(found) == {"S1": 1}
