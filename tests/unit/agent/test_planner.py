"""The offline planner: finding accounts, scope, status and windows in a request, and routing it to a tool.

The catalogue is built in memory (no store); routing uses the real WordLlama exemplar index.
"""

from __future__ import annotations

import datetime as dt

import pytest

from agent.planner.entities import (
    Catalog,
    explicit_scope,
    explicit_status,
    find_accounts,
    find_scope,
    find_status,
    find_window_days,
    mask_accounts,
    refers_back,
)
from agent.planner.intents import ExemplarIndex, classify, default_exemplar_index, is_method_question, looks_like_note
from agent.planner.router import Ask, ThreadMemory, ToolDecision, decide
from agent.planner.spelling import restore_apostrophes
from store.models import User

ACCOUNTS = [
    ("A001", "Acme Corp"),
    ("A002", "Halcyon Retail Group"),
    ("A003", "Northwind Logistics"),
    ("A005", "Keystone Mutual Insurance"),
    ("A007", "Riverstone Pharma"),
    ("A015", "Bluewater Pharma"),
    ("A024", "Silverline Telecom"),
    ("A034", "Silvergate Logistics"),
    ("A039", "Granite State Logistics"),
    ("A004", "Brightwater Foods"),
]
PEOPLE = [
    ("S1", "Dana Whitfield", "A001"),
    ("S2", "Olivia Grant", "A003"),
    ("S3", "Nina Alvarez", "A002"),
]


def _catalog(role: str = "rep", accounts: list[tuple[str, str]] | None = None) -> Catalog:
    user = User(id="U9", name="Test User", role=role)
    return Catalog.of(user, accounts or ACCOUNTS, PEOPLE)


@pytest.fixture(scope="module")
def exemplars() -> ExemplarIndex:
    return default_exemplar_index()


def _decide(text: str, exemplars: ExemplarIndex, *, role: str = "rep", memory: ThreadMemory | None = None,
            accounts: list[tuple[str, str]] | None = None) -> ToolDecision | Ask:
    return decide(text, _catalog(role, accounts), memory or ThreadMemory(), exemplars)


# -- accounts ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("brief me on A005", ("A005",)),
        ("score acme corp", ("A001",)),
        ("acme corp's renewal", ("A001",)),
        ("how is Halcion doing", ("A002",)),  # a typo
        ("open the Nortwind file", ("A003",)),  # a dropped letter
        ("keystone", ("A005",)),  # one distinctive word of a longer name
        ("HALCYON RETAIL", ("A002",)),
    ],
)
def test_accounts_by_id_name_word_or_near_spelling(text: str, expected: tuple[str, ...]) -> None:
    assert find_accounts(text, _catalog()).ids == expected


def test_a_clipped_name_shared_by_two_accounts_returns_both() -> None:
    match = find_accounts("the Silver account", _catalog())
    assert set(match.ids) == {"A024", "A034"} and match.unique is None


def test_a_trade_word_names_every_account_of_that_trade() -> None:
    assert set(find_accounts("the pharma one", _catalog()).ids) == {"A007", "A015"}
    # With a single telecom account the trade word is enough.
    assert find_accounts("how is the telecom customer", _catalog()).ids == ("A024",)


def test_a_trade_word_heading_an_of_phrase_is_no_account() -> None:
    catalog = Catalog.of(User(id="U9", name="Test User", role="rep"), [("A018", "Redwood Capital Bank")])
    assert find_accounts("what's the capital of France?", catalog).ids == ()
    assert find_accounts("how is the capital one doing", catalog).ids == ("A018",)


def test_a_stakeholders_name_is_not_a_misspelt_account() -> None:
    # "Grant" is Olivia Grant; it is close to "Granite" but must not pick Granite State Logistics.
    assert find_accounts("notes on Olivia Grant", _catalog()).ids == ()
    assert find_accounts("score Granite", _catalog()).ids == ("A039",)


def test_request_words_are_never_account_names() -> None:
    for text in ("show my matrix", "how many accounts are overdue", "count my commitments", "draft the plan"):
        assert find_accounts(text, _catalog()).ids == (), text


def test_only_visible_accounts_are_candidates() -> None:
    assert find_accounts("score Globex", _catalog()).ids == ()


def test_masking_removes_the_account_from_the_intent_text() -> None:
    catalog = _catalog()
    text = "run the scoring on brightwater foods please"
    assert mask_accounts(text, find_accounts(text, catalog), catalog) == "run the scoring on the account please"


