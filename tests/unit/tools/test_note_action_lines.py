"""Commitments as reps write them: action lines headed by who does it (one of our people, or the customer's),
present-tense and subjectless promises, things that will be with us, quoted words and stances that are no
promise, due windows read against ``as_of``, and the "Date:" header that dates the meeting."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.agent.test_extraction import ACCOUNTS, PEOPLE, WED
from tools.notes.extract import OfflineExtractor
from tools.notes.extract.colleagues import Colleagues
from tools.notes.extract.dates import resolve
from tools.notes.schema import NoteExtraction
from tools.notes.validate import validate

OURS = ["Rae Rep", "Jordan Lee", "Maria Santos", "Tom Becker"]  # our people; the customer has a Tom Baker


def read(text: str, colleagues: list[str] = OURS) -> NoteExtraction:
    raw = OfflineExtractor().extract(text, as_of=WED, people=PEOPLE, accounts=ACCOUNTS, account_id="A1",
                                     colleagues=colleagues)
    result, _ = validate(raw, text=text, as_of=WED, people=PEOPLE, accounts=ACCOUNTS, account_id="A1")
    return result


def promises(text: str, colleagues: list[str] = OURS) -> list[tuple[str, str | None, dt.date | None]]:
    return [(c.side, c.owner, c.due) for c in read(text, colleagues).commitments]


def test_colleagues_are_found_by_name_first_name_and_initials() -> None:
    found = Colleagues(["Jordan Lee", "Maria Santos"])
    text = "JL to send; maria to send; J. Lee said; Jordanian; Maria Santos will"
    assert [text[a:b] for a, b in found.mentions(text)] == ["JL", "maria", "J. Lee", "Maria Santos"]


@pytest.mark.parametrize(("text", "expected"), [
    # the person at the head of an action line owns it: one of ours makes it ours, the customer's theirs
    ("Call with Dana.\nActions:\n- JL to send revised terms to Dana by 27/11\n- Dana to share the KPIs by month end",
     [("ours", None, dt.date(2026, 11, 27)), ("customer", "S1", dt.date(2026, 11, 30))]),
    ("Call with Dana.\n* Maria: send a contract amendment to Dana by Dec 2",
     [("ours", None, dt.date(2026, 12, 2))]),
    ("call with dana. maria to send the revised timeline by the 3rd", [("ours", None, dt.date(2026, 12, 3))]),
    ("Coffee with Dana >> maria sends rollout timeline by Dec 2.", [("ours", None, dt.date(2026, 12, 2))]),
    # a line that gives the customer a deliverable with a day, or says "she send ..."
    ("Call with Dana and Tom Baker.\nTom: dealer list by the 3rd.", [("customer", "S4", dt.date(2026, 12, 3))]),
    ("Call with Dana.\nDana: she send the new promo calendar on Monday.",
     [("customer", "S1", dt.date(2026, 11, 23))]),
    ("Call with Dana. Priya Raman sends the onboarding form by Friday.", []),  # not a person of this account
    ("Call with Dana. Next steps: Dana sends the onboarding form by Friday; I'll get Tom Baker a quote.",
     [("customer", "S1", dt.date(2026, 11, 20)), ("ours", None, None)]),
    # our Tom is not the customer's Tom Baker named in full
    ("Call with Tom Baker. Tom Baker to send the dealer list by Friday.", [("customer", "S4", dt.date(2026, 11, 20))]),
    # arrows, "To do:" lists with several items, "- on me"
    ("Call with Dana\n→ send SLA report by Dec 1", [("ours", None, dt.date(2026, 12, 1))]),
    ("Call with Dana. To do: rate card to Dana by Tuesday latest; roadmap deck for Dana within 2 weeks",
     [("ours", None, dt.date(2026, 11, 24)), ("ours", None, dt.date(2026, 12, 2))]),
    ("Call with Dana.\n- Dana: sold. Wants a volume forecast template by Dec 4 - on me.",
     [("ours", None, dt.date(2026, 12, 4))]),
    # "Action <who>:" minutes lines, a dotted date's dot ending no item; "..., me:" after a comma
    ("Meeting 18.11. Present: Dana, Tom Baker. Action Lee: revised term sheet by 27.11. Action Tom: stakeholder map "
     "by 4.12.", [("ours", None, dt.date(2026, 11, 27)), ("customer", "S4", dt.date(2026, 12, 4))]),
    ("qbr w dana. action me: outage RCA by friday", [("ours", None, dt.date(2026, 11, 20))]),
    ("qbr w dana. action me: outage RCA before the holidays", [("ours", None, dt.date(2026, 12, 18))]),
    ("onsite w dana. dana to send us the data catalogue by the 27th, me: sandbox access by tues",
     [("customer", "S1", dt.date(2026, 11, 27)), ("ours", None, dt.date(2026, 11, 24))]),
    # what is no action: a list of our people, "none", a state that lasts "till Feb", a thing already tracked
    ("Call with Dana. Our side: Rae Rep, Maria Santos.", []),
    ("Call with Dana. Actions: none from them; Tom to check in with Dana by the 10th.",
     [("ours", None, dt.date(2026, 12, 10))]),
    ("Call with Dana and Tom Baker. Dana: budget frozen till Feb, not happy.", []),
    ("Call with Dana. Actions: Maria - implementation plan by Dec 4 (already in CRM); Dana - send the interface "
     "list by 27/11", [("customer", "S1", dt.date(2026, 11, 27))]),
])
def test_action_lines(text: str, expected: list[tuple[str, str | None, dt.date | None]]) -> None:
    assert promises(text) == expected


def test_without_colleagues_a_line_of_ours_is_not_taken_for_the_customer() -> None:
    assert promises("Call with Dana.\n- JL to send revised terms by 27/11", colleagues=[]) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Call with Dana. I'm sending the security answers to Dana by 27/11.", [("ours", None, dt.date(2026, 11, 27))]),
    ("Call with Dana. I told her our engineer will do a walkthrough of the fix by Wednesday.",
     [("ours", None, dt.date(2026, 11, 25))]),
    ("Call with Dana. I send Dana the fee breakdown by Tuesday and I send Tom Baker the pilot plan by Dec 4.",
     [("ours", None, dt.date(2026, 11, 24)), ("ours", None, dt.date(2026, 12, 4))]),
    # the customer's: a thing that will be with us, a promise after a clause about her
    ("Email from Dana: the signed renewal will be with us by Dec 2.", [("customer", "S1", dt.date(2026, 12, 2))]),
    ("Spoke to Dana; she was helpful, will introduce us to the interim CFO soon.", [("customer", "S1", None)]),
    ("Call with Dana. Dana will join the next review.", [("customer", "S1", None)]),
    # their words quoted, their stance, an attitude: no promise
    ("Call with Dana. Dana: 'we'll renew, no question'.", []),
    ("Call with Dana. Dana enthusiastic, says she'll sponsor phase 2 internally.", []),
    ("Call with Dana, not happy about the schedule but she'll live with it.", []),
    # a reply to a request stays ours
    ("Tom Baker asked for the answers, will get them over by Friday.", [("ours", None, dt.date(2026, 11, 20))]),
])
def test_present_and_subjectless_promises(text: str, expected: list[tuple[str, str | None, dt.date | None]]) -> None:
    assert promises(text) == expected


def test_descriptions_are_whole_phrases() -> None:
    result = read("Call with Dana. Dana apologised that the NDA countersignature is late and promised it will be "
                  "with us by Friday. I'm sending the updated security answers to Dana by 27/11.")
    assert [(c.side, c.description, c.due) for c in result.commitments] == [
        ("customer", "the NDA countersignature", dt.date(2026, 11, 20)),
        ("ours", "send the updated security answers to Dana", dt.date(2026, 11, 27))]


@pytest.mark.parametrize(("phrase", "as_of", "expected"), [
    ("early next week", dt.date(2026, 11, 20), dt.date(2026, 11, 23)),
    ("mid next week", WED, dt.date(2026, 11, 25)),
    ("late next week", dt.date(2026, 11, 22), dt.date(2026, 11, 27)),
])
def test_parts_of_a_week(phrase: str, as_of: dt.date, expected: dt.date) -> None:
    assert resolve(phrase, as_of, prefer="future") == expected


def test_a_window_counted_from_an_event_has_no_day() -> None:
    result = read("Call with Dana.\n- Dana: return redlines within a week of receiving it")
    assert [(c.side, c.due, c.description) for c in result.commitments] == [("customer", None, "return redlines")]


@pytest.mark.parametrize(("text", "expected"), [
    ("Acme steering\nDate: Thu 12 Nov\nAttendees: Dana Whitfield\nThe sync broke again Tuesday.",
     dt.date(2026, 11, 12)),
    ("Acme review\nWhen: 2026-11-10\nDana happy.", dt.date(2026, 11, 10)),
    ("Acme - recap of the call from yesterday. Dana happy.", dt.date(2026, 11, 17)),
])
def test_a_date_header_dates_the_meeting(text: str, expected: dt.date) -> None:
    result = read(text)
    assert result.date is not None and result.date.value == expected


@pytest.mark.parametrize("text", [
    "Acme steering\nAttendees: Dana Whitfield, Tom Baker\nApologies: Sam Ortiz\nDana happy.",
    "Acme review\nPresent: Dana Whitfield, Tom Baker.\nNot present: Sam Ortiz (sent regrets)",
    "Acme recap\nDana Whitfield: happy.\nTom Baker: fine.\nSam Ortiz: not in the call.",
    "Call with Dana Whitfield, Tom Baker and Sam Ortiz. Sam didn't show.",
    "Call with Dana Whitfield and Tom Baker. Sam Ortiz was invited but she don't come.",
    "Call with Dana Whitfield and Tom Baker. Sam Ortiz mentioned as the new lead but wasn't on the call.",
])
def test_people_listed_as_not_there_are_no_participants(text: str) -> None:
    assert sorted(p.stakeholder_id or "" for p in read(text).participants) == ["S1", "S4"]


def test_an_arrow_separated_note_reads_item_by_item() -> None:
    text = ("Acme -> call w/ Dana + Tom Baker -> Dana: pro, wants a 2nd site -> Tom Baker: 'no money before April' "
            "-> me: send Dana 2nd-site quote 27/11")
    assert [(c.side, c.due) for c in read(text).commitments] == [("ours", dt.date(2026, 11, 27))]


def test_a_heading_line_lists_only_its_action_items() -> None:
    text = ("Call with Dana. Next steps: Dana sends the form by Wednesday; I'll get Tom Baker a quote within 10 days; "
            "Dana asked for an exec sponsor from our side - I'll ask Mara.")
    assert [(c.side, c.due) for c in read(text).commitments] == [
        ("customer", dt.date(2026, 11, 25)), ("ours", dt.date(2026, 11, 28)), ("ours", None)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Call with Dana, she is now our champion.", 1),
    ("Call with Dana. Dana ok w/ pricing now.", 1),
    ("Call with Dana. Dana blocked the rollout, wants another pilot.", -1),
    ("Call with Dana / tone: frosty.", -1),
    ("Call with Dana, clearly not sold on the price yet.", 0),  # not decided yet, not against
])
def test_buy_in_and_blocking_words(text: str, expected: int) -> None:
    assert {p.stakeholder_id: p.sentiment for p in read(text).participants} == {"S1": expected}


@pytest.mark.parametrize(("text", "expected"), [
    ("Call with Dana on 17 Nov. I'll send the plan by 3/12.", dt.date(2026, 12, 3)),  # a note written day first
    ("Call with Dana. I'll send the plan by 27/11 and the deck by 3/12.", dt.date(2026, 12, 3)),
    ("Call with Dana on Nov 17. I'll send the plan by 3/12.", dt.date(2027, 3, 12)),  # month first
])
def test_an_ambiguous_date_is_read_as_the_note_writes_dates(text: str, expected: dt.date) -> None:
    assert [c.due for c in read(text).commitments][-1] == expected


def test_a_mood_said_of_the_meeting_person() -> None:
    text = "Lunch with Dana yesterday, great mood, she has been promoted to VP Technology."
    assert {p.stakeholder_id: p.sentiment for p in read(text).participants} == {"S1": 1}


def test_a_mood_they_had_at_first_is_not_their_mood() -> None:
    text = "Call with Dana and Tom Baker. Dana was against in the beginning, now ok with it. Tom Baker happy."
    assert {p.stakeholder_id: p.sentiment for p in read(text).participants} == {"S1": 1, "S4": 1}


def test_someone_who_still_owes_us_is_talked_about_not_met() -> None:
    text = "Acme -> call w/ Dana -> Tom Baker still owes us usage data (due 16/12) -> me: send Dana the quote 27/11"
    assert [p.stakeholder_id for p in read(text).participants] == ["S1"]


def test_the_owner_of_an_action_who_was_not_met_is_no_participant() -> None:
    text = ("Acme - call with Dana Whitfield, she's signing off the renewal. Tom Baker to send the requirements "
            "by the 4th.")
    result = read(text)
    assert [p.stakeholder_id for p in result.participants] == ["S1"]
    assert [(c.side, c.owner) for c in result.commitments] == [("customer", "S4")]
    # without a list of whom the meeting was with, the owner named stays a participant
    assert sorted(p.stakeholder_id or "" for p in read("Dana happy. Tom Baker to send the plan by Friday.")
                  .participants) == ["S1", "S4"]


def test_colleague_names_are_data_never_patterns() -> None:
    from tools.notes.extract.colleagues import Colleagues

    ours = Colleagues(["[evil ]] name", "(x) y*", "Jordan Lee"])
    assert ours.mentions("JL to send; J. Lee too") == [(0, 2), (12, 18)]
    assert ours.mentions("nothing [evil here") == []
