"""Alembic environment: runs on the engine (or connection) handed over by store.migrate."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import store.crm_state  # noqa: F401  (registers the CRM sync tables)
import store.models  # noqa: F401  (registers the tables)

target_metadata = SQLModel.metadata


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    cfg = context.config
    connection = cfg.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = cfg.attributes["engine"]
    with engine.connect() as conn:
        _run(conn)
        conn.commit()


run_migrations_online()
