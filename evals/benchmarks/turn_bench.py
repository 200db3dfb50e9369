"""What a chat turn costs outside its tool, broken down, and what a one-shot ``kam tool`` costs to start.

    python -m evals.benchmarks.turn_bench [--turns 60]

- **chat turn overhead**: ``Agent.turn`` on the demo store with the offline planner, for messages that each
  route to one tool, beside the same tool called directly (``call_tool`` in a write transaction, as the
  turn runs it). Overhead = turn - tool, per message, median over the turns. The breakdown comes from a
  cProfile of the same turns and of the same direct calls: self time grouped by where the code lives
  (``agent/``, LangGraph + LangChain, SQL: SQLAlchemy + the driver, pydantic, ``tools/`` + ``store/``,
  the rest), the direct calls' share subtracted, scaled to the unprofiled overhead. Each message starts a new
  thread; the same is measured again in threads of three turns (each turn then reads the thread and its draft).
- **CLI start-up**: wall seconds of ``kam tool list_commitments`` and ``kam chat "what's overdue?"`` as fresh
  processes (median of 3), beside ``kam --help`` in the same run.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import threading
import time
from typing import Any

MESSAGES = {  # message: (tool, args) it routes to with the offline planner
    "what's overdue?": ("list_commitments", {"status": "overdue"}),
    "show my matrix": ("show_matrix", {"scope": "mine"}),
    "score Northwind": ("score_account", {"account": "A003"}),
}
USER = "U03"
_BUCKETS = (  # (bucket, path fragments), first match wins
    ("agent", ("/agent/",)),
    ("langgraph_langchain", ("langgraph", "langchain")),
    ("sql", ("sqlalchemy", "sqlite3", "psycopg", "sqlmodel")),
    ("pydantic", ("pydantic",)),
    ("tools_store", ("/tools/", "/store/", "/knowledge/")),
    ("threads_and_executors", ("threading", "concurrent/futures", "start_new_thread", "contextvars")),
)


def _bucket(filename: str, function: str) -> str:
    if filename == "~":  # a C function: named by what it belongs to
        if any(w in function for w in ("lock", "wait", "SimpleQueue' objects>")):
            return "waits"  # a thread blocked on another, or an idle pool worker: not work
        filename = function
    for name, parts in _BUCKETS:
        if any(p in filename for p in parts):
            return name
    return "other"


def _profile(fn: Any) -> dict[str, float]:
    """Self time by bucket over the calling thread and every thread started meanwhile (LangGraph runs a turn's
    nodes in executor threads; the calling thread only waits for them, and those waits are left out)."""
    profilers = [cProfile.Profile()]

    def in_new_thread(*_args: Any) -> None:
        profiler = cProfile.Profile()
        profilers.append(profiler)
        profiler.enable()  # replaces this hook for the rest of the thread's life

    threading.setprofile(in_new_thread)
    try:
        profilers[0].runcall(fn)
    finally:
        threading.setprofile(None)  # type: ignore[arg-type]
    totals: dict[str, float] = {}
    for profiler in profilers:
        profiler.disable()
        for (filename, _line, name), (_cc, _nc, tottime, _ct, _callers) in pstats.Stats(profiler).stats.items():  # type: ignore[attr-defined]
            bucket = _bucket(filename, name)
            if bucket != "waits":
                totals[bucket] = totals.get(bucket, 0.0) + tottime
    return totals


def chat_turn_overhead(turns: int = 60) -> dict[str, Any]:
    from evals.fixtures import fresh_demo_store, remove_store
    from store.models import User
    from tools.registry import call_tool

    store = fresh_demo_store()
    runtime: Any = store.runtime()
    agent = runtime.agent()
    as_of = store.as_of
    try:
        with runtime.db.session() as s:
            user = s.get(User, USER)
        messages = list(MESSAGES) * max(1, turns // len(MESSAGES))

        def run_turns(threads: str | None = None) -> list[float]:
            """Each message in a new thread, or (``threads``) three turns a thread, each turn reading the thread."""
            out = []
            for i, m in enumerate(messages):
                thread = f"{threads}-{i // 3}" if threads else None
                t0 = time.perf_counter()
                reply = agent.turn(user, m, as_of=as_of, thread_id=thread)
                out.append(time.perf_counter() - t0)
                assert reply.tool_calls and reply.tool_calls[0].name == MESSAGES[m][0], (m, reply.tool_calls)
            return out

        def run_tools() -> list[float]:
            out = []
            for m in messages:
                name, args = MESSAGES[m]
                t0 = time.perf_counter()
                with runtime.db.write() as session:
                    call_tool(runtime.context(session, session.get(User, USER), as_of), name, args)
                out.append(time.perf_counter() - t0)
            return out

        run_turns(), run_tools()  # warm-up: graph compiled, caches filled
        turn_s, tool_s = run_turns(), run_tools()
        overhead = [t - u for t, u in zip(turn_s, tool_s, strict=True)]
        run_turns("warm")
        in_thread = [t - u for t, u in zip(run_turns("bench"), tool_s, strict=True)]
        profiled_turns, profiled_tools = _profile(run_turns), _profile(run_tools)
    finally:
        runtime.close()
        remove_store(store)
    extra = {b: max(0.0, profiled_turns.get(b, 0.0) - profiled_tools.get(b, 0.0)) for b in profiled_turns}
    scale = statistics.median(overhead) * 1000 / (sum(extra.values()) / len(messages) * 1000 or 1.0)
    return {
        "turns": len(messages),
        "turn_p50_ms": round(statistics.median(turn_s) * 1000, 2),
        "tool_p50_ms": round(statistics.median(tool_s) * 1000, 2),
        "overhead_p50_ms": round(statistics.median(overhead) * 1000, 2),
        "overhead_in_thread_p50_ms": round(statistics.median(in_thread) * 1000, 2),
        "breakdown_ms": {b: round(v / len(messages) * 1000 * scale, 2) for b, v in sorted(extra.items())},
    }


def _wall(args: list[str], env: dict[str, str], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "integrations.cli.main", *args], env=env, capture_output=True,
                              text=True, check=False)
        times.append(time.perf_counter() - t0)
        if done.returncode != 0:
            raise RuntimeError(f"kam {' '.join(args)} failed: {done.stderr[-500:]}")
    return statistics.median(times)


def cli_startup() -> dict[str, float]:
    from evals.fixtures import fresh_demo_store, remove_store

    store = fresh_demo_store()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("KAM_")}, "KAM_DATA_DIR": str(store.data_dir)}
    try:
        tool = _wall(["tool", "list_commitments", "--as", USER, "--as-of", store.as_of.isoformat()], env)
        chat = _wall(["chat", "--as", USER, "--as-of", store.as_of.isoformat(), "what's overdue?"], env)
        help_ = _wall(["--help"], env)
    finally:
        remove_store(store)
    return {"tool_s": round(tool, 3), "chat_s": round(chat, 3), "help_s": round(help_, 3),
            "ratio": round(tool / help_, 3), "chat_ratio": round(chat / help_, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=60)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = {"chat_turn": chat_turn_overhead(args.turns), "cli_startup": cli_startup()}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    t, c = result["chat_turn"], result["cli_startup"]
    print(f"chat turn p50 {t['turn_p50_ms']} ms, its tool alone {t['tool_p50_ms']} ms: overhead outside the tool "
          f"{t['overhead_p50_ms']} ms, of which " + ", ".join(f"{k} {v} ms" for k, v in t["breakdown_ms"].items()))
    print(f"in a thread (three turns a thread): overhead outside the tool {t['overhead_in_thread_p50_ms']} ms")
    print(f"one-shot `kam tool list_commitments`: {c['tool_s']} s, `kam chat \"what's overdue?\"`: {c['chat_s']} s, "
          f"`kam --help`: {c['help_s']} s ({c['ratio']}x, {c['chat_ratio']}x)")


if __name__ == "__main__":
    main()
