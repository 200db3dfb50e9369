"""Sentence breaks for a note dictated without punctuation ("... she was really happy with the dashboards paul
mensah joined for the last ten minutes didn't say much i will send karen a one pager by wednesday").

The readers of a note work clause by clause, and a run-on of forty words is one clause: every mood in it would be
everyone's. A dictated note still shows where its sentences start: a person the note names, "she" / "he" or "I",
right before a verb ("paul mensah joined", "she was", "i will"), after a word that does not bind them to what came
before ("with", "and", "to", "that" ...). A full stop goes there; a note with punctuation of its own is left as is.
"""

from __future__ import annotations

import re

from tools.notes.extract.people import Mention

_PUNCTUATION = re.compile(r"[.,;:!?\n]")
_MIN_WORDS = 25
_WORDS_PER_MARK = 30  # fewer marks than one per this many words: dictated
_VERB_AFTER = re.compile(
    r"\s+(?:was|is|were|are|said|says|joined|will|wants|wanted|asked|seemed|looked|sounded|agreed|promised|called|"
    r"mentioned|had|has|didn['’]?t|did|thinks|thought|felt|loved|liked|hated|pushed|complained|confirmed|told|"
    r"needs|needed|offered|committed|owes|questioned|challenged|objected|signed|approved|kept|took|just|['’]ll|"
    r"['’]s)\b", re.IGNORECASE)
_BINDS = re.compile(r"(?:with|and|&|\+|to|from|w/|at|cc|that|so|because|when|if|but|or|by|for|about|of|the|"
                    r"told|asked|met|called|emailed|thanked|loop|looped|ping|while|as|than)\s+$", re.IGNORECASE)
_PRONOUN = re.compile(r"(?<=\w )(?:she|he|i)(?=\s+(?:was|is|said|says|will|['’]ll|wants|asked|seemed|promised|"
                      r"agreed|told|thinks|felt|loved|liked|needs|owes|am|have|had|didn['’]?t)\b)", re.IGNORECASE)


def dictated(text: str) -> bool:
    """Whether ``text`` is a long note with (almost) no punctuation."""
    words = len(text.split())
    return words >= _MIN_WORDS and len(_PUNCTUATION.findall(text.strip().rstrip(".!?"))) * _WORDS_PER_MARK < words


def punctuate(text: str, mentions: list[Mention]) -> str | None:
    """``text`` with a full stop before each sentence's likely start, or None when it needs none."""
    if not dictated(text):
        return None
    starts: set[int] = set()
    for m in mentions:
        if m.start > 0 and _VERB_AFTER.match(text, m.end) and not _BINDS.search(text, max(0, m.start - 24), m.start):
            starts.add(m.start)
    for p in _PRONOUN.finditer(text):
        if not _BINDS.search(text, max(0, p.start() - 24), p.start()):
            starts.add(p.start())
    if not starts:
        return None
    out, pos = [], 0
    for start in sorted(starts):
        out.append(text[pos:start].rstrip() + ". ")
        pos = start
    out.append(text[pos:])
    return "".join(out)
