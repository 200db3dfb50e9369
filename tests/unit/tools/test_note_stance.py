"""A person's stance toward us and the deal (``stance.py``): for or against, read from the clauses whose subject
they are, with pronouns carried over, negation, a change of mind, moods at a colleague, and the mood of a meeting
with one person."""

from __future__ import annotations

import pytest

from tests.unit.agent.test_extraction import extract, people


def signs(text: str) -> dict[str, int]:
    return {k: (v > 0) - (v < 0) for k, v in people(extract(text)).items()}


@pytest.mark.parametrize(("text", "expected"), [
    ("Call w/ Dana + Tom Baker. Dana ok w/ pricing now, Tom still wants SSO proof.", {"S1": 1, "S4": 0}),
    ("Met Dana and Tom Baker. Tom again is against, he says the old system is enough.", {"S1": 0, "S4": -1}),
    ("Met Dana and Tom Baker. Dana is now our champion. Tom blocked the rollout.", {"S1": 1, "S4": -1}),
    ("Call with Dana and Tom Baker.\n+ Dana: in favour of phase 2\n+ Tom: keeps stalling on the go-live date",
     {"S1": 1, "S4": -1}),
    ("Met Tom Baker. He postponed the budget decision again, third time now.", {"S4": -1}),
    ("Met Dana. She seems to be warming to phase 2, I think.", {"S1": 1}),  # a hedge keeps the sign
    ("Met Tom Baker and Dana. Dana support us but she is not the decision maker.", {"S4": 0, "S1": 1}),
])
def test_a_stance_counts_for_the_subject_of_its_clause(text: str, expected: dict[str, int]) -> None:
    assert signs(text) == expected


@pytest.mark.parametrize("text", [
    "Met Dana. The budget is approved and the pilot is signed off.",  # a thing's state, nobody's stance
    "Met Dana. We compared the price against last year's.",
    "Met Dana. Tom Baker's team blocked port 443 by mistake.",
])
def test_a_stance_word_about_a_thing_is_nobodys(text: str) -> None:
    assert set(signs(text).values()) == {0}


def test_a_pronoun_after_lead_words_is_the_last_person_it_fits() -> None:
    text = "Met Dana and Tom Baker. Dana was keen. Tom asked about price, but honestly he was pretty cold about it."
    assert signs(text) == {"S1": 1, "S4": -1}


def test_negated_stances() -> None:
    assert signs("Met Dana. She is not against it, just cautious.") == {"S1": 0}
    assert signs("Met Tom Baker. He was not ok with the new terms.") == {"S4": -1}


def test_a_change_of_mind_outweighs_what_came_before() -> None:
    text = "Met Tom Baker. Tom was against in the beginning but in the end he agreed with the plan."
    assert signs(text) == {"S4": 1}


def test_a_mood_at_a_colleague_is_not_a_stance_toward_us() -> None:
    text = "Met Dana and Tom Baker. Tom blocked the rollout. Dana frustrated w/ Tom but still fully behind us."
    assert signs(text) == {"S1": 1, "S4": -1}


def test_a_persons_own_stance_outweighs_the_meetings_mood() -> None:
    text = "QBR with Dana and Tom Baker. Overall it went well. Tom won't commit to a renewal yet."
    assert signs(text) == {"S1": 1, "S4": -1}


@pytest.mark.parametrize(("text", "expected"), [
    ("dana called, all good, she'll send the signed SOW by the 3rd", 1),
    ("Acme / Dana Whitfield / call / tone: frosty. Renewal on hold.", -1),
    ("Email from Dana Whitfield (legal): contract clauses approved, no further comments.", 1),
    ("Call with Dana, went well.", 1),
])
def test_the_mood_of_a_meeting_with_one_person_is_theirs(text: str, expected: int) -> None:
    assert signs(text) == {"S1": expected}


