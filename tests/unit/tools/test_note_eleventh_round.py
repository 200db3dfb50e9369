"""Forms the tuning sets' threads and notes showed the reader and the thread missing, each read by a general
mechanism: a weekday that labels a written-out date is one date ("Friday the eighteenth of December"); in a reply of
several parts, a "she" is the person named just before it, not the draft's first; a due set aside ("11/12 not
10/12") names the promise that moves; an answer to "which Vargas?" may give the title's stem ("the finance one"); a
RAG word or a mood label standing as an item after a person is the writer's rating; "at best" praises nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from store.db import Database
from tests.unit.tools.test_note_drafts import _note, _say, _stored, store  # noqa: F401 (the fixture)
from tools.notes.answers import _choose_person
from tools.notes.extract import OfflineExtractor
from tools.notes.extract.dates import DATE_RE, resolve
from tools.notes.extract.people import scan_people
from tools.notes.extract.rating import ratings
from tools.notes.schema import KnownAccount, KnownPerson, NoteExtraction

WED = dt.date(2026, 12, 9)
ACME = [KnownPerson("S1", "Dana Whitfield", "A1", "CFO"), KnownPerson("S2", "Priya Shah", "A1", "Procurement Lead"),
        KnownPerson("S3", "Ben Okoro", "A1", "Data Engineer"), KnownPerson("S4", "Valentina Gomez", "A1", "Buyer")]
ACCOUNTS = [KnownAccount(id="A1", name="Acme Corp")]


def _extract(text: str) -> NoteExtraction:
    return OfflineExtractor().extract(text, as_of=WED, people=ACME, accounts=ACCOUNTS, account_id="A1",
                                      colleagues=["Jordan Lee"])


def _moods(text: str) -> dict[str, int]:
    return {p.stakeholder_id or p.name: p.sentiment for p in _extract(text).participants}


@pytest.mark.parametrize(("said", "day"), [
    ("by Friday the eighteenth of December, not the eleventh", dt.date(2026, 12, 18)),
    ("on Friday 18 December", dt.date(2026, 12, 18)), ("Fri, 18th Dec", dt.date(2026, 12, 18)),
    ("Friday December 18th", dt.date(2026, 12, 18)),
])
def test_a_weekday_before_a_written_date_labels_it(said: str, day: dt.date) -> None:
    first = DATE_RE.search(said)
    assert first is not None and resolve(first.group(0), WED, prefer="future") == day


def test_a_weekday_alone_is_still_the_next_one() -> None:
    found = [m.group(0) for m in DATE_RE.finditer("I'll send it on Friday. December is busy.")]
    assert found[0] == "Friday" and resolve(found[0], WED, prefer="future") == dt.date(2026, 12, 11)


def test_a_reply_moves_a_due_to_a_weekday_and_written_date(store: Database) -> None:  # noqa: F811
    _note(store, "Call with Dana Whitfield at Acme today. Dana will return the order form by Friday.")
    moved = _say(store, "The order form is to be returned by Friday the twenty-seventh of November, not the 20th.")
    assert moved is not None and moved.pending is not None
    assert [c["due"] for c in moved.pending["commitments"]] == ["2026-11-27"]


def test_she_in_a_later_part_of_a_reply_is_the_person_named_before_it(store: Database) -> None:  # noqa: F811
    _note(store, "Call with Dana Whitfield and Priya Shah at Acme today. Dana was delighted, Priya said little.")
    edited = _say(store, "Tom Becker has since told me that Priya Shah was in fact rather hostile on the pricing; "
                         "she should be recorded as negative.")
    assert edited is not None and edited.pending is not None
    moods = {p["name"]: p["sentiment"] for p in edited.pending["participants"]}
    assert moods["Priya Shah"] < 0 and moods["Dana Whitfield"] > 0


def test_a_due_set_aside_names_the_promise_that_moves(store: Database) -> None:  # noqa: F811
    _note(store, "Acme call today with Dana Whitfield. Dana to send the budget envelope by 20/11. I owe Dana the "
                 "extension paper by 27/11.")
    moved = _say(store, "oh and Dana said 24/11 not 20/11")
    assert moved is not None and moved.pending is not None
    assert [c["due"] for c in moved.pending["commitments"]] == ["2026-11-24", "2026-11-27"]
    assert _say(store, "confirm") is not None
    assert sorted(str(c.due) for c in _stored(store)[2]) == ["2026-11-24", "2026-11-27"]


@pytest.mark.parametrize(("answer", "chosen"), [("the finance one", "S1"), ("the information one", "S2"),
                                               ("the procuring one", "S3")])
def test_an_answer_may_give_the_stem_of_a_title(answer: str, chosen: str) -> None:
    candidates = [KnownPerson("S1", "Isaac Vargas", "A1", "Chief Financial Officer"),
                  KnownPerson("S2", "Aisha Vargas", "A1", "Chief Information Officer"),
                  KnownPerson("S3", "Leo Vargas", "A1", "Procurement Manager")]
    person = _choose_person(answer, candidates, skip="Vargas")
    assert person is not None and person.id == chosen


def test_a_title_word_that_shares_no_stem_chooses_no_one() -> None:
    candidates = [KnownPerson("S1", "Isaac Vargas", "A1", "Chief Financial Officer"),
                  KnownPerson("S2", "Aisha Vargas", "A1", "Chief Information Officer")]
    assert _choose_person("the chief one", candidates, skip="Vargas") is None  # both are chiefs


def test_departures_told_the_irish_way_or_as_a_move_to_a_rival_are_one_change() -> None:
    x = _extract("Acme call Monday with Dana Whitfield. Valentina Gomez is after leaving them, she went over to a "
                 "competitor at the end of last month.")
    assert [(c.stakeholder_id, c.kind) for c in x.changes] == [("S4", "left_company")]
    assert "S4" not in {p.stakeholder_id for p in x.participants}
    y = _extract("Acme call Monday with Dana Whitfield. Ben Okoro went over to a rival in November.")
    assert [(c.stakeholder_id, c.kind) for c in y.changes] == [("S3", "left_company")]


@pytest.mark.parametrize(("text", "moods"), [
    ("Acme QBR Thursday. Dana Whitfield, CFO, green: wants the phase two quote. Priya Shah was red, wants a cut. "
     "Ben Okoro - amber - questions only.", {"S1": 1, "S2": -1, "S3": 0}),
    ("Acme call Wed.\n- Dana Whitfield: agreed to the three-year term, positive\n- Priya Shah: fine on the tech, "
     "worried about cutover. Neutral.\n- Ben Okoro - negative - hates the dashboards", {"S1": 1, "S2": 0, "S3": -1}),
])
def test_a_rag_word_or_mood_label_standing_after_a_person_is_the_writers_rating(text: str,
                                                                                moods: dict[str, int]) -> None:
    assert _moods(text) == moods


@pytest.mark.parametrize("text", ["Acme call Wed. Dana Whitfield raised red tape issues with the green energy audit.",
                                  "Acme call Wed. Dana Whitfield painted it red, then gave the green light."])
def test_red_and_green_inside_a_phrase_rate_no_one(text: str) -> None:
    assert ratings(text, scan_people(text, ACME)) == []


def test_at_best_praises_nothing_and_heated_is_negative() -> None:
    moods = _moods("acme call wed w dana whitfield + priya shah. dana was lowkey heated, said support has been 'mid "
                   "at best' since the new sla. priya only asked about the credit note.")
    assert moods == {"S1": -1, "S2": 0}
