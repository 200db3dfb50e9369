"""CSV import (SPEC 8): ``import_dir(db, directory, actor=...)``.

The files are imported in dependency order (users, accounts, products, stakeholders, interactions,
participants, opportunities, commitments, plans); any of them may be absent. Every row is validated
with the file's pydantic model; references (owner, account, stakeholder, interaction, manager,
author, scorer, product) must name a row of the store or of this import. A file with any bad row
writes nothing: its rows are checked in full, all its errors are reported (``file:line: column:
problem``) and the files after it are validated but not written. A good file is written in one
transaction: new rows created, changed ones updated, equal ones left alone, with an audit record for
each row created or updated, so re-importing the same files changes nothing. Rows are never deleted.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
import time
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from store.csv_rows import CsvFile, bad_utf8, open_csv
from store.db import Database
from store.import_report import FileReport, ImportReport, RowError
from store.import_schema import FILES, FILES_BY_NAME, FileSpec
from store.import_write import CHUNK, Row, key_of, not_null_defaults, queue_notes, table_of, write_file
from store.models import Product, User

__all__ = ["ImportDirError", "ImportReport", "FileReport", "RowError", "import_dir", "PROGRESS_MIN_ROWS"]

PROGRESS_MIN_ROWS = 5000
_NOUN = {"users": "user", "accounts": "account", "stakeholders": "stakeholder", "interactions": "interaction",
         "products": "product"}
_ACCOUNT_OF = ("stakeholders", "interactions")  # files whose ids we remember with their account


class ImportDirError(ValueError):
    """The directory cannot be imported at all (missing, or no import file in it)."""


def import_dir(
    db: Database,
    directory: Path | str,
    *,
    actor: str,
    as_of: dt.date | None = None,
    progress: bool | None = None,
) -> ImportReport:
    """Import the SPEC 8 CSV files found in ``directory``; see the module docstring.

    ``actor`` is recorded in the audit log. With ``as_of``, interactions dated after it are counted
    in a warning. ``progress``: show a progress bar on large files (default: when stderr is a terminal).
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ImportDirError(f"{directory}: no such directory")
    found = {p.name.lower(): p for p in directory.iterdir() if p.is_file() and p.suffix.lower() == ".csv"}
    specs = [spec for spec in FILES if spec.filename in found]
    if not specs:
        names = ", ".join(spec.filename for spec in FILES)
        raise ImportDirError(f"{directory}: no import file found; expected one or more of {names}")
    report = ImportReport(directory=directory, ignored=sorted(n for n in found if n not in _FILENAMES))
    known = _Known()
    blocked: str | None = None
    with _progress(progress) as bar:
        for spec in specs:
            started = time.perf_counter()
            file_report = FileReport(spec.filename)
            report.files.append(file_report)
            rows, columns = _check_file(db, spec, found[spec.filename], known, file_report, as_of, bar)
            if file_report.error_count:
                file_report.status = "failed"
                blocked = blocked or spec.filename
            elif blocked:
                file_report.status = "skipped"
                file_report.note = f"not written: {blocked} has errors"
            else:
                _write(db, spec, rows, columns, actor, file_report, bar)
                if file_report.status == "failed":
                    blocked = spec.filename
            file_report.seconds = time.perf_counter() - started
    return report


_FILENAMES = {spec.filename for spec in FILES}


class _Known:
    """The ids the files of this import declare, so later files (and self-references) may use them.

    Stakeholder and interaction ids map to their account; product ids to their name.
    """

    def __init__(self) -> None:
        self.ids: dict[str, dict[str, str | None]] = {spec.name: {} for spec in FILES}

    def declare(self, spec: FileSpec, raw: dict[str, str | None]) -> None:
        """A row's id exists for later files even if the row is bad (its file then fails on its own)."""
        if spec.key == ("id",) and raw.get("id"):
            self.ids[spec.name].setdefault(raw["id"], None)  # type: ignore[arg-type]

    def confirm(self, spec: FileSpec, rows: list[Row], bad_lines: set[int]) -> None:
        """Record the account (or product name) of each good row; a bad row's claims are not trusted."""
        if spec.key != ("id",):
            return
        field = "account_id" if spec.name in _ACCOUNT_OF else "name"
        ids = self.ids[spec.name]
        for line, values in rows:
            if line not in bad_lines:
                ids[values["id"]] = values.get(field)


