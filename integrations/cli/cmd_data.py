"""``kam import DIR`` and ``kam demo``: getting data into the store."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from integrations.cli.app import app
from integrations.cli.common import AsOfOption, build_runtime, fail, parse_as_of
from integrations.cli.indexing import index_queued_notes
from store.settings import Settings

if TYPE_CHECKING:  # the importer, the demo and rich load when their command runs, not on every ``kam`` start
    from rich.console import Console

    from store.importer import ImportReport


def _console() -> Console:
    from rich.console import Console

    return Console(soft_wrap=True)


def _actor() -> str:
    try:
        return f"kam import ({getpass.getuser()})"
    except (KeyError, OSError):
        return "kam import"


def render_import(report: ImportReport, out: Console) -> None:
    """The summary table; then every error as ``file:line: column: problem``."""
    from rich.table import Table

    table = Table(title=f"Import of {report.directory}", title_justify="left")
    for column, justify in (("file", "left"), ("rows", "right"), ("created", "right"), ("updated", "right"),
                            ("unchanged", "right"), ("result", "left")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for f in report.files:
        result = {"written": "[green]ok[/green]", "failed": f"[red]{f.error_count} error(s)[/red]",
                  "skipped": "[yellow]not written[/yellow]",
                  "partial": f"[yellow]{f.error_count} error(s), the rest written[/yellow]"}[f.status]
        name = f.file if f.target is None or f.file == f"{f.target}.csv" else f"{f.file} -> {f.target}"
        table.add_row(name, str(f.rows), str(f.created), str(f.updated), str(f.unchanged), result)
    out.print(table)
    failed = [f.file for f in report.files if f.status == "failed"]
    if any(f.status == "skipped" for f in report.files):
        out.print(f"Nothing of a file with errors is written. The files after {failed[0]} were checked "
                  "but not written either: they may depend on its rows.")
    for name in report.ignored:
        out.print(f"ignored: {name} (not an import file)")
    for f in report.files:
        for warning in f.warnings:
            out.print(f"[yellow]warning[/yellow]: {f.file}: {warning}")
    for f in report.files:
        for error in f.errors:
            out.print(str(error), markup=False, highlight=False, soft_wrap=True)
        if f.more_errors:
            out.print(f"{f.file}: ... and {f.more_errors} more error(s)")


@app.command("import")
def import_command(
    directory: Annotated[Path, typer.Argument(help="A directory of SPEC 8 CSV files (users.csv, accounts.csv, ...).")],
    as_of: AsOfOption = None,
    profile: Annotated[str | None, typer.Option(
        "--profile", help="Read a CRM's export files: salesforce, hubspot, or the path of your own profile .toml.",
    )] = None,
) -> None:
    """Import CSV files: bad rows are reported as file:line: column: problem, and a file with any bad row
    writes nothing. Re-importing the same files changes nothing."""
    from store.import_profiles import ProfileError, load_profile, with_fields
    from store.importer import ImportDirError, import_dir

    day = parse_as_of(as_of)
    runtime = build_runtime()
    out = _console()
    try:
        try:
            mapping = load_profile(profile) if profile else None
            if mapping is not None:
                mapping = with_fields(mapping, runtime.rules.import_.fields.get(mapping.name, {}))
        except ProfileError as exc:
            fail(f"import: {exc}", 2)
        try:
            report = import_dir(runtime.db, directory, actor=_actor(), as_of=day,
                                stages=runtime.rules.import_.stages, profile=mapping)
        except ImportDirError as exc:
            fail(f"import: {exc}")
        render_import(report, out)
        index_queued_notes(runtime, out)  # what the import wrote (and anything else pending) becomes searchable
    finally:
        runtime.close()
    if not report.ok:
        fail(f"import: {report.error_count} error(s); the files marked above were not written. Fix them and run "
             "the import again (files already written are not duplicated).")


@app.command("demo")
def demo_command(
    as_of: AsOfOption = None,
    directory: Annotated[
        Path | None, typer.Option("--dir", help="Data dir for the demo (default: KAM_DATA_DIR, or ~/.kam).")
    ] = None,
) -> None:
    """A fresh data dir with the demo portfolio: generated, imported and summarised."""
    from integrations.demo_run import DemoDirError, prepare_demo_dir, run_demo

    day = parse_as_of(as_of)
    settings = Settings()
    try:
        data_dir = prepare_demo_dir(directory or settings.data_dir)
    except DemoDirError as exc:
        fail(f"demo: {exc}")
    out = _console()
    if settings.database_url or settings.chroma_host:
        out.print("[yellow]note[/yellow]: the demo keeps everything in its own data dir; KAM_DATABASE_URL and "
                  "KAM_CHROMA_HOST are not used by it.")
    runtime = build_runtime(settings.model_copy(update={"data_dir": data_dir, "database_url": None,
                                                        "chroma_host": None}))
    try:
        run_demo(runtime, day, out)
        from integrations.demo_stories import run_stories

        run_stories(runtime, day, out)
        out.print(f"\nExplore it yourself: KAM_DATA_DIR={data_dir} kam chat --as U02 \"show my matrix\"")
    finally:
        runtime.close()
