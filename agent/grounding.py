"""Grounding: every number in a reply must come from that turn's tool results (or the user's message)."""

from __future__ import annotations

import json
import re
from typing import Any

_NUMBER = re.compile(r"(?<![A-Za-z0-9_])[-+]?\d[\d,]*(?:\.\d+)?")
# A sum of money as the tools print it (12.40M, 830.5k, 1.20B): the value times the unit.
_SCALED = re.compile(r"(?<![A-Za-z0-9_])([-+]?\d[\d,]*(?:\.\d+)?)([kKmMbB])(?![A-Za-z0-9_])")
_UNITS = {"k": 1e3, "m": 1e6, "b": 1e9}
# Markers of a numbered list ("1. ", "2) ") at the start of a line are not figures.
_LIST_MARKER = re.compile(r"(?m)^(\s*)\d{1,3}[.)](?=\s)")


def _normalise(token: str) -> set[str]:
    raw = token.replace(",", "").lstrip("+")
    forms = {raw}
    try:
        value = float(raw)
    except ValueError:
        return forms
    forms.add(f"{value:g}")
    if value == int(value):
        forms.add(str(int(value)))
    for digits in (1, 2):
        forms.add(f"{value:.{digits}f}")
    return forms


def numbers_in(text: str) -> set[str]:
    found: set[str] = set()
    for token in _NUMBER.findall(text):
        found |= _normalise(token)
    return found


def _list_lengths(value: Any) -> set[int]:
    found: set[int] = set()
    if isinstance(value, list):
        found.add(len(value))
        for item in value:
            found |= _list_lengths(item)
    elif isinstance(value, dict):
        for item in value.values():
            found |= _list_lengths(item)
    return found


def _source_numbers(records: list[dict[str, Any]], message: str) -> set[str]:
    blob = json.dumps([r.get("result") for r in records], default=str) + " " + json.dumps(
        [r.get("args") for r in records], default=str
    )
    numbers = numbers_in(blob) | numbers_in(message)
    for record in records:  # "9 accounts" counts the items a result lists: the count is in the result too
        numbers |= {str(n) for n in _list_lengths(record.get("result"))}
    # Percentages shown for shares (0.42 -> 42%) are the same number.
    for token in list(numbers):
        try:
            value = float(token)
        except ValueError:
            continue
        if 0 <= value <= 1:
            numbers |= _normalise(str(round(value * 100, 1)))
            numbers |= _normalise(str(round(value * 100)))
    return numbers


def _values(numbers: set[str]) -> list[float]:
    values = []
    for token in numbers:
        try:
            values.append(float(token))
        except ValueError:
            continue
    return values


def _scaled_grounded(number: str, unit: str, values: list[float]) -> bool:
    """``4.20M`` is grounded by a source value that prints as 4.20M (4,195,000 to 4,205,000)."""
    raw = number.replace(",", "").lstrip("+")
    decimals = len(raw.partition(".")[2])
    scale = _UNITS[unit.lower()]
    value = float(raw) * scale
    tolerance = 0.5 * 10 ** (-decimals) * scale
    return any(abs(abs(v) - abs(value)) <= tolerance + 1e-9 for v in values)


def ungrounded_numbers(reply: str, records: list[dict[str, Any]], message: str = "") -> list[str]:
    """Numbers in ``reply`` that no tool result (nor the user's message) of the turn contains.

    Sums of money printed with a unit (``4.20M``, ``380.0k``) are grounded by a source value that
    rounds to them; numbered-list markers at the start of a line are not numbers.
    """
    sources = _source_numbers(records, message)
    text = _LIST_MARKER.sub(r"\1", reply)
    missing: list[str] = []
    values: list[float] | None = None
    scaled_spans: list[tuple[int, int]] = []
    for match in _SCALED.finditer(text):
        number, unit = match.group(1), match.group(2)
        if _normalise(number) & sources:
            pass  # the printed figure itself is in a result
        else:
            values = _values(sources) if values is None else values
            if not _scaled_grounded(number, unit, values):
                missing.append(match.group(0))
        scaled_spans.append(match.span(1))
    for match in _NUMBER.finditer(text):
        if match.span() in scaled_spans:
            continue
        token = match.group(0)
        if not _normalise(token) & sources:
            missing.append(token)
    return missing
