"""A note written as a table, one row per person ("| Name | Role | Score /10 | Notes |", "Name | Role | RAG | Notes"),
read as the sentences it stands for.

Each row becomes "<name>: <notes>." and, when the row rates the person, "<name> should be <mood>." (a mood set
outright, ``rating.py``): a number in a mood column or "n/10" anywhere is a score out of ten (7 and up positive, 4
to 6 neutral, 3 and under negative); a RAG status is green, amber or red. A role cell that says the person is new
keeps its title with the name ("Tanvi Rao (Head of Network Security): ..."); one that says "now <title>" becomes
"<name> is now <title>." Lines that are not rows of the table stay as they are. A table is two or more lines with
the same number of cells (three or more), split at "|"; a header row (followed by a "|---|" line, or naming a
"name" column) says which cell is which, and without one the first cell is the name, a score or a status the mood,
the last cell the notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tools.notes.schema import NoteExtraction

_RULE = re.compile(r"^[\s>]*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_QUOTE = re.compile(r"^(\s*>\s?)?")
_SCORE = re.compile(r"^(?P<n>\d{1,2})(?:\s*/\s*10)?$")
_STATUS = {"green": "positive", "amber": "neutral", "yellow": "neutral", "red": "negative"}
_NAME = ("name", "who", "person", "stakeholder", "contact", "attendee")
_ROLE = ("role", "title", "position", "job")
_MOOD = ("score", "rag", "mood", "sentiment", "rating", "status", "how they were", "temperature", "vibe")
_NOTES = ("notes", "note", "comments", "comment", "remarks", "said", "what they said", "detail", "details")
_NEW = re.compile(r"\(\s*new\b[^)]*\)|\bnew\b", re.IGNORECASE)
_NOW = re.compile(r"(?:^|,\s*)now\s+(?P<title>[^,;()]+)", re.IGNORECASE)
_EMPTY = {"", "-", "–", "—", "n/a", "na", "?", "tbc", "none"}


def _cells(line: str) -> list[str]:
    body = _QUOTE.sub("", line).strip()
    return [c.strip() for c in body.strip("|").split("|")]


def _is_row(line: str) -> bool:
    return line.count("|") >= 2 and not _RULE.match(line)


def _columns(header: list[str]) -> dict[str, int]:
    """Which cell holds what, from a header row's labels."""
    out: dict[str, int] = {}
    for i, label in enumerate(c.casefold() for c in header):
        for kind, names in (("name", _NAME), ("role", _ROLE), ("mood", _MOOD), ("notes", _NOTES)):
            if kind not in out and any(label == n or label.startswith(n + " ") for n in names):
                out[kind] = i
    return out


def _mood(cell: str, scored: bool) -> str | None:
    value = cell.strip().casefold()
    if value in _STATUS:
        return _STATUS[value]
    score = _SCORE.match(value)
    if score and (scored or "/" in value):
        n = int(score.group("n"))
        return "positive" if n >= 7 else "neutral" if n >= 4 else "negative" if n <= 10 else None
    return None


def _sentences(cells: list[str], columns: dict[str, int], scored: bool) -> str:
    name = cells[columns.get("name", 0)]
    if name.casefold() in _EMPTY:
        return ""
    mood = None
    mood_at = columns.get("mood")
    if mood_at is not None and mood_at < len(cells):
        mood = _mood(cells[mood_at], scored)
    else:  # no header: whichever cell reads as a score or a status
        found = [i for i, c in enumerate(cells[1:], 1) if _mood(c, False)]
        mood_at = found[0] if found else None
        mood = _mood(cells[mood_at], False) if mood_at is not None else None
    notes_at = columns.get("notes", len(cells) - 1)
    notes = cells[notes_at] if notes_at not in (0, mood_at) else ""
    role_at = columns.get("role", 1 if len(cells) > 3 else None)
    role = cells[role_at] if role_at is not None and role_at not in (0, mood_at, notes_at) else ""
    head = name
    out = []
    if role and _NEW.search(role):
        head = f"{name} ({_NEW.sub('', role).strip(' ,;')})"
    elif role and (now := _NOW.search(role)):
        out.append(f"{name} is now {now.group('title').strip()}.")
    if notes.casefold() not in _EMPTY:
        notes = notes.rstrip(" .")
        out.insert(0, f"{name} is {notes}." if notes.casefold().startswith("now ") else f"{head}: {notes}.")
    elif head != name:
        out.insert(0, f"{head} was there.")
    if mood:
        out.append(f"{name} should be {mood}.")
    return " ".join(out)


@dataclass(frozen=True)
class Table:
    text: str  # the note with each table read as sentences
    rows: list[tuple[str, str]]  # each row's sentences, and the row as the note has it

    def respan(self, extraction: NoteExtraction, note: str) -> NoteExtraction:
        """``extraction`` of ``self.text`` with every span that is only in the sentences turned back into the row
        they stand for: evidence is always the note's own words."""
        def origin(span: str) -> str:
            if span in note:
                return span
            return next((row for said, row in self.rows if span in said), span)

        def walk(value: Any) -> Any:
            if isinstance(value, dict):
                return {k: origin(v) if k.endswith("span") and isinstance(v, str) else walk(v)
                        for k, v in value.items()}
            return [walk(v) for v in value] if isinstance(value, list) else value

        return NoteExtraction.model_validate(walk(extraction.model_dump()))


def untable(text: str) -> Table | None:
    """``text`` with each table read as sentences, or None when it has no table."""
    lines = text.split("\n")
    out: list[str] = []
    rows_read: list[tuple[str, str]] = []
    i = 0
    changed = False
    while i < len(lines):
        j = i
        while j < len(lines) and (_is_row(lines[j]) or (_RULE.match(lines[j]) and j > i)):
            j += 1
        rows = [line for line in lines[i:j] if not _RULE.match(line)]
        widths = {len(_cells(r)) for r in rows}
        if len(rows) < 2 or len(widths) != 1 or widths.pop() < 3:
            out.append(lines[i])
            i += 1
            continue
        header = _cells(rows[0])
        ruled = i + 1 < j and _RULE.match(lines[i + 1]) is not None
        columns = _columns(header) if ruled or "name" in {c.casefold() for c in header} else {}
        body = rows[1:] if columns else rows
        scored = columns.get("mood") is not None  # a number in a mood column is a score out of ten
        prefix = _QUOTE.match(rows[0]).group(0) if _QUOTE.match(rows[0]) else ""
        for row in body:
            said = _sentences(_cells(row), columns, scored)
            if said:
                out.append(prefix + said)
                rows_read.append((said, _QUOTE.sub("", row).strip()))
        changed = True
        i = j
    return Table("\n".join(out), rows_read) if changed else None
