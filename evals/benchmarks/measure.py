"""Measuring a tool against the plain read of the rows it needs: timing, row reads, statement counts."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import event, text

from store.db import Database


def plain_read(db: Database, sqls: list[str], params: dict[str, Any]) -> int:
    """Run the baseline's SQL and fetch every row; the number of rows read."""
    rows = 0
    with db.engine.connect() as conn:
        for sql in sqls:
            rows += len(conn.execute(text(sql), params).fetchall())
    return rows


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Median wall-clock and CPU milliseconds of ``repeat`` runs after a warm-up, and the last result.

    CPU time (this process only) is the steadier figure on a shared machine: SQLite runs in-process, so
    both the tool and the plain read are measured whole.
    """
    fn()  # warm-up: page cache, statement compilation
    wall, cpu, result = [], [], None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000, result


class StatementCounter:
    """Counts the SQL statements an engine executes."""

    def __init__(self, db: Database) -> None:
        self.count = 0
        event.listen(db.engine, "before_cursor_execute", self._on)

    def _on(self, *_args: Any) -> None:
        self.count += 1
