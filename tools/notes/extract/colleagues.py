"""Our own people in a note: the reps and users of the portfolio ("Sam: send the amendment", "maria to send the
timeline", "JL to send revised terms"), as opposed to the customer's stakeholders.

A colleague is written by full name, first name (any case: notes are often typed in lower case), initials
("JL", "J. Lee") or, capitalised, surname ("Becker to deliver the plan"). Whoever holds a promise that opens with
a colleague's name, it is ours.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


class Colleagues:
    """The names of our people, found at a place in a note."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        words: set[str] = set()
        initials: set[str] = set()
        for name in names:
            parts = [p for p in re.split(r"\s+", name.strip()) if p]
            if not parts:
                continue
            words.add(re.escape(" ".join(parts)))
            words.add(re.escape(parts[0]))
            if len(parts) > 1 and all(p[0].isalpha() for p in parts):  # names are data: every piece escaped
                initials.add(re.escape("".join(p[0].upper() for p in parts)))
                initials.add(re.escape(parts[0][0].upper()) + r"\.?\s*" + re.escape(parts[-1]))
                if parts[-1][:1].isupper() and len(parts[-1]) > 2:  # "Becker to deliver ...", as formal notes write
                    initials.add(re.escape(parts[-1]))
        ordered = sorted(words, key=len, reverse=True)
        self._names = re.compile(r"(?:" + "|".join(ordered) + r")\b", re.IGNORECASE) if ordered else None
        self._initials = re.compile(r"(?:" + "|".join(sorted(initials, key=len, reverse=True)) + r")\b") \
            if initials else None

    def __bool__(self) -> bool:
        return self._names is not None

    def at(self, text: str, pos: int) -> int | None:
        """Where a colleague's name that starts at ``pos`` ends, or None."""
        if pos > 0 and (text[pos - 1].isalnum() or text[pos - 1] in "'’"):
            return None
        for pattern in (self._names, self._initials):
            m = pattern.match(text, pos) if pattern is not None else None
            if m:
                return m.end()
        return None

    def mentions(self, text: str) -> list[tuple[int, int]]:
        """Every place a colleague is named."""
        out: list[tuple[int, int]] = []
        for m in re.finditer(r"(?<![\w'’])\w", text):
            end = self.at(text, m.start())
            if end is not None and not any(a <= m.start() < b for a, b in out):
                out.append((m.start(), end))
        return out
