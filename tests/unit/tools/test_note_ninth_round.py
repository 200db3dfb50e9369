"""Forms the ninth round reads by general mechanisms: a comparison with before keeps the mood word's sign ("cooler
than in October", "way friendlier than last quarter"), "less" turns a good word round as "not" does ("less keen
than in October"), and a bare "next week" is due on its Friday (tests in ``test_note_promise_forms.py``)."""

from __future__ import annotations

import datetime as dt

import pytest

from tools.notes.extract import OfflineExtractor
from tools.notes.schema import KnownAccount, KnownPerson

MON = dt.date(2026, 12, 7)
ACME = [KnownPerson("S1", "Dana Whitfield", "A1", "CFO"), KnownPerson("S2", "Priya Shah", "A1", "Procurement Lead")]


def _moods(text: str) -> dict[str, int]:
    x = OfflineExtractor().extract(text, as_of=MON, people=ACME, accounts=[KnownAccount(id="A1", name="Acme Corp")],
                                   account_id="A1")
    return {p.name.split()[0]: p.sentiment for p in x.participants}


@pytest.mark.parametrize(("said", "sign"), [
    ("was cooler than in October", -1), ("was way friendlier than last quarter", 1),
    ("was less keen than in October", -1), ("was far more positive than last time", 1),
    ("was warmer than she has been since the summer", 1),
])
def test_a_comparison_with_before_keeps_the_words_sign(said: str, sign: int) -> None:
    assert _moods(f"Call with Dana Whitfield and Priya Shah today. Priya {said}. Dana took notes.")["Priya"] == sign


def test_less_of_a_bad_word_is_no_praise() -> None:
    assert _moods("Call with Dana Whitfield and Priya Shah today. Priya was less hostile than before.")["Priya"] == 0


def _extract(text: str, people: list[KnownPerson] = ACME):  # noqa: ANN202 (the extraction)
    return OfflineExtractor().extract(text, as_of=MON, people=people,
                                      accounts=[KnownAccount(id="A1", name="Acme Corp")], account_id="A1")


@pytest.mark.parametrize(("phrase", "day"), [
    ("tuesday 01/12", dt.date(2026, 12, 1)),  # the 1st of December was a Tuesday; the 12th of January a Monday
    ("fri 11/12", dt.date(2025, 12, 11)),  # neither order is a Friday before Monday 7 December: the note's order
])
def test_a_weekday_before_a_numeric_date_tells_its_order(phrase: str, day: dt.date) -> None:
    from tools.notes.extract.dates import resolve
    assert resolve(phrase, MON, prefer="past", day_first=None if "tue" in phrase else True) == day


def test_a_weekday_that_fits_one_order_of_the_numbers_is_no_conflict() -> None:
    x = _extract("Visit to Acme on tuesday 01/12 with Dana Whitfield. I'll send the price until friday (11/12).")
    assert x.date is not None and x.date.value == dt.date(2026, 12, 1) and x.questions == []


@pytest.mark.parametrize(("spoken", "day"), [("Thursdee", dt.date(2026, 12, 3)), ("Mondee", dt.date(2026, 11, 30))])
def test_a_weekday_spelt_as_it_is_said(spoken: str, day: dt.date) -> None:
    x = _extract(f"Acme meeting {spoken} with Dana Whitfield, all good.")
    assert x.date is not None and x.date.value == day


@pytest.mark.parametrize("said", ["she will consult other suppliers", "she'll get quotes from two other vendors",
                                  "she will talk to other suppliers"])
def test_shopping_around_is_a_stand_not_a_promise(said: str) -> None:
    x = _extract(f"Meeting with Dana Whitfield today. Dana said the renewal price is a surprise and {said}.")
    assert x.commitments == [] and [p.sentiment for p in x.participants] == [-1]


@pytest.mark.parametrize(("text", "act"), [
    ("go ahead and write it to the account", "assent"), ("pop it in the CRM please", "assent"),
    ("no worries, save", "assent"), ("cheers, log it", "assent"), ("you can enter it now", "assent"),
    ("please don't post it", "refuse"), ("no need to enter it", "refuse"),
])
def test_an_act_on_the_note_said_in_its_parts(text: str, act: str) -> None:
    from tools.notes.reply_act import reply_act
    found = reply_act(text)
    assert found.act == act and found.confidence >= 0.6
