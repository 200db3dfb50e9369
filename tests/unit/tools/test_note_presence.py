"""Who was in the room: the roster a note gives closes the room (others took part only if the note shows them
doing so), and clause rules keep out people who were not on, are to be looped in, or were never seen."""

from __future__ import annotations

import pytest

from tests.unit.agent.test_extraction import PEOPLE, extract, people
from tools.notes.extract.people import scan_people
from tools.notes.extract.roster import roster, takes_part

ACME = [p for p in PEOPLE if p.account_id == "A1"]


def _roster(text: str) -> set[str]:
    return roster(text, scan_people(text, ACME))


@pytest.mark.parametrize(("text", "want"), [
    ("acme - call w/ dana whitfield + tom baker thu. all good", {"S1", "S4"}),
    ("Call with Acme on Thursday: Dana Whitfield, Tom Baker. Fine.", {"S1", "S4"}),
    ("Acme onsite on Wednesday. Dana Whitfield, Tom Baker. Both keen.", {"S1", "S4"}),
    ("Acme review\nAttendees: Dana Whitfield (CFO), Tom Baker\nNotes: fine", {"S1", "S4"}),
    ("Spoke to Dana Whitfield about Tom Baker and his budget.", {"S1"}),
    ("No call this week, but Dana Whitfield emailed.", set()),
    ("Dana Whitfield is unhappy with Tom Baker.", set()),
])
def test_the_roster_is_whom_the_meeting_was_with(text: str, want: set[str]) -> None:
    assert _roster(text) == want


@pytest.mark.parametrize(("text", "acts"), [
    ("Tom Baker joined halfway through.", True),
    ("Tom Baker, their IT lead, asked about SSO.", True),
    ("Tom Baker embarrassed, apologised for the delay.", True),
    ("Tom Baker was quiet.", True),
    ("- Tom Baker: supportive", True),
    ("Tom Baker (IT) → wants legal review", True),
    ("Tom Baker will decide the budget in december.", False),
    ("Tom Baker was mentioned as the one who signs.", False),
    ("Tom Baker is on paternity leave.", False),
    ("Tom Baker to sign off budget next month.", False),
])
def test_taking_part_is_read_from_what_the_person_does(text: str, acts: bool) -> None:
    mention = scan_people(text, ACME).mentions[0]
    assert takes_part(text, mention) is acts


@pytest.mark.parametrize("text", [
    "Call with Dana Whitfield on Tuesday. Tom Baker will decide the budget in december.",
    "Met Dana Whitfield at their office. Tom Baker will need to approve at some point.",
    "Call w/ Dana Whitfield. Tom Baker is on holiday so the budget must wait.",
    "Call w/ Dana Whitfield. Tom Baker was mentioned a few times as the one who'll sign.",
])
def test_someone_outside_the_roster_only_talked_about_is_not_a_participant(text: str) -> None:
    assert set(people(extract(text))) == {"S1"}


@pytest.mark.parametrize("text", [
    "Call with Dana Whitfield on Tuesday. Tom Baker joined for the last ten minutes.",
    "Call with Dana Whitfield on Tuesday. Tom Baker was frustrated about the delays.",
    "Met Dana Whitfield; Tom Baker, their IT lead, asked about SSO.",
])
def test_someone_outside_the_roster_who_took_part_is_a_participant(text: str) -> None:
    assert set(people(extract(text))) == {"S1", "S4"}


def test_a_new_face_outside_the_roster_is_met() -> None:
    found = people(extract("Call with Dana Whitfield. She brought a colleague, Hana Sorensen, who was keen too."))
    assert set(found) == {"S1", "Hana Sorensen"}


@pytest.mark.parametrize("text", [
    "Dana Whitfield happy with the demo. Tom Baker wasn't on, Dana says he is busy.",
    "Dana Whitfield happy with the demo. Tom Baker needs to be looped in on budget at some point.",
    "Dana Whitfield happy with the demo. Tom Baker to be looped in next time.",
    "Dana Whitfield stopped by our booth. Tom Baker apparently at the expo too, never saw him.",
])
def test_not_on_looped_in_later_or_never_seen_is_not_a_participant(text: str) -> None:
    assert set(people(extract(text))) == {"S1"}


def test_joining_late_outweighs_a_later_excuse() -> None:
    text = "Call with Dana Whitfield and Tom Baker (Tom joined halfway through, I think he was double booked)."
    assert set(people(extract(text))) == {"S1", "S4"}


@pytest.mark.parametrize("text", [
    "Dana Whitfield happy with the rollout. Tom Baker supposed to join but got pulled into something.",
    "Dana Whitfield keen, wants Tom Baker on the next call.",
])
def test_a_plan_or_a_wish_for_someone_is_not_their_presence(text: str) -> None:
    assert set(people(extract(text))) == {"S1"}


def test_an_everyday_word_listed_with_names_is_a_name() -> None:
    import datetime as dt

    from tools.notes.extract import OfflineExtractor
    from tools.notes.schema import KnownAccount, KnownPerson

    staff = [KnownPerson("S1", "Helen Brooks", "A1", "COO"), KnownPerson("S2", "Ray Dalton", "A1", "IT Director")]
    accounts = [KnownAccount("A1", "Acme Corp")]

    def ids(text: str) -> set[str]:
        found = OfflineExtractor().extract(text, as_of=dt.date(2026, 11, 22), people=staff, accounts=accounts,
                                           account_id="A1")
        return {p.stakeholder_id or p.name for p in found.participants}

    assert ids("acme - call w/ helen + ray thu. helen keen. ray grumbling abt effort") == {"S1", "S2"}
    assert ids("acme - call w/ helen. a ray of hope on the renewal") == {"S1"}


@pytest.mark.parametrize("text", [
    "Acme steering meeting on Monday. Dana Whitfield was fine. Tom Baker sent apologies.",
    "Acme steering meeting on Monday. Dana Whitfield was fine. Tom Baker sent his regrets.",
])
def test_apologies_sent_are_an_absence(text: str) -> None:
    assert set(people(extract(text))) == {"S1"}
