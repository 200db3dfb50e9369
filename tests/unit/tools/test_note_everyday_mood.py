"""A person's mood said in everyday words: bare predicates ("Dana good", "Tom is enthusiast"), emoji on a person's
line, thanking or defending us, a change of mind said after the mood, and negations with a softener ("not exactly
thrilled"). A neutral person stays neutral and the note's mood is not pasted onto everyone."""

from __future__ import annotations

import pytest

from tests.unit.agent.test_extraction import extract, people
from tools.notes.extract.emoji_mood import emoji_value
from tools.notes.extract.predicate import word_valence


def signs(text: str) -> dict[str, int]:
    return {k: (v > 0) - (v < 0) for k, v in people(extract(text)).items()}


@pytest.mark.parametrize(("text", "expected"), [
    ("Call w/ Dana + Tom Baker\nDana good, wants the dashboard\nTom asked about SSO", {"S1": 1, "S4": 0}),
    ("Met Dana and Tom Baker. Tom good as always. Dana took notes.", {"S1": 0, "S4": 1}),
    ("Met Dana and Tom Baker. Tom is enthusiast, he want to start soon.", {"S1": 0, "S4": 1}),
    ("Email from Tom Baker, very sharp - says the outage cost them a lot.", {"S4": -1}),
    ("Met Dana and Tom Baker. Tom asked why they should renew - pretty sharp tone. Dana fine.", {"S1": 0, "S4": -1}),
    ("Met Dana. She was difficult about everything.", {"S1": -1}),
    ("Met Dana and Tom Baker. Tom not happy, Dana good.", {"S1": 1, "S4": -1}),
])
def test_a_bare_predicate_is_the_mood_of_the_person_before_it(text: str, expected: dict[str, int]) -> None:
    assert signs(text) == expected


@pytest.mark.parametrize("text", [
    "Met Dana and Tom Baker. Dana fine I guess. Tom ok.",  # lukewarm words are no mood
    "Met Dana and Tom Baker. Tom quiet, Dana calmer after the fix.",  # calmer: composure, not a stance
    "Met Dana. Dana sick last week, back now, good news on the budget.",  # health; "good news" names a thing
    "Met Tom Baker. Tom embarrassed about the late PO.",  # a feeling about himself
])
def test_states_and_lukewarm_words_stay_neutral(text: str) -> None:
    assert set(signs(text).values()) == {0}


def test_word_valence_reads_person_words_and_skips_states() -> None:
    assert word_valence("good") > 0 and word_valence("enthusiast") > 0 and word_valence("sharp") < 0
    assert word_valence("sick") == 0 and word_valence("calmer") == 0 and word_valence("xyzzy") == 0


@pytest.mark.parametrize(("char", "value"), [
    ("😊", 1), ("🔥", 1), ("👍", 1), ("😬", -1), ("😤", -1), ("🧊", -1), ("👋", 0), ("📞", 0), ("✅", 0), ("a", 0),
])
def test_an_emoji_has_its_chat_meaning(char: str, value: int) -> None:
    assert emoji_value(char) == value


