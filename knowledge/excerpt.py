"""Excerpts: the part of a note that best matches a query, cut at word boundaries."""

from __future__ import annotations

import re

from knowledge.lexical import stem

_WORD = re.compile(r"\w+", re.UNICODE)


def excerpt(text: str, query_terms: list[str], width: int = 320) -> str:
    """The ``width``-character window of ``text`` holding the most query terms, with ``…`` where cut."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    terms = set(query_terms)
    hits = [m.start() for m in _WORD.finditer(text) if stem(m.group().lower()) in terms]
    start = 0
    if hits:
        best, best_count = hits[0], 0
        j = 0
        for i, pos in enumerate(hits):
            while hits[j] < pos - width + 40:
                j += 1
            if i - j + 1 > best_count:
                best, best_count = hits[j], i - j + 1
        start = max(0, best - 60)
    end = min(len(text), start + width)
    start = max(0, end - width)
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 30 else start
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > end - 30 else end
    return ("… " if start > 0 else "") + text[start:end].strip() + (" …" if end < len(text) else "")
