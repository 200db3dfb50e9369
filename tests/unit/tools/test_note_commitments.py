"""Who owes what: promises of ours without a subject or by a colleague, the customer's promises, and what is no
promise (a wish, "let us know")."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.agent.test_extraction import WED, extract


def promises(text: str) -> list[tuple[str, str | None, dt.date | None]]:
    return [(c.side, c.owner, c.due) for c in extract(text, as_of=WED).commitments]


@pytest.mark.parametrize(("text", "expected"), [
    # a colleague named by first name (none of the customer's people) promises for our side
    ("Met Dana with Priya from our solutions team. Priya will send the sizing by Friday.",
     [("ours", None, dt.date(2026, 11, 20))]),
    ("Call with Dana. Marta to share the migration runbook by 12/1.", [("ours", None, dt.date(2026, 12, 1))]),
    # the customer's people keep their side
    ("Call with Dana. Dana will send the budget by Friday.", [("customer", "S1", dt.date(2026, 11, 20))]),
    ("Call with Dana; she'll let us know by Friday.", [("customer", "S1", dt.date(2026, 11, 20))]),
])
def test_sides(text: str, expected: list[tuple[str, str | None, dt.date | None]]) -> None:
    assert promises(text) == expected


@pytest.mark.parametrize("text", [
    "Call with Dana. She wants us to present the roadmap to her board sometime.",
    "Met Dana, she'd love a workshop one day.",
])
def test_a_wish_is_no_promise(text: str) -> None:
    assert promises(text) == []


def test_someone_copied_is_not_a_participant() -> None:
    result = extract("Call with Dana about the pilot. Tom Baker cc'd.")
    assert [p.stakeholder_id for p in result.participants] == ["S1"]


def test_the_writer_narrating_without_i_owns_the_promise() -> None:
    assert promises("Met Dana, went through the renewal and will send the deck by Friday.") == [
        ("ours", None, dt.date(2026, 11, 20))]
    assert promises("Dana loved the demo and will send the docs by Friday.") == [
        ("customer", "S1", dt.date(2026, 11, 20))]


def test_an_inline_action_list_with_dashes() -> None:
    found = extract("Met Dana. Next steps: me - pricing deck by Wed; Dana - confirm headcount by 12/5.").commitments
    assert [(c.side, c.owner, c.description, c.due) for c in found] == [
        ("ours", None, "pricing deck", dt.date(2026, 11, 25)),
        ("customer", "S1", "confirm headcount", dt.date(2026, 12, 5))]


def test_a_relative_clause_keeps_the_subject() -> None:
    assert promises("Met Dana. Tom Baker, who ran the pilot, will send the results by Friday.") == [
        ("customer", "S4", dt.date(2026, 11, 20))]
    assert promises("Tom Baker asked for the answers, will get them over by Friday.") == [
        ("ours", None, dt.date(2026, 11, 20))]


def test_we_owe_anyone() -> None:
    assert promises("Met Dana. We owe Dana the training plan by end of next week.") == [
        ("ours", None, dt.date(2026, 11, 27))]


def test_the_customers_teams_promise_for_the_customer() -> None:
    assert promises("Call with Dana; she said her team will send the test data by 12/3.") == [
        ("customer", None, dt.date(2026, 12, 3))]
    assert promises("Met Dana. Their legal team will review the MSA by Friday.") == [
        ("customer", None, dt.date(2026, 11, 20))]


def test_a_structured_note_and_shorthand_for_i_would() -> None:
    note = ("Account: Acme Corp\nAttendees: Dana Whitfield, Tom Baker\nNotes: Dana positive, Tom neutral\n"
            "Actions: me - send cost model by 12/2; Tom - share volumes by Friday")
    assert promises(note) == [("ours", None, dt.date(2026, 12, 2)), ("customer", "S4", dt.date(2026, 11, 20))]
    assert promises("met dana, not happy w/ invoice. told her id escalate to billing by wed") == [
        ("ours", None, dt.date(2026, 11, 25))]


def test_what_we_owe_is_described_as_the_thing_for_them() -> None:
    found = extract("Met Dana. We owe Dana the training plan by Friday; I'll send the deck too.").commitments
    assert [c.description for c in found] == ["the training plan for Dana", "send the deck too"]


def test_numbered_action_items_and_business_days() -> None:
    note = "QBR with Dana. Action items: (1) we send the audit by 12/11 (2) Tom Baker to provide samples by Friday."
    assert promises(note) == [("ours", None, dt.date(2026, 12, 11)), ("customer", "S4", dt.date(2026, 11, 20))]
    assert promises("Call with Dana; she'll get procurement to send the PO within 10 business days.") == [
        ("customer", "S1", dt.date(2026, 12, 2))]
    assert [c.description for c in extract("Call with Dana. Promised her a credit note by Friday.").commitments] == [
        "a credit note for her"]
    assert {p.stakeholder_id for p in extract("Call with Dana. Tom Baker not involved.").participants} == {"S1"}


def test_the_colleague_whose_meeting_we_joined_promises_for_us() -> None:
    # "Sam" is a first name two of the customer's people share; "Sam's call" makes this Sam one of ours
    result = extract("Joined Sam's call with Dana today. Sam will send the revised proposal by Friday.")
    assert [(c.side, c.due) for c in result.commitments] == [("ours", dt.date(2026, 11, 20))]
    assert result.questions == []


@pytest.mark.parametrize("text", [
    "Call with Dana. She's still in our corner and will push internally.",
    "Met Dana, she is super enthusiast and she will speak with the other companies of the group.",
    "Met Dana. She will talk about it with her team.",
])
def test_an_undated_intention_with_nothing_to_deliver_is_no_promise(text: str) -> None:
    assert promises(text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Met Dana. She will champion the expansion internally.", [("customer", "S1", None)]),
    ("Met Dana. She'll get back to us on the pilot sites.", [("customer", "S1", None)]),
    ("Met Dana. She will push the budget through by Friday.", [("customer", "S1", dt.date(2026, 11, 20))]),
    ("Met Dana. Need to loop in Tom Baker.", [("ours", None, None)]),
])
def test_an_intention_with_a_thing_or_a_day_stays(text: str, expected: list[tuple[str, str | None, dt.date | None]]
                                                   ) -> None:
    assert promises(text) == expected


def test_a_bar_ends_a_clause_so_an_imperative_after_it_is_ours() -> None:
    assert promises("Acme call w/ Dana, wants multi-year | send her a quote by Dec 1") == [
        ("ours", None, dt.date(2026, 12, 1))]


@pytest.mark.parametrize(("text", "expected"), [
    ("Met Dana. She'll carry it into the exec meeting herself.", []),  # her own step, nothing for us
    ("Met Dana. Tom Baker on holiday, Dana will brief him.", []),
    ("Met Dana. She'll chase him for the usage data.", [("customer", "S1", None)]),  # a promise's verb
    ("Met Dana. She will join the next review.", [("customer", "S1", None)]),  # a thing to attend
    ("Met Dana. She'll take her proposal to the board.", [("customer", "S1", None)]),  # "her" a possessive
    ("Met Dana. She'll brief him by Friday.", [("customer", "S1", dt.date(2026, 11, 20))]),  # a day makes it one
])
def test_a_customers_own_step_with_only_a_pronoun_is_no_promise(
        text: str, expected: list[tuple[str, str | None, dt.date | None]]) -> None:
    assert promises(text) == expected


def test_a_request_to_the_agent_is_not_part_of_the_promise() -> None:
    found = extract("Met Dana. I need to send her the training schedule until Friday, please add it.").commitments
    assert [(c.side, c.description) for c in found] == [("ours", "send her the training schedule")]


@pytest.mark.parametrize(("text", "expected"), [
    # waiting on a person for a thing: the customer owes it, with or without a day
    ("Call with Dana. Waiting on Dana for the security questionnaire by Dec 4.",
     [("customer", "S1", dt.date(2026, 12, 4))]),
    ("Call with Dana and Tom. Still waiting on Tom for the pilot data.", [("customer", "S4", None)]),
    # a name with the present progressive of a reminder verb
    ("Call with Dana. Dana is sending the RFP by Friday.", [("customer", "S1", dt.date(2026, 11, 20))]),
    ("Call with Dana. Dana's sending the quote back Dec 9.", [("customer", "S1", dt.date(2026, 12, 9))]),
    ("Call with Dana. Dana is getting us the usage data by Friday.", [("customer", "S1", dt.date(2026, 11, 20))]),
])
def test_waiting_for_a_thing_and_a_promise_in_progress(text: str,
                                                       expected: list[tuple[str, str | None, dt.date | None]]) -> None:
    assert promises(text) == expected


@pytest.mark.parametrize("text", [
    "Call with Dana. Waited on Dana for 20 minutes before the call.",
    "Call with Dana. Dana is getting frustrated with the delays.",
])
def test_a_while_waited_or_a_mood_in_progress_is_no_promise(text: str) -> None:
    assert promises(text) == []


def test_a_quoted_first_person_promise_with_a_day_is_the_speakers() -> None:
    text = ('Fwd from Dana Whitfield (Acme): "Thanks — we\'d like to go ahead with the workshop. I will send the list '
            'of attendees by 2 December." → me: book the room by Friday')
    found = [(c.side, c.owner, c.due, c.description) for c in extract(text, as_of=WED).commitments]
    assert found == [("customer", "S1", dt.date(2026, 12, 2), "send the list of attendees"),
                     ("ours", None, dt.date(2026, 11, 20), "book the room")]


def test_a_quoted_intention_without_a_day_is_a_view() -> None:
    assert promises("Call with Dana. Dana: 'I will think about it, we'll renew for sure'") == []


def test_a_thing_expected_from_a_person_with_a_day_is_theirs() -> None:
    text = "Call with Dana. Awaiting a decision from Dana by Friday, then I send the contract."
    found = [(c.side, c.owner, c.due, c.description) for c in extract(text, as_of=WED).commitments]
    assert found == [("customer", "S1", dt.date(2026, 11, 20), "a decision from Dana")]


def test_a_thing_expected_from_a_person_without_a_day_is_no_promise() -> None:
    assert promises("Call with Dana. We expect some pushback from Dana on the price.") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Call with Dana. Dana has agreed to send the redlined contract by Friday.",
     [("customer", "S1", dt.date(2026, 11, 20))]),
    ("Call with Dana. I've promised to send Dana the deck by Friday.", [("ours", None, dt.date(2026, 11, 20))]),
])
def test_a_promise_in_the_perfect_tense(text: str, expected: list[tuple[str, str | None, dt.date | None]]) -> None:
    assert promises(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Call with Dana.\n- I owe them the rollout plan (dec 4, nothing new)\n- Dana will send the PO by Friday",
     [("customer", "S1", dt.date(2026, 11, 20))]),
    ("Call with Dana. Dana will send usage data by Friday (the one she owes). I'll send the deck by Thursday.",
     [("ours", None, dt.date(2026, 11, 19))]),
    ("Call with Dana. I still owe them the usage report, which I'll get out tomorrow.", []),
    # another's debt said before an arrow does not make our next promise a restated one
    ("Call w/ Dana -> Tom still owes us usage data -> me: send Dana the quote by Friday",
     [("ours", None, dt.date(2026, 11, 20))]),
    ("Call with Dana. I'll get the pricing out Monday as promised, and I also said I'd send Dana a summary by Friday.",
     [("ours", None, dt.date(2026, 11, 20))]),
])
def test_a_promise_said_again_is_not_a_new_one(text: str,
                                               expected: list[tuple[str, str | None, dt.date | None]]) -> None:
    assert promises(text) == expected


def test_a_next_step_line_names_its_owner_before_the_action() -> None:
    text = ("Contact: Dana Whitfield (CFO) - pleased\n"
            "Next step: me - send the data dictionary by Friday. Dana Whitfield - share the PO by Thursday.")
    found = extract(text, as_of=WED).commitments
    assert [(c.side, c.due, c.description) for c in found] == [
        ("ours", dt.date(2026, 11, 20), "send the data dictionary"),
        ("customer", dt.date(2026, 11, 19), "share the PO")]


@pytest.mark.parametrize(("text", "expected"), [
    # the plain present with a day ahead is a promise; without a day it is a habit, not a promise
    ("Call with Dana Whitfield. I do the rollout checklist by Friday, Dana Whitfield books the steering committee "
     "within 10 days.", [("ours", None, dt.date(2026, 11, 20)), ("customer", "S1", dt.date(2026, 11, 28))]),
    ("call w dana whitfield. dana whitfield sending the onboarding form by Friday; pricing annex from me thursday.",
     [("customer", "S1", dt.date(2026, 11, 20)), ("ours", None, dt.date(2026, 11, 19))]),
    ("Call with Dana Whitfield. I send her the deck every month.", []),
    ("Call with Dana Whitfield, really warm. She's sending the framework draft by Friday.",
     [("customer", "S1", dt.date(2026, 11, 20))]),
    # the progressive of doing something, with a day ahead; what one of them wants from us by a day
    ("call w dana whitfield. im doing a cost breakdown for dana by the 30th", [("ours", None, dt.date(2026, 11, 30))]),
    ("call w dana whitfield. I'm doing fine, she is too.", []),
    ("Call with Dana Whitfield.\n- Dana wants our remediation plan by Tuesday -> me",
     [("ours", None, dt.date(2026, 11, 24))]),
    ("Met Dana Whitfield, she wants the evidence pack by Friday so that's on me",
     [("ours", None, dt.date(2026, 11, 20))]),
    ("Met Dana Whitfield, she wants a decision by Friday from her board.", []),
    # the same in Spanish, as a rep mixing languages writes it
    ("Reunión con Dana Whitfield, muy contenta. Yo mando el contrato el viernes.",
     [("ours", None, dt.date(2026, 11, 20))]),
    ("Met Dana Whitfield, she wants the budget approved by Friday.", []),
])
def test_a_promise_in_the_plain_present(text: str, expected: list[tuple[str, str | None, dt.date | None]]) -> None:
    assert promises(text) == expected
