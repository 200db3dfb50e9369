"""Moods read right: an emoji after a second person named in the sentence is not the first's
("dana 🔥 on the add-on, tom not convinced 😬"), "both 👍" after two names is each of them, the writer's laughter
("lol") is no one's mood, and "fine w/ the renewal" (even as "she s fine") is for us."""

from __future__ import annotations

from tests.unit.agent.test_extraction import extract, people
from tools.notes.extract.lexicon import analyzer


def test_an_emoji_after_a_second_person_is_not_the_first_ones() -> None:
    found = people(extract("call w/ Dana + Tom -> Dana 🔥 on the add-on, Tom not convinced on budget 😬"))
    assert found["S1"] > 0
    assert found["S4"] < 0


def test_an_emoji_of_a_sentence_about_one_person_is_still_theirs() -> None:
    assert people(extract("Call with Dana -> Dana asked bluntly why the invoice was late 😤"))["S1"] < 0


def test_the_writers_laughter_is_no_ones_mood() -> None:
    assert people(extract("Phoned Dana (yes on a Sunday, she emailed first lol). She's really unhappy with the SSO."))[
        "S1"] < 0
    assert analyzer().polarity_scores("she emailed first lol")["compound"] == 0


def test_a_person_named_inside_the_emojis_clause_does_not_take_it() -> None:
    text = "Met Dana and Tom\n→ Tom with her, arms crossed, 'we'll see' when Dana mentioned expansion 😬"
    assert people(extract(text))["S4"] < 0


def test_both_after_a_list_of_people_is_each_of_them() -> None:
    found = people(extract("call w/ Dana + Tom -> both 👍 on the pilot -> me: proposal by Friday"))
    assert found["S1"] > 0 and found["S4"] > 0


def test_both_is_not_someone_named_before_the_last_sentence() -> None:
    found = people(extract("Met Dana. Tom stopped by.\nboth 👎 on the price"))
    assert found["S1"] == 0


def test_fine_with_in_chat_shorthand_is_for_us() -> None:
    assert people(extract("call w dana fri she s fine w renewal. i send her the redline tue"))["S1"] > 0
    assert people(extract("Call with Dana. She is comfortable with the new price."))["S1"] > 0
    assert people(extract("Call with Dana. She is not fine with the new price."))["S1"] < 0


def test_fine_with_a_walkthrough_is_only_acknowledgement() -> None:
    assert people(extract("Call w/ Dana, walked her through the timeline, she's fine with it."))["S1"] == 0


def test_their_side_pleased_in_their_own_message_is_the_senders_mood() -> None:
    assert people(extract('Fwd from Dana: "Thanks - we\'d like to go ahead with the workshop."'))["S1"] > 0
    assert people(extract("Email from Dana: they're happy with the pilot results."))["S1"] > 0


def test_their_side_pleased_is_no_ones_mood_without_their_message() -> None:
    assert people(extract("Met Dana. Their users say they're happy with the portal."))["S1"] == 0
