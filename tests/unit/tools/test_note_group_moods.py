"""Moods said of several people at once, by a colleague, or in Slack's own spelling: "They were both happy" after
the people met, "the whole group", "great call with Dana and Tom", a colleague relaying the meeting he had
("Jordan says Dana was cool on it"), "less enthusiastic", and emoji written as shortcodes (":rage:")."""

from __future__ import annotations

import pytest

from tests.unit.agent.test_extraction import ACCOUNTS, PEOPLE, WED, extract, people
from tools.notes.extract.emoji_mood import from_shortcodes
from tools.notes.extract.offline import OfflineExtractor
from tools.notes.validate import validate


def signs(text: str) -> dict[str, int]:
    return {k: (v > 0) - (v < 0) for k, v in people(extract(text)).items()}


@pytest.mark.parametrize(("text", "expected"), [
    ("Call with Dana Whitfield and Tom Baker yesterday. They were both really positive about the rollout.",
     {"S1": 1, "S4": 1}),
    ("Acme review. Attendees: Dana Whitfield, Tom Baker, Sam Ortiz. The whole group was enthusiastic.",
     {"S1": 1, "S2": 1, "S4": 1}),
    ("Great call with Dana Whitfield and Tom Baker on Monday.", {"S1": 1, "S4": 1}),
    # after one person, "they" is the company; "they said ..." reports, it is no mood
    ("Met Dana Whitfield on Monday. They are unhappy with the invoice.", {"S1": 0}),
    ("Call with Dana Whitfield and Tom Baker. They said the price is too high.", {"S1": 0, "S4": 0}),
])
def test_a_mood_said_of_the_group_is_each_of_theirs(text: str, expected: dict[str, int]) -> None:
    assert signs(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Call with Dana Whitfield and Tom Baker. Dana was happy; Tom was less enthusiastic.", {"S1": 1, "S4": -1}),
    ("Met Dana Whitfield. She was a bit cagey on the roadmap.", {"S1": -1}),
    ("Met Dana Whitfield. Dana was cool on the proposal.", {"S1": -1}),
    ("Met Dana Whitfield. Dana spoke highly of our support team.", {"S1": 1}),
    ("Met Dana Whitfield - she's all for it.", {"S1": 1}),
    ("Met Dana Whitfield. Cool with the renewal.", {"S1": 1}),  # "cool with" is accepting it
])
def test_everyday_words_for_warm_and_cool(text: str, expected: dict[str, int]) -> None:
    assert signs(text) == expected


def _with_colleagues(text: str) -> dict[str, int]:
    raw = OfflineExtractor().extract(text, as_of=WED, people=PEOPLE, accounts=ACCOUNTS, account_id="A1",
                                     colleagues=["Jordan Lee", "Maria Santos"])
    result, _ = validate(raw, text=text, as_of=WED, people=PEOPLE, accounts=ACCOUNTS, account_id="A1")
    return {k: (v > 0) - (v < 0) for k, v in people(result).items()}


@pytest.mark.parametrize(("text", "expected"), [
    ("Jordan says Dana Whitfield was cool on the proposal when they spoke on Friday.", {"S1": -1}),
    ("Jordan phoned me after his Acme meeting. He says Tom Baker was irritated about the questionnaire.",
     {"S4": -1}),
    # a customer's hearsay stays hearsay
    ("Met Dana Whitfield on Monday. She says Tom Baker is unhappy.", {"S1": 0}),
])
def test_a_colleague_relaying_his_meeting_is_not_hearsay(text: str, expected: dict[str, int]) -> None:
    assert _with_colleagues(text) == expected


def test_slack_shortcodes_are_the_emoji_their_writer_saw() -> None:
    assert from_shortcodes("dana :fire: loved it, tom :rage: :+1: at 10:30: ok") == (
        "dana 🔥 loved it, tom 😡 👍 at 10:30: ok")
    assert from_shortcodes(":not_an_emoji: stays") == ":not_an_emoji: stays"


def test_emoticons_are_the_emoji_chat_shows_for_them() -> None:
    assert from_shortcodes("Dana :) Tom :-( Ray :D, Ben ;)") == "Dana 🙂 Tom 🙁 Ray 😀, Ben 😉"
    # times, links and brackets stay as written
    assert from_shortcodes("call at 10:30) see http://x.io (:)") == "call at 10:30) see http://x.io (:)"


@pytest.mark.parametrize(("text", "expected"), [
    # the speaker a few words before the quote, ending in a colon or a comma
    ("Met Dana Whitfield and Tom Baker. Dana opened with, 'Honestly, the first review I've enjoyed this year,' "
     "and she meant it. Tom Baker said very little.", {"S1": 1, "S4": 0}),
    ("Met Tom Baker. Tom's words: 'The rollout is the best thing IT did this year.'", {"S4": 1}),
    # the speaker right after the quote
    ("Met Dana Whitfield and Tom Baker. 'We're really happy with the product,' Dana said. Tom Baker listened.",
     {"S1": 1, "S4": 0}),
    ("Met Dana Whitfield and Tom Baker. 'Honestly we love the new dashboards,' said Tom Baker.", {"S1": 0, "S4": 1}),
    ("Met Tom Baker and Dana Whitfield. 'The support has been awful and we are furious,' she told us.",
     {"S1": -1, "S4": 0}),
])
def test_a_quote_is_its_speakers_named_before_or_after_it(text: str, expected: dict[str, int]) -> None:
    assert signs(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # said to be not negative: whatever else, not negative
    ("Met Dana Whitfield and Tom Baker. Dana loved it. Tom was less enthusiastic but not negative.",
     {"S1": 1, "S4": 0}),
    # a form's field label before the name heading the line
    ("Acme call Thu\nContact: Dana Whitfield - warming up to the rollout\nContact: Tom Baker - neutral",
     {"S1": 1, "S4": 0}),
])
def test_not_negative_and_a_labelled_line(text: str, expected: dict[str, int]) -> None:
    assert signs(text) == expected


def test_a_colleague_relaying_two_people_in_one_sentence() -> None:
    text = ("Jordan phoned me after his Acme meeting. He says Dana Whitfield was all in on the integration, "
            "and that Tom Baker was irritated that the questionnaire is still open.")
    assert _with_colleagues(text) == {"S1": 1, "S4": -1}


@pytest.mark.parametrize(("text", "expected"), [
    ("call w/ dana whitfield + sam o. sam o. keen on the rollout", {"S1": 0, "S2": 1}),
    ("Acme QBR. Whitfield positive; S. Lee critical of support response times.", {"S1": 1, "S3": -1}),
])
def test_a_name_and_an_initial_tell_namesakes_apart(text: str, expected: dict[str, int]) -> None:
    assert signs(text) == expected
