"""Day words, moods and meeting words of the other languages reps mix into their notes ("Reunión with Halcyon
ayer", "call el martes", "hasta el viernes", "el 31 de noviembre", "muy contenta")."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.agent.test_extraction import SUN, extract, people
from tools.notes.extract.dates import DATE_RE, resolve
from tools.notes.extract.foreign_days import in_english


@pytest.mark.parametrize(("phrase", "prefer", "expected"), [
    ("el martes", "past", dt.date(2026, 11, 17)),
    ("ayer", "past", dt.date(2026, 11, 21)),
    ("gestern", "past", dt.date(2026, 11, 21)),
    ("hasta el viernes", "future", dt.date(2026, 11, 27)),
    ("el 13 de noviembre", "past", dt.date(2026, 11, 13)),
    ("el 31 de noviembre", "past", None),  # no such day: the caller asks
    ("mañana", "future", dt.date(2026, 11, 23)),
])
def test_foreign_day_words_are_days(phrase: str, prefer: str, expected: dt.date | None) -> None:
    assert [m.group(0) for m in DATE_RE.finditer(phrase)] == [phrase.removeprefix("hasta ")]
    assert resolve(phrase, SUN, prefer=prefer) == expected  # type: ignore[arg-type]


def test_words_that_are_not_days_stay_words() -> None:
    assert [m.group(0) for m in DATE_RE.finditer("por la mañana we met")] == []
    assert in_english("el jueves") == "thursday" and in_english("Friday") == "Friday"


def test_a_note_in_two_languages() -> None:
    result = extract("Halcyon store visit el jueves with Dana Whitfield and Tom Baker. Dana encantada with the "
                     "pilot, Tom still enfadado. I send the pilot proposal hasta el viernes.", as_of=SUN)
    assert result.date is not None and result.date.value == dt.date(2026, 11, 19)
    assert people(result) == {"S1": 1, "S4": -1}
    assert [(c.side, c.due) for c in result.commitments] == [("ours", dt.date(2026, 11, 27))]


def test_someone_whose_mood_the_note_tells_took_part() -> None:
    # the room is "call ... - Dana"; Tom's mood is told, so he was there too
    result = extract("Acme call on Tuesday - Dana Whitfield keen, Tom Baker angry.", as_of=SUN)
    assert people(result) == {"S1": 1, "S4": -2}
