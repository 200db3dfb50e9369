"""What an import did: per file, rows created / updated / unchanged, or the errors that stopped it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

MAX_ERRORS_PER_FILE = 100
MAX_PROBLEM_CHARS = 400  # a problem quoting a huge cell keeps its start and its advice, not the whole cell


def readable(text: str, limit: int = MAX_PROBLEM_CHARS) -> str:
    """``text`` as one printable line: control characters and bytes that were not UTF-8 written as escapes
    (a file's content never moves the cursor or breaks the line of a report), and the middle of an overlong
    text left out, with a count."""
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)
    if len(text) > limit:
        head, tail = limit * 2 // 3, limit // 4
        text = f"{text[:head]} ... ({len(text) - head - tail:,} characters left out) ... {text[-tail:]}"
    return text


@dataclass(frozen=True)
class RowError:
    """One problem, shown as ``file:line: column: problem`` (line 1 is the header)."""

    file: str
    line: int | None
    column: str | None
    problem: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.column}: {self.problem}" if self.column else f"{where}: {self.problem}"


@dataclass
class FileReport:
    """One file's outcome. ``status``: ``written`` (committed, possibly with nothing to change),
    ``failed`` (it has errors; nothing of it was written), ``skipped`` (valid, but not written because
    a file it may depend on failed) or ``partial`` (a sync: written without its bad rows)."""

    file: str
    target: str | None = None  # which of our files it was read into (its name, e.g. ``accounts``)
    status: str = "written"
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes_queued: int = 0  # notes whose index copy this file changed (outbox rows written with it)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    warnings: list[str] = field(default_factory=list)
    note: str | None = None
    seconds: float = 0.0
    bad_lines: set[int] = field(default_factory=set, repr=False)
    labels: dict[str, str] = field(default_factory=dict, repr=False)  # our column -> the file's own name

    def label(self, column: str) -> str:
        return self.labels.get(column, column)

    def error(self, line: int | None, column: str | None, problem: str) -> None:
        """Record an error; past ``MAX_ERRORS_PER_FILE`` they are counted but not kept."""
        self.error_count += 1
        if line is not None:
            self.bad_lines.add(line)
        if len(self.errors) < MAX_ERRORS_PER_FILE:
            shown = readable(self.label(column), 80) if column is not None else None
            self.errors.append(RowError(self.file, line, shown, readable(problem)))

    @property
    def more_errors(self) -> int:
        """Errors counted beyond the ones kept."""
        return self.error_count - len(self.errors)


@dataclass
class ImportReport:
    """The outcome of one ``import_dir``: files in the order they were imported."""

    directory: Path
    files: list[FileReport] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.status == "written" for f in self.files)

    @property
    def errors(self) -> list[RowError]:
        return [e for f in self.files for e in f.errors]

    @property
    def notes_queued(self) -> int:
        return sum(f.notes_queued for f in self.files)

    @property
    def error_count(self) -> int:
        return sum(f.error_count for f in self.files)

    def file(self, name: str) -> FileReport:
        """The report of ``name`` (``accounts`` or ``accounts.csv``)."""
        wanted = name if name.endswith(".csv") else f"{name}.csv"
        for f in self.files:
            if f.file.lower() == wanted.lower() or f.target == name:
                return f
        raise KeyError(name)

    def totals(self) -> dict[str, int]:
        return {
            "rows": sum(f.rows for f in self.files),
            "created": sum(f.created for f in self.files),
            "updated": sum(f.updated for f in self.files),
            "unchanged": sum(f.unchanged for f in self.files),
        }
