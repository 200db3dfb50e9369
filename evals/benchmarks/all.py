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

BENCHMARKS = ("import", "tools", "health", "index", "http", "slack")


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
        Row("import", "first import (validated, audited)", first, "rows/s", base, label, _ratio(first, base), note),
        Row("import", "re-import, all unchanged", again, "rows/s", base, label, _ratio(again, base), note),
    ]


def _tool_rows(name: str, rows: list[dict[str, Any]]) -> list[Row]:
    out = []
    for r in rows:
        out.append(Row(name, f"{r['tool']}", r["tool_ms"], "ms", r["plain_read_ms"], "plain SQL read of its rows",
                       r["ratio"], f"{r.get('sql_statements', '?')} SQL statements"))
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
    rows = [Row("index", "indexing (embed + Chroma upsert)", r["index_notes_per_s"], "notes/s",
                r["embedder_notes_per_s"], "raw embedder, same texts", r["index_vs_embedder"])]
    for label in ("unfiltered", "rep_scope"):
        v = r[f"vector_{label}"]
        chroma, exact = v["chroma"], v["numpy_exact"]
        for q in ("p50_ms", "p95_ms"):
            rows.append(Row("index", f"vector query {label} {q[:3]}", chroma[q], "ms", exact[q],
                            "numpy exact search, same vectors", _ratio(chroma[q], exact[q]),
                            f"recall@{k} {v[f'recall_at_{k}']:.3f} over {v['candidates']:,} candidates"))
    for key in ("hybrid_rep_scope", "hybrid_all_accounts"):
        v = r[f"search_notes_{key}"]
        rows.append(Row("index", f"search_notes {key} p50", v["p50_ms"], "ms", None, "", None,
                        f"p95 {v['p95_ms']:.1f} ms"))
    return rows


def _served(name: str, r: dict[str, Any], kam: str, figure: str, rate_key: str) -> list[Row]:
    bare, ours = r["bare_fastapi"], r[kam]
    rows = [Row(name, f"{figure} rate", ours[rate_key], "req/s", bare[rate_key], "bare FastAPI endpoint",
                _ratio(ours[rate_key], bare[rate_key]))]
    for q in ("p50_ms", "p99_ms" if "p99_ms" in ours else "p95_ms"):
        rows.append(Row(name, f"{figure} {q[:3]}", ours[q], "ms", bare[q], "bare FastAPI endpoint",
                        _ratio(ours[q], bare[q])))
    return rows


def _http(_accounts: int, _notes: int) -> list[Row]:
    from evals.benchmarks.http_bench import run

    return _served("http", run(), "kam_chat", "POST /v1/chat (offline planner)", "rps")


def _slack(_accounts: int, _notes: int) -> list[Row]:
    from evals.benchmarks.slack_bench import run

    return _served("slack", run(), "kam_slack", "Slack ack", "rate")


_RUNNERS: dict[str, Callable[[int, int], list[Row]]] = {
    "import": _import, "tools": _tools, "health": _health, "index": _index, "http": _http, "slack": _slack,
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
        "| benchmark | figure | value | baseline | ratio | note |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in result["rows"]:
        base = f"{r['baseline']:,.1f} ({r['baseline_label']})" if r["baseline"] is not None else "-"
        ratio = f"{r['ratio']:.2f}x" if r["ratio"] is not None else "-"
        lines.append(f"| {r['benchmark']} | {r['figure']} | {r['value']:,.1f} {r['unit']} | {base} | {ratio} | "
                     f"{r['note']} |")
    for name, error in result["errors"].items():
        lines.append(f"| {name} | FAILED | - | - | - | {error} |")
    lines.append("")
    lines.append("time per benchmark: " + ", ".join(f"{k} {v}s" for k, v in result["seconds"].items()))
    return "\n".join(lines)
