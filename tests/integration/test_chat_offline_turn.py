"""The offline planner's turn without the agent graph (``agent/offline_turn.py``) answers and remembers exactly
as the graph does: the same replies and tool calls turn by turn, the same messages in the thread, and a thread
either path started is continued by the other as if one path had run throughout.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from agent_seed import AS_OF, seeded_runtime
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from agent import chat
from agent.chat import Agent
from agent.offline_turn import first_checkpoint, offline_turn
from integrations.runtime import Runtime
from store.models import User
from store.settings import Settings

# Follow-ups lean on the thread: an account named before, the last request with one detail changed, a question's
# answer; the note draft asks for what it misses and is then dropped.
TURNS = ("score Acme", "and Halcyon?", "what's overdue?", "just my own", "show my matrix", "which quadrant is Acme in?",
         "score", "Halcyon", "met Dana at Acme today, she wants the pilot scope by Friday", "cancel",
         "what did Dana say about pricing?", "prep the QBR for Acme", "thanks!")
_DRAFT_ID = re.compile(r"P-[0-9a-f]{12}")


@pytest.fixture
def runtimes(settings: Settings, tmp_path: Path) -> Iterator[tuple[Runtime, Runtime]]:
    """Two stores with the same portfolio: the tools write (score history, drafts), so each path has its own."""
    other = settings.model_copy(update={"data_dir": tmp_path / "other", "database_url": None})
    with seeded_runtime(settings) as one, seeded_runtime(other) as two:
        yield one, two


def _graph_only(runtime: Runtime) -> Agent:
    agent = runtime.agent()
    agent.offline = False  # every turn on the graph
    return agent


def _user(runtime: Runtime) -> User:
    with runtime.db.session() as s:
        user = s.get(User, "U02")
    assert user is not None
    return user


def _same_ids(value: Any) -> Any:
    """``value`` with each draft's random id (``P-`` and 12 hex digits) made one: the rest must be equal."""
    return json.loads(_DRAFT_ID.sub("P-draft", json.dumps(value, default=str)))


def _public(response: Any) -> dict[str, Any]:
    data = response.public()
    data.pop("thread_id")
    return _same_ids(data)


def _kept(agent: Agent, user: User, thread: str) -> list[tuple[Any, ...]]:
    state = agent.graph().get_state({"configurable": {"thread_id": f"{user.id}/{thread}"}})
    assert state.next == ()  # nothing left to run: the turn ended as the graph ends one
    messages: list[BaseMessage] = state.values["messages"]
    return _same_ids([(m.type, m.content, [(c["name"], c["args"]) for c in getattr(m, "tool_calls", [])],
                       getattr(m, "artifact", None), getattr(m, "status", None), m.additional_kwargs)
                      for m in messages])


def _ids(response: Any) -> list[str]:
    return [c.name for c in response.tool_calls]


def test_the_fast_turn_answers_and_remembers_as_the_graph(runtimes: tuple[Runtime, Runtime],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    fast, graph = runtimes[0].agent(), _graph_only(runtimes[1])
    assert fast.offline
    ran: list[bool] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        new = offline_turn(*args, **kwargs)
        ran.append(new is not None)
        return new

    monkeypatch.setattr(chat, "offline_turn", counted)
    user = _user(runtimes[0])
    for message in TURNS:
        one = fast.turn(user, message, thread_id="t1", as_of=AS_OF)
        other = graph.turn(user, message, thread_id="t1", as_of=AS_OF)
        assert _public(one) == _public(other), message
    assert _kept(fast, user, "t1") == _kept(graph, user, "t1")
    assert ran and all(ran)  # every turn the model answers (all but the draft's reply) ran without the graph


def test_a_thread_moves_between_the_paths_as_if_one_had_run(runtimes: tuple[Runtime, Runtime]) -> None:
    mixed, alone = runtimes[0].agent(), _graph_only(runtimes[1])
    user = _user(runtimes[0])
    for i, message in enumerate(TURNS):
        mixed.offline = bool(i % 2)  # the graph, then the direct loop, turn about
        assert _public(mixed.turn(user, message, thread_id="t1", as_of=AS_OF)) == _public(
            alone.turn(user, message, thread_id="t1", as_of=AS_OF)), message
    assert _kept(mixed, user, "t1") == _kept(alone, user, "t1")


@pytest.fixture(params=["sqlite", "postgres"])
def one_runtime(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Runtime]:
    """A seeded store on SQLite, then on PostgreSQL (whose checkpoints the PostgresSaver keeps)."""
    url = request.getfixturevalue("pg_url") if request.param == "postgres" else None
    with seeded_runtime(settings.model_copy(update={"database_url": url})) as rt:
        yield rt


def test_a_new_threads_first_checkpoint_is_the_one_update_state_writes(one_runtime: Runtime) -> None:
    """``first_checkpoint`` writes without LangGraph's graph what the graph's ``update_state`` writes: the same
    values, versions seen, metadata and (up to its random part) version, with no parent and no pending writes;
    a later turn on the graph continues either thread alike."""
    agent = one_runtime.agent()
    call = {"name": "score_account", "args": {"account": "A001"}, "id": "call_1", "type": "tool_call"}
    messages = [HumanMessage("score Acme", id="h1"), AIMessage("", id="a1", tool_calls=[call]),
                ToolMessage("Acme: Strategic Growth", artifact={"name": "score_account", "ok": True},
                            tool_call_id="call_1", name="score_account", status="success", id="t1"),
                AIMessage("Acme Corp scores as Strategic Growth.", id="a2")]  # a turn as it ends
    mine, theirs = ({"configurable": {"thread_id": f"U02/{name}"}} for name in ("mine", "theirs"))
    first_checkpoint(agent.checkpointer, mine, messages)
    agent.graph().update_state(theirs, {"messages": messages}, as_node="model")
    one, other = (agent.checkpointer.get_tuple(c) for c in (mine, theirs))
    assert one.metadata == other.metadata and one.pending_writes == other.pending_writes == []
    assert one.parent_config is None and other.parent_config is None
    for key in ("v", "channel_values", "versions_seen", "updated_channels"):
        assert one.checkpoint[key] == other.checkpoint[key], key
    versions = (c.checkpoint["channel_versions"] for c in (one, other))
    assert [{k: v.split(".")[0] for k, v in c.items()} for c in versions] == [{"messages": "0" * 31 + "1"}] * 2
    assert set(one.checkpoint) == set(other.checkpoint)
    user = _user(one_runtime)
    agent.offline = False
    follow = [agent.turn(user, "and Halcyon?", thread_id=name, as_of=AS_OF) for name in ("mine", "theirs")]
    for response in follow:  # the score tool writes history, so the second reply differs: the calls do not
        assert [(c.name, c.args) for c in response.tool_calls] == [("score_account", {"account": "A002"})]