# -- scope, status, window, pronouns ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "scope"),
    [
        ("what's slipping on my team", "team"),
        ("drift across the whole company", "all"),
        ("matrix of all accounts", "all"),
        ("list all my follow-ups", "mine"),
        ("just mine please", "mine"),
        ("show my own book", "mine"),
        ("what's overdue", None),
    ],
)
def test_scope_words(text: str, scope: str | None) -> None:
    assert explicit_scope(text) == scope
    assert find_scope(text, "mine") == (scope or "mine")


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("anything overdue?", "overdue"),
        ("what's late", "overdue"),
        ("which promises slipped", "overdue"),
        ("what's due this week", "due_soon"),
        ("coming up in the next couple of days", "due_soon"),
        ("all open commitments", "open"),
        ("my commitments", None),
    ],
)
def test_status_words(text: str, status: str | None) -> None:
    assert explicit_status(text) == status
    assert find_status(text) == (status or "open")


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("in the last 60 days", 60),
        ("over the past two weeks", 14),
        ("past 6 weeks", 42),
        ("this quarter", 90),
        ("last month", 30),
        ("which accounts are drifting", None),
    ],
)
def test_window_words(text: str, days: int | None) -> None:
    assert find_window_days(text) == days


def test_pronouns_point_back() -> None:
    assert refers_back("and who's gone dark there?")
    assert refers_back("draft a plan for them")
    assert not refers_back("score Acme")


# -- intents -------------------------------------------------------------------------------------------------


def test_narratives_are_notes_and_questions_are_not() -> None:
    assert looks_like_note("Had coffee with Dana at Acme this morning, she'll send the budget by Friday")
    assert not looks_like_note("what did Dana say about the budget?")
    assert not looks_like_note("met")


@pytest.mark.parametrize("text", [
    "Redwood Pharma - call with their procurement team, early days. Nothing owed.",
    "Bluewater -> call w/ Ian + George -> Ian: pro, wants a 2nd site",
    "Westbrook Energy: QBR done Thu. Matthew + Paula + Ruth. Paula champion as always.",
    "Globex 📞 Erik → loves the dashboard → wants to expand to 2 more plants",
])
def test_a_note_headed_by_its_account_and_meeting_is_a_note(text: str) -> None:
    assert looks_like_note(text)


@pytest.mark.parametrize("text", [
    "we ran the data quality workshop w/ the Brightwater planning team on friday, tick it off",
    "Acme - prep the QBR brief please",
    "Acme: QBR brief for next week",
])
def test_a_sentence_or_a_request_is_no_account_heading(text: str) -> None:
    assert not looks_like_note(text)


def test_method_questions() -> None:
    assert is_method_question("How should we handle a champion who left?")
    assert is_method_question("what does share of wallet mean")
    assert not is_method_question("what should I cover in the Acme QBR")


def test_rules_and_exemplars_both_count(exemplars: ExemplarIndex) -> None:
    intents = classify("which quadrant is the account in", exemplars)
    assert intents.best()[0] == "assign_quadrant"
    assert intents.rules.get("assign_quadrant")
    assert intents.similarity["assign_quadrant"] > intents.similarity["draft_plan"]


# -- routing -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tool", "args"),
    [
        ("rescore Keystone please", "score_account", {"account": "A005"}),
        ("what segment does Acme fall in", "assign_quadrant", {"account": "A001"}),
        ("where is Halcyon on the matrix", "assign_quadrant", {"account": "A002"}),  # one account: its quadrant
        ("write up an account plan for Northwind", "draft_plan", {"account": "A003"}),
        ("who has gone quiet at Brightwater", "flag_dark_stakeholders", {"account": "A004"}),
        ("any key contacts we lost touch with?", "flag_dark_stakeholders", {"account": None}),
        ("prep me for the business review with acme", "prep_qbr", {"account": "A001"}),
        ("accounts drifting in the last 45 days", "find_drifting_accounts", {"scope": "mine", "window_days": 45}),
        ("what's past due for me", "list_commitments", {"scope": "mine", "status": "overdue"}),
        ("how should I run a Defend account?", "ask_guidance", {"question": "how should I run a Defend account?"}),
        ("what is our share of wallet at Keystone", "score_account", {"account": "A005"}),  # a criterion's value
        ("sort my accounts by quadrant", "show_matrix", {"scope": "mine"}),  # many accounts' quadrants: the matrix
        ("are any commitments slipping at Acme?", "list_commitments", {"status": "overdue"}),  # the object decides
        # one account named: how it stands, not the book's drift
        ("anything I should worry about at Brightwater?", "account_overview", {"account": "A004"}),
        ("who havent i talked to in ages across my accounts", "flag_dark_stakeholders", {"account": None}),
        ("whats overdue for me", "list_commitments", {"scope": "mine", "status": "overdue"}),
        ("whats going on w Brightwater", "account_overview", {"account": "A004"}),
        # a meeting still to come, and a plain ask of us: a request, not a note to log
        ("Agenda item: QBR with Acme Corp next week. Please prepare the brief.", "prep_qbr", {"account": "A001"}),
        ("Report requested: accounts whose health dropped in the past 14 days", "find_drifting_accounts",
         {"window_days": 14}),
        ("how often shld we do QBRs for defend accts", "ask_guidance", {}),
    ],
)
def test_routing(text: str, tool: str, args: dict[str, object], exemplars: ExemplarIndex) -> None:
    decision = _decide(text, exemplars)
    assert isinstance(decision, ToolDecision), decision
    assert decision.name == tool
    assert {k: decision.args.get(k) for k in args} == args


