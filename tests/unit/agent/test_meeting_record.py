"""A message that records a past meeting with a visible account's people is a note, whatever tool word it carries
(``agent/planner/meeting_record.py``); one that asks for something, or whose only day is ahead, is not. The
catalogue is built in memory; routing uses the real classifier and exemplar index."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from agent.planner.entities import Catalog
from agent.planner.intents import ExemplarIndex, default_exemplar_index
from agent.planner.meeting_record import records_meeting
from agent.planner.router import ThreadMemory, ToolDecision, decide
from store.models import User

ACCOUNTS = [("A101", "Pemberton Foods"), ("A102", "Quillfeather Systems")]
PEOPLE = [("S11", "Miriam Okoye", "A101"), ("S12", "Tobias Wren", "A101"), ("S13", "Ines Halloway", "A101"),
          ("S21", "Rupert Vance", "A102")]


def _catalog() -> Catalog:
    catalog = Catalog.of(User(id="U9", name="Casey Boss", role="rep"), ACCOUNTS, PEOPLE)
    return replace(catalog, today=dt.date(2026, 11, 22))


@pytest.mark.parametrize(("text", "expected"), [
    ("Pemberton QBR 18/11 - Miriam, Tobias W, Ines", True),  # no verb, a tool's word: minutes all the same
    ("Pemberton call 18/11 w/ Miriam", True),  # one person, a day gone by
    ("Pemberton QBR - Miriam Okoye, Tobias Wren", True),  # two people, no day
    ("Pemberton QBR on 3/12 with Miriam and Tobias", False),  # a meeting to come
    ("prep me for the Pemberton QBR with Miriam and Tobias", False),  # asks for something
    ("can you score Pemberton, Miriam and Tobias keep asking", False),
    ("Pemberton QBR with Miriam and Rupert?", False),
    ("Pemberton QBR last week", False),  # nobody named
    ("pemberton: miriam okoye called, wants a demo of the new portal", True),  # she got in touch
    ("Tobias emailed, all fine", True),
    ("call Tobias about the renewal", False),
])
def test_a_past_meeting_with_the_customers_people_is_recorded(text: str, expected: bool) -> None:
    assert records_meeting(text, _catalog()) is expected


@pytest.fixture(scope="module")
def exemplars() -> ExemplarIndex:
    return default_exemplar_index()


def test_the_planner_logs_such_minutes_rather_than_prepping_a_qbr(exemplars: ExemplarIndex) -> None:
    decision = decide("Pemberton QBR 18/11 - Miriam, Tobias W, Ines", _catalog(), ThreadMemory(), exemplars)
    assert isinstance(decision, ToolDecision) and decision.name == "log_note"
    asked = decide("prep the Pemberton QBR", _catalog(), ThreadMemory(), exemplars)
    assert isinstance(asked, ToolDecision) and asked.name == "prep_qbr"


@pytest.mark.parametrize("text", [
    "Can you log a call I had on Friday with Miriam Okoye at Pemberton? She was very happy with the rollout.",
    "You'll want to log this against Pemberton: I met Tobias on Thursday, he was supportive.",
    "please record that Tobias Wren has left Pemberton",
])
def test_asked_in_so_many_words_to_log_a_meeting(text: str, exemplars: ExemplarIndex) -> None:
    decision = decide(text, _catalog(), ThreadMemory(), exemplars)
    assert isinstance(decision, ToolDecision) and decision.name == "log_note", decision


def test_a_definition_asked_after_the_context_is_answered_from_the_guidance(exemplars: ExemplarIndex) -> None:
    decision = decide("putting the Pemberton plan together tmrw - quick q, what counts as an exec sponsor?",
                      _catalog(), ThreadMemory(), exemplars)
    assert isinstance(decision, ToolDecision) and decision.name == "ask_guidance", decision
