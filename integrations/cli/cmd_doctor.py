"""``kam doctor``: check a configuration (store, index, embedder, Slack, LLM) and say what is wrong."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from pydantic import ValidationError

from integrations.cli.app import app

_MARK = {"ok": typer.style("ok  ", fg=typer.colors.GREEN), "warn": typer.style("warn", fg=typer.colors.YELLOW),
         "fail": typer.style("FAIL", fg=typer.colors.RED)}


@app.command("doctor")
def doctor(as_json: Annotated[bool, typer.Option("--json", help="Print the checks as JSON.")] = False) -> None:
    """Check the configuration in the environment: store reachable and migrated, index reachable, embedder
    loads, Slack tokens well formed, LLM endpoint reachable. Exits 1 when a check fails; changes nothing."""
    from integrations.cli.doctor import run_checks
    from store.settings import Settings

    try:
        settings = Settings()
    except ValidationError as exc:
        typer.secho(f"settings: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
    checks = run_checks(settings)
    if as_json:
        typer.echo(json.dumps([c.as_dict() for c in checks], indent=2))
    else:
        for c in checks:
            typer.echo(f"{_MARK[c.status]} {c.name:<9} {c.detail}")
    if any(c.status == "fail" for c in checks):
        raise typer.Exit(1)
