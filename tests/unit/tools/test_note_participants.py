"""Who took part in a meeting: people only talked about (reported speech, a possessive, a wish to involve them)
are kept out; someone unknown named in full is proposed as a new person, not asked about."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.agent.test_extraction import WED, extract, people
from tools.notes.extract.given_names import is_given_name
from tools.notes.extract.offline import OfflineExtractor
from tools.notes.schema import KnownAccount, KnownPerson


@pytest.mark.parametrize("text", [
    "Call with Dana. She told us Tom Baker is unhappy with the reports.",
    "Met Dana; according to her, Sam Ortiz already approved it.",
    "Met Dana. Per Dana, Sam Lee has signed the order form.",
    "Met Dana. Tom's team is still waiting on the API keys.",
    "Met Dana. Apparently Tom Baker wants a workshop.",
    "Met Dana. Need to get Sam Lee involved before we quote.",
])
def test_people_only_talked_about_are_not_participants(text: str) -> None:
    assert set(people(extract(text))) == {"S1"}


def test_is_and_has_after_a_name_are_not_possessives() -> None:
    assert set(people(extract("Met Dana. Tom's keen to see the roadmap."))) == {"S1", "S4"}
    assert set(people(extract("Met Dana and Tom. Tom's been asked to own the rollout."))) == {"S1", "S4"}


@pytest.mark.parametrize(("text", "new"), [
    ("Met Dana. Lucia Fernandez from their data team joined halfway.", "Lucia Fernandez"),
    ("Dana and Kwame Mensah walked us through the tender.", "Kwame Mensah"),
    ("Call with Dana + Ingrid Olsen; Ingrid wants the SOC 2 report.", "Ingrid Olsen"),
])
def test_an_unknown_person_named_in_full_is_new(text: str, new: str) -> None:
    result = extract(text)
    found = [p for p in result.participants if p.is_new]
    assert [p.name for p in found] == [new]
    assert not [q for q in result.questions if new.split()[0] in q]


@pytest.mark.parametrize("text", [
    "Met Dana about Digital Solutions and the Retail Energy bundle.",
    "Met Dana; the Customer Success Platform is live in Madrid.",
])
def test_products_and_departments_are_not_people(text: str) -> None:
    assert set(people(extract(text))) == {"S1"}


def test_given_names() -> None:
    assert is_given_name("Omar") and is_given_name("Priya") and is_given_name("Chiara")
    assert not is_given_name("Digital") and not is_given_name("Retail") and not is_given_name("omar")


def test_a_namesake_at_two_accounts_and_a_shared_trade_word_are_asked_about() -> None:
    from tools.notes.extract import OfflineExtractor
    from tools.notes.schema import KnownAccount, KnownPerson

    accounts = [KnownAccount("A1", "Acme Foods"), KnownAccount("A2", "Borealis Foods"), KnownAccount("A3", "Cobalt")]
    people_ = [KnownPerson("S1", "Emma Bauer", "A1", "CFO"), KnownPerson("S2", "Emma Bauer", "A3", "CIO")]

    def questions(text: str) -> list[str]:
        found = OfflineExtractor().extract(text, as_of=WED, people=people_, accounts=accounts, account_id=None)
        assert found.account is None
        return found.questions

    assert questions("call with Emma Bauer today, she wants a demo") == [
        "Which account's Emma Bauer do you mean: Acme Foods (CFO) or Cobalt (CIO)?"]
    assert questions("Foods call today with the CFO, she's worried about pricing.") == [
        "Which account do you mean by 'Foods': Acme Foods or Borealis Foods?"]


@pytest.mark.parametrize(("text", "expected"), [
    # named only in a change, met by pronoun
    ("Tom Baker got promoted to CIO! Had lunch with him on Friday.", {"S4"}),
    # reported on, then met by pronoun
    ("Sam Lee still hasn't returned the NDA. Called him and Dana today.", {"S3", "S1"}),
    ("Met Dana. Sam Lee still hasn't returned the NDA.", {"S1"}),  # reported on only
    ("Call with Dana. She wants us to meet her deputy, Tom Baker, in January.", {"S1"}),  # a wish to meet
    ("Call with Dana. Tom Baker is in finance, he wasn't there.", {"S1"}),  # said not to be there
    ("Demo for Dana on Thursday, all positive. Tom Baker in copy.", {"S1"}),  # in copy
    ("Call with Dana.\n- Tom Baker: in copy only\n- Dana: keen", {"S1"}),
])
def test_who_was_met_and_who_was_reported_on(text: str, expected: set[str]) -> None:
    assert set(people(extract(text))) == expected


@pytest.mark.parametrize("text", [
    "Sam Ortiz left the bank last month. Met Dana.",
    "Sam Ortiz (procurement) left Acme. Met Dana.",
])
def test_leaving_the_employer_in_other_words(text: str) -> None:
    result = extract(text)
    assert [(c.stakeholder_id, c.kind) for c in result.changes] == [("S2", "left_company")]
    assert set(people(result)) == {"S1"}
    assert extract("Met Dana; Sam Ortiz left the call early.").changes == []


@pytest.mark.parametrize("text", [
    "Met Dana. Victoria Station office is closing next year.",
    "Met Dana, she wants the Grace Period extended.",
    "QBR with Dana. Austin Office adoption is low.",
])
def test_a_given_name_followed_by_a_noun_is_a_thing(text: str) -> None:
    assert set(people(extract(text))) == {"S1"}


def test_our_own_colleague_is_neither_a_participant_nor_the_customer() -> None:
    result = extract("Met Dana. Our CSM Lisa Park will run the training on 12/8.")
    assert set(people(result)) == {"S1"}
    assert [(c.side, c.owner) for c in result.commitments] == [("ours", None)]


def test_absent_without_a_verb_and_pronouns_that_agree() -> None:
    assert set(people(extract("Met Dana. Tom Baker out sick, Sam Lee on leave."))) == {"S1"}
    result = extract("Call with Dana. She said Tom Baker is frustrated. She'll send the renewal paperwork 12/15.")
    assert [(c.owner, c.due) for c in result.commitments] == [("S1", dt.date(2026, 12, 15))]  # "she" is Dana


def test_a_new_title_without_is() -> None:
    result = extract("Met Dana. Tom Baker now acting CIO.")
    assert [(c.stakeholder_id, c.kind, c.new_title) for c in result.changes] == [("S4", "title_change", "acting CIO")]


def test_one_name_tells_the_account_and_a_team_is_no_company() -> None:
    from tools.notes.extract import OfflineExtractor
    from tools.notes.schema import KnownAccount, KnownPerson

    accounts = [KnownAccount("A1", "Acme Corp"), KnownAccount("A2", "Globex")]
    people_ = [KnownPerson("S1", "Marcus Chen", "A1", "CIO"), KnownPerson("S2", "Priya Raman", "A1", None),
               KnownPerson("S3", "Priya Shah", "A2", None)]

    def read(text: str) -> tuple[str | None, list[str]]:
        found = OfflineExtractor().extract(text, as_of=WED, people=people_, accounts=accounts, account_id=None)
        return (found.account.id if found.account else None), found.questions

    assert read("Call with Marcus from Digital Solutions, keen on the pilot.") == ("A1", [])
    account, questions = read("Call with Priya, she was keen.")
    assert account is None and questions == [
        "Which Priya do you mean (which account): Priya Raman at Acme Corp or Priya Shah at Globex?"]
    assert read("Met Marcus at Harlow today.") == (None, ["I don't know Harlow — which account, or should I leave it?"])


def test_a_full_name_in_lower_case_after_met_is_a_new_person() -> None:
    result = extract("spoke to chiara rossi and dana, both keen")
    assert people(result) == {"Chiara Rossi": 1, "S1": 1}
    assert set(people(extract("met dana briefly, fine"))) == {"S1"}


@pytest.mark.parametrize("text", [
    "Met Dana. Tom Baker was invited but he didn't come.",
    "Call with Dana.\nTom: not in the call.",
    "Met Dana and Tom Baker. Tom didn't show.",
    "Met Dana. Tom Baker mentioned as the new IT lead but wasn't on the call.",
    "Steering group\nAttendees: Dana Whitfield\nApologies: Tom Baker, Sam Lee\nDana wants the plan.",
    "Review\nPresent: Dana Whitfield. Our side: Priya Menon, Lars Olsen.\nActions: Lars to send the deck.",
    "Attendees (us): Priya Menon\nDana Whitfield approved the plan.",
])
def test_people_not_there_or_on_our_side_are_not_participants(text: str) -> None:
    assert set(people(extract(text))) == {"S1"}


def test_a_name_in_brackets_after_a_role_is_who_that_is() -> None:
    assert set(people(extract("Email from Dana: legal (Tom Baker) has cleared it."))) == {"S1"}


def test_someone_absent_clause_is_theirs_only() -> None:
    # "the CFO couldn't come" is said of someone else: Tom, named before, still took part
    assert set(people(extract("Met Tom Baker; he was keen, but their auditor didn't come."))) == {"S4"}


@pytest.mark.parametrize("text", [
    "Met Dana. Tom Baker gone - left end of Oct.",
    "Met Dana. tom baker left 👋 (joined a competitor).",
])
def test_a_departure_is_a_change_not_a_participant(text: str) -> None:
    result = extract(text)
    assert set(people(result)) == {"S1"}
    assert [(c.stakeholder_id, c.kind) for c in result.changes] == [("S4", "left_company")]


def test_a_name_never_runs_over_a_line_break() -> None:
    result = extract("Met Dana and Lucia Fernandez\n\nSummary: all fine.")
    assert [p.name for p in result.participants if p.is_new] == ["Lucia Fernandez"]


def _read(text: str, account_id: str | None = None) -> tuple[str | None, list[str]]:
    from tools.notes.extract import OfflineExtractor
    from tools.notes.schema import KnownAccount, KnownPerson

    accounts = [KnownAccount("A1", "Summit Energy Co"), KnownAccount("A2", "Keystone Mutual Insurance")]
    people_ = [KnownPerson("S1", "Laura Reid", "A1", None), KnownPerson("S2", "Laura Rossi", "A2", None),
               KnownPerson("S3", "Priya Raman", "A1", None), KnownPerson("S4", "Priya Shah", "A1", None)]
    found = OfflineExtractor().extract(text, as_of=WED, people=people_, accounts=accounts, account_id=account_id)
    return (found.account.id if found.account else None), found.questions


@pytest.mark.parametrize(("text", "company"), [
    ("met the team at Summit Logistics today, very keen.", "Summit Logistics"),
    ("Keystone Foods - intro call with their CFO Paul Hart.", "Keystone Foods"),
])
def test_a_known_word_in_another_trade_is_another_company(text: str, company: str) -> None:
    assert _read(text) == (None, [f"I don't know {company} — which account, or should I leave it?"])


def test_a_known_word_with_the_accounts_own_trade_is_the_account() -> None:
    assert _read("Summit Energy - call with Laura Reid, all fine.")[0] == "A1"


def test_attendee_headings_are_no_companies() -> None:
    _, questions = _read("Steering group\nAttendees: Laura Reid\nApologies: Priya Shah\nLaura wants the plan.")
    assert not [q for q in questions if "don't know" in q]


def test_a_first_name_in_lower_case_at_two_accounts_is_asked_about() -> None:
    account, questions = _read("call w laura this am, she's ok with the new timeline")
    assert account is None
    assert questions == ["Which Laura do you mean (which account): Laura Reid at Summit Energy Co or Laura Rossi at "
                         "Keystone Mutual Insurance?"]


def test_a_first_name_in_lower_case_shared_within_the_account_is_asked_about() -> None:
    _, questions = _read("spoke to priya, happy with the plan", account_id="A1")
    assert questions == ["Which Priya do you mean: Priya Raman or Priya Shah?"]


def test_a_note_opening_with_its_account_in_lower_case_is_that_account() -> None:
    account, questions = _read("summit (teams) - Laura Reid said they're going with Finlogic for the data platform.")
    assert (account, questions) == ("A1", [])
    account, questions = _read("summit (teams) - Laura Reid said they're going with Finlogic.", account_id="A1")
    assert (account, questions) == ("A1", [])


@pytest.mark.parametrize("text", [
    "Met Dana. She is reporting to Tom Baker now.",
    "Met Dana, who reports directly into Tom Baker.",
])
def test_whom_someone_reports_to_is_only_mentioned(text: str) -> None:
    assert set(people(extract(text))) == {"S1"}


@pytest.mark.parametrize("text", [
    "Met Dana. Tom Baker declined the invite.",
    "Met Dana. Tom Baker had to cancel.",
    "Met Dana. Tom Baker was double-booked.",
    "Met Dana. Tom Baker sent a deputy.",
    "Met Dana. Tom Baker will be looped in later.",
    "Met Dana. We still need to involve Tom Baker.",
    "Met Dana. Should bring Tom Baker into the next one.",
])
def test_more_ways_of_not_being_there(text: str) -> None:
    assert set(people(extract(text))) == {"S1"}


@pytest.mark.parametrize("text", [
    "Met Dana. Tom Baker joined late.",
    "Met Dana. Tom Baker dropped off early.",
    "Met Dana. Tom Baker didn't say much.",
])
def test_late_early_or_quiet_is_still_there(text: str) -> None:
    assert set(people(extract(text))) == {"S1", "S4"}


def test_a_given_name_that_is_no_english_word_is_a_name_in_lower_case() -> None:
    people = [KnownPerson("P1", "Patrick Gibson", "A9", None), KnownPerson("P2", "Tariq Klein", "A9", None)]
    text = "pinecrest - call w/ patrick gibson + tariq klein. patrick very supportive, tariq asked about SSO"
    found = OfflineExtractor().extract(text, as_of=dt.date(2026, 11, 22), people=people,
                                       accounts=[KnownAccount("A9", "Pinecrest Health")], account_id="A9")
    assert {p.stakeholder_id: p.sentiment > 0 for p in found.participants} == {"P1": True, "P2": False}


def test_a_surname_initial_does_not_end_a_list_of_attendees() -> None:
    assert set(people(extract("Acme QBR - Tom B, Dana Whitfield. All fine."))) == {"S4", "S1"}


def test_a_company_after_a_spoken_opener_is_still_the_notes_head() -> None:
    result = extract("right, Kestrel Farms, met Thursday with their ops director Ana Diaz, she seemed interested")
    assert result.account is None
    assert result.questions == ["I don't know Kestrel Farms — which account, or should I leave it?"]


def test_a_shared_surname_with_the_title_after_it_is_that_person() -> None:
    accounts = [KnownAccount("A1", "Lumen")]
    people_ = [KnownPerson("S1", "Lucas Kumar", "A1", "Chief Information Officer"),
               KnownPerson("S2", "Valentina Kumar", "A1", "Business Analyst")]

    def read(text: str) -> tuple[list[str | None], list[str]]:
        found = OfflineExtractor().extract(text, as_of=WED, people=people_, accounts=accounts, account_id="A1")
        return [p.stakeholder_id for p in found.participants], found.questions

    assert read("Call with Kumar (CIO), keen on the rollout.") == (["S1"], [])
    assert read("Call with Kumar (analyst), keen on the rollout.") == (["S2"], [])
    assert read("Call with Kumar, keen on the rollout.")[1] == [
        "Which Kumar do you mean: Lucas Kumar (Chief Information Officer) or Valentina Kumar (Business Analyst)?"]
