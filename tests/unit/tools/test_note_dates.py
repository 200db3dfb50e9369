"""Dates of a note: numeric days, windows without a day, days that do not exist, and the meeting's own day."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.agent.test_extraction import SUN, WED, extract
from tools.notes.extract.dates import before_the_holidays, resolve


@pytest.mark.parametrize(("phrase", "expected"), [
    ("by 12/4", dt.date(2026, 12, 4)),  # month first, as most notes write it
    ("by 25/11", dt.date(2026, 11, 25)),  # no 25th month: day first
    ("on 1/15/2027", dt.date(2027, 1, 15)),
    ("by 11/31", None),  # no such day either way
    ("the 32nd", None),
])
def test_numeric_and_impossible_days(phrase: str, expected: dt.date | None) -> None:
    assert resolve(phrase, WED, prefer="future") == expected


def dues(text: str, as_of: dt.date = WED) -> list[tuple[str, dt.date | None]]:
    return [(c.description, c.due) for c in extract(text, as_of=as_of).commitments]


def test_a_window_without_a_day_is_no_due_and_no_question() -> None:
    for text in ("Met Dana. I'll send the pricing sometime in December.",
                 "Met Dana. She'll confirm the budget next month."):
        result = extract(text)
        assert [c.due for c in result.commitments] == [None] and result.questions == [], text
    assert dues("Met Dana. I'll send the pricing mid-December.") == [("send the pricing", dt.date(2026, 12, 15))]
    assert dues("Met Dana. I'll send the pricing within two weeks.") == [("send the pricing", dt.date(2026, 12, 2))]
    # the holidays are a day in all but name: the last Friday before Christmas Eve, shown with its words
    assert dues("Met Dana. Will send the pricing before the holidays.") == [("send the pricing", dt.date(2026, 12, 18))]


def test_an_impossible_day_is_asked_not_guessed() -> None:
    result = extract("Met Dana on 11/31, she was keen.")
    assert result.date is None
    assert any("11/31" in q for q in result.questions)


def test_two_things_with_a_due_each_are_two_promises() -> None:
    assert dues("Met Dana. Sending Dana the quote tmrw and the rollout plan by 12/4.") == [
        ("send Dana the quote", dt.date(2026, 11, 19)), ("send the rollout plan", dt.date(2026, 12, 4))]
    assert dues("Met Dana. Promised the SOW by Friday.") == [("the SOW", dt.date(2026, 11, 20))]


@pytest.mark.parametrize("text", [
    "Sam Ortiz has moved on (left last week). Call with Dana, she is keen.",
    "Tom Baker quit, his last day was Friday. Met Dana instead.",
    "The export broke again Tuesday. Dana is annoyed.",
])
def test_the_meeting_is_dated_by_phrases_about_it_only(text: str) -> None:
    assert extract(text, as_of=SUN).interaction_date(SUN) == SUN


def test_a_run_on_note_is_dated_by_its_meeting() -> None:
    text = ("talked to Dana on the phone yesterday she said the board is meeting in january and they're freezing "
            "projects until the new cfo starts")
    assert extract(text, as_of=SUN).interaction_date(SUN) == dt.date(2026, 11, 21)


def test_a_misspelt_weekday_is_read_by_its_nearest_spelling() -> None:
    assert extract("Met Dana on Thirsday.", as_of=SUN).interaction_date(SUN) == dt.date(2026, 11, 19)
    assert dues("Met Dana. I'll send the deck by Wendesday.") == [("send the deck", dt.date(2026, 11, 25))]
    unreadable = extract("Met Dana on Xyzday.", as_of=SUN)
    assert any("Xyzday" in q for q in unreadable.questions)
    assert extract("Dana on holiday; met Tom Baker today.", as_of=SUN).questions == []


@pytest.mark.parametrize(("text", "day"), [
    ("acme mtg wed w/ dana. she's keen. me: send the deck by wed", dt.date(2026, 11, 18)),  # "wed" before "w/"
    ("acme - call wed w dana and tom baker. dana keen", dt.date(2026, 11, 18)),  # and before chat's "w"
    ("acme teams wed → dana keen\nactions: me: deck to dana fri", dt.date(2026, 11, 18)),
    ("Acme onsite Wed 18/11 with Dana, keen on the pilot", dt.date(2026, 11, 18)),  # weekday and numbers
    ("Acme | teams | Dana\nDana keen on the pilot\nthis was thu", dt.date(2026, 11, 19)),  # "this was ..."
    ("Acme @ trade fair yesterday (last day of the show). Dana stopped by, keen", dt.date(2026, 11, 21)),
])
def test_the_meeting_day_in_shorthand(text: str, day: dt.date) -> None:
    assert extract(text, as_of=SUN).interaction_date(SUN) == day


def test_a_weekday_before_numbers_is_the_numbers_day() -> None:
    assert resolve("Wed 18/11", SUN, prefer="past") == dt.date(2026, 11, 18)
    assert resolve("Thursday, 3/12", SUN, prefer="future", day_first=True) == dt.date(2026, 12, 3)


def test_a_last_day_at_work_is_still_news_not_the_meeting() -> None:
    assert extract("Tom Baker's last day of work was Friday. Met Dana.", as_of=SUN).interaction_date(SUN) == SUN


@pytest.mark.parametrize(("text", "day"), [
    ("Kingsley QBR 18/11 - Anton, Hugo", "18/11"),  # a heading's day, before the dash that opens the list
    ("call 18/11 w/ Anton", "18/11"),
    ("onsite 18/11 with Anton", "18/11"),
])
def test_a_bare_day_before_a_list_of_people_is_a_date(text: str, day: str) -> None:
    from tools.notes.extract.dates import DATE_RE

    assert [m.group(0) for m in DATE_RE.finditer(text)] == [day]


def test_a_fraction_in_a_sentence_is_no_date() -> None:
    from tools.notes.extract.dates import DATE_RE

    assert list(DATE_RE.finditer("3/4 sites are live and the rest follow")) == []


@pytest.mark.parametrize(("phrase", "as_of", "expected"), [
    ("end of next week", WED, dt.date(2026, 11, 27)),
    # dotted dates are day first
    ("by 30.11.", SUN, dt.date(2026, 11, 30)),
    ("until 4.12.", SUN, dt.date(2026, 12, 4)),
    ("until the 27.11.", SUN, dt.date(2026, 11, 27)),
    ("by 31.11.", SUN, None),
])
def test_dotted_days(phrase: str, as_of: dt.date, expected: dt.date | None) -> None:
    assert resolve(phrase, as_of, prefer="future") == expected


def test_a_dotted_day_is_found_in_a_note_and_does_not_end_its_sentence() -> None:
    text = "Call with Dana Whitfield. Dana sends me until 30.11. the volume forecast, and I send the offer by 4.12."
    assert dues(text, SUN) == [("send me the volume forecast", dt.date(2026, 11, 30)),
                               ("send the offer", dt.date(2026, 12, 4))]


@pytest.mark.parametrize(("as_of", "this_week", "next_week"), [
    (dt.date(2026, 11, 18), dt.date(2026, 11, 20), dt.date(2026, 11, 27)),  # a Wednesday
    (dt.date(2026, 11, 20), dt.date(2026, 11, 20), dt.date(2026, 11, 27)),  # a Friday
    (dt.date(2026, 11, 22), dt.date(2026, 11, 27), dt.date(2026, 11, 27)),  # a Sunday: the coming week is next week
])
def test_end_of_this_and_next_week(as_of: dt.date, this_week: dt.date, next_week: dt.date) -> None:
    assert resolve("end of the week", as_of, prefer="future") == this_week
    assert resolve("end of next week", as_of, prefer="future") == next_week


def test_before_the_holidays_is_the_last_friday_before_christmas_eve() -> None:
    assert before_the_holidays(dt.date(2026, 11, 22)) == dt.date(2026, 12, 18)
    assert before_the_holidays(dt.date(2026, 12, 21)) == dt.date(2027, 12, 17)  # this year's is past