def test_a_weak_mood_is_theirs_only_when_they_reached_out() -> None:
    assert signs("spoke to dana whitfield, all good, sending the quote tmrw") == {"S1": 0}
    assert signs("Met Dana and Tom Baker, all good.") == {"S1": 0, "S4": 0}  # two people: how things stand


@pytest.mark.parametrize(("text", "expected"), [
    ("Met Dana. Dana confirmed the 2027 budget line is approved.", {"S1": 1}),
    ("Met Tom Baker. Tom said procurement will not approve the pricing as proposed.", {"S4": -1}),
    ("Met Dana. Dana presented the results and is clearly pushing for the full rollout.", {"S1": 1}),
    ("Acme -> call w/ Dana + Tom Baker -> Dana: pro, wants a 2nd site -> Tom: quiet", {"S1": 1, "S4": 0}),
    ("Met Dana. On the other hand she kept asking about the price.", {"S1": 0}),  # an idiom, not a mood
])
def test_reported_decisions_second_verbs_and_labels(text: str, expected: dict[str, int]) -> None:
    assert signs(text) == expected


def test_a_change_of_mind_needs_a_contrast() -> None:
    # "finally" in Tom's clause is no change of Dana's mind: her mood is mixed, so neutral
    text = "Met Tom Baker and Dana. Tom finally agreed the budget and Dana was not happy about the plan but she'll " \
           "live with it."
    assert signs(text)["S4"] == 1


def test_not_yet_is_undecided() -> None:
    assert signs("Call with Tom Baker. Tom not sold on price yet.") == {"S4": 0}
    assert signs("Call with Tom Baker. Tom not sold on the price.") == {"S4": -1}


@pytest.mark.parametrize("text", [
    "Met Dana. Dana: solid numbers this quarter, wants the report.",
    "Met Dana. She blocked out time for the workshop.",
    "Met Dana. Dana pro-rated the licences.",
])
def test_stance_words_used_otherwise_are_no_stance(text: str) -> None:
    assert signs(text) == {"S1": 0}


def test_a_mood_adjective_is_the_meetings_only_standing_alone() -> None:
    assert signs("Call with Dana, positive.") == {"S1": 1}
    assert signs("Met Dana. The pilot results were positive.") == {"S1": 0}


@pytest.mark.parametrize("text", [
    "Met Dana and Tom Baker. Dana and Tom both ok with the plan.",
    "Met Dana and Tom Baker, both in favour of phase 2.",
])
def test_a_stance_of_people_named_together(text: str) -> None:
    assert signs(text) == {"S1": 1, "S4": 1}


@pytest.mark.parametrize(("text", "expected"), [
    ("Acme call w/ Dana + Tom Baker. Dana 👍, Tom 👎", {"S1": 1, "S4": -1}),
    ("Met Dana and Tom Baker. Tom prefers to stick with the current vendor.", {"S1": 0, "S4": -1}),
    ("Met Dana and Tom Baker. Tom is evaluating Opticore as an alternative.", {"S1": 0, "S4": -1}),
    ("Met Dana and Tom Baker. Tom is evaluating Opticore against their warehouse.", {"S1": 0, "S4": 0}),
    ("Met Dana. Dana gave us the green light for phase 2.", {"S1": 1}),
    ("Met Dana. Dana is dragging her feet on the PO.", {"S1": -1}),
    ("Met Dana. Dana turned down our offer.", {"S1": -1}),
])
def test_general_stance_phrases_and_emoji(text: str, expected: dict[str, int]) -> None:
    assert signs(text) == expected


def test_a_stance_gives_a_lean_not_a_size() -> None:
    # a mood with a stance the same way keeps the mood's size; stances alone are +1 / -1
    assert people(extract("Met Dana. She is still frustrated about the outage and is leaning towards Corvane.")) == {
        "S1": -1}
    assert people(extract("Met Tom Baker. Tom blocked the rollout and won't commit to a renewal.")) == {"S4": -1}


