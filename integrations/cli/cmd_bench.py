"""``kam bench``: every benchmark in one table (figure, baseline, ratio) with the machine's core count."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from integrations.cli.app import app


@app.command()
def bench(
    accounts: Annotated[int, typer.Option(help="Portfolio size for the store benchmarks")] = 10_000,
    notes: Annotated[int, typer.Option(help="Notes for the index benchmark")] = 100_000,
    only: Annotated[str | None, typer.Option(help="Subset, e.g. import,tools,health,index,http,slack,turn")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON")] = False,
) -> None:
    """Run every benchmark of the project and print one table. Takes a while at full size."""
    from evals.benchmarks.all import BENCHMARKS, render, run

    chosen = tuple(x.strip() for x in only.split(",")) if only else BENCHMARKS
    unknown = [x for x in chosen if x not in BENCHMARKS]
    if unknown:
        raise typer.BadParameter(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    result = run(accounts=accounts, notes=notes, only=chosen, progress=lambda m: typer.echo(m, err=True))
    typer.echo(json.dumps(result, indent=2) if as_json else render(result))
    if result["errors"]:
        raise typer.Exit(1)
