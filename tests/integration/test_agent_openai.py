"""The OpenAI-compatible path over real HTTP against a local stub of the chat completions protocol."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from agent_seed import AS_OF, seed
from openai_stub import OpenAIStub, Step, call, reply
from sqlmodel import func, select

from agent.chat import Agent
from agent.deps import AgentDeps
from agent.memory import make_checkpointer
from store.db import Database
from store.models import ScoreRecord, User
from store.settings import Settings
from tools.rules import Rules


@pytest.fixture
def stub() -> Iterator[OpenAIStub]:
    with OpenAIStub() as server:
        yield server


def _agent(settings: Settings, db: Database, stub: OpenAIStub, **overrides: object) -> Agent:
    s = settings.model_copy(update={"llm_base_url": stub.base_url, "llm_model": "stub-model", "llm_timeout_s": 5.0,
                                    "llm_max_retries": 1, **overrides})
    deps = AgentDeps(settings=s, db=db, rules=Rules())
    return Agent.build(deps, checkpointer=make_checkpointer(s))


def _user(db: Database, uid: str = "U02") -> User:
    with db.session() as s:
        user = s.get(User, uid)
    assert user is not None
    return user


def _scores(db: Database) -> int:
    with db.session() as s:
        return s.exec(select(func.count()).select_from(ScoreRecord)).one()


def test_tool_call_with_null_content_then_grounded_answer(settings: Settings, sqlite_db: Database,
                                                          stub: OpenAIStub) -> None:
    seed(sqlite_db)
    stub.script = [call("score_account", {"account": "Acme"}), reply("Acme Corp is a Develop account.")]
    response = _agent(settings, sqlite_db, stub).turn(_user(sqlite_db), "score acme", as_of=AS_OF)
    assert [c.name for c in response.tool_calls] == ["score_account"]
    assert response.tool_calls[0].ok and response.tool_calls[0].result["account_id"] == "A001"
    assert response.reply == "Acme Corp is a Develop account."
    assert response.model_calls == 2 and response.tokens == 264
    # The second request carried the tool result back to the model, and the system prompt had the date.
    second = stub.requests[1]["body"]["messages"]
    assert any(m["role"] == "tool" for m in second)
    assert AS_OF.isoformat() in stub.requests[0]["body"]["messages"][0]["content"]
    assert stub.requests[0]["body"]["tools"], "tools are offered to the model"
    assert _scores(sqlite_db) == 1


def test_429_then_success_is_retried(settings: Settings, sqlite_db: Database, stub: OpenAIStub) -> None:
    seed(sqlite_db)
    stub.script = [Step(status=429), reply("Hello! Ask me about an account.")]
    response = _agent(settings, sqlite_db, stub).turn(_user(sqlite_db), "hi", as_of=AS_OF)
    assert response.reply == "Hello! Ask me about an account."
    assert len(stub.requests) == 2


def test_500_falls_back_to_offline_planner_and_says_so(settings: Settings, sqlite_db: Database,
                                                      stub: OpenAIStub) -> None:
    seed(sqlite_db)
    stub.default = Step(status=500)
    response = _agent(settings, sqlite_db, stub).turn(_user(sqlite_db), "score Acme", as_of=AS_OF)
    assert "offline planner" in response.reply and "500" in response.reply
    assert [c.name for c in response.tool_calls] == ["score_account"]
    assert response.tool_calls[0].result["account_id"] == "A001"


def test_slower_than_timeout_falls_back(settings: Settings, sqlite_db: Database, stub: OpenAIStub) -> None:
    seed(sqlite_db)
    stub.default = Step(delay_s=2.0, content="too late")
    agent = _agent(settings, sqlite_db, stub, llm_timeout_s=0.3, llm_max_retries=0)
    response = agent.turn(_user(sqlite_db), "show my matrix", as_of=AS_OF)
    assert "offline planner" in response.reply and "Timeout" in response.reply
    assert [c.name for c in response.tool_calls] == ["show_matrix"]


def test_malformed_tool_call_json_is_refused_and_writes_nothing(settings: Settings, sqlite_db: Database,
                                                               stub: OpenAIStub) -> None:
    seed(sqlite_db)
    stub.script = [call("score_account", '{"account": "Acme"')]  # truncated JSON
    response = _agent(settings, sqlite_db, stub).turn(_user(sqlite_db), "score acme", as_of=AS_OF)
    assert "malformed" in response.reply and "nothing was done" in response.reply
    assert response.tool_calls == []
    assert _scores(sqlite_db) == 0


def test_a_number_no_tool_gave_is_replaced_by_the_tools_words(settings: Settings, sqlite_db: Database,
                                                             stub: OpenAIStub) -> None:
    seed(sqlite_db)
    stub.script = [call("score_account", {"account": "A001"}), reply("Acme scores 4.97 on attractiveness.")]
    response = _agent(settings, sqlite_db, stub).turn(_user(sqlite_db), "score acme", as_of=AS_OF)
    assert "4.97" not in response.reply
    assert "Acme Corp" in response.reply and "Attractiveness" in response.reply


def test_out_of_scope_account_from_model_is_not_found(settings: Settings, sqlite_db: Database,
                                                      stub: OpenAIStub) -> None:
    seed(sqlite_db)
    # The model asks for another rep's account and tries to smuggle a user in the arguments.
    stub.script = [call("score_account", {"account": "Borealis Energy", "user": "U99"}), reply("Done.")]
    response = _agent(settings, sqlite_db, stub).turn(_user(sqlite_db, "U02"), "score borealis", as_of=AS_OF)
    record = response.tool_calls[0]
    assert not record.ok and record.result["code"] == "not_found"
    assert _scores(sqlite_db) == 0
