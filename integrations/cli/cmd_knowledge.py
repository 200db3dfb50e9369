"""``kam reindex``: rebuild the notes index (and the guidance index) from SQL and report the drift."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from integrations.cli.app import app
from integrations.cli.common import AsOfOption, build_runtime, fail, parse_as_of


@app.command("reindex")
def reindex_command(
    as_of: AsOfOption = None,
    repair_only: Annotated[
        bool, typer.Option("--repair-only", help="Write only missing and stale notes instead of all of them.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Rebuild the notes index from SQL (the source of truth) and the guidance index from the corpus."""
    from knowledge.embedder import EmbedderError
    from knowledge.outbox import queue_all, reindex
    from knowledge.service import IndexService

    day = parse_as_of(as_of)  # accepted like every command; the rebuild does not depend on the day
    runtime = build_runtime()
    knowledge = IndexService(runtime.settings, runtime.db, drain_on_open=False)  # report the drift as found
    try:
        try:
            writable = knowledge.writable
            if not writable and knowledge.backend == "embedded":  # a running kam serve owns it: it rewrites them
                queued = queue_all(runtime.db)
                typer.echo(f"{knowledge.degraded}.\nQueued all {queued} note(s) for it to re-index from SQL.")
                return
            if not writable:
                fail(f"reindex: {knowledge.degraded}")
            report = reindex(runtime.db, knowledge, full=not repair_only)
        except EmbedderError as exc:
            fail(f"embedder: {exc}")
        if as_json:
            typer.echo(json.dumps({"as_of": day.isoformat(), **report.as_dict()}, indent=2))
        else:
            typer.echo(report.as_text())
    finally:
        knowledge.close()
        runtime.close()
