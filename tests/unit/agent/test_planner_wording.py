"""The planner on requests in people's own words: definitions and general questions, misspelt command words,
paraphrases, commitments by chat, one rep's book, and follow-ups after a question.

The catalogue is built in memory (no store); routing uses the real WordLlama exemplar index.
"""

from __future__ import annotations

import pytest

from agent.planner.entities import Catalog
from agent.planner.intents import ExemplarIndex, default_exemplar_index
from agent.planner.questions import is_general_question
from agent.planner.router import Ask, ThreadMemory, ToolDecision, decide
from store.models import User

ACCOUNTS = [("A101", "Pemberton Foods"), ("A102", "Quillfeather Systems"), ("A103", "Ostrava Freight"),
            ("A104", "Lindqvist Pharma")]
PEOPLE = [("S11", "Miriam Okoye", "A101"), ("S12", "Tobias Wren", "A102"), ("S13", "Miriam Hale", "A103"),
          ("S14", "Ruth Delacroix", "A104")]


def _catalog(role: str = "rep") -> Catalog:
    return Catalog.of(User(id="U9", name="Casey Rep", role=role), ACCOUNTS, PEOPLE)


@pytest.fixture(scope="module")
def exemplars() -> ExemplarIndex:
    return default_exemplar_index()


def _decide(text: str, exemplars: ExemplarIndex, *, role: str = "rep", memory: ThreadMemory | None = None,
            catalog: Catalog | None = None) -> ToolDecision | Ask:
    return decide(text, catalog or _catalog(role), memory or ThreadMemory(), exemplars)


def _tool(decision: ToolDecision | Ask) -> str | None:
    return decision.name if isinstance(decision, ToolDecision) else None


# -- definitions and general questions --------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "what's a stakeholder map anyway?",
    "how does the attractiveness axis work",
    "what goes into a decent account plan?",
    "difference between maintain and defend?",
    "what makes a contact an economic buyer",
    "how often are reps supposed to review the plan",
    "what's a sensible QBR cadence in general, not for a specific customer",
    "what is relationship mapping?",
    "what's 'share of wallet' supposed to mean",
])
def test_general_questions_go_to_the_guidance(text: str, exemplars: ExemplarIndex) -> None:
    assert is_general_question(text)
    assert _tool(_decide(text, exemplars)) == "ask_guidance"


@pytest.mark.parametrize("text", ["what's overdue?", "what's slipping", "what is due this week",
                                  "what are my commitments", "what's the status"])
def test_status_questions_are_not_definitions(text: str) -> None:
    assert not is_general_question(text)


def test_a_general_question_naming_an_account_is_about_its_data(exemplars: ExemplarIndex) -> None:
    decision = _decide("what goes into the Pemberton plan?", exemplars)
    assert isinstance(decision, ToolDecision) and decision.name == "draft_plan"
    assert decision.args["account"] == "A101"