@pytest.mark.parametrize(("text", "expected"), [
    ("Acme call → Dana + Tom Baker\n→ Dana stopped by after the demo 😊 said it went well\n→ Tom asked about SSO",
     {"S1": 1, "S4": 0}),
    ("Acme call → Dana + Tom Baker\n→ Tom asked bluntly why he pays for unused seats 😤\n→ Dana: pricing questions",
     {"S1": 0, "S4": -1}),
    ("Acme onsite w/ Dana + Tom Baker\n→ Dana 🔥🔥 wants it in all plants\n→ Tom 🤷 whatever", {"S1": 1, "S4": 0}),
    ("Acme 📞 Dana + Tom Baker, all about the renewal dates", {"S1": 0, "S4": 0}),  # a picture of a thing
])
def test_an_emoji_counts_for_the_person_it_follows_or_who_heads_its_line(text: str, expected: dict[str, int]) -> None:
    assert signs(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Met Dana and Tom Baker. Tom thanked us for the training. Dana asked for the invoice.", {"S1": 0, "S4": 1}),
    ("Met Dana and Tom Baker. Dana say thank you for the support.", {"S1": 1, "S4": 0}),
    ("Met Dana and Tom Baker. Tom asked about the price, Dana defend us.", {"S1": 1, "S4": 0}),
    ("Met Dana and Tom Baker. Dana says she's still in our corner.", {"S1": 1, "S4": 0}),
    ("Met Dana and Tom Baker. Tom stonewalled on the scope.", {"S1": 0, "S4": -1}),
    ("Met Tom Baker. Tom threatens to review the whole contract.", {"S4": -1}),
    ("Met Dana. Thanks to the new release the sync works.", {"S1": 0}),  # thanks to a thing: nobody's stance
])
def test_thanking_defending_and_threatening_are_stances(text: str, expected: dict[str, int]) -> None:
    assert signs(text) == expected


def test_a_change_of_mind_said_after_the_mood_outweighs_the_first_mood() -> None:
    assert signs("Met Tom Baker.\n- Tom sceptical at first, warmed up by the end") == {"S4": 1}
    assert signs("Met Dana. Dana was a bit guarded at first but she warmed up by the end.") == {"S1": 1}


@pytest.mark.parametrize(("text", "value"), [
    ("Met Dana. Dana not exactly thrilled we want to change the framework.", -1),
    ("Met Dana. Dana not particularly happy with the rollout.", -1),
    ("Met Dana. Dana not especially worried about it.", 0),
])
def test_a_softened_negation_still_negates(text: str, value: int) -> None:
    assert signs(text) == {"S1": value}


@pytest.mark.parametrize(("text", "expected"), [
    ("Met Dana and Tom Baker.\n- Tom opened by thanking us for the fast fix\n- Dana asked for the invoice",
     {"S1": 0, "S4": 1}),
    ("Met Dana and Tom Baker. Tom then stood up and defended us in front of the board.", {"S1": 0, "S4": 1}),
    ("Met Dana and Tom Baker. Tom complain that the price increase is too much.", {"S1": 0, "S4": -1}),
])
def test_the_person_opening_a_clause_is_the_subject_of_its_verb_chain(text: str, expected: dict[str, int]) -> None:
    assert signs(text) == expected


@pytest.mark.parametrize("text", [
    "Met Dana. Dana mentioned the budget was approved last week.",  # a thing's state, reported
    "Met Dana. Dana asked why we blocked port 443.",  # a new subject
    "Met Tom Baker. Tom's team blocked the port by mistake.",  # a possessive: his team, not him
])
def test_a_verb_chain_stops_at_a_new_subject(text: str) -> None:
    assert set(signs(text).values()) == {0}


def test_a_pronoun_opening_a_clause_carries_its_verb_chain() -> None:
    text = "Met Dana and Tom Baker. Dana was fine. Tom though... he flat out said he will not approve the renewal."
    assert signs(text) == {"S1": 0, "S4": -1}


def test_what_follows_a_name_and_an_arrow_is_theirs() -> None:
    assert signs("acme 📞 tom baker → signed off the pricing ✅  dana → 🤔 wants legal review") == {"S4": 1, "S1": 0}


def test_a_clause_running_into_a_commitment_is_read_up_to_the_promise() -> None:
    text = "Met Dana and Tom Baker. Tom say in front of everybody that our support is useless and he will send " \
           "the cancellation letter by Friday."
    assert signs(text) == {"S1": 0, "S4": -1}


