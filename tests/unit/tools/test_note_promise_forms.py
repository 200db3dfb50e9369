"""Dated promises in shorthand and non-native English: a plain verb after a name with a deadline ("Stefan send the
checklist until 30/11"), "I answer ... until 4/12", "she did agree to send", "he did say he'd send", items of one
action line split at " / ", a name opening a new line, and an ambiguous numeric day read as the nearer one."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.agent.test_extraction import SUN, extract
from tools.notes.extract.dates import date_order, resolve


def promises(text: str) -> list[tuple[str, str | None, dt.date | None]]:
    return [(c.side, c.owner, c.due) for c in extract(text, as_of=SUN).commitments]


@pytest.mark.parametrize(("text", "expected"), [
    ("Call with Dana and Tom. Tom send the security checklist until 30/11.",
     [("customer", "S4", dt.date(2026, 11, 30))]),
    ("Call with Dana. I answer the questionnaire for Dana until 27/11.", [("ours", None, dt.date(2026, 11, 27))]),
    ("Call with Dana, not thrilled. she did agree to send the framework docs by the 30th.",
     [("customer", "S1", dt.date(2026, 11, 30))]),
    ("Met Tom Baker. Tom did say he'd send the DPA comments by Dec 2.", [("customer", "S4", dt.date(2026, 12, 2))]),
    # "Tom will brief her": the customer's own undated step, nothing for us (test_note_commitments.py)
    ("call w/ Dana + Tom\n- Tom will brief her\nDana to send the onboarding form by wed",
     [("customer", "S1", dt.date(2026, 11, 25))]),
    ("call w/ Dana\nactions: dana sends the residency requirements fri / me: whitepaper to dana wed",
     [("customer", "S1", dt.date(2026, 11, 27)), ("ours", None, dt.date(2026, 11, 25))]),
])
def test_shorthand_and_non_native_promises(text: str, expected: list[tuple[str, str | None, dt.date | None]]) -> None:
    assert promises(text) == expected


def test_a_plain_verb_after_a_name_without_a_deadline_is_no_promise() -> None:
    assert promises("Call with Dana and Tom. Tom send us many questions about encryption.") == []


@pytest.mark.parametrize(("phrase", "expected"), [
    ("by 4/12", dt.date(2026, 12, 4)),  # the 4th of December is nearer than the 12th of April
    ("until 1/12", dt.date(2026, 12, 1)),
    ("by 12/4", dt.date(2026, 12, 4)),
    ("by 12/1", dt.date(2026, 12, 1)),
])
def test_an_ambiguous_numeric_day_is_the_nearer_reading(phrase: str, expected: dt.date) -> None:
    assert resolve(phrase, SUN, prefer="future", day_first=None) == expected


def test_the_date_order_a_note_gives() -> None:
    assert date_order("Date: 17/11 ... by 4/12") is True
    assert date_order("on 11/17, send by 4/12") is False
    assert date_order("send by 4/12") is None
    assert resolve("4/12", SUN, prefer="future", day_first=False) == dt.date(2027, 4, 12)


@pytest.mark.parametrize("text", [
    "Met Dana and Tom. Tom will recommend to stop the contract.",
    "Call with Dana, cold with us, she say maybe they will look at other vendors next year.",
    "Call with Dana. Their team will switch to another supplier.",
])
def test_a_threat_is_no_promise(text: str) -> None:
    assert promises(text) == []


def test_a_new_act_after_and_ends_the_promise() -> None:
    text = "Met Dana. She said she'll personally sponsor the expansion and asked for the contract this week."
    assert promises(text) == []


def test_a_minutes_line_that_reports_the_past_is_no_action() -> None:
    text = "Review\nPresent: Dana Whitfield\n- Dana: brought up the September outage again\n- me: revised plan by 27/11"
    assert promises(text) == [("ours", None, dt.date(2026, 11, 27))]


@pytest.mark.parametrize(("text", "due"), [
    ("Met Dana. until 27/11 we send the offer.", dt.date(2026, 11, 27)),
    ("Met Dana. By Friday I send the revised quote.", dt.date(2026, 11, 27)),
])
def test_a_leading_deadline_before_a_present_promise(text: str, due: dt.date) -> None:
    assert promises(text) == [("ours", None, due)]


def test_shorthand_pronoun_promises_and_a_plain_promise() -> None:
    assert promises("Call w/ Dana. they to confirm the pilot sites by wed.") == [
        ("customer", None, dt.date(2026, 11, 25))]
    found = extract("Call w/ Dana. I promise to her the new quote until monday.", as_of=SUN).commitments
    assert [(c.side, c.due, c.description) for c in found] == [("ours", dt.date(2026, 11, 23), "the new quote for her")]


def test_an_absent_persons_own_decision_is_news_not_a_promise() -> None:
    assert promises("Call with Dana on Tuesday. Tom Baker will decide the budget in december.") == []
    assert promises("Call with Dana and Tom Baker. Tom will decide the budget.") == [("customer", "S4", None)]
    assert promises("Call with Dana on Tuesday. Tom Baker will send the PO by Friday.") == [
        ("customer", "S4", dt.date(2026, 11, 27))]


@pytest.mark.parametrize(("text", "expected"), [
    # an arrow between the owner and the thing, and between the thing and its day
    ("Call with Dana and Tom. Tom → pen-test scope doc → 3 Dec.", [("customer", "S4", dt.date(2026, 12, 3))]),
    ("call w/ Dana\nActions:\n- Dana: pilot depot list → Wed", [("customer", "S1", dt.date(2026, 11, 25))]),
    ("Call with Dana. Dana -> process map by Friday.", [("customer", "S1", dt.date(2026, 11, 27))]),
    # an action line said to have no day is still an action
    ("call w/ Dana\nActions:\n- Dana: plant floor layout, no date yet", [("customer", "S1", None)]),
    ("call w/ Dana\nActions: Dana – region rollout dates (no date given)", [("customer", "S1", None)]),
    # "'s going to" / "I'm going to" without a space before the contraction; "i ll" without its apostrophe
    ("Call with Dana and Tom. Tom's going to send the list of warehouses by December 11.",
     [("customer", "S4", dt.date(2026, 12, 11))]),
    ("Lunch with Dana. I'm going to send Dana the rollout timeline on Monday.",
     [("ours", None, dt.date(2026, 11, 23))]),
    ("dinner w dana yday. i ll send dana our charter end of next wk", [("ours", None, dt.date(2026, 11, 27))]),
    # the present tense of ours with its day after a comma
    ("Call with Dana. I set up a reference call w/ another utility, fri.", [("ours", None, dt.date(2026, 11, 27))]),
])
def test_arrows_undated_lines_and_contractions(text: str,
                                               expected: list[tuple[str, str | None, dt.date | None]]) -> None:
    assert promises(text) == expected


@pytest.mark.parametrize("text", [
    "Call with Dana. She said the savings we promised haven't shown up in her numbers.",
    "Call with Dana. Dana: frustrated w/ ticket times, escalating internally ☹️",
])
def test_a_past_promise_or_an_undated_internal_step_is_no_commitment(text: str) -> None:
    assert promises(text) == []


@pytest.mark.parametrize(("phrase", "expected"), [
    ("in 2 wks", dt.date(2026, 12, 6)),
    ("end of next wk", dt.date(2026, 11, 27)),  # on a Sunday, the coming week is "next week"
    ("in the next two weeks", dt.date(2026, 12, 6)),
    ("on monday 30", dt.date(2026, 11, 30)),  # the weekday with its day of the month: the number tells
    ("by Friday 4th", dt.date(2026, 12, 4)),
])
def test_due_phrases_in_shorthand(phrase: str, expected: dt.date) -> None:
    assert resolve(phrase, SUN, prefer="future", day_first=None) == expected


def test_a_weekday_before_a_count_is_only_the_weekday() -> None:
    from tools.notes.extract.dues import due_in
    text = "see them Mon 3 sites"
    assert due_in(text, 0, len(text), SUN, [])[0] == dt.date(2026, 11, 23)


@pytest.mark.parametrize("phrase", ["next mth", "next month", "sometime in january"])
def test_a_window_in_shorthand_is_still_no_day(phrase: str) -> None:
    from tools.notes.extract.dues import due_in
    text = f"send it {phrase}"
    assert due_in(text, 0, len(text), SUN, [])[0] is None


@pytest.mark.parametrize("phrase", ["next wk", "next week", "by next week", "sometime next week", "during next wk"])
def test_next_week_is_due_on_its_friday(phrase: str) -> None:
    """A week with no day in it is due on its Friday, as "end of next week" is; written on a Sunday, the coming
    week is "next week" (Friday 27 November), and the phrase is kept so the rep sees what was read."""
    from tools.notes.extract.dues import due_in
    text = f"send it {phrase}"
    day, said, _ = due_in(text, 0, len(text), SUN, [])
    assert day == dt.date(2026, 11, 27) and said is not None and "week" in said.replace("wk", "week")
    assert due_in(text, 0, len(text), dt.date(2026, 12, 3), [])[0] == dt.date(2026, 12, 11)  # written on a Thursday


@pytest.mark.parametrize("text", [
    "Call with Dana. She said maybe they will go to a tender in spring.",
    "Call with Dana. Perhaps she'll send the usage numbers next week.",
    "Call with Dana. She will possibly send the usage numbers next week.",
])
def test_a_hedged_guess_is_no_promise(text: str) -> None:
    assert promises(text) == []


def test_a_month_named_may_is_no_hedge() -> None:
    assert promises("Call with Dana. In May she will send the renewal forecast by the 30th.")[0][:2] == (
        "customer", "S1")


@pytest.mark.parametrize(("text", "expected"), [
    ("Call with Dana. The audit log specification will be sent to Dana by me by 2/12.",
     [("ours", None, dt.date(2026, 12, 2))]),
    ("Call with Dana and Tom. A list of priority stores will be provided by Tom by 4/12.",
     [("customer", "S4", dt.date(2026, 12, 4))]),
    ("Call with Dana. A pricing proposal is to be prepared by me within two weeks.",
     [("ours", None, dt.date(2026, 12, 6))]),
    ("Call with Dana. The contract was signed by Tom last week.", []),  # done, not promised
    ("Call with Dana. The quote will be reviewed by Friday.", []),  # nobody named as the doer
])
def test_a_promise_in_the_passive_voice_is_its_agents(text: str,
                                                      expected: list[tuple[str, str | None, dt.date | None]]) -> None:
    assert promises(text) == expected


def test_a_passive_promise_reads_as_the_active_to_do() -> None:
    found = extract("Call with Dana. The audit log specification will be sent to Dana by me by 2/12.", as_of=SUN)
    assert [c.description for c in found.commitments] == ["send the audit log specification to Dana"]


@pytest.mark.parametrize("text", [
    "Fwd from Sam (he asked me to log it while he's travelling): call with Dana, all fine.",
    "You asked me to tell you about meetings, so: met Dana yesterday, all fine.",
    "Forwarding Tom's write-up: met Dana yesterday, all fine.",
])
def test_asking_for_the_note_to_be_logged_is_no_promise(text: str) -> None:
    assert promises(text) == []


def test_a_subjectless_offer_after_a_semicolon_is_the_person_before_its() -> None:
    found = promises("Workshop with Dana. Dana excited about the pilot; offered to send the usage data by Friday.")
    assert found == [("customer", "S1", dt.date(2026, 11, 27))]


def test_a_promise_on_a_minutes_line_is_the_line_heads() -> None:
    text = ("Acme - Zoom, Monday\nDana: business-like, will send the renewal redlines by 1 Dec\n"
            "Tom: retired end of October")
    assert promises(text) == [("customer", "S1", dt.date(2026, 12, 1))]  # Tom's line is news, no promise
