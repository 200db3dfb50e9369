"""Extraction that reads clauses, not keywords: subjectless promises, due windows, whole verb phrases, people who
act or are absent, mixed sentiment, the meeting's own date, and companies we do not know."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.agent.test_extraction import ACCOUNTS, WED, extract, people
from tools.notes.extract.organisations import generic_only_match, unknown_organisations
from tools.notes.extract.phrases import base_form, resolve_pronoun
from tools.notes.schema import KnownAccount


def commitments(text: str, **kwargs: object) -> list[tuple[str, str, dt.date | None, str | None]]:
    return [(c.side, c.description, c.due, c.due_span) for c in extract(text, **kwargs).commitments]  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "expected"), [
    ("Met Dana. Promised to get our CISO on a call by next Wednesday.",
     ("ours", "get our CISO on a call", dt.date(2026, 11, 25), "by next Wednesday")),
    ("Met Dana. Follow up Monday.", ("ours", "Follow up", dt.date(2026, 11, 23), "Monday")),
    ("Call with Dana. Sending the quote tomorrow.", ("ours", "send the quote", dt.date(2026, 11, 19), "tomorrow")),
    ("Met Dana. Need to loop in legal EOM.", ("ours", "loop in legal", dt.date(2026, 11, 30), "EOM")),
    ("Met Dana, sending the quote tmrw", ("ours", "send the quote", dt.date(2026, 11, 19), "tmrw")),
    ("Call with Dana this am. Owe them a revised proposal by Thursday.",
     ("ours", "a revised proposal", dt.date(2026, 11, 19), "by Thursday")),
    ("Met Dana.\n* Action: send Dana the architecture doc by Wed",
     ("ours", "send Dana the architecture doc", dt.date(2026, 11, 25), "by Wed")),
    ("Met Dana. Next week I'll send the case study.",
     ("ours", "send the case study", dt.date(2026, 11, 27), "Next week")),  # a week: its Friday, said as chosen
    ("Dana wants the revised pricing; I'll have it to her within two weeks.",
     ("ours", "have the revised pricing to her", dt.date(2026, 12, 2), "within two weeks")),
])
def test_subjectless_and_shorthand_promises_with_their_windows(text: str, expected: tuple[object, ...]) -> None:
    assert commitments(text) == [expected]


def test_what_happened_is_not_a_promise() -> None:
    assert commitments("Call with Dana went well. Sent the deck yesterday. Follow-up call was useful.") == []


def test_verb_phrases() -> None:
    assert base_form("Sending the quote") == "send the quote"
    assert base_form("setting up a call") == "set up a call"
    assert base_form("sharing the deck") == "share the deck"
    assert resolve_pronoun("have it to her", "Dana wants the revised pricing; ") == "have the revised pricing to her"
    assert resolve_pronoun("send it", "") == "send it"  # nothing named before: left as written


def test_absent_and_merely_mentioned_people_are_not_participants() -> None:
    result = extract("Lunch with Dana. Tom was absent. Need to loop in Sam Ortiz. cc Sam Lee.")
    assert people(result) == {"S1": 0}
    assert extract("Met Dana; Tom couldn't make it.").participants[0].stakeholder_id == "S1"
    assert len(extract("Met Dana; Tom couldn't make it.").participants) == 1
    assert people(extract("Call with Dana. Tom Baker was supposed to join but didn't.")) == {"S1": 0}


def test_people_named_without_a_title_who_act_are_new() -> None:
    result = extract("Met Dana today, Ines Varga asked for a pricing breakdown.")
    assert {p.name for p in result.participants if p.is_new} == {"Ines Varga"}
    hired = extract("Acme: the new Head of IT is Hannah Cole, she joined the call with Dana.")
    assert [(p.name, p.title) for p in hired.participants if p.is_new] == [("Hannah Cole", "Head of IT")]


@pytest.mark.parametrize(("text", "kind", "title"), [
    ("Met Dana. Tom was promoted to CTO.", "title_change", "CTO"),
    ("Met Dana. Tom is now acting CIO.", "title_change", "acting CIO"),
    ("Met Dana; the new Head of Data is Tom.", "title_change", "Head of Data"),
    ("Met Dana. Tom is stepping down at year end.", "left_company", None),
    ("Met Dana. Tom has left.", "left_company", None),
    ("Met Dana. Tom has handed in his notice.", "left_company", None),
    ("Met Dana, who says Tom left last month.", "left_company", None),
    ("Met Dana. She said Tom's been promoted to VP Sales.", "title_change", "VP Sales"),
    ("Met Dana. Tom is moving on.", "left_company", None),
])
def test_departures_and_new_titles_in_common_phrasing(text: str, kind: str, title: str | None) -> None:
    result = extract(text)
    assert [(c.stakeholder_id, c.kind, c.new_title) for c in result.changes] == [("S4", kind, title)]
    assert "S4" not in people(result)


@pytest.mark.parametrize("text", [
    "Dana happy with service, annoyed by the invoice.",
    "Call with Dana, not unhappy, just exploring options.",
    "Dana loved the demo but is worried about the price.",
])
def test_mixed_and_negated_sentiment_is_neutral(text: str) -> None:
    assert people(extract(text)) == {"S1": 0}


def test_both_carries_a_cue_to_everyone_named_before_it() -> None:
    assert people(extract("Great session with Dana and Tom, both enthusiastic.")) == {"S1": 2, "S4": 2}


def test_the_interaction_date_comes_from_the_meeting_not_from_what_it_discussed() -> None:
    assert extract("Call with Dana; the sync broke again Tuesday and she is frustrated.").date is None
    assert people(extract("Call with Dana; the sync broke again Tuesday and she is frustrated.")) == {"S1": -1}
    assert extract("Spoke to Dana. She said the contract was signed on Monday.").date is None
    assert extract("Met Dana on Monday. She is back from leave.").date.value == dt.date(2026, 11, 16)  # type: ignore[union-attr]


def test_an_unknown_company_is_asked_about_never_matched_on_a_generic_word() -> None:
    accounts = [*ACCOUNTS, KnownAccount("A4", "Orion Freight Systems")]
    assert generic_only_match("Kestrel Freight", "Orion Freight Systems")
    assert not generic_only_match("Orion Freight", "Orion Freight Systems")
    assert unknown_organisations("Met with Kestrel Freight and Beta Logistics", accounts) == ["Kestrel Freight"]
    # given the account by a guess on "Freight", the note still names a company we do not know: ask
    result = extract("Met with Kestrel Freight today, their ops lead Ana Diaz was keen.", account_id="A2")
    assert result.account is None
    assert "I don't know Kestrel Freight — which account, or should I leave it?" in result.questions
    assert all(p.name != "Kestrel Freight" for p in result.participants)
    named = extract("Met Dana at Acme; they are evaluating Stratix Systems.", account_id=None)
    assert named.account is not None and named.account.id == "A1"  # a competitor beside a named account


def test_lower_case_shorthand_finds_the_account_and_people() -> None:
    result = extract("spoke to dana at acme, all good", account_id=None)
    assert result.account is not None and result.account.id == "A1"
    assert people(result) == {"S1": 0}
    unknown = extract("spoke to jo at umbrafield, all good", account_id=None)
    assert unknown.account is None and any("umbrafield" in q for q in unknown.questions)


def test_an_ambiguous_first_name_is_still_a_question() -> None:
    result = extract("Met Sam today, he wants the proposal.")
    assert any(q.startswith("Which Sam") for q in result.questions)
    assert people(result) == {}


def test_due_windows_resolve_against_as_of() -> None:
    found = commitments("Met Dana. I'll send the SOW by the 30th and we will share the plan next week.", as_of=WED)
    assert [(c[1], c[2]) for c in found] == [("send the SOW", dt.date(2026, 11, 30)),
                                             ("share the plan", dt.date(2026, 11, 27))]


def test_the_model_extractor_asks_about_an_unknown_company_too() -> None:
    from agent.extraction.llm import NoteReading, to_extraction
    from tests.unit.agent.test_extraction import PEOPLE

    text = "Met with Kestrel Freight today, their ops lead was keen."
    reading = NoteReading(account_id="A2", account_span=None)  # a guess: nothing in the note names Beta Logistics
    result = to_extraction(reading, as_of=WED, people=PEOPLE, accounts=ACCOUNTS, account_id=None, text=text)
    assert result.account is None
    assert result.questions == ["I don't know Kestrel Freight — which account, or should I leave it?"]


def test_a_known_first_name_with_another_surname_is_someone_new() -> None:
    result = extract("Met Dana Smith today, she was keen.")
    assert [(p.name, p.is_new, p.sentiment) for p in result.participants] == [("Dana Smith", True, 1)]
    hired = extract("Met the new CFO at Acme, Ines Varga. Dana was there too.")
    assert {p.name for p in hired.participants} == {"Ines Varga", "Dana Whitfield"}
    assert [p.title for p in hired.participants if p.is_new] == ["CFO"]


def test_someone_who_will_join_a_later_meeting_is_not_a_participant() -> None:
    result = extract("Call with Dana. Tom Baker will join the next review.")
    assert people(result) == {"S1": 0}
    promised = [(c.side, c.owner, c.description) for c in result.commitments]
    assert promised == [("customer", "S4", "join the next review")]


def test_action_lists_name_who_does_what() -> None:
    found = commitments("QBR. Action items:\n- me: send deck by Fri\n- Dana: confirm budget by the 30th\n"
                        "- Dana: happy with the rollout")
    assert found == [("ours", "send deck", dt.date(2026, 11, 20), "by Fri"),
                     ("customer", "confirm budget", dt.date(2026, 11, 30), "by the 30th")]


def test_promises_reported_to_someone_and_pronoun_objects() -> None:
    assert commitments("Promised Dana at Acme we'd get our CISO on a call by next Wednesday") == [
        ("ours", "get our CISO on a call", dt.date(2026, 11, 25), "by next Wednesday")]
    assert commitments("Dana asked for a case study, will send one over by Tuesday.") == [
        ("ours", "send a case study over", dt.date(2026, 11, 24), "by Tuesday")]


def test_a_period_that_is_not_a_day_is_no_due_and_no_question() -> None:
    result = extract("Met Dana, agreed to revisit pricing in Q1.")
    assert [(c.description, c.due) for c in result.commitments] == [("revisit pricing", None)]
    assert result.questions == []


def test_sides_headings_follow_up_nouns_and_reported_speech() -> None:
    found = commitments("Call with Dana. Their side: send usage data next week. Our side: pricing options by Friday. "
                        "Follow-up deck to Dana by Dec 5.")
    assert found == [("customer", "send usage data", dt.date(2026, 11, 27), "next week"),
                     ("ours", "pricing options", dt.date(2026, 11, 20), "by Friday"),
                     ("ours", "Follow-up deck to Dana", dt.date(2026, 12, 5), "by Dec 5")]
    result = extract("Met Dana. She mentioned that Tom might leave; Sam Ortiz left in October.")
    assert people(result) == {"S1": 0}
    assert [(c.stakeholder_id, c.kind) for c in result.changes] == [("S2", "left_company")]
    assert commitments("Met Dana, said we'd get them a quote by the 28th") == [
        ("ours", "get them a quote", dt.date(2026, 11, 28), "by the 28th")]


def test_a_replacement_who_takes_over_and_a_plural_them() -> None:
    result = extract("Dana introduced her replacement, Kai Berger, who takes over as CFO from January. "
                     "Kai seemed keen.")
    assert [(p.name, p.title, p.sentiment) for p in result.participants if p.is_new] == [("Kai Berger", "CFO", 1)]
    assert commitments("Dana: wants the API docs asap. I'll send them Monday.") == [
        ("ours", "send the API docs", dt.date(2026, 11, 23), "Monday")]
