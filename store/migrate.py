"""Schema migrations (Alembic). ``kam`` brings the schema up to date on start."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

_SCRIPTS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_SCRIPTS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema to ``revision``. Safe to call on every start and from several processes."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # One migrator at a time when several workers start together.
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(727274)")
            cfg = alembic_config(engine)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            return
    cfg = alembic_config(engine)
    command.upgrade(cfg, revision)


def current(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
