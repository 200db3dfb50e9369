"""A request typed as CRM fields reads as the sentence its values make; a note in fields stays a note."""

from __future__ import annotations

import pytest

from agent.planner.form_request import form_request


@pytest.mark.parametrize(("text", "sentence"), [
    ("Action: prep QBR - Emerald Coast Utilities", "prep QBR - Emerald Coast Utilities"),
    ("Field: quadrant. Account: Lumen Telecom. Action: assign.", "assign quadrant Lumen Telecom"),
    ("Action: score / Account: Acme Corp", "score Acme Corp"),
    ("Task: list overdue commitments\nScope: team", "list overdue commitments team"),
])
def test_a_request_in_fields_reads_as_a_sentence(text: str, sentence: str) -> None:
    assert form_request(text) == sentence


@pytest.mark.parametrize("text", [
    "Account: Globex / Date: Tue 17 Nov / Contact: Emma Bauer / Action: send the deck by Friday",
    "Account: Acme Corp. Outcome: happy with the pilot.",  # no action field
    "score acme",
    "Action items from the Acme call: I send the deck Friday, Dana confirms budget",  # free text after the label
])
def test_a_note_or_a_plain_request_is_left_as_it_is(text: str) -> None:
    assert form_request(text) is None

