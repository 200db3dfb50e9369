"""Grounding: every number in a reply comes from that turn's tool results (or the user's own message).

Unit tests of ``ungrounded_numbers``, then the whole evals set through the offline planner on the demo
store: not one reply may carry a number that no tool of its turn gave.
"""

from __future__ import annotations

from typing import Any

import pytest

from agent.grounding import numbers_in, ungrounded_numbers


def _record(result: Any, args: dict[str, Any] | None = None, name: str = "score_account") -> dict[str, Any]:
    return {"name": name, "args": args or {}, "ok": True, "result": result}


def test_numbers_from_the_result_are_grounded() -> None:
    records = [_record({"attractiveness": 3.45, "strength": 2.8, "quadrant": "develop", "revenue": 4000000})]
    assert ungrounded_numbers("Attractiveness 3.45, strength 2.80, revenue 4,000,000.", records) == []


def test_a_number_no_tool_gave_is_reported() -> None:
    records = [_record({"attractiveness": 3.45, "strength": 2.8})]
    assert ungrounded_numbers("Attractiveness 3.45 and a health of 4.2.", records) == ["4.2"]


def test_every_invented_number_is_listed_in_order() -> None:
    records = [_record({"count": 2})]
    assert ungrounded_numbers("2 flags, 7 accounts, 19 days", records) == ["7", "19"]


def test_shares_shown_as_percentages_are_the_same_number() -> None:
    records = [_record({"engaged_share": 0.42, "overdue_share": 0.125})]
    assert ungrounded_numbers("42% engaged; 12.5% of open commitments are overdue", records) == []
    assert ungrounded_numbers("43% engaged", records) == ["43"]


def test_numbers_in_nested_lists_and_dates_are_grounded() -> None:
    records = [_record({"flags": [{"stakeholder_id": "S004", "last_touch": "2026-09-01", "days": 82}]},
                       name="flag_dark_stakeholders")]
    assert ungrounded_numbers("Last touch 2026-09-01, 82 days ago.", records) == []
    assert ungrounded_numbers("Last touch 2026-09-13.", records) == ["13"]


def test_identifiers_with_letters_are_not_numbers() -> None:
    # "A001" and "S004" are ids, not figures: the digits are glued to a letter.
    assert ungrounded_numbers("Acme Corp (A001): call S004", []) == []


def test_the_users_own_numbers_and_the_call_arguments_are_grounded() -> None:
    records = [_record({"accounts": []}, args={"scope": "team", "window_days": 60}, name="find_drifting_accounts")]
    assert ungrounded_numbers("No account drifted in the last 60 days.", records) == []
    assert ungrounded_numbers("Nothing in 90 days", [], "anything in the last 90 days?") == []
    assert ungrounded_numbers("Nothing in 90 days", [], "anything lately?") == ["90"]


def test_a_reply_without_tools_may_carry_no_number() -> None:
    assert ungrounded_numbers("Which account do you mean: Acme Corp or Acme Logistics?", []) == []
    assert ungrounded_numbers("You have 3 overdue commitments.", []) == ["3"]


def test_formatting_of_the_same_value_does_not_matter() -> None:
    records = [_record({"health_now": 3.0, "health_before": 3.75, "amount": 125000.0})]
    assert ungrounded_numbers("health 3 (was 3.75); 125,000 in pipeline; +3.0", records) == []
    assert numbers_in("1,250.50") >= {"1250.50", "1250.5"}


def test_money_printed_with_a_unit_is_grounded_by_the_value_it_rounds() -> None:
    records = [_record({"annual_revenue": 4200000, "cost_to_serve": 380000.0, "contribution": 1216000.0})]
    assert ungrounded_numbers("Revenue 4.20M, cost to serve 380.0k, contribution 1.22M.", records) == []
    # 1.25M is not how 1,216,000 prints: that is a different sum.
    assert ungrounded_numbers("Contribution 1.25M.", records) == ["1.25M"]
    assert ungrounded_numbers("Revenue 9.50M.", records) == ["9.50M"]


def test_numbered_list_markers_are_not_figures() -> None:
    records = [_record({"hits": [{"text": "pricing"}, {"text": "budget"}]}, name="search_notes")]
    reply = "Notes:\n\n1. pricing\n2. budget\n   3. indented marker\nAnd 7 more."
    assert ungrounded_numbers(reply, records) == ["7"]


def test_a_count_of_the_items_a_result_lists_is_grounded() -> None:
    records = [_record({"accounts": [{"id": "A001"}, {"id": "A002"}, {"id": "A003"}], "accounts_checked": 10},
                       name="find_drifting_accounts")]
    assert ungrounded_numbers("3 of 10 accounts drifting", records) == []
    assert ungrounded_numbers("4 of 10 accounts drifting", records) == ["4"]


# -- the whole evals set -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def eval_result() -> dict[str, Any]:
    from evals.fixtures import DemoUnavailable, shared_demo_store
    from evals.runner import run
    from integrations.runtime import Runtime

    try:
        store = shared_demo_store()
    except DemoUnavailable as exc:
        pytest.fail(f"the demo store cannot be built: {exc}")
    runtime = Runtime.build(store.settings)
    try:
        return run("all", runtime=runtime, extraction=False)
    finally:
        runtime.close()


def test_no_reply_over_the_evals_set_is_ungrounded(eval_result: dict[str, Any]) -> None:
    assert eval_result["requests"] >= 160
    assert eval_result["ungrounded"] == []
    assert eval_result["ungrounded_replies"] == 0


def test_the_evals_set_answers_with_tools(eval_result: dict[str, Any]) -> None:
    # The grounding check means something only if most replies carry tool results with numbers in them.
    with_tool = sum(row["n"] for name, row in eval_result["per_tool"].items() if name != "(question)")
    assert with_tool >= 140
    assert eval_result["tool_accuracy"] >= 0.95