def _check_file(
    db: Database, spec: FileSpec, path: Path, known: _Known, report: FileReport, as_of: dt.date | None, bar: _Bar
) -> tuple[list[Row], list[str]]:
    """Parse, validate and resolve one file; every problem goes to ``report``. Returns the good rows."""
    csv_file, problems = open_csv(path)
    for p in problems:
        report.error(p.line, p.column, p.problem)
    if csv_file is None:
        return [], []
    missing = [c for c in spec.required if c not in csv_file.header]
    for column in missing:
        have = ", ".join(h for h in csv_file.header if h) or "nothing"
        report.error(csv_file.header_line, column, f"required column is missing (the header has: {have})")
    if missing:
        return [], []
    columns = [c for c in spec.columns if c in csv_file.header]
    bar.start(spec.filename, csv_file.lines)
    rows = _parse_rows(spec, csv_file, columns, known, report, bar)
    _check_duplicates(spec, rows, report)
    if rows:
        with db.session() as session:
            _resolve_refs(session, spec, rows, columns, known, report)
            if spec.name == "users" and "manager_id" in columns:
                _check_manager_cycles(session, rows, report)
    known.confirm(spec, rows, report.bad_lines)
    if as_of is not None and spec.name == "interactions":
        later = sum(1 for _, v in rows if v["date"] > as_of)
        if later:
            report.warnings.append(f"{later} interaction(s) dated after {as_of.isoformat()}")
    return rows, columns


def _parse_rows(
    spec: FileSpec, csv_file: CsvFile, columns: list[str], known: _Known, report: FileReport, bar: _Bar
) -> list[Row]:
    header = csv_file.header
    width = len(header)
    index = [(c, header.index(c)) for c in columns]
    defaults = {c: v for c, v in not_null_defaults(spec).items() if c in columns}
    model = spec.row_model
    rows: list[Row] = []
    line = csv_file.header_line
    undecodable = csv_file.has_undecodable_bytes
    try:
        for line, cells in csv_file.records():
            report.rows += 1
            if report.rows % CHUNK == 0:
                bar.advance(CHUNK)
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                report.error(line, None, f"{len(cells)} values but the header has {width} columns "
                                         "(quote a value that contains a comma)")
                continue
            if undecodable:
                bad = [(i, msg) for i, cell in enumerate(cells) if (msg := bad_utf8(cell))]
                for i, msg in bad:
                    report.error(line, header[i] or f"column {i + 1}", msg)
                if bad:
                    continue
            raw = {c: (cells[i].strip() or None) if i < len(cells) else None for c, i in index}
            known.declare(spec, raw)
            try:
                parsed = model.model_validate(raw)
            except ValidationError as exc:
                for err in exc.errors(include_url=False):
                    column = str(err["loc"][0]) if err["loc"] else None
                    report.error(line, column, _problem(model, column, err))
                continue
            values = {c: getattr(parsed, c) for c in columns}
            for c, default in defaults.items():
                if values[c] is None:
                    values[c] = default
            rows.append((line, values))
    except csv.Error as exc:
        report.error(line + 1, None, f"unreadable CSV from here on: {exc}")
    return rows


def _problem(model: type, column: str | None, err: Any) -> str:
    """A pydantic error in words for the person fixing the file."""
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    if value is None:
        return "a value is required (the cell is empty)"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return f"{value!r} is not a whole number"
    if kind in ("float_parsing", "float_type"):
        return f"{value!r} is not a number (write e.g. 1250000.50: no currency sign or thousands separator)"
    if kind == "finite_number":
        return f"{value!r} is not a finite number"
    if kind == "bool_parsing":
        return f"{value!r} is not yes or no (write true/false, yes/no or 1/0)"
    if kind in ("greater_than_equal", "less_than_equal") and column:
        low, high = _bounds(model, column)
        if low is not None and high is not None:
            return f"{value} is out of range: allowed {low} to {high}"
        return f"{value} is out of range: must be at least {low}" if low is not None else f"{value} is too large"
    return f"{value!r}: {err['msg']}"


@lru_cache(maxsize=64)
def _bounds(model: type, column: str) -> tuple[Any, Any]:
    """The ``ge`` / ``le`` constraints of ``model.column``, looked up through Optional and Annotated."""
    low = high = None
    stack: list[Any] = [model.model_fields[column].annotation]  # type: ignore[attr-defined]
    while stack:
        tp = stack.pop()
        for meta in getattr(tp, "__metadata__", ()):
            for m in getattr(meta, "metadata", [meta]):
                low = getattr(m, "ge", low)
                high = getattr(m, "le", high)
        stack.extend(typing.get_args(tp))
    return low, high


def _check_duplicates(spec: FileSpec, rows: list[Row], report: FileReport) -> None:
    first: dict[Any, int] = {}
    kept: list[Row] = []
    key_of_row = key_of(spec)
    for line, values in rows:
        key = key_of_row(values)
        if key in first:
            if isinstance(key, tuple):
                what = " + ".join(f"{k} {v!s}" for k, v in zip(spec.key, key, strict=True))
            else:
                what = f"id {key!r}"
            report.error(line, spec.key[-1] if len(spec.key) > 1 else "id",
                         f"duplicate {what}: already on line {first[key]}")
            continue
        first[key] = line
        kept.append((line, values))
    rows[:] = kept


