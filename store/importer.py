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
import time
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from store.csv_rows import CsvFile, CsvProblem, bad_utf8, open_csv
from store.db import Database
from store.import_profiles import Profile, ProfiledCsv, open_profiled
from store.import_progress import PROGRESS_MIN_ROWS, Bar, progress_bar
from store.import_report import FileReport, ImportReport, RowError
from store.import_schema import FILES, FILES_BY_NAME, FileSpec
from store.import_write import CHUNK, Row, key_of, not_null_defaults, queue_notes, table_of, write_file
from store.models import Product, User
from store.stage_vocab import StageVocabulary

__all__ = ["ImportDirError", "ImportReport", "FileReport", "RowError", "Source", "import_dir", "import_sources",
           "PROGRESS_MIN_ROWS"]

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
    stages: Mapping[str, str] | None = None,
    profile: Profile | None = None,
) -> ImportReport:
    """Import the SPEC 8 CSV files found in ``directory``; see the module docstring.

    ``actor`` is recorded in the audit log. With ``as_of``, interactions dated after it are counted
    in a warning. ``progress``: show a progress bar on large files (default: when stderr is a terminal).
    ``stages``: the team's own opportunity stage words (``[import.stages]`` of the rules file), mapped
    onto ours beside the built-in Salesforce and HubSpot vocabularies (store/stage_vocab.py).
    ``profile``: read a CRM's export files instead of ours (store/import_profiles.py).
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ImportDirError(f"{directory}: no such directory")
    found = {p.name.lower(): p for p in directory.iterdir() if p.is_file() and p.suffix.lower() == ".csv"}
    if profile is None:
        sources = [Source(spec, spec.filename, partial(open_csv, found[spec.filename]))
                   for spec in FILES if spec.filename in found]
        expected = [spec.filename for spec in FILES]
    else:
        sources = [Source(FILES_BY_NAME[feed.target], path.name, partial(open_profiled, path, feed, profile))
                   for feed in profile.feeds if (path := feed.find(found))]
        expected = profile.file_names
    if not sources:
        what = f"the {profile.name} profile's files" if profile else "import file"
        raise ImportDirError(f"{directory}: no {what} found; expected one or more of {', '.join(expected)}")
    used = {s.label.lower() for s in sources}
    report = import_sources(db, sources, actor=actor, as_of=as_of, progress=progress, stages=stages)
    report.directory = directory
    report.ignored = sorted(n for n in found if n not in used)
    return report


@dataclass(frozen=True)
class Source:
    """One file to import: which of ours it is, the name shown in the report, and how to open it."""

    spec: FileSpec
    label: str
    open: Callable[[], tuple[CsvFile | None, list[CsvProblem]]]


def import_sources(
    db: Database,
    sources: list[Source],
    *,
    actor: str,
    as_of: dt.date | None = None,
    progress: bool | None = False,
    stages: Mapping[str, str] | None = None,
    keep_going: bool = False,
) -> ImportReport:
    """Import ``sources`` in order (dependency order is the caller's). With ``keep_going`` (the CRM sync),
    a file's good rows are written even when some of its rows are bad (status ``partial``); otherwise a
    file with any bad row writes nothing and the files after it are only checked."""
    report = ImportReport(directory=Path("."))
    known = _Known(StageVocabulary(stages))
    blocked: str | None = None
    with progress_bar(progress) as bar:
        for source in sources:
            spec = source.spec
            started = time.perf_counter()
            file_report = FileReport(source.label, target=spec.name)
            report.files.append(file_report)
            rows, columns = _check_file(db, source, known, file_report, as_of, bar)
            if file_report.error_count and not keep_going:
                file_report.status = "failed"
                blocked = blocked or source.label
            elif blocked:
                file_report.status = "skipped"
                file_report.note = f"not written: {blocked} has errors"
            else:
                good = [r for r in rows if r[0] not in file_report.bad_lines]
                _write(db, spec, good, columns, actor, file_report, bar)
                if file_report.status == "failed" and not keep_going:
                    blocked = source.label
                elif file_report.status == "written" and file_report.error_count:
                    file_report.status = "partial"
            file_report.seconds = time.perf_counter() - started
    return report


class _Known:
    """The ids the files of this import declare, so later files (and self-references) may use them.

    Stakeholder and interaction ids map to their account; product ids to their name.
    """

    def __init__(self, stages: StageVocabulary) -> None:
        self.ids: dict[str, dict[str, str | None]] = {spec.name: {} for spec in FILES}
        self.context = {"stages": stages}  # pydantic validation context of every row

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
    db: Database, source: Source, known: _Known, report: FileReport, as_of: dt.date | None, bar: Bar
) -> tuple[list[Row], list[str]]:
    """Parse, validate and resolve one file; every problem goes to ``report``. Returns the parsed rows
    (the lines of those found bad later, e.g. by a reference, are in ``report.bad_lines``)."""
    spec = source.spec
    csv_file, problems = source.open()
    for p in problems:
        report.error(p.line, p.column, p.problem)
    if csv_file is None:
        return [], []
    report.labels = csv_file.labels
    missing = [c for c in spec.required if c not in csv_file.header]
    for column in missing:
        have = ", ".join(h for h in csv_file.header if h) or "nothing"
        report.error(csv_file.header_line, column, f"required column is missing (the header has: {have})")
    if missing:
        return [], []
    columns = [c for c in spec.columns if c in csv_file.header]
    bar.start(source.label, csv_file.lines)
    rows = _parse_rows(spec, csv_file, columns, known, report, bar)
    if isinstance(csv_file, ProfiledCsv) and csv_file.left_out:
        kept = " and ".join(f"a value in {report.label(c)}" if p.pattern == "." else
                            f"{report.label(c)} matching {p.pattern!r}" for c, p in csv_file.feed.keep_if.items())
        report.warnings.append(f"{csv_file.left_out} record(s) left out: the profile keeps those with {kept}")
    _check_duplicates(spec, rows, report)
    if rows:
        with db.session() as session:
            _resolve_refs(session, spec, rows, columns, known, report)
            if spec.name == "users" and "manager_id" in columns:
                _check_manager_cycles(session, rows, report)
            if spec.name == "users" and "slack_user_id" in columns:
                _check_slack_ids(session, rows, report)
    known.confirm(spec, rows, report.bad_lines)
    if as_of is not None and spec.name == "interactions":
        later = sum(1 for _, v in rows if v["date"] > as_of)
        if later:
            report.warnings.append(f"{later} interaction(s) dated after {as_of.isoformat()}")
    return rows, columns


def _parse_rows(
    spec: FileSpec, csv_file: CsvFile, columns: list[str], known: _Known, report: FileReport, bar: Bar
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
                parsed = model.model_validate(raw, context=known.context)
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
    """Every reference must name a row of this import or of the store; a product or a user may be named by
    its name."""
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
        if target in _BY_NAME:
            renamed = _by_name(session, known, target, values - found.keys())
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


_BY_NAME = {"products": Product, "users": User}  # references that may name the row instead of giving its id


def _by_name(session: Session, known: _Known, target: str, values: set[str]) -> dict[str, str]:
    """References given by name (any case) mapped to the id: a product, or a user (a CRM export names an
    owner by full name). A name two rows share resolves to neither."""
    if not values:
        return {}
    table = _BY_NAME[target]
    names = [(str(name).lower(), id_) for id_, name in session.execute(select(table.id, table.name))]
    names += [(str(name).lower(), id_) for id_, name in known.ids[target].items() if name]
    by_name: dict[str, str | None] = {}
    for name, id_ in names:
        by_name[name] = id_ if by_name.get(name, id_) == id_ else None
    return {v: id_ for v in values if (id_ := by_name.get(v.lower()))}


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


def _check_slack_ids(session: Session, rows: list[Row], report: FileReport) -> None:
    """A Slack user id belongs to one user: after this import, no two users may share one (any case), else
    Slack's messages would act as whichever of them the lookup found first."""
    final = {uid: sid for uid, sid in session.execute(select(User.id, User.slack_user_id)) if sid}
    lines: dict[str, int] = {}
    for line, v in rows:
        final.pop(v["id"], None)
        if v.get("slack_user_id"):
            final[v["id"]] = v["slack_user_id"]
            lines[v["id"]] = line
    holders: dict[str, list[str]] = {}
    for uid, sid in final.items():
        holders.setdefault(sid.casefold(), []).append(uid)
    for line, v in rows:
        sid = v.get("slack_user_id")
        others = [u for u in holders.get(sid.casefold(), []) if u != v["id"]] if sid else []
        if others:
            where = ", ".join(f"{u} (line {lines[u]})" if u in lines else f"{u} (in the store)" for u in others)
            report.error(line, "slack_user_id", f"Slack user id {sid!r} is also given to {where}")


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
           report: FileReport, bar: Bar) -> None:
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
