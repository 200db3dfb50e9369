"""Write transactions for tools that change the store (mark a commitment done, store a plan version).

A tool reads through ``ctx.session``; a write goes through ``ctx.db.write()`` when the context has a
database (one ``BEGIN IMMEDIATE`` transaction on SQLite, committed on success, rolled back on error).
The read session's transaction is ended first when it holds nothing pending, so the write works on
current rows and later reads through ``ctx.session`` see it (its loaded rows are expired). Without
``ctx.db`` (a bare session) the write goes through ``ctx.session`` and is committed there.

When ``ctx.session`` is itself a write transaction (a tool run by ``tools.runner.run_tool`` that declares
``writes``), the write joins it: one transaction for the whole call, committed by the runner.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlmodel import Session

from tools.context import ToolContext


def _clean(session: Session) -> bool:
    return not (session.new or session.dirty or session.deleted)


def _in_write(session: Session) -> bool:
    bind = session.get_bind()
    return bool(bind.get_execution_options().get("kam_write")) if hasattr(bind, "get_execution_options") else False


@contextmanager
def writing(ctx: ToolContext) -> Iterator[Session]:
    """A session for one write transaction; committed when the block ends, rolled back on error."""
    if _in_write(ctx.session):
        yield ctx.session
        ctx.session.flush()
        return
    if ctx.db is None:
        try:
            yield ctx.session
            ctx.session.commit()
        except BaseException:
            ctx.session.rollback()
            raise
        return
    clean = _clean(ctx.session)
    if clean:
        ctx.session.commit()  # ends the read snapshot; nothing pending is lost
    with ctx.db.write() as session:
        yield session
    if clean:
        ctx.session.expire_all()  # rows the read session holds are reloaded with the write in them
