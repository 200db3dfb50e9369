"""Moods as writers who give a reason for each sign read them (wild10, fifth round): a rating after a name ("Dana +",
"Tom –", "Sentiment: Dana pos, Tom neg"), a buyer's own words in a quote ("'fine, let's do it'", "asked 'when can we
start?'", "said the data model 'makes sense now'"), "fully behind the project", "up for it", "our biggest fan",
"lovely as always", "mixed feelings", "almost friendly" (short of it), "keen to end the meeting" (the opposite of
keen), "cool, full procurement mode" (a temperature said of a person), "usually nice, but this time tense"."""

from __future__ import annotations

import pytest

from tests.unit.agent.test_extraction import SUN, extract, people


@pytest.mark.parametrize(("text", "expected"), [
    ("Call with Dana Whitfield, Tom Baker and Sam Ortiz.\nDana Whitfield +, Tom Baker –, Sam Ortiz neutral.",
     {"S1": 1, "S4": -1, "S2": 0}),
    ("Acct: Acme | Type: meeting\nAttendees: Dana Whitfield, Tom Baker\nSentiment: Dana neg (still waiting on the "
     "quote), Tom pos", {"S1": -1, "S4": 1}),
    ('Call with Dana and Tom. Tom, the sceptic all along, apparently said "fine, let\'s do it".', {"S1": 0, "S4": 1}),
    ('Call with Dana and Tom. Dana asked "when can we start?" - I\'d take that as a yes.', {"S1": 1, "S4": 0}),
    ('Call with Dana and Tom. Tom said the data model "makes sense now".', {"S1": 0, "S4": 1}),
    ("Call with Dana and Tom. Dana is fully behind the project.", {"S1": 1, "S4": 0}),
    ("Call with Dana and Tom.\n- Dana: very up for it\n- Tom: our biggest fan there", {"S1": 1, "S4": 2}),
    ("Call with Dana and Tom. Tom was there too, lovely as always.", {"S1": 0, "S4": 1}),
    ("Call with Dana and Tom. Dana had mixed feelings: likes the catalogue, dislikes the contract length.",
     {"S1": 0, "S4": 0}),
    ("Call with Dana and Tom. Dana, who has been difficult all year, was almost friendly.", {"S1": 0, "S4": 0}),
    ("Call with Dana and Tom. Tom gave short answers and seemed keen to end the meeting.", {"S1": 0, "S4": -1}),
    # a temperature said of a person is their manner toward us; "cool with" the deal is fine
    ("Call with Dana and Tom.\n- Dana: cool, full procurement mode, wants 3 quotes\n- Tom: fine", {"S1": -1, "S4": 0}),
    ("Call with Dana and Tom.\n- Dana: cool with the pricing\n- Tom: fine", {"S1": 1, "S4": 0}),
    # what this meeting showed outweighs what they usually are
    ("Call with Dana and Tom. Dana is always very nice with us but this time she was a bit tense because the "
     "dashboard was down twice. Tom only listened.", {"S1": -1, "S4": 0}),
])
def test_moods(text: str, expected: dict[str, int]) -> None:
    found = people(extract(text, as_of=SUN))
    assert {k: v for k, v in found.items() if k in expected} == expected, found
