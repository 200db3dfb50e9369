"""Indexing the notes queued in the outbox from the CLI, with a progress bar (``kam import``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from integrations.runtime import Runtime

if TYPE_CHECKING:  # rich loads with the commands that print through it, not with the CLI
    from rich.console import Console

_STEP = 2_000


def index_queued_notes(runtime: Runtime, out: Console) -> int:
    """Index every note pending in the outbox, showing progress; returns how many outbox rows were settled.

    When this process may not write the index (another process owns the embedded index, or the Chroma
    server is unreachable) the notes stay queued, and the message says who will index them.
    """
    from knowledge.outbox import pending_count
    from knowledge.service import IndexService

    pending = pending_count(runtime.db)
    if not pending:
        return 0
    knowledge = IndexService(runtime.settings, runtime.db, drain_on_open=False)  # drained below, with progress
    try:
        return _drain_with_progress(runtime, knowledge, pending, out)
    finally:
        knowledge.close()


def _drain_with_progress(runtime: Runtime, knowledge: Any, pending: int, out: Console) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from knowledge.outbox import drain

    if not knowledge.writable:
        out.print(f"[yellow]{pending} outbox row(s) queued for the index[/yellow]: {knowledge.degraded}. A running "
                  "`kam serve` indexes them within seconds of the index being reachable (or run `kam reindex`).")
        return 0
    done = notes = 0
    columns = (TextColumn("indexing notes"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=out, transient=True, disable=not out.is_terminal) as bar:
        task = bar.add_task("notes", total=pending)
        while True:
            try:
                step = drain(runtime.db, knowledge, limit=_STEP)
            except Exception as exc:  # the index went away: SQL has the notes, the outbox keeps them
                out.print(f"[yellow]indexing stopped[/yellow] ({type(exc).__name__}: {exc}); the rest stays "
                          "queued for `kam serve` or `kam reindex`.")
                return done
            if not step.rows_done:
                break
            done += step.rows_done
            notes += step.indexed + step.deleted
            bar.update(task, completed=min(done, pending), total=max(pending, done))
    out.print(f"notes index: {notes} note(s) written from SQL, searchable now")
    return done
