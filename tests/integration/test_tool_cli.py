"""``kam tool NAME --as USER [--arg K=V ...] [--json] [--as-of DATE]`` and ``kam tools``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
from scoring_seed import AS_OF, TOP, account, ctx_for, days_ago, person, touch, users
from sqlmodel import select
from typer.testing import CliRunner

import integrations.cli.cmd_tool  # noqa: F401  (registers the commands)
from integrations.cli.app import app
from integrations.cli.cmd_tool import parse_args
from store.db import Database
from store.models import ScoreRecord
from store.settings import Settings
from tools import registry
from tools.context import ToolContext
from tools.registry import call_tool
from tools.results import ToolResult

runner = CliRunner()


@pytest.fixture
def store() -> Iterator[Database]:
    """The store the CLI opens (KAM_DATA_DIR is a temp dir per test), seeded."""
    db = Database.from_settings(Settings())
    with db.write() as s:
        users(s)
        account(s, "A1", "Acme Corp", owner="U1", annual_revenue=1000, cost_to_serve=10, **TOP)
        account(s, "A2", "Acme Holdings", owner="U1", annual_revenue=500)
        account(s, "A9", "Secret Co", owner="U3", annual_revenue=2000)
        person(s, "S1", "A1", name="Dana Diaz", authority="budget")
        touch(s, "A1", days_ago(40), "S1")
    try:
        yield db
    finally:
        db.dispose()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_markdown_by_default_and_the_scoring_is_stored(store: Database) -> None:
    code, out, _ = _run("tool", "score_account", "--as", "U1", "--arg", "account=acme corp", "--as-of", "2026-06-30")
    assert code == 0
    assert out.startswith("## Acme Corp (A1): Strategic Growth")
    assert "1 of 1 mapped stakeholders engaged in the 90 days to 2026-06-30" in out
    with store.session() as s:
        [row] = s.exec(select(ScoreRecord)).all()
    assert (row.account_id, row.scored_by, row.as_of) == ("A1", "U1", AS_OF)


def test_json_is_the_tool_results_json(store: Database) -> None:
    code, out, _ = _run("tool", "flag_dark_stakeholders", "--as", "Rita Rep", "--json", "--as-of", "2026-06-30")
    assert code == 0
    printed = json.loads(out)
    with store.session() as s:
        expected = call_tool(ctx_for(s, "U1"), "flag_dark_stakeholders", {}).as_json()
    assert printed == expected
    assert printed["flags"][0]["flag"] == "dark" and printed["flags"][0]["stakeholder_id"] == "S1"

    code, out, _ = _run("tool", "show_matrix", "--as", "U1", "--json", "--arg", "scope=mine",
                        "--as-of", "2026-06-30")
    assert code == 0
    assert [a["id"] for a in json.loads(out)["accounts"]] == ["A1", "A2"]


def test_tool_errors_print_the_message_and_exit_1(store: Database) -> None:
    code, _, err = _run("tool", "score_account", "--as", "U1", "--arg", "account=Acmee Crop")
    assert code == 1
    assert "no account named 'Acmee Crop'; did you mean: Acme Corp" in err
    code, _, err = _run("tool", "score_account", "--as", "U1", "--arg", "account=Secret Co")
    assert code == 1 and err.strip() == "no account named 'Secret Co'"
    code, out, err = _run("tool", "score_account", "--as", "U1", "--arg", "account=acme", "--json")
    assert code == 1 and "matches several accounts" in err
    assert json.loads(out)["code"] == "ambiguous"
    assert json.loads(out)["suggestions"] == ["Acme Corp", "Acme Holdings"]
    code, _, err = _run("tool", "show_matrix", "--as", "U1", "--arg", "scope=everyone")
    assert code == 1 and "scope" in err
    code, _, err = _run("tool", "score_account", "--as", "U1", "--arg", "acount=Acme Corp")
    assert code == 1 and "bad arguments" in err
    with store.session() as s:
        assert s.exec(select(ScoreRecord)).all() == []  # nothing half-written


def test_unknown_tool_lists_the_tools(store: Database) -> None:
    code, _, err = _run("tool", "score_acount", "--as", "U1")
    assert code == 1
    assert "no tool named 'score_acount'" in err and "score_account" in err and "show_matrix" in err


def test_usage_errors(store: Database) -> None:
    assert _run("tool", "score_account", "--arg", "account=A1")[0] == 2  # no --as
    code, _, err = _run("tool", "score_account", "--as", "nobody")
    assert code == 2 and "--as: no user 'nobody'" in err
    code, _, err = _run("tool", "score_account", "--as", "U1", "--arg", "account")
    assert code == 2 and "is not KEY=VALUE" in err
    code, _, err = _run("tool", "score_account", "--as", "U1", "--as-of", "yesterday")
    assert code == 2 and "not a date" in err


def test_listing_the_tools(store: Database) -> None:
    for args in (("tools",), ("tool", "--list")):
        code, out, _ = _run(*args)
        assert code == 0
        assert "score_account  [writes]" in out
        assert "args: account (string; required)" in out
        assert "show_matrix" in out and "one of mine / team / all; default \"mine\"" in out
        assert "flag_dark_stakeholders" in out and "account (string or null; default null)" in out


class _Echo(ToolResult):
    args: dict[str, object]

    def as_markdown(self) -> str:
        return json.dumps(self.args, default=str, sort_keys=True)


@pytest.fixture
def echo_tool() -> Iterator[None]:
    registry.all_tools()  # load the real catalogue first

    @registry.tool("echo_args_for_test", title="Echo the arguments")
    def echo(ctx: ToolContext, *, n: int = 1, day: dt.date | None = None, who: str | None = "x",
             tags: list[str] | None = None) -> _Echo:
        """Echo the parsed arguments."""
        return _Echo(args={"n": n, "day": day, "who": who, "tags": tags})

    yield
    registry._REGISTRY.pop("echo_args_for_test", None)


def test_args_are_parsed_by_the_tools_argument_model(store: Database, echo_tool: None) -> None:
    code, out, _ = _run("tool", "echo_args_for_test", "--as", "U1", "--arg", "n=30", "--arg", "day=2026-01-02",
                        "--arg", "who=null", "--arg", 'tags=["a", "b"]', "--json")
    assert code == 0
    assert json.loads(out) == {"args": {"n": 30, "day": "2026-01-02", "who": None, "tags": ["a", "b"]}}
    code, _, err = _run("tool", "echo_args_for_test", "--as", "U1", "--arg", "n=many")
    assert code == 1 and "n: Input should be a valid integer" in err


def test_parse_args() -> None:
    assert parse_args(["a=1", "b=None", "c=x=y", "d="]) == {"a": "1", "b": None, "c": "x=y", "d": ""}
    assert parse_args(['e={"k": 1}']) == {"e": {"k": 1}}
