"""Grounding: every number in a reply must come from that turn's tool results (or the user's message)."""

from __future__ import annotations

import json
import re
from typing import Any

_NUMBER = re.compile(r"(?<![A-Za-z0-9_])[-+]?\d[\d,]*(?:\.\d+)?")


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


def _source_numbers(records: list[dict[str, Any]], message: str) -> set[str]:
    blob = json.dumps([r.get("result") for r in records], default=str) + " " + json.dumps(
        [r.get("args") for r in records], default=str
    )
    numbers = numbers_in(blob) | numbers_in(message)
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


def ungrounded_numbers(reply: str, records: list[dict[str, Any]], message: str = "") -> list[str]:
    """Numbers in ``reply`` that no tool result (nor the user's message) of the turn contains."""
    sources = _source_numbers(records, message)
    missing = []
    for token in _NUMBER.findall(reply):
        forms = _normalise(token)
        if not forms & sources:
            missing.append(token)
    return missing
