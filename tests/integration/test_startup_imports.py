"""A one-shot ``kam`` command loads only what it uses: starting the CLI, and running a tool that needs no index,
no model and no chart, imports none of the heavy libraries (docs/benchmarks.md, ``cli_tool_startup_s``); a
one-shot ``kam chat`` on the offline planner imports neither scikit-learn nor LangGraph's graph, LangChain's agent
or LangSmith (``cli_chat_startup_s``).

Each check runs in a fresh interpreter (this test process has imported everything already) and lists which of
the heavy modules ended up in ``sys.modules``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import env_for
from repo import ROOT
from scoring_seed import users

from store.db import Database
from store.settings import Settings

# Each costs from a tenth of a second (matplotlib) to over a second (scikit-learn, LangChain) to import.
HEAVY = ("chromadb", "wordllama", "langgraph", "langchain", "langchain_core", "matplotlib", "sklearn", "scipy",
         "simple_salesforce", "alembic", "numpy", "mcp", "uvicorn", "slack_bolt", "dateparser", "rich.console")
# What a one-shot chat turn on the offline planner does without: the planner's classifiers run on numpy
# (knowledge/linear_text.py) and the turn on LangGraph's checkpoints only (agent/offline_turn.py); a
# request that is not a note loads no note reader (dateparser), no HTTP client (httpx: WordLlama embeds
# locally), and a reply piped out is not rendered (rich's markdown).
CHAT_HEAVY = ("chromadb", "langchain", "langgraph.graph", "langgraph.pregel", "langgraph.prebuilt", "langsmith",
              "matplotlib", "sklearn", "scipy", "joblib", "threadpoolctl", "simple_salesforce", "alembic", "mcp",
              "uvicorn", "slack_bolt", "dateparser", "tools.notes.extract.offline", "rich.markdown", "httpx")
_PROBE = """
import atexit, json, sys
heavy = {heavy!r}
atexit.register(lambda: sys.__stderr__.write("LOADED " + json.dumps(sorted(
    m for m in heavy if m in sys.modules)) + "\\n"))
sys.argv = ["kam", *{argv!r}]
import integrations.cli.main as cli
if sys.argv[1:]:
    cli.main()
"""


def _loaded(*argv: str, settings: Settings | None = None, heavy: tuple[str, ...] = HEAVY) -> list[str]:
    env = {**os.environ, **(env_for(settings) if settings else {}), "PYTHONPATH": str(ROOT)}
    env.pop("KAM_LLM_BASE_URL", None)
    done = subprocess.run([sys.executable, "-c", _PROBE.format(heavy=heavy, argv=list(argv))], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    lines = [line for line in done.stderr.splitlines() if line.startswith("LOADED ")]
    assert lines and done.returncode == 0, done.stderr[-2000:]
    return json.loads(lines[-1].removeprefix("LOADED "))


def test_importing_the_cli_loads_no_heavy_library() -> None:
    assert _loaded() == []


def test_a_one_shot_tool_loads_no_heavy_library(settings: Settings) -> None:
    db = Database.from_settings(settings)  # a migrated store: the CLI then finds it at the schema's head
    with db.write() as s:
        users(s)
    db.dispose()
    assert _loaded("tool", "list_commitments", "--as", "U1", "--as-of", "2026-06-30", settings=settings) == []
    assert _loaded("tool", "show_matrix", "--as", "U1", "--as-of", "2026-06-30", settings=settings) == []


def test_a_one_shot_chat_loads_no_classifier_library_and_no_agent_graph(settings: Settings) -> None:
    db = Database.from_settings(settings)
    with db.write() as s:
        users(s)
    db.dispose()
    for message in ("what's overdue?", "show my matrix", "can you tell me which deals are slipping"):
        assert _loaded("chat", "--as", "U1", "--as-of", "2026-06-30", message, settings=settings,
                       heavy=CHAT_HEAVY) == [], message