@pytest.mark.parametrize(("text", "expected"), [
    ("Met Tom Baker, Joy Smith and Dana about the renewal.", {"S4": 0, "S1": 0, "Joy Smith": 0}),
    ("Met Tom Baker and Dana. Attendees: Tom Baker, Hope, Dana.", {"S4": 0, "S1": 0}),  # a capital mid-sentence
    ("Met Tom Baker and Dana.\nTom: Great, wants the dashboard", {"S4": 1, "S1": 0}),  # after a label it counts
])
def test_a_name_after_a_name_is_no_predicate(text: str, expected: dict[str, int]) -> None:
    assert signs(text) == expected


@pytest.mark.parametrize(("text", "value"), [
    ("Dana ranted about support.", -1),  # "rant" in the lexicon, "ranted" by inflection
    ("Dana vented about the invoices.", -1),
    ("Dana gushed about the dashboard.", 1),
    ("Dana is a big believer in the platform.", 1),
    ("Dana rolled her eyes at the proposal.", -1),
    ("Dana lost patience with us.", -1),
    ("Dana is losing faith in us.", -1),
    ("Dana gave us a hard time about the outage.", -1),
    ("Dana sang our praises to her boss.", 1),
    ("Dana less than impressed.", -1),
    ("Dana: love the new UI", 1),  # a clause after a label is the labelled person's
    ("Dana: 'oh great, another workaround'", 0),  # a quote may be ironic: not read
    ("Dana: walked through the PO process", 0),  # "PO" is a purchase order, not VADER's slur
])
def test_everyday_words_of_warmth_and_displeasure(text: str, value: int) -> None:
    assert signs("Met Dana. " + text) == {"S1": value}


def test_inflections_carry_a_words_valence() -> None:
    from tools.notes.extract.lexicon import analyzer, inflections

    assert inflections("rant") == ["rants", "ranted", "ranting"]
    assert inflections("rave") == ["raves", "raved", "raving"]
    assert inflections("gush") == ["gushes", "gushed", "gushing"]
    lexicon = analyzer().lexicon
    assert lexicon["ranted"] < 0 < lexicon["gushed"]
    assert "helped" not in lexicon and "po" not in lexicon  # business words stay neutral in every form


def test_an_emoji_after_a_list_of_names_is_the_meetings_not_the_last_names() -> None:
    assert signs("Met Dana and Tom Baker 😊. Dana asked for pricing.") == {"S1": 0, "S4": 0}
    # with a verdict on the meeting, the meeting's mood is everyone's (``meeting_mood.py``)
    assert signs("Met Dana and Tom Baker 😊 good meeting. Dana asked for pricing.") == {"S1": 1, "S4": 1}


@pytest.mark.parametrize(("text", "expected"), [
    ("Met Dana and Tom Baker. Dana keen. Tom, not so much.", {"S1": 1, "S4": -1}),
    ("Met Dana and Tom Baker. Dana happy, Tom less so.", {"S1": 1, "S4": -1}),
    ("Met Dana and Tom Baker. Tom was furious. Dana, not so much.", {"S1": 0, "S4": -1}),  # lacks a bad mood: neutral
    ("Met Dana and Tom Baker. Dana asked about pricing. Tom, not so much.", {"S1": 0, "S4": 0}),  # no mood before
])
def test_an_elliptic_contrast_lacks_the_good_mood_said_before(text: str, expected: dict[str, int]) -> None:
    assert signs(text) == expected


@pytest.mark.parametrize(("text", "value"), [
    ("Dana's boss is unhappy with the board.", 0),  # the mood of the one she has
    ("Dana's team was thrilled with the rollout.", 0),
    ("Dana's happy with the rollout.", 1),  # "'s" as "is": her own mood
])
def test_a_mood_after_a_possessive_is_not_the_possessors(text: str, value: int) -> None:
    assert signs("Met Dana. " + text) == {"S1": value}


@pytest.mark.parametrize(("text", "value"), [
    ("Tom would rather rip us out tomorrow.", -1),
    ("Tom wants to replace us with the in-house team.", -1),
    ("Tom hinted he might get rid of us next year.", -1),
    ("Tom asked us to drop the price.", 0),  # "drop the price" is not dropping us
])
def test_dropping_us_is_a_stance_against(text: str, value: int) -> None:
    assert signs("Met Tom Baker. " + text) == {"S4": value}


