"""The edges of a run of capitalised words: a discourse word before a name ("Anyway Tom said ...") and a day or
month after it ("call w/ Dana + Tom Fri") are not part of the name, so no new person is made of them."""

from __future__ import annotations

import pytest

from tests.unit.agent.test_extraction import extract, people
from tools.notes.extract.name_words import closes_not_a_name, opens_not_a_name


@pytest.mark.parametrize("text", [
    "Call w/ Dana + Tom Fri. Tom keen on the rollout.",
    "Met Dana and Tom Wed, Tom keen on the rollout.",
    "Call with Dana. Anyway Tom said he'd send the contacts.",
    "Call with Dana. Honestly Tom was a bit reserved.",
])
def test_edge_words_are_not_part_of_a_name(text: str) -> None:
    result = extract(text)
    assert not [p.name for p in result.participants if p.is_new]
    assert set(people(result)) == {"S1", "S4"}


def test_a_real_surname_still_makes_a_new_person() -> None:
    result = extract("Call w/ Dana + Tom Friedman. Tom keen on the rollout.")
    assert [p.name for p in result.participants if p.is_new] == ["Tom Friedman"]


@pytest.mark.parametrize(("word", "given", "expected"), [
    ("Anyway", False, True), ("Honestly", False, True), ("Kelly", True, False), ("Emily", True, False),
    ("Paul", True, False),
])
def test_opens_not_a_name(word: str, given: bool, expected: bool) -> None:
    assert opens_not_a_name(word, given) is expected


@pytest.mark.parametrize(("word", "expected"), [("Fri", True), ("Wed.", True), ("Sept", True), ("Friedman", False)])
def test_closes_not_a_name(word: str, expected: bool) -> None:
    assert closes_not_a_name(word) is expected
