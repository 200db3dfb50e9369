"""Schema migrations (Alembic). ``kam`` brings the schema up to date on start."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

if TYPE_CHECKING:
    from alembic.config import Config

_SCRIPTS = Path(__file__).parent / "migrations"
_REVISION = re.compile(r"^(down_)?revision\b[^=]*=\s*['\"]?([\w-]+|None)['\"]?", re.MULTILINE)


@cache
def _head() -> str | None:
    """The one head revision of the migration scripts (``None`` if they branch: then Alembic decides)."""
    revisions, parents = set(), set()
    for script in (_SCRIPTS / "versions").glob("*.py"):
        for down, value in _REVISION.findall(script.read_text(encoding="utf-8")):
            (parents if down else revisions).add(value)
    heads = revisions - parents
    return next(iter(heads)) if len(heads) == 1 else None


def at_head(engine: Engine) -> bool:
    """The store's schema is at the scripts' head: one cheap read, so a start with nothing to migrate does not
    import Alembic (a third of a one-shot ``kam tool``'s start-up)."""
    head = _head()
    if head is None:
        return False
    try:
        with engine.connect() as conn:
            stored = [row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))]
    except SQLAlchemyError:  # no version table yet: a new store
        return False
    return stored == [head]


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_SCRIPTS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema to ``revision``. Safe to call on every start and from several processes."""
    if revision == "head" and at_head(engine):
        return
    from alembic import command

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
