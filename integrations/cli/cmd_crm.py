"""``kam sync salesforce|hubspot [--dry-run]``: two-way sync with a CRM."""

from __future__ import annotations

from typing import Annotated

import typer

from integrations.cli.app import app
from integrations.cli.common import build_runtime, fail
from integrations.crm import CRMS


@app.command("sync")
def sync_command(
    crm: Annotated[str, typer.Argument(help=f"The CRM: {' | '.join(CRMS)}.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Read from the CRM, write nothing; show what "
                                                            "would change.")] = False,
    push: Annotated[bool, typer.Option("--push/--no-push", help="Push confirmed notes and open commitments "
                                                                "back to the CRM.")] = True,
) -> None:
    """Pull the CRM's changes since the last sync into the store, then push back confirmed notes and our
    commitments. A failed record is reported with its CRM id and the reason; the rest goes on."""
    if crm not in CRMS:
        fail(f"sync: unknown CRM {crm!r}; use one of: {', '.join(CRMS)}", 2)
    from integrations.crm.connector import CrmConfigError  # the connectors load only for a sync
    from integrations.crm.run import sync_crm
    from store.import_profiles import ProfileError

    runtime = build_runtime()
    try:
        report = sync_crm(runtime, crm, dry_run=dry_run, push=push)
    except (CrmConfigError, ProfileError) as exc:
        fail(f"sync: {exc}", 2)
    finally:
        runtime.close()
    typer.echo(report.as_text())
    if not report.ok:
        raise typer.Exit(1)
