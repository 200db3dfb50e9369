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
        conn.execute("PRAGMA synchronous=NORMAL")  # as the store's connections (store/db.py): no fsync per checkpoint
        saver = SqliteSaver(conn)
        saver.setup()
        return saver
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
    saver = _postgres_saver_class()(pool)
    with pool.connection() as conn:
        conn.execute("SELECT pg_advisory_lock(727275)")
        try:
            saver.setup()
        finally:
            conn.execute("SELECT pg_advisory_unlock(727275)")
    return saver


def _postgres_saver_class() -> type:
    from langgraph.checkpoint.postgres import PostgresSaver

    class _Saver(PostgresSaver):
        # LangGraph builds its indexes CONCURRENTLY, which waits for every open transaction in the database, the
        # caller's own request among them: build them plainly (the tables are new and small when this runs).
        MIGRATIONS = [m.replace("CREATE INDEX CONCURRENTLY", "CREATE INDEX") for m in PostgresSaver.MIGRATIONS]

    return _Saver


def close_checkpointer(saver: Any) -> None:
    conn = getattr(saver, "conn", None)
    if conn is not None and hasattr(conn, "close"):
        conn.close()
