"""``kam nudges run``: one pass of the scheduled nudges (for cron), or a dry run that prints them."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from integrations.cli.app import app
from integrations.cli.common import AsOfOption, build_runtime, fail, parse_as_of

nudges_app = typer.Typer(help="Scheduled nudges: commitment reminders and the weekly drift digest.",
                         no_args_is_help=True)
app.add_typer(nudges_app, name="nudges")

_KINDS = ("commitments", "digest", "all")


@nudges_app.command("run")
def run_command(
    as_of: AsOfOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print what would be sent; send and record nothing.")
                       ] = False,
    kind: Annotated[str, typer.Option("--kind", help="commitments (daily), digest (weekly drift digest) or all.")
                    ] = "commitments",
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Send today's nudges once: safe to run from cron beside `kam serve` (each item goes out once a day)."""
    from integrations.nudges import run_digests, run_nudges
    from integrations.slack.app import SlackConfigError

    if kind not in _KINDS:
        fail(f"--kind must be one of {', '.join(_KINDS)}; got {kind!r}", 2)
    day = parse_as_of(as_of)
    runtime = build_runtime()
    try:
        runs = {"commitments": [run_nudges], "digest": [run_digests], "all": [run_nudges, run_digests]}[kind]
        try:
            reports = [run(runtime, day, dry_run=dry_run) for run in runs]
        except SlackConfigError as exc:
            fail(f"{exc}; or preview with --dry-run", 2)
    finally:
        runtime.close()
    if as_json:
        typer.echo(json.dumps([r.as_dict() | ({"previews": r.previews} if dry_run else {}) for r in reports],
                              indent=2))
        return
    typer.echo("\n\n".join(r.as_text() for r in reports))
    if any(r.failed for r in reports):
        raise typer.Exit(1)