def _resolve_refs(
    session: Session, spec: FileSpec, rows: list[Row], columns: list[str], known: _Known, report: FileReport
) -> None:
    """Every reference must name a row of this import or of the store; a product may be named by its name."""
    owners: dict[str, dict[str, str | None]] = {}
    for column, target in spec.refs.items():
        if column not in columns:
            continue
        values = {v[column] for _, v in rows if v[column] is not None}
        declared = known.ids[target]
        found = {v: declared[v] for v in values if v in declared}
        missing = values - found.keys()
        if missing:
            found |= _stored_ids(session, target, missing)
        renamed: dict[str, str] = {}
        if target == "products":
            renamed = _product_names(session, known, values - found.keys())
        owners[column] = found
        for line, v in rows:
            value = v[column]
            if value is None or value in found:
                continue
            if value in renamed:
                v[column] = renamed[value]
                continue
            report.error(line, column, f"unknown {_NOUN[target]} {value!r}: not in {target}.csv nor in the store")
    if spec.name == "participants" and len(owners) == 2:
        by_interaction, by_stakeholder = owners["interaction_id"], owners["stakeholder_id"]
        for line, v in rows:
            a, b = by_interaction.get(v["interaction_id"]), by_stakeholder.get(v["stakeholder_id"])
            if a and b and a != b:
                report.error(line, "stakeholder_id", f"stakeholder {v['stakeholder_id']!r} belongs to account {b}, "
                                                     f"interaction {v['interaction_id']!r} to account {a}")


def _stored_ids(session: Session, target: str, ids: set[str]) -> dict[str, str | None]:
    """Which of ``ids`` the store has (with their account, for stakeholders and interactions)."""
    table = table_of(FILES_BY_NAME[target])
    extra = table.c.account_id if target in _ACCOUNT_OF else table.c.id
    found: dict[str, str | None] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        stmt = select(table.c.id, extra).where(table.c.id.in_(ordered[start : start + CHUNK]))
        for id_, other in session.execute(stmt):
            found[id_] = other if target in _ACCOUNT_OF else None
    return found


def _product_names(session: Session, known: _Known, values: set[str]) -> dict[str, str]:
    """Product references given by name (any case) mapped to the product's id."""
    if not values:
        return {}
    by_name = {str(name).lower(): id_ for id_, name in session.execute(select(Product.id, Product.name))}
    by_name |= {str(name).lower(): id_ for id_, name in known.ids["products"].items() if name}
    return {v: by_name[v.lower()] for v in values if v.lower() in by_name}


def _check_manager_cycles(session: Session, rows: list[Row], report: FileReport) -> None:
    """No user may manage themselves, directly or through others (stored managers count too)."""
    manager = {uid: mid for uid, mid in session.execute(select(User.id, User.manager_id))}
    manager |= {v["id"]: v["manager_id"] for _, v in rows}
    for line, v in rows:
        chain = [v["id"]]
        current = v["manager_id"]
        while current is not None and current not in chain and len(chain) <= len(manager):
            chain.append(current)
            current = manager.get(current)
        if current == v["id"]:
            loop = " -> ".join([*chain, current])
            report.error(line, "manager_id", f"reporting cycle: {loop}")


def _managers_first(rows: list[Row]) -> list[Row]:
    """New users ordered so that a manager created in the same file is inserted before their reports."""
    new = {v["id"]: v.get("manager_id") for _, v in rows}

    def depth(uid: str) -> int:
        d, current = 0, new.get(uid)
        while current in new and d <= len(new):
            d, current = d + 1, new[current]
        return d

    return sorted(rows, key=lambda r: depth(r[1]["id"]))


def _write(db: Database, spec: FileSpec, rows: list[Row], columns: list[str], actor: str,
           report: FileReport, bar: _Bar) -> None:
    try:
        with db.write() as session:
            written = write_file(
                session, spec, rows, columns, actor=actor, report=report,
                order_inserts=_managers_first if spec.name == "users" else None, advance=bar.advance,
            )
            report.notes_queued = queue_notes(session, spec, written)  # indexed after the commit
    except DBAPIError as exc:
        report.created = report.updated = report.unchanged = report.notes_queued = 0
        report.status = "failed"
        report.error(None, None, f"the store refused the write, nothing of this file was written: {exc.orig}")
    finally:
        bar.finish()


class _Bar:
    """A rich progress bar for one large file at a time; does nothing when disabled or for small files."""

    def __init__(self, progress: Any | None) -> None:
        self._progress = progress
        self._task: Any = None

    def start(self, name: str, lines: int) -> None:
        self.finish()
        if self._progress is not None and lines > PROGRESS_MIN_ROWS:
            # each row is counted twice: once when validated, once when written or found unchanged
            self._task = self._progress.add_task(name, total=2 * lines)

    def advance(self, n: int) -> None:
        if self._task is not None:
            self._progress.advance(self._task, n)

    def finish(self) -> None:
        if self._task is not None:
            self._progress.remove_task(self._task)
            self._task = None


@contextmanager
def _progress(enabled: bool | None) -> Iterator[_Bar]:
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        yield _Bar(None)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        yield _Bar(progress)