def test_search_notes_keeps_the_topic_and_moves_the_account_to_its_argument(exemplars: ExemplarIndex) -> None:
    decision = _decide("what did Dana say about pricing at Acme?", exemplars)
    assert isinstance(decision, ToolDecision) and decision.name == "search_notes"
    assert decision.args["account"] == "A001"
    assert decision.args["query"].lower().split() == ["dana", "pricing"]


def test_a_note_is_logged_with_its_account(exemplars: ExemplarIndex) -> None:
    text = "Lunch with Nina at Halcyon today - she was upset about the outage, I'll send a fix plan by Monday"
    decision = _decide(text, exemplars)
    assert isinstance(decision, ToolDecision)
    assert decision.name == "log_note" and decision.args == {"text": text, "account": "A002"}


def test_scope_defaults_follow_the_role(exemplars: ExemplarIndex) -> None:
    def scope(text: str, role: str) -> str:
        decision = _decide(text, exemplars, role=role)
        assert isinstance(decision, ToolDecision) and decision.name == "show_matrix"
        return decision.args["scope"]

    assert scope("show my matrix", "rep") == "mine"
    assert scope("show my matrix", "manager") == "team"  # a manager's "my" is the team
    assert scope("show my own accounts in the matrix", "manager") == "mine"
    assert scope("show the matrix", "admin") == "all"


@pytest.mark.parametrize(
    "text",
    ["what's the weather like in Paris", "write me a limerick", "hello", "score it", "draft a plan"],
)
def test_off_topic_or_incomplete_requests_get_a_question(text: str, exemplars: ExemplarIndex) -> None:
    assert isinstance(_decide(text, exemplars), Ask)


def test_an_ambiguous_account_gets_a_question_naming_the_candidates(exemplars: ExemplarIndex) -> None:
    decision = _decide("prep the QBR for Silver", exemplars)
    assert isinstance(decision, Ask)
    assert "Silvergate Logistics" in decision.text and "Silverline Telecom" in decision.text


def test_an_account_outside_the_users_scope_is_not_guessed(exemplars: ExemplarIndex) -> None:
    decision = _decide("score Globex", exemplars)
    assert isinstance(decision, Ask) and "Globex" not in decision.text


# -- follow-ups in a thread ---------------------------------------------------------------------------------


def test_a_pronoun_follow_up_uses_the_threads_account(exemplars: ExemplarIndex) -> None:
    memory = ThreadMemory(last_account="A001", last_tool="prep_qbr", last_args={"account": "A001"})
    decision = _decide("and who's gone dark there?", exemplars, memory=memory)
    assert decision == ToolDecision("flag_dark_stakeholders", {"account": "A001"})


def test_a_new_account_repeats_the_last_request(exemplars: ExemplarIndex) -> None:
    memory = ThreadMemory(last_account="A001", last_tool="flag_dark_stakeholders", last_args={"account": "A001"})
    assert _decide("what about Keystone?", exemplars, memory=memory) == ToolDecision(
        "flag_dark_stakeholders", {"account": "A005"})


def test_a_short_request_without_an_account_uses_the_threads_account(exemplars: ExemplarIndex) -> None:
    memory = ThreadMemory(last_account="A003", last_tool="score_account", last_args={"account": "A003"})
    assert _decide("now draft the plan", exemplars, memory=memory) == ToolDecision("draft_plan", {"account": "A003"})