def test_said_no_is_a_refusal_only_on_its_own() -> None:
    assert signs("Met Dana. Dana said no to the upsell.") == {"S1": -1}
    assert signs("Met Dana. Dana said no further changes are needed.") == {"S1": 0}


def test_signing_off_the_deal_and_all_in_are_for_us() -> None:
    assert signs("Call with Tom Baker, he's signing off the renewal.") == {"S4": 1}
    assert signs("Call with Tom Baker about the board deck, he's all in.") == {"S4": 1}
    assert signs("Call with Tom Baker. All in all a quiet call.") == {"S4": 0}


@pytest.mark.parametrize(("text", "expected"), [
    ("Met Dana and Tom Baker. Dana is really into the rollout, Tom quiet.", {"S1": 1, "S4": 0}),
    ("Met Dana. Dana lit up when we showed the alerts.", {"S1": 1}),
    ("Lunch w/ Dana. Dana kept saying we're the only vendor that actually listens.", {"S1": 1}),
    ("Call with Dana today, she's pushing hard internally for the dashboard.", {"S1": 1}),
    ("Met Dana and Tom Baker. Dana ok w/ the pricing, Tom grumpy about the migration.", {"S1": 1, "S4": -1}),
    ("Call w/ Tom Baker - he's still treating it as price-only, not budging.", {"S4": -1}),
    ("Call with Tom Baker.\n- Tom: brought up the outage again, says trust in us is low", {"S4": -1}),
])
def test_a_stance_in_everyday_idiom(text: str, expected: dict[str, int]) -> None:
    assert signs(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Dinner w/ Dana and Tom Baker. Tom keen. Sat next to Dana, nice chat about her kids, nothing on business.",
     {"S1": 0, "S4": 1}),
    ("Met Dana and Tom Baker, Tom introduced us, seemed friendly enough.", {"S1": 0, "S4": 0}),
    ("Met Dana. Nice chat, she was happy with the rollout.", {"S1": 1}),  # a pleasant talk about us still counts
    ("Met Dana and Tom Baker. The outage rather than Dana's team lit up the board.", {"S1": 0, "S4": 0}),
])
def test_small_talk_and_faint_praise_are_no_stance(text: str, expected: dict[str, int]) -> None:
    assert signs(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Email from Dana: their customers are happy with the new portal, she will send the survey by Friday.", {"S1": 1}),
    ("Met Dana. Their customers are happy with the new portal.", {"S1": 0}),  # how things stand, not her reaching out
    ("Email from Dana: their customers are not happy with the portal.", {"S1": 0}),
    ("Call with Dana. The budget cut is 12% but she wants to continue with us.", {"S1": 1}),
])
def test_their_side_pleased_in_their_own_message_and_staying_with_us(text: str, expected: dict[str, int]) -> None:
    assert signs(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Dinner w/ Tom Baker. Tom made a pointed joke about our invoices being 'creative'.", {"S4": -1}),
    ("Met Tom Baker. He took a swipe at us over the outage.", {"S4": -1}),
    ("Met Tom Baker. Tom told a joke about his golf, keen on the rollout.", {"S4": 1}),
])
def test_mockery_at_our_expense_is_against_us(text: str, expected: dict[str, int]) -> None:
    assert signs(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Met Tom Baker and Dana. Tom says our tool is a waste of money and he will recommend to stop the contract.",
     {"S4": -1, "S1": 0}),
    ("Met Tom Baker. He's going to look at other vendors.", {"S4": -1}),
    ("Met Tom Baker. He will review the contract with legal.", {"S4": 0}),  # a review is no threat
    ("Met Dana and Tom Baker. Dana said in front of her whole team that we're a strategic partner.",
     {"S1": 1, "S4": 0}),
    ("Met Dana and Tom Baker. Dana said that the team is a mess.", {"S1": 0, "S4": 0}),  # not about us
])
def test_a_threat_as_an_intention_and_praise_of_us_reported(text: str, expected: dict[str, int]) -> None:
    assert signs(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # wanting more of us is for us; wanting less of us, or a competitor, against
    ("Met Dana. She wants to expand to two more sites.", {"S1": 1}),
    ("Met Dana. Dana wants to renew early.", {"S1": 1}),
    ("Met Dana, she mentioned she'd recommend us to her peers.", {"S1": 1}),
    ("Met Dana. She would not recommend us right now.", {"S1": -1}),
    ("Met Dana. She wants to cancel the pilot.", {"S1": -1}),
    ("Met Dana. Dana wants to reduce seats next year.", {"S1": -1}),
    ("Met Dana. She is considering moving to a competitor.", {"S1": -1}),
    # backing the project, praise of us reported, content with what we did; pushing for a discount is no support
    ("Met Dana and Tom Baker. Tom said he still backs the transformation programme.", {"S1": 0, "S4": 1}),
    ("Met Dana. She's moving on but said we've been great to work with.", {"S1": 1}),
    ("Met Dana and Tom Baker. Both content with Q3 delivery.", {"S1": 1, "S4": 1}),
    ("Met Dana: pushing for a 10% discount, not happy with the renewal numbers.", {"S1": -1}),
    # ready to buy, in everyday words
    ("Met Dana. She is ready to sign.", {"S1": 1}),
    ("Met Dana. Dana bought into the vision.", {"S1": 1}),
    ("Met Dana. Dana is a firm yes.", {"S1": 1}),
    ("Met Dana. She sees real value in the platform.", {"S1": 1}),
    ("Met Dana. Dana gave the go-ahead.", {"S1": 1}),
    ("Met Dana. She confirmed they will renew.", {"S1": 1}),
    ("Met Dana. Dana called it a game changer.", {"S1": 1}),
    ("Met Dana - she's in.", {"S1": 1}),
    ("Met Dana. She said the pilot was a success.", {"S1": 1}),
    ("Met Dana. She's in Berlin next week.", {"S1": 0}),
    # wanting to move a meeting, or to see a contract first, is no stance
    ("Met Dana. She wants to move the meeting to Friday.", {"S1": 0}),
    ("Met Dana. She wants to see the contract before deciding.", {"S1": 0}),
])
def test_wanting_more_or_less_of_us_is_a_stance(text: str, expected: dict[str, int]) -> None:
    assert signs(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # what a person did, not a mood word: goodwill offered (even as a promise), eagerness to begin, wanting more
    ("Met Dana, she offered to be a reference.", {"S1": 1}),
    ("Met Dana. She agreed to be a reference for the field app.", {"S1": 1}),
    ("Met Dana. Dana asked when we can start phase 2.", {"S1": 1}),
    ("Met Dana. She wants the same setup for the Madrid plant.", {"S1": 1}),
    ("Met Dana. Great to see her so engaged.", {"S1": 1}),
    ("Met Dana, she was very open about their roadmap.", {"S1": 1}),
    # and against: haggling over everything, elsewhere in the room
    ("Met Dana, she pushed back on every line of the SOW.", {"S1": -1}),
    ("Met Dana and Tom Baker. Tom kept checking his phone.", {"S1": 0, "S4": -1}),
    ("Met Dana. She seemed distracted.", {"S1": -1}),
    # routine promises and plain haggling stay neutral; an introduction we make is not hers
    ("Met Dana. She agreed to send the data extract by Friday.", {"S1": 0}),
    ("Met Dana. She pushed back on the fees.", {"S1": 0}),
    ("Met Dana. I will introduce her to our CTO.", {"S1": 0}),
    ("Met Dana. She will introduce us to the new VP Finance once named.", {"S1": 0}),  # an introduction alone
    ("Met Dana. She confirmed budget for the expansion early, great news.", {"S1": 0}),  # the news, not her mood
    ("Met Dana. She asked when the invoice is due.", {"S1": 0}),
])
def test_what_a_person_did_shows_their_stance(text: str, expected: dict[str, int]) -> None:
    assert signs(text) == expected
