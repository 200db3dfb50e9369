"""Per-person sentiment of a note: domain cues first, then the general lexicon (vaderSentiment read through our
domain) for clauses about a person that carry none; negation, contrast and business-like clauses stay neutral."""

from __future__ import annotations

import pytest

from tests.unit.agent.test_extraction import extract, people
from tools.notes.extract.lexicon import clause_score, strongest_word


def signs(text: str) -> dict[str, int]:
    return {k: (v > 0) - (v < 0) for k, v in people(extract(text)).items()}


@pytest.mark.parametrize(("text", "expected"), [
    ("Excellent session with Dana today.", {"S1": 1}),  # the praise is of the meeting with her
    ("Met Dana and Tom Baker. Tom was brilliant, a real advocate for the project.", {"S1": 0, "S4": 1}),
    ("Lunch with Sam Ortiz; he was wonderful about the delay.", {"S2": 1}),
    ("Call with Dana. She had several complaints about the billing portal.", {"S1": -1}),
    ("Met Tom Baker, who was rude and dismissive the whole time.", {"S4": -1}),
    ("Sam Lee was awful on the call, blamed us for everything.", {"S3": -1}),
])
def test_the_general_lexicon_reads_moods_the_domain_cues_do_not_list(text: str, expected: dict[str, int]) -> None:
    assert signs(text) == expected


@pytest.mark.parametrize("text", [
    "Met Dana. She asked for a discount and wants the renewal terms in writing.",  # business-like
    "Call with Tom Baker: the export failed twice this week, he wants a fix and a credit.",  # the event, not him
    "Met Sam Ortiz, all good, he would like a demo of the scheduler.",
    "Met Dana. She has been promoted to Group CFO; we reviewed the security roadmap.",
])
def test_business_like_clauses_are_neutral(text: str) -> None:
    assert set(signs(text).values()) == {0}


@pytest.mark.parametrize("text", [
    "Dana was pleased with the rollout but irritated by the invoice mistakes.",  # contrast: mixed
    "Dana: not unhappy with us, just looking around.",  # negated bad word: only "not bad"
    "Tom Baker was great to work with, though furious about the outage.",
])
def test_mixed_and_negated_moods_are_neutral(text: str) -> None:
    assert set(signs(text).values()) == {0}


def test_negation_turns_a_good_word_bad() -> None:
    assert signs("Met Sam Lee; he was not impressed by the new reports.") == {"S3": -1}


def test_moods_of_the_writer_are_nobodys() -> None:
    assert signs("Met Dana at Acme. We were thrilled with how it went.") == {"S1": 0}


def test_a_name_that_is_a_word_scores_nothing() -> None:
    # a person called Joy: masked before the clause is scored
    assert abs(clause_score("someone joined the call")) < 0.4
    text = "Joy joined the call"
    assert strongest_word(text, 0, len(text), 1) is not None  # the lexicon does know the word ...
    assert clause_score("the rollout had a price cut and a delay") == 0.0  # ... business words are neutral


@pytest.mark.parametrize(("text", "expected"), [
    ("Met Dana and Tom Baker. Both very positive about phase two.", {"S1": 1, "S4": 1}),
    ("Call with Dana, Sam Lee and Tom Baker. Dana sceptical, the others delighted.", {"S1": -1, "S3": 1, "S4": 1}),
    ("Dana + Sam Lee keen on the pilot.", {"S1": 1, "S3": 1}),
    ("Lunch with Dana and Tom Baker, they asked about SSO. Upbeat overall.", {"S1": 1, "S4": 1}),
    ("Met Sam Ortiz, Dana and Tom Baker; all happy with support.", {"S2": 1, "S1": 1, "S4": 1}),
])
def test_group_words_stand_for_the_people_named(text: str, expected: dict[str, int]) -> None:
    assert signs(text) == expected


def test_haggling_and_caution_are_business_unless_marked() -> None:
    assert signs("Met Dana; she pushed back on the payment terms.") == {"S1": 0}
    assert signs("Met Dana; she pushed back hard on the payment terms.") == {"S1": -1}
    assert signs("Met Tom Baker, new to the account and cautious.") == {"S4": 0}
    assert signs("Call with Dana: irritated by the delay but understanding.") == {"S1": 0}


def test_a_good_or_bad_word_naming_a_thing_is_no_mood() -> None:
    assert signs("Met Dana and Tom Baker from their loyalty programme.") == {"S1": 0, "S4": 0}
    assert signs("Met Dana; she wants a demo of the fraud module.") == {"S1": 0}
    assert signs("Had a wonderful call with Dana.") == {"S1": 1}  # a meeting's praise is its people's


def test_a_mood_opening_the_sentence_is_its_subjects() -> None:
    assert signs("Acme: really keen, Tom Baker wants to move fast.") == {"S4": 1}


def test_how_the_meeting_went_is_the_mood_of_everyone_met() -> None:
    assert signs("QBR with Dana and Tom Baker. Went well all round, Dana asked for a renewal doc.") == {
        "S1": 1, "S4": 1}
    assert signs("QBR with Dana and Tom Baker. Went well. Dana asked for a renewal doc.") == {"S1": 1, "S4": 1}
    assert signs("QBR with Dana and Tom Baker. The migration went well.") == {"S1": 0, "S4": 0}  # a thing's


def test_praise_of_a_meeting_with_someone_is_theirs_not_the_last_persons() -> None:
    assert signs("Met Dana; she was quiet. Great call with Tom Baker afterwards.") == {"S1": 0, "S4": 1}


def test_a_mood_in_the_passive_voice_is_its_agents() -> None:
    from tests.unit.agent.test_extraction import extract as read
    from tests.unit.agent.test_extraction import people as moods

    assert moods(read("Met Dana and Tom. Strong support for the rollout was expressed by Tom.")) == {"S1": 0, "S4": 1}
    assert moods(read("Met Dana and Tom. The renewal was supported by Dana and Tom.")) == {"S1": 1, "S4": 1}
    assert moods(read("Met Dana and Tom. Dana was frustrated by Tom.")) == {"S1": 0, "S4": 0}  # a mood at him
    assert moods(read("Met Tom. The roadmap was received very positively by him.")) == {"S4": 1}
