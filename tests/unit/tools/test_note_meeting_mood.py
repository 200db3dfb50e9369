"""How the meeting went as the mood of the people in it (``meeting_mood.py``): a verdict on the meeting itself is
everyone's who has no words of their own, a quiet or neutral attendee takes none, and what went well must be the
meeting, not a thing."""

from __future__ import annotations

import pytest

from tests.unit.agent.test_extraction import extract, people


def signs(text: str) -> dict[str, int]:
    return {k: (v > 0) - (v < 0) for k, v in people(extract(text)).items()}


@pytest.mark.parametrize(("text", "expected"), [
    ("QBR with Dana and Tom Baker. Went well. Dana asked for a renewal doc.", {"S1": 1, "S4": 1}),
    ("Great call with the Acme team - Dana and Tom Baker joined.", {"S1": 1, "S4": 1}),
    ("Sync (Dana, Tom Baker). Tone was positive throughout.", {"S1": 1, "S4": 1}),
    ("Acme\nAttendees: Dana, Tom Baker\nVibe: good\nNext: pricing", {"S1": 1, "S4": 1}),
    ("Dana, Tom Baker. Sentiment: positive.", {"S1": 1, "S4": 1}),
    ("Dana and Tom Baker: productive session.", {"S1": 1, "S4": 1}),
    ("Dana and Tom Baker. Tense meeting about the outage.", {"S1": -1, "S4": -1}),
    ("Dana and Tom Baker - tone was frosty.", {"S1": -1, "S4": -1}),
    ("Met Dana. Great relationship, very open.", {"S1": 1}),
    ("Met Dana - relationship strong.", {"S1": 1}),
])
def test_a_verdict_on_the_meeting_is_the_mood_of_everyone_met(text: str, expected: dict[str, int]) -> None:
    assert signs(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a thing that went well, a decision that was a good call: no one's mood
    ("Call with Dana and Tom Baker. The rollout went well according to the ops report.", {"S1": 0, "S4": 0}),
    ("Dana and Tom Baker. Good call on our side to bring the architect.", {"S1": 0, "S4": 0}),
    ("Dana and Tom Baker. Discussed the migration timeline.", {"S1": 0, "S4": 0}),
    # the weak words are a meeting's with one person who reached out, not a room's
    ("Met Dana and Tom Baker, all good.", {"S1": 0, "S4": 0}),
])
def test_what_is_not_a_verdict_on_the_meeting(text: str, expected: dict[str, int]) -> None:
    assert signs(text) == expected


@pytest.mark.parametrize("said", ["was quiet", "neutral", "joined by phone", "dropped off early", "just listened",
                                  "reserved"])
def test_a_quiet_or_neutral_attendee_takes_no_mood_from_the_room(said: str) -> None:
    assert signs(f"Call with Dana and Tom Baker. Went well. Tom {said}.") == {"S1": 1, "S4": 0}


def test_a_persons_own_words_outweigh_the_rooms() -> None:
    assert signs("Call with Dana and Tom Baker. Went well. Tom frustrated by the invoices.") == {"S1": 1, "S4": -1}


def test_a_forecast_of_a_hard_talk_is_no_verdict_on_the_meeting() -> None:
    assert signs("Dinner with Dana and Tom Baker. Tom said the renewal will be 'a tough conversation'.") == {
        "S1": 0, "S4": 0}

