"""Benchmark: the whole-portfolio tools beside a plain SQL read of the rows they need, in the same run.

    python -m evals.benchmarks.tools_bench [--accounts 10000] [--stakeholders 8] [--interactions 50] [--repeat 3]

For ``show_matrix`` (scope all) and ``flag_dark_stakeholders`` (all accounts), as the admin, on a generated
portfolio (``evals/benchmarks/portfolio.py``, built once per size and cached). Each figure is the median
of ``--repeat`` runs after one warm-up; the baseline reads the same rows with one plain ``SELECT`` per
table and fetches them all. The ratio is the figure (target: within 3x); the number of SQL statements
each tool issued shows it is set-based.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from evals.benchmarks.measure import StatementCounter, plain_read, timed
from store.models import User
from tools.compute.engagement import window_start
from tools.context import ToolContext
from tools.registry import call_tool
from tools.rules import Rules


def _matrix_rows(as_of: dt.date, rules: Rules) -> tuple[list[str], dict[str, Any]]:
    """What show_matrix needs: every account, every stakeholder, the touches of the depth window."""
    return [
        "SELECT * FROM account",
        "SELECT id, account_id, is_executive, left_company FROM stakeholder",
        "SELECT p.stakeholder_id, i.date FROM participant p JOIN interaction i ON i.id = p.interaction_id "
        "WHERE i.date >= :start AND i.date <= :as_of",
    ], {"start": window_start(as_of, rules.scoring.engaged_window_days), "as_of": as_of}


def _flags_rows(as_of: dt.date) -> tuple[list[str], dict[str, Any]]:
    """What flag_dark_stakeholders needs: accounts, stakeholders, and every touch up to as_of with sentiment."""
    return [
        "SELECT * FROM account",
        "SELECT * FROM stakeholder",
        "SELECT p.stakeholder_id, p.sentiment, i.id, i.date FROM participant p "
        "JOIN interaction i ON i.id = p.interaction_id WHERE i.date <= :as_of",
    ], {"as_of": as_of}






def run(*, accounts: int = 10_000, stakeholders: int = 8, interactions: int = 50, repeat: int = 3) -> list[dict]:
    """Time each tool and its plain read; one dict per tool with ms, ratio and statement count."""
    from evals.benchmarks.portfolio import build_or_open

    db, admin, as_of = build_or_open(accounts, stakeholders, interactions)
    rules = Rules()
    counter = StatementCounter(db)
    cases = [
        ("show_matrix", {"scope": "all"}, _matrix_rows(as_of, rules)),
        ("flag_dark_stakeholders", {}, _flags_rows(as_of)),
    ]
    out = []
    try:
        for name, args, (sqls, params) in cases:

            def tool_call(name: str = name, args: dict[str, Any] = args) -> Any:
                with db.session() as s:
                    user = s.get(User, admin.id)
                    assert user is not None
                    return call_tool(ToolContext(session=s, as_of=as_of, user=user, rules=rules, db=db), name, args)

            before = counter.count
            tool_call()
            statements = counter.count - before
            tool_ms, tool_cpu, result = timed(tool_call, repeat)
            base_ms, base_cpu, rows = timed(lambda sqls=sqls, params=params: plain_read(db, sqls, params), repeat)
            out.append({
                "tool": name, "args": args, "accounts": accounts, "tool_ms": round(tool_ms, 1),
                "plain_read_ms": round(base_ms, 1), "ratio": round(tool_ms / base_ms, 2),
                "tool_cpu_ms": round(tool_cpu, 1), "plain_read_cpu_ms": round(base_cpu, 1),
                "cpu_ratio": round(tool_cpu / base_cpu, 2), "rows_read": rows,
                "sql_statements": statements, "result_size": _size(result),
            })
    finally:
        db.dispose()
    return out


def _size(result: Any) -> str:
    if hasattr(result, "accounts") and isinstance(result.accounts, list):
        return f"{len(result.accounts)} accounts"
    if hasattr(result, "flags"):
        return f"{len(result.flags)} stakeholder flags, {len(result.account_flags)} account flags"
    return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--stakeholders", type=int, default=8)
    parser.add_argument("--interactions", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    a = parser.parse_args()
    rows = run(accounts=a.accounts, stakeholders=a.stakeholders, interactions=a.interactions, repeat=a.repeat)
    print(f"portfolio: {a.accounts} accounts x {a.stakeholders} stakeholders x {a.interactions} interactions "
          f"(SQLite, median of {a.repeat})")
    print(f"{'tool':<24} {'tool ms':>9} {'plain read ms':>14} {'ratio':>6} {'CPU ratio':>10} {'SQL':>4}  "
          "rows read / result")
    for r in rows:
        print(f"{r['tool']:<24} {r['tool_ms']:>9.1f} {r['plain_read_ms']:>14.1f} {r['ratio']:>5.2f}x "
              f"{r['cpu_ratio']:>9.2f}x {r['sql_statements']:>4}  {r['rows_read']} / {r['result_size']}")


if __name__ == "__main__":
    main()
