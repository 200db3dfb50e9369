"""Reading an import CSV: header, physical line numbers, and bytes that are not UTF-8.

The file is decoded as UTF-8 (a byte-order mark is dropped) with undecodable bytes kept as
surrogates, so that a bad byte is reported on the line and in the column where it sits instead of
failing the whole file at once. Line numbers are physical: the header is line 1, and a record whose
quoted text spans several lines is reported at the line where it starts.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

_FIELD_LIMIT = 16 * 1024 * 1024  # one cell: long call notes are fine, a runaway quote is not
_UNDECODABLE = re.compile("[\udc80-\udcff]")  # how surrogateescape keeps a byte that is not UTF-8


@dataclass(frozen=True)
class CsvProblem:
    """Something wrong with the file itself, on ``line`` (``None``: the file as a whole)."""

    line: int | None
    column: str | None
    problem: str


@dataclass
class CsvFile:
    """A decoded CSV file: normalised header names and an estimate of its physical line count."""

    path: Path
    text: str
    header: list[str]
    header_line: int
    lines: int
    labels: dict[str, str] = field(default_factory=dict)  # our column -> the source's name for it, in messages

    @property
    def has_undecodable_bytes(self) -> bool:
        return _UNDECODABLE.search(self.text) is not None

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """``(line, cells)`` for every non-blank record after the header."""
        reader = csv.reader(io.StringIO(self.text, newline=""))
        previous = 0
        for cells in reader:
            start, previous = previous + 1, reader.line_num
            if start <= self.header_line:
                continue
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            yield start, cells


def open_csv(path: Path) -> tuple[CsvFile | None, list[CsvProblem]]:
    """Read and decode ``path`` and its header; problems that stop the file come back instead of a file."""
    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [CsvProblem(None, None, f"cannot read the file: {exc.strerror or exc}")]
    text = raw.decode("utf-8-sig", errors="surrogateescape")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, [CsvProblem(line, None, "contains a NUL byte: this is not a text CSV file (save it as UTF-8 CSV)")]
    reader = csv.reader(io.StringIO(text, newline=""))
    header_line = 0
    header: list[str] | None = None
    try:
        for cells in reader:
            header_line = reader.line_num
            if cells and any(c.strip() for c in cells):
                header = cells
                break
    except csv.Error as exc:
        return None, [CsvProblem(reader.line_num or 1, None, f"unreadable CSV: {exc}")]
    if header is None:
        return None, [CsvProblem(1, None, "the file is empty: expected a header row")]
    problems = [
        CsvProblem(header_line, name, f"header {bad}") for name in header if (bad := bad_utf8(name))
    ]
    names = [h.strip().lower() for h in header]
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            problems.append(CsvProblem(header_line, name, "the column appears twice in the header"))
        seen.add(name)
    if problems:
        return None, problems
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    return CsvFile(path=path, text=text, header=names, header_line=header_line, lines=lines), []


def bad_utf8(cell: str) -> str | None:
    """``None`` for a clean cell; otherwise a message naming the first byte that is not UTF-8."""
    if cell.isascii():
        return None
    for pos, ch in enumerate(cell):
        if "\udc80" <= ch <= "\udcff":
            return f"byte 0x{ord(ch) - 0xDC00:02x} at character {pos + 1} is not valid UTF-8 (save the file as UTF-8)"
    return None
