"""A person the writer calls undecided ("mixed", "on the fence", "torn") is neutral, whatever the clauses after it
weigh; a thing called mixed ("mixed results") says nothing of anyone."""

from __future__ import annotations

import pytest

from tests.unit.agent.test_extraction import extract, people


@pytest.mark.parametrize("text", [
    "QBR with Dana and Tom. Dana mixed: likes the uptime, hates the price. Tom positive.",
    "Lunch with Dana and Tom. Dana was mixed: she likes the product but HR is pushing back. Tom great.",
    "Call with Dana and Tom. Dana on the fence re pricing, keen on the roadmap. Tom positive.",
])
def test_an_undecided_person_is_neutral(text: str) -> None:
    found = people(extract(text))
    assert found["S1"] == 0
    assert found["S4"] > 0


def test_mixed_results_are_no_ones_mood() -> None:
    assert people(extract("Call with Dana. She loved the demo, though the pilot had mixed results overall."))[
        "S1"] > 0


def test_another_persons_mood_is_kept_when_one_is_undecided() -> None:
    found = people(extract("Met Dana and Tom. Tom torn on the timing. Dana loved the demo."))
    assert found["S4"] == 0 and found["S1"] > 0