@pytest.mark.parametrize(("text", "value"), [
    ("Dana's feedback was glowing.", 1),  # her feedback's mood is hers
    ("Dana said we've done a great job.", 1),  # praise of our work, not a thing's name
    ("Dana can't wait to roll it out.", 1),
    ("Dana was very kind about the delay.", 1),
    ("Dana was kind of quiet.", 0),  # "kind of" is no kindness
    ("Dana is questioning the value.", -1),
    ("Dana doubts the ROI.", -1),
    ("Dana had a go at us about the outage.", -1),
])
def test_more_everyday_words(text: str, value: int) -> None:
    assert signs("Met Dana. " + text) == {"S1": value}


@pytest.mark.parametrize(("text", "expected"), [
    ("Met Dana and Tom Baker, great.", {"S1": 0, "S4": 0}),  # the meeting's mood, not the last name's
    ("Call w/ Dana + Tom Baker - good", {"S1": 0, "S4": 0}),
    ("Call w/ Tom Baker - good", {"S4": 1}),  # one person met: theirs
])
def test_a_predicate_after_a_list_of_names_is_the_meetings(text: str, expected: dict[str, int]) -> None:
    assert signs(text) == expected


@pytest.mark.parametrize(("text", "value"), [
    ("Dana: 'honestly the best platform we have rolled out in years'", 1),  # "best" counts in a person's words
    ("Dana wrote 'really appreciate how fast your team turned this around'", 1),
    ('Dana: "love it"', 1),  # a short quote, two words
    ("Dana said: 'this is a disaster for our stores, awful week'", -1),
    ("Dana: 'oh great, another workaround for the sync'", 0),  # irony
    ("Dana: 'this should have been a good release by now'", 0),  # a complaint in good words
    ("Dana: 'that sounds like a joke to our finance team'", 0),
    ("We told Dana 'the best option is the annual plan'", 0),  # our words, not hers
])
def test_a_quote_is_its_speakers_mood_unless_ironic(text: str, value: int) -> None:
    assert signs("Met Dana. " + text) == {"S1": value}


@pytest.mark.parametrize(("text", "value"), [
    ("Dana was in a mood all meeting.", -1),  # sulky
    ("Dana was in a good mood.", 1),
    ("Dana is in a mood to buy.", 1),  # willing, not sulky: for us (the learned reading, ``mood_model``)
])
def test_in_a_mood_is_sulky(text: str, value: int) -> None:
    assert signs("Met Dana. " + text) == {"S1": value}


@pytest.mark.parametrize(("text", "expected"), [
    ("Acme 📞 Tom Baker → renewal looks straightforward, wants multi-year 👍 | send him a quote by Dec 1", {"S4": 1}),
    ("Acme 📞 Tom Baker → renewal slipped again, wants a discount 😤", {"S4": -1}),
    ("Call w/ Tom Baker and Dana.\nTom Baker → asked about SSO, Dana keen 👍", {"S4": 0, "S1": 1}),  # Dana's
])
def test_an_emoji_late_in_an_arrowed_line_is_the_arrowed_persons(text: str, expected: dict[str, int]) -> None:
    assert signs(text) == expected


def test_an_emoji_in_a_bracketed_aside_is_the_writers() -> None:
    assert signs("Met Dana. She's moving on (joining a competitor 😬) but said we've been great to work with.") == {
        "S1": 1}
    assert signs("Met Dana 😬 not convinced by the pricing.") == {"S1": -1}


def test_spanish_mood_words_of_a_rep_mixing_languages() -> None:
    assert signs("Call el lunes con Dana. Super positivo, quiere ampliar licencias.") == {"S1": 1}
    assert signs("Reunión con Dana, preocupada por la integración.") == {"S1": -1}
