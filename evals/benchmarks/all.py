"""Every benchmark in one run, one table: figure, baseline, ratio, with the machine's core count.

    kam bench [--accounts 10000] [--notes 100000] [--only import,tools,...] [--json]

Each row pairs a figure with a baseline measured in the same run (a plain SQL read of the same rows, the
raw embedder on the same texts, numpy exact search on the same vectors, a bare FastAPI endpoint on the same
server). Figures are printed, never asserted. Sizes default to the issue's: 10,000 accounts and 100,000 notes.
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

BENCHMARKS = ("import", "tools", "health", "index", "http", "slack", "turn")
# A row's ``key`` names its figure stably across runs and versions (what scripts and docs refer to).
_TOOL_KEYS = {"find_drifting_accounts": "drift", "flag_dark_stakeholders": "flags", "prep_qbr": "prep_qbr",
              "show_matrix": "matrix"}


@dataclass
class Row:
    benchmark: str
    figure: str
    value: float
    unit: str
    baseline: float | None
    baseline_label: str
    ratio: float | None
    note: str = ""
    key: str = ""


def _ratio(value: float, baseline: float | None) -> float | None:
    return round(value / baseline, 3) if baseline else None


def _import(accounts: int, _notes: int) -> list[Row]:
    from evals.benchmarks.import_bench import run

    r = run(accounts=accounts)
    raw = r.get("baseline_raw_insert") or {}
    first, again = r["first"]["rows_per_s"], r["second"]["rows_per_s"]
    base = raw.get("rows_per_s")
    note = f"{r['first']['rows']:,} rows"
    label = "plain executemany"
    return [
        Row("import", "first import (validated, audited)", first, "rows/s", base, label, _ratio(first, base), note,
            key="import_first"),
        Row("import", "re-import, all unchanged", again, "rows/s", base, label, _ratio(again, base), note,
            key="import_again"),
    ]


def _tool_rows(name: str, rows: list[dict[str, Any]]) -> list[Row]:
    out = []
    for r in rows:
        out.append(Row(name, f"{r['tool']}", r["tool_ms"], "ms", r["plain_read_ms"], "plain SQL read of its rows",
                       r["ratio"], f"{r.get('sql_statements', '?')} SQL statements",
                       key=_TOOL_KEYS.get(r["tool"], r["tool"])))
    return out


def _tools(accounts: int, _notes: int) -> list[Row]:
    from evals.benchmarks.tools_bench import run

    return _tool_rows("tools", run(accounts=accounts))


def _health(accounts: int, _notes: int) -> list[Row]:
    from evals.benchmarks.tools_bench_health import run

    return _tool_rows("tools", run(accounts=accounts))


def _index(_accounts: int, notes: int) -> list[Row]:
    from evals.benchmarks.index_bench import run

    r = run(notes=notes)
    k = r["k"]
    b = r["breakdown"]
    rows = [Row("index", "indexing (embed + Chroma upsert, pipelined)", r["index_notes_per_s"], "notes/s",
                r["embedder_notes_per_s"], "raw embedder, same texts", r["index_vs_embedder"],
                f"Chroma's own write of precomputed vectors: {b['chroma_full_notes_per_s']:,.0f} notes/s "
                f"({b['chroma_vectors_only_notes_per_s']:,.0f} vectors only)", key="index_throughput")]
    cases = (("unfiltered", "vector_unfiltered", "vector query, no filter (Chroma HNSW)"),
             ("rep_scope", "vector_scoped_chroma", "vector query in a rep's scope, Chroma HNSW + $in filter"),
             ("planned_rep_scope", "vector_scoped", "vector query in a rep's scope (planned: exact)"),
             ("planned_all_accounts", "vector_all", "vector query over all accounts (planned: no filter)"))
    for label, key, figure in cases:
        v = r[f"vector_{label}"]
        found, exact = v["chroma"], v["numpy_exact"]
        for q in ("p50_ms", "p95_ms"):
            rows.append(Row("index", f"{figure} {q[:3]}", found[q], "ms", exact[q],
                            "numpy exact search, same vectors", _ratio(found[q], exact[q]),
                            f"recall@{k} {v[f'recall_at_{k}']:.3f} over {v['candidates']:,} candidates",
                            key=f"{key}_{q[:3]}"))
    for label, key in (("hybrid_rep_scope", "search_scoped_p50"), ("hybrid_all_accounts", "search_all_p50")):
        v = r[f"search_notes_{label}"]
        rows.append(Row("index", f"search_notes {label} p50", v["p50_ms"], "ms", None, "", None,
                        f"p95 {v['p95_ms']:.1f} ms", key=key))
    c = r["search_notes_hybrid_all_accounts_chroma_records"]
    for q in ("p50_ms", "p95_ms"):  # the same search, query by query, against reading hits from Chroma's records
        rows.append(Row("index", f"search_notes all accounts, hits read from SQL {q[:3]}", c["sql_records"][q], "ms",
                        c["chroma_records"][q], "hits read from Chroma's records",
                        _ratio(c["sql_records"][q], c["chroma_records"][q]),
                        f"same hits for {c['same_hits']} of {c['queries']} queries", key=f"search_all_sql_{q[:3]}"))
    return rows


def _turn(_accounts: int, _notes: int) -> list[Row]:
    from evals.benchmarks.turn_bench import chat_turn_overhead, cli_startup

    t, c = chat_turn_overhead(), cli_startup()
    parts = ", ".join(f"{k} {v:.1f}" for k, v in t["breakdown_ms"].items())
    return [
        Row("turn", "chat turn overhead outside the tool (offline planner) p50", t["overhead_p50_ms"], "ms",
            t["tool_p50_ms"], "the tool alone", _ratio(t["overhead_p50_ms"], t["tool_p50_ms"]),
            f"turn {t['turn_p50_ms']:.1f} ms; overhead by where it runs (ms): {parts}", key="chat_turn_overhead_ms"),
        Row("turn", "chat turn overhead in a thread (three turns a thread) p50", t["overhead_in_thread_p50_ms"], "ms",
            t["tool_p50_ms"], "the tool alone", _ratio(t["overhead_in_thread_p50_ms"], t["tool_p50_ms"]),
            key="chat_turn_in_thread_overhead_ms"),
        Row("turn", "one-shot `kam tool list_commitments` start-up", c["tool_s"], "s", c["help_s"], "`kam --help`",
            c["ratio"], key="cli_tool_startup_s"),
        Row("turn", "one-shot `kam chat \"what's overdue?\"` start-up and turn", c["chat_s"], "s", c["help_s"],
            "`kam --help`", c["chat_ratio"], key="cli_chat_startup_s"),
    ]


def _served(name: str, r: dict[str, Any], kam: str, figure: str, rate_key: str, key: str) -> list[Row]:
    bare, ours = r["bare_fastapi"], r[kam]
    rows = [Row(name, f"{figure} rate", ours[rate_key], "req/s", bare[rate_key], "bare FastAPI endpoint",
                _ratio(ours[rate_key], bare[rate_key]), key=f"{key}_rate")]
    for q in ("p50_ms", "p99_ms" if "p99_ms" in ours else "p95_ms"):
        rows.append(Row(name, f"{figure} {q[:3]}", ours[q], "ms", bare[q], "bare FastAPI endpoint",
                        _ratio(ours[q], bare[q]), key=f"{key}_{q[:3]}"))
    return rows


def _http(_accounts: int, _notes: int) -> list[Row]:
    from evals.benchmarks.http_bench import run

    return _served("http", run(), "kam_chat", "POST /v1/chat (offline planner)", "rps", "http_chat")


def _slack(_accounts: int, _notes: int) -> list[Row]:
    from evals.benchmarks.slack_bench import run

    return _served("slack", run(), "kam_slack", "Slack ack", "rate", "slack_ack")


_RUNNERS: dict[str, Callable[[int, int], list[Row]]] = {
    "import": _import, "tools": _tools, "health": _health, "index": _index, "http": _http, "slack": _slack,
    "turn": _turn,
}


def run(*, accounts: int = 10_000, notes: int = 100_000, only: tuple[str, ...] = BENCHMARKS,
        progress: Callable[[str], None] = print) -> dict[str, Any]:
    """Run the chosen benchmarks; a failure in one is reported in the table and the rest still run."""
    rows: list[Row] = []
    errors: dict[str, str] = {}
    seconds: dict[str, float] = {}
    for name in only:
        progress(f"running {name} ...")
        started = time.perf_counter()
        try:
            rows.extend(_RUNNERS[name](accounts, notes))
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            errors[name] = f"{type(exc).__name__}: {exc}"
        seconds[name] = round(time.perf_counter() - started, 1)
    return {
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "accounts": accounts, "notes": notes, "rows": [asdict(r) for r in rows], "errors": errors,
        "seconds": seconds,
    }


def render(result: dict[str, Any]) -> str:
    m = result["machine"]
    lines = [
        f"kam bench: {result['accounts']:,} accounts, {result['notes']:,} notes; {m['cores']} cores, "
        f"Python {m['python']}",
        "",
        "| key | benchmark | figure | value | baseline | ratio | note |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in result["rows"]:
        base = f"{r['baseline']:,.1f} ({r['baseline_label']})" if r["baseline"] is not None else "-"
        ratio = f"{r['ratio']:.2f}x" if r["ratio"] is not None else "-"
        lines.append(f"| {r['key']} | {r['benchmark']} | {r['figure']} | {r['value']:,.1f} {r['unit']} | {base} | "
                     f"{ratio} | {r['note']} |")
    for name, error in result["errors"].items():
        lines.append(f"| - | {name} | FAILED | - | - | - | {error} |")
    lines.append("")
    lines.append("time per benchmark: " + ", ".join(f"{k} {v}s" for k, v in result["seconds"].items()))
    return "\n".join(lines)
