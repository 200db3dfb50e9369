"""Conversation memory: a LangGraph checkpointer on the same database as the store."""

from __future__ import annotations

import sqlite3
from typing import Any

from store.settings import Settings


def make_checkpointer(settings: Settings, database_url: str | None = None) -> Any:
    """A SqliteSaver on the SQLite store file, or a PostgresSaver (with a small pool) on PostgreSQL."""
    url = database_url or settings.effective_database_url
    if url.startswith("sqlite"):
        from langgraph.checkpoint.sqlite import SqliteSaver

        path = url.removeprefix("sqlite:///")
        conn = sqlite3.connect(path, check_same_thread=False, timeout=settings.sqlite_busy_timeout_ms / 1000)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA busy_timeout={int(settings.sqlite_busy_timeout_ms)}")
        saver = SqliteSaver(conn)
        saver.setup()
        return saver
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg.rows import dict_row
    from psycopg_pool import ConnectionPool

    conninfo = url.replace("postgresql+psycopg://", "postgresql://", 1)
    pool = ConnectionPool(
        conninfo,
        min_size=1,
        max_size=8,
        kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
        open=True,
    )
    saver = PostgresSaver(pool)  # type: ignore[arg-type]
    with pool.connection() as conn:
        conn.execute("SELECT pg_advisory_lock(727275)")
        try:
            saver.setup()
        finally:
            conn.execute("SELECT pg_advisory_unlock(727275)")
    return saver


def close_checkpointer(saver: Any) -> None:
    conn = getattr(saver, "conn", None)
    if conn is not None and hasattr(conn, "close"):
        conn.close()