def test_a_follow_up_changes_one_detail_and_keeps_the_rest(exemplars: ExemplarIndex) -> None:
    memory = ThreadMemory(last_tool="list_commitments", last_args={"scope": "team", "status": "due_soon"})
    decision = _decide("only mine", exemplars, role="manager", memory=memory)
    assert decision == ToolDecision("list_commitments", {"scope": "mine", "status": "due_soon"})
    memory = ThreadMemory(last_tool="find_drifting_accounts", last_args={"scope": "team"})
    decision = _decide("and over the past 90 days?", exemplars, role="manager", memory=memory)
    assert decision == ToolDecision("find_drifting_accounts", {"scope": "team", "window_days": 90})


def test_a_new_request_in_a_thread_is_not_taken_for_a_follow_up(exemplars: ExemplarIndex) -> None:
    memory = ThreadMemory(last_account="A001", last_tool="prep_qbr", last_args={"account": "A001"})
    decision = _decide("what's overdue for me?", exemplars, memory=memory)
    assert decision == ToolDecision("list_commitments", {"scope": "mine", "status": "overdue"})


@pytest.mark.parametrize("text", [
    "give me an overview of Acme", "Acme at a glance", "one-pager for Northwind please", "quick rundown on Keystone",
    "tell me about Halcyon", "snapshot of Bluewater", "how's Acme looking", "how are things with Keystone going?",
])
def test_an_overview_request_shows_the_account_at_a_glance(text: str, exemplars: ExemplarIndex) -> None:
    decision = _decide(text, exemplars)
    assert isinstance(decision, ToolDecision) and decision.name == "account_overview", text
    assert set(decision.args) == {"account"}


def test_an_overview_without_an_account_asks_which_or_shows_the_matrix(exemplars: ExemplarIndex) -> None:
    asked = _decide("overview please", exemplars)
    assert isinstance(asked, Ask) and "at a glance" in asked.text
    many = _decide("snapshot of my accounts", exemplars)
    assert isinstance(many, ToolDecision) and many.name == "show_matrix"


def test_how_an_account_is_doing_then_an_order_is_the_order(exemplars: ExemplarIndex) -> None:
    decision = _decide("how's Northwind looking? score it", exemplars)
    assert isinstance(decision, ToolDecision) and decision.name == "score_account"


@pytest.mark.parametrize("text", [
    "Globex 📞 Erik → loves the dashboard → wants more plants. ➡️ me: intro Erik to our solutions team asap",
    "Westbrook: QBR done Thu, Paula champion as always. Actions: discount scenarios to Matthew by month end (me)",
    "Summit Energy: call with Felix Marshall about the board deck, he's all in.",
])
def test_minutes_with_an_action_list_are_a_note(text: str) -> None:
    from agent.planner.intents import planner_tools
    from agent.planner.router import _note_tool

    assert _note_tool(text, planner_tools(), _catalog()) is not None


@pytest.mark.parametrize("text", ["Acme: call with whom next week?", "score Acme", "show the matrix: all accounts"])
def test_a_request_is_not_taken_for_minutes(text: str) -> None:
    from agent.planner.intents import planner_tools
    from agent.planner.router import _note_tool

    assert _note_tool(text, planner_tools(), _catalog()) is None


@pytest.mark.parametrize(("text", "tool"), [
    ("Action: prep QBR - Halcyon Retail Group", "prep_qbr"),
    ("Field: quadrant. Account: Northwind Logistics. Action: assign.", "assign_quadrant"),
])
def test_a_request_typed_as_fields_is_a_request(text: str, tool: str, exemplars: ExemplarIndex) -> None:
    decision = _decide(text, exemplars)
    assert isinstance(decision, ToolDecision) and decision.name == tool


@pytest.mark.parametrize("text", [
    "Reunión with Northwind ayer, Olivia Grant muy contenta.",
    "Northwind call el martes - Olivia Grant furiosa about the pen test finding.",
])
def test_a_meeting_told_in_two_languages_is_a_note(text: str, exemplars: ExemplarIndex) -> None:
    from dataclasses import replace

    catalog = replace(_catalog(), today=dt.date(2026, 11, 22))
    decision = decide(text, catalog, ThreadMemory(), exemplars)
    assert isinstance(decision, ToolDecision) and decision.name == "log_note"


def test_contractions_typed_without_their_apostrophe_are_read_with_it() -> None:
    assert restore_apostrophes("who havent i talked to, whats overdue, i cant, it wont") == (
        "who haven't i talked to, what's overdue, i can't, it won't")
    assert restore_apostrophes("well, were ill, lets go") == "well, were ill, lets go"  # words of their own
    assert restore_apostrophes("shld we, accts w/ dana") == "should we, accounts with dana"
