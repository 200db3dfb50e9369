"""A smoke subset of the agent eval in pytest: fixed requests across every tool (a thread included) through
the runner on the offline planner, each checked on its own; plus the runner's scoring and its data checks.

The full set runs with ``kam eval``; ``tests/test_grounding.py`` runs it for the grounding check.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from evals.fixtures import DemoUnavailable, shared_demo_store
from evals.runner import (
    REQUESTS,
    EvalDataError,
    EvalRequest,
    Outcome,
    check,
    compare_args,
    load_requests,
    run_requests,
    summarise,
)
from integrations.runtime import Runtime

# Two or more requests per tool, questions expected back, and one whole thread with its follow-ups.
SMOKE_IDS = (
    "score-01", "score-03", "quad-01", "quad-07", "matrix-01", "matrix-04", "plan-01", "plan-08",
    "dark-03", "dark-07", "qbr-02", "qbr-03", "note-01", "note-02", "drift-03", "drift-04",
    "commit-03", "commit-08", "notes-01", "notes-02", "guide-01", "guide-03",
    "none-01", "none-05", "none-08",
    "t1-1", "t1-2", "t1-3", "t1-4",
)


@pytest.fixture(scope="module")
def runtime() -> Iterator[Runtime]:
    try:
        store = shared_demo_store()
    except DemoUnavailable as exc:
        pytest.fail(f"the demo store cannot be built: {exc}")
    rt = Runtime.build(store.settings)
    try:
        yield rt
    finally:
        rt.close()


@pytest.fixture(scope="module")
def outcomes(runtime: Runtime) -> dict[str, Outcome]:
    from evals.fixtures import DEMO_AS_OF

    by_id = {r.id: r for r in load_requests()}
    chosen = [by_id[i] for i in SMOKE_IDS]
    return {o.request.id: o for o in run_requests(runtime, chosen, DEMO_AS_OF)}


def test_the_subset_covers_every_tool_and_a_thread() -> None:
    by_id = {r.id: r for r in load_requests()}
    tools = {by_id[i].tool for i in SMOKE_IDS}
    assert tools >= {"score_account", "assign_quadrant", "show_matrix", "draft_plan", "flag_dark_stakeholders",
                     "prep_qbr", "log_note", "find_drifting_accounts", "list_commitments", "search_notes",
                     "ask_guidance", None}
    assert len({by_id[i].thread for i in SMOKE_IDS if by_id[i].thread}) == 1


@pytest.mark.parametrize("request_id", SMOKE_IDS)
def test_smoke_request(request_id: str, outcomes: dict[str, Outcome]) -> None:
    o = outcomes[request_id]
    assert o.tool == o.request.tool, f"{request_id} {o.request.message!r}: chose {o.tool}; reply {o.reply[:200]!r}"
    assert o.args_ok, f"{request_id} {o.request.message!r}: {o.problems} (args {o.args})"
    assert o.reply.strip(), "every turn answers something"
    assert o.ungrounded == [], f"{request_id}: numbers no tool gave: {o.ungrounded}"


def test_the_thread_carries_its_account_from_turn_to_turn(outcomes: dict[str, Outcome]) -> None:
    accounts = [outcomes[i].args.get("account") for i in ("t1-1", "t1-2", "t1-3", "t1-4")]
    assert accounts == ["A001", "A001", "A002", "A002"]


def test_questions_back_call_no_tool(outcomes: dict[str, Outcome]) -> None:
    for request_id in ("none-01", "none-05", "none-08"):
        o = outcomes[request_id]
        assert o.tool is None and o.model_calls == 1
    assert "Riverstone Pharma" in outcomes["none-05"].reply and "Bluewater Pharma" in outcomes["none-05"].reply
    assert "Globex" not in outcomes["none-08"].reply  # another seller's account is not hinted at


def test_the_summary_counts_what_happened(outcomes: dict[str, Outcome]) -> None:
    figures = summarise(list(outcomes.values()))
    assert figures["requests"] == len(SMOKE_IDS)
    assert figures["tool_accuracy"] == 1.0 and figures["argument_accuracy"] == 1.0
    assert figures["per_tool"]["(question)"]["n"] == 3
    assert figures["ungrounded_replies"] == 0
    assert 1.0 <= figures["model_calls_per_turn"] <= 2.0  # one call to choose, one to word the result


# -- scoring and data checks ------------------------------------------------------------------------------


def test_compare_args_by_id_keywords_and_values() -> None:
    resolve = {"Acme": "A001", "A001": "A001", None: None}.get
    assert compare_args({"account": "A001"}, {"account": "Acme"}, resolve) == []
    assert compare_args({"account": None}, {"account": None}, resolve) == []
    assert compare_args({"query_has": ["Pricing", "dana"]}, {"query": "Dana pricing uplift"}, resolve) == []
    problems = compare_args({"query_has": ["budget"], "scope": "team"}, {"query": "pricing", "scope": "mine"}, resolve)
    assert problems == ["query 'pricing' lacks budget", "scope: expected 'team', got 'mine'"]
    assert compare_args({"window_days": 60}, {"window_days": None}, resolve) == [
        "window_days: expected 60, got None"]


def test_check_names_every_missed_threshold() -> None:
    good = {"tool_accuracy": 0.97, "argument_accuracy": 0.95, "extraction": {"f1": 0.9}}
    assert check(good) == []
    bad = {"tool_accuracy": 0.90, "argument_accuracy": 0.95, "extraction": {"skipped": "not there"}}
    assert check(bad) == ["tool_accuracy 0.9 < 0.95", "extraction F1 unavailable (not there)"]
    assert check({**good, "extraction": {"not_run": True}}) == []


def test_the_dataset_is_valid_and_balanced() -> None:
    requests = load_requests()
    assert len(requests) >= 160
    dev = [r for r in requests if r.split == "dev"]
    assert 0.4 <= len(dev) / len(requests) <= 0.6
    assert {r.tool for r in requests} >= {None, "search_notes", "log_note", "ask_guidance"}
    assert sum(1 for r in requests if r.thread) >= 20
    assert load_requests(split="dev") == dev


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('{"id": "x", "user": "U02", "message": "hi", "tool": "fly", "split": "dev"}', "'tool' must be one of"),
        ('{"id": "x", "user": "U02", "message": "hi", "tool": null, "split": "train"}', "'split' must be dev or test"),
        ('{"id": "x", "user": "U02", "message": "", "tool": null, "split": "dev"}', "'message' must be a non-empty"),
        ('{"id": "x", "user": "U02", "message": "hi", "tool": "score_account", "args": {"acct": "A1"}, '
         '"split": "dev"}', "'args' keys must be among"),
        ("not json", "not JSON"),
    ],
)
def test_a_bad_line_is_refused_with_its_line_number(tmp_path: Path, line: str, problem: str) -> None:
    path = tmp_path / "requests.jsonl"
    good = '{"id": "ok", "user": "U02", "message": "score Acme", "tool": "score_account", "split": "dev"}'
    path.write_text(good + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(EvalDataError, match=rf"requests.jsonl:2: .*{problem}"):
        load_requests(path)


def test_a_thread_may_not_span_splits(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "thread": "t", "user": "U02", "message": "score Acme", "tool": "score_account", "split": "dev"},
        {"id": "b", "thread": "t", "user": "U02", "message": "and Globex?", "tool": "score_account", "split": "test"},
    ]
    path = tmp_path / "requests.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    with pytest.raises(EvalDataError, match="spans splits"):
        load_requests(path)


def test_the_shipped_file_has_unique_ids() -> None:
    ids = [json.loads(line)["id"] for line in REQUESTS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(ids) == len(set(ids))


def test_kam_eval_prints_figures_as_json() -> None:
    from integrations.cli.main import app

    result = CliRunner().invoke(app, ["eval", "--max", "2", "--no-extraction", "--json"])
    assert result.exit_code == 0, result.output
    figures: dict[str, Any] = json.loads(result.output[result.output.index("{"):])
    assert figures["requests"] == 2 and figures["backend"] == "offline-planner"
    assert figures["extraction"] == {"not_run": True}


def test_kam_eval_refuses_an_unknown_split() -> None:
    from integrations.cli.main import app

    result = CliRunner().invoke(app, ["eval", "--split", "train"])
    assert result.exit_code == 2
    assert "--split" in result.output


def test_an_unknown_user_in_the_data_is_a_clear_error(runtime: Runtime) -> None:
    from evals.fixtures import DEMO_AS_OF

    request = EvalRequest(id="z", user="U404", message="score Acme", tool="score_account", args={}, split="dev")
    with pytest.raises(EvalDataError, match="no user 'U404'"):
        run_requests(runtime, [request], DEMO_AS_OF)


def test_the_runner_scores_a_real_model_over_http(runtime: Runtime) -> None:
    """The OpenAI-compatible path: the model passes an account by name, the runner compares it as an id,
    counts the model's tokens, and records a turn where the model called no tool as a failure."""
    from openai_stub import OpenAIStub, call, reply

    from evals.fixtures import DEMO_AS_OF, shared_demo_store

    requests = [
        EvalRequest(id="m1", user="U02", message="score Acme", tool="score_account", args={"account": "A001"},
                    split="dev"),
        EvalRequest(id="m2", user="U02", message="what's overdue?", tool="list_commitments",
                    args={"status": "overdue"}, split="dev"),
    ]
    with OpenAIStub() as stub:
        stub.script = [call("score_account", {"account": "Acme"}), reply("Acme Corp scores as Strategic Growth."),
                       reply("You have nothing overdue.")]
        settings = shared_demo_store().settings.model_copy(update={
            "llm_base_url": stub.base_url, "llm_model": "stub-model", "llm_timeout_s": 5.0, "llm_max_retries": 0})
        model_runtime = Runtime.build(settings)
        try:
            outcomes = run_requests(model_runtime, requests, DEMO_AS_OF)
        finally:
            model_runtime.close()
    first, second = outcomes
    assert first.tool == "score_account" and first.args == {"account": "Acme"} and first.args_ok
    assert first.model_calls == 2 and first.tokens > 0
    assert second.tool is None and not second.tool_ok
    figures = summarise(outcomes)
    assert figures["tool_accuracy"] == 0.5 and figures["tokens_per_turn"] > 0
