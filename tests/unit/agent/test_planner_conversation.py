"""The planner on requests that lean on the conversation and on plain English: a company written in lower case, a
colleague's list, definitions asked indirectly, a commitment named by its account and a word of its own (or by the
thread's account), a snooze to a named day, a window standing as a clause, and a question followed by its context.

The catalogue is built in memory (no store); routing uses the real WordLlama exemplar index.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from agent.planner.entities import Catalog, find_accounts, find_window_days
from agent.planner.intents import ExemplarIndex, default_exemplar_index
from agent.planner.questions import is_general_question
from agent.planner.router import Ask, ThreadMemory, ToolDecision, decide
from store.models import User

ACCOUNTS = [("A101", "Pemberton Foods"), ("A102", "Quillfeather Systems"), ("A105", "Keystone Mutual Insurance")]
PEOPLE = [("S11", "Miriam Okoye", "A101"), ("S12", "Tobias Wren", "A102")]
USERS = [("U9", "Casey Boss", False), ("U21", "Priya Nandakumar", False), ("U23", "Greta Lind", False)]
OPEN = [("C0101", "A101", "Send the revised cold-chain pricing sheet"),
        ("C0102", "A102", "Book the security architecture workshop"),
        ("C0103", "A102", "Share the security questionnaire answers"),
        ("C0104", "A105", "Send Gary the revised billing quote"),
        ("C0105", "A101", "Share the SSO integration fix plan")]
SUNDAY = dt.date(2026, 11, 22)


def _catalog(role: str = "rep", users: list[tuple[str, str, bool]] | None = None) -> Catalog:
    return Catalog.of(User(id="U9", name="Casey Boss", role=role), ACCOUNTS, PEOPLE, users or USERS, OPEN)


@pytest.fixture(scope="module")
def exemplars() -> ExemplarIndex:
    return default_exemplar_index()


def _decide(text: str, exemplars: ExemplarIndex, *, catalog: Catalog | None = None,
            memory: ThreadMemory | None = None) -> ToolDecision | Ask:
    return decide(text, catalog or _catalog(), memory or ThreadMemory(), exemplars)


# -- names -------------------------------------------------------------------------------------------------


def test_a_lower_case_company_of_another_trade_is_not_the_account_sharing_its_word(exemplars: ExemplarIndex) -> None:
    assert find_accounts("score keystone foods pls", _catalog()).ids == ()
    assert isinstance(_decide("score keystone foods pls", exemplars), Ask)
    # the account's own word alone, or followed by a request word, is still the account
    assert find_accounts("score keystone pls", _catalog()).ids == ("A105",)
    assert find_accounts("how's keystone health looking", _catalog()).ids == ("A105",)
    # in a message with capitals, a lower-case word after the name is an ordinary word
    assert find_accounts("Keystone foods event was fun", _catalog()).ids == ("A105",)


@pytest.mark.parametrize("text", ["what's overdue for greta", "show me the open commitments of Priya"])
def test_a_rep_asking_for_a_colleagues_list_gets_none(text: str, exemplars: ExemplarIndex) -> None:
    decision = _decide(text, exemplars)
    assert isinstance(decision, Ask) and "colleague" in decision.text


def test_a_list_for_a_stakeholder_or_for_me_is_no_colleagues(exemplars: ExemplarIndex) -> None:
    users = [*USERS, ("U24", "Tobias Grey", False)]  # a colleague who shares a stakeholder's first name
    decision = _decide("what's overdue for tobias", exemplars, catalog=_catalog(users=users))
    assert isinstance(decision, ToolDecision) and decision.name == "list_commitments"
    decision = _decide("what's overdue for me", exemplars)
    assert isinstance(decision, ToolDecision) and decision.args["scope"] == "mine"


# -- definitions -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "whats the diff between maintain and defend lol",
    "new hire asked me what share of wallet means and I blanked. quick definition?",
    "whats supplier strength made of, in plain words",
    "can you explain relationship depth in simple terms?",
    "whats a good qbr made of",
])
def test_definitions_asked_in_passing_go_to_the_guidance(text: str, exemplars: ExemplarIndex) -> None:
    assert is_general_question(text)
    decision = _decide(text, exemplars)
    assert isinstance(decision, ToolDecision) and decision.name == "ask_guidance"


def test_a_note_reporting_what_something_means_for_them_is_no_definition() -> None:
    assert not is_general_question("Miriam asked what the price rise means for their budget, I'll send numbers")


# -- commitments by description ----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "tool", "args"), [
    ("snooze the pemberton sso one for 2 days", "snooze_commitment", {"commitment": "C0105", "days": 2}),
    ("finally got the cold-chain pricing sheet over to Miriam, tick that one off", "complete_commitment",
     {"commitment": "C0101"}),
    ("give the quillfeather workshop to greta, she knows their architect", "reassign_commitment",
     {"commitment": "C0102", "to": "U23"}),
])
def test_a_commitment_named_by_its_account_and_a_word_of_its_own(text: str, tool: str, args: dict[str, object],
                                                                  exemplars: ExemplarIndex) -> None:
    assert _decide(text, exemplars) == ToolDecision(tool, args)


def test_a_word_shared_by_two_of_the_accounts_commitments_names_neither(exemplars: ExemplarIndex) -> None:
    decision = _decide("snooze the quillfeather security one for 2 days", exemplars)
    assert not (isinstance(decision, ToolDecision) and decision.name == "snooze_commitment")


def test_the_threads_account_stands_for_the_one_left_unsaid(exemplars: ExemplarIndex) -> None:
    about = ThreadMemory(last_tool="log_note", last_account="A105")
    assert _decide("and close out the quote one", exemplars, memory=about) == ToolDecision(
        "complete_commitment", {"commitment": "C0104"})
    elsewhere = ThreadMemory(last_tool="log_note", last_account="A101")
    decision = _decide("and close out the quote one", exemplars, memory=elsewhere)
    assert not (isinstance(decision, ToolDecision) and decision.name == "complete_commitment")


def test_the_accounts_own_name_in_a_description_is_no_word_of_it(exemplars: ExemplarIndex) -> None:
    # "Send the Keystone renewal pack" said of Keystone: a statement about someone else's list is no snooze of it
    catalog = Catalog.of(User(id="U9", name="Casey Boss", role="rep"), ACCOUNTS, PEOPLE, USERS,
                         [*OPEN, ("C0106", "A105", "Deliver the cost review to Keystone finance")])
    about = ThreadMemory(last_tool="log_note", last_account="A105")
    decision = _decide("Thornton also will revert with the plant list until Friday.", exemplars, catalog=catalog,
                       memory=about)
    assert not (isinstance(decision, ToolDecision) and decision.name == "snooze_commitment"), decision


def test_a_snooze_until_a_named_day_is_counted_from_the_turns_day(exemplars: ExemplarIndex) -> None:
    today = replace(_catalog(), today=SUNDAY)
    assert _decide("snooze C0101 until Friday please", exemplars, catalog=today) == ToolDecision(
        "snooze_commitment", {"commitment": "C0101", "days": 5})
    # without the day of the turn the phrase is handed on as written, for the tool to read
    assert _decide("snooze C0101 until Friday please", exemplars) == ToolDecision(
        "snooze_commitment", {"commitment": "C0101", "until": "Friday"})


# -- windows and context -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "days"), [
    ("drift report, everyone, 90d", 90), ("drifting accounts over 60 days", 60), ("drift (2 weeks)", 14),
    ("what is due in 7 days", None), ("drifting accounts", None),
])
def test_a_window_standing_as_a_clause_is_read(text: str, days: int | None) -> None:
    assert find_window_days(text) == days


def test_a_question_then_a_statement_of_context_is_the_question(exemplars: ExemplarIndex) -> None:
    decision = _decide("Can you give me a short summary of Pemberton Foods? I am taking a call with their CFO in "
                       "one hour.", exemplars)
    assert decision == ToolDecision("account_overview", {"account": "A101"})


def test_context_that_names_a_tools_words_still_counts(exemplars: ExemplarIndex) -> None:
    decision = _decide("what's the latest on Pemberton? I have a QBR with them tomorrow.", exemplars)
    assert decision == ToolDecision("prep_qbr", {"account": "A101"})


def test_a_description_that_fits_two_commitments_asks_which_by_id(exemplars: ExemplarIndex) -> None:
    decision = _decide("hand the quillfeather security one over to greta", exemplars)
    assert isinstance(decision, Ask) and "C0102" in decision.text and "C0103" in decision.text


@pytest.mark.parametrize(("text", "args"), [
    ("push the pemberton sso fix plan to next friday", {"commitment": "C0105", "days": 5}),  # a long object
    ("push the pemberton sso fix plan to greta", {"commitment": "C0105", "to": "U23"}),  # a colleague, not a day
])
def test_push_to_a_day_or_to_a_colleague_after_a_long_description(text: str, args: dict[str, object],
                                                                    exemplars: ExemplarIndex) -> None:
    decision = _decide(text, exemplars, catalog=replace(_catalog(), today=SUNDAY))
    assert isinstance(decision, ToolDecision) and decision.args == args
