"""Whose mood a passive sentence tells: "Strong support for the expansion was expressed by Bianca", "Concerns were
raised by Stefan", "The renewal was supported by Hassan and Kate", "The roadmap was received very positively by
him". The agent after "by" is the one the mood is about, not the person named before it; "him" / "her" stand for the
person last named as such. A mood at someone ("Dana was frustrated by Tom") is not a passive deed: it stays Dana's.
"""

from __future__ import annotations

import re

from tools.notes.extract.people import Mention, PeopleScan
from tools.notes.extract.text import Piece

# A passive that names its agent right before a person: "... was expressed by", "were raised by".
_BY_AGENT = re.compile(r"\b(?:was|were|is|are|been|being)\s+(?:\w+ly\s+)?[a-z]+(?:ed|en|wn|ne)\s+by\s+$", re.IGNORECASE)
_BY_PRONOUN = re.compile(r"\s+(?:\w+ly\s+)?by\s+(him|her)\b", re.IGNORECASE)
_BE_BEFORE = re.compile(r"\b(?:was|were|is|are|been|being)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being)\s+(?:\w+\s+)?[a-z]+(?:ed|en|wn)\s+(?:\w+\s+)?$", re.IGNORECASE)
# Between two names of one group: "Dana and Raj", "Dana, Raj", "Dana & Raj".
JOINED = re.compile(r"^\s*(?:,\s*|\s+and\s+|\s*[&+/]\s*)$")
# Cues that are deeds, whose "by" names the doer ("the renewal was supported by Hassan"), not the one a mood is at.
_DEEDS = {"supported", "praised", "welcomed", "appreciated", "questioned", "thanked", "backed", "objected"}


def deed_by_agent(text: str, cue: re.Match[str]) -> bool:
    """Whether the cue is a deed in the passive ("was supported by"), so its "by" names the doer."""
    return cue.group(0).lower() in _DEEDS and bool(_BE_BEFORE.search(text[max(0, cue.start() - 24) : cue.start()]))


def passive_agent(text: str, scan: PeopleScan, clause: Piece, start: int, end: int) -> list[Mention] | None:
    """The agent of a passive that carries the cue at ``start:end`` (with anyone joined to them by "and"), or None
    when the clause is not such a passive."""
    passive_cue = _BE_BEFORE.search(text[max(0, start - 24) : start])
    by = [m for m in scan.at(end, clause.end) if m.start >= end and (
        _BY_AGENT.search(text, end, m.start) or (passive_cue and re.fullmatch(r"\s+by\s+", text[end : m.start])))]
    if by:
        return [by[0], *(m for m in scan.at(by[0].end, clause.end) if JOINED.match(text[by[0].end : m.start]))][:2]
    passive = passive_cue or _PASSIVE_BEFORE.search(text[clause.start : start])
    pronoun = _BY_PRONOUN.match(text, end) if passive else None
    if pronoun is None:
        agent = _BY_AGENT.search(text, end, min(clause.end, end + 40))
        pronoun = re.match(r"(him|her)\b", text[agent.end():], re.IGNORECASE) if agent else None
    if pronoun is None:
        return None
    found = scan.before(start, "he" if pronoun.group(1).lower() == "him" else "she")
    return [found] if found is not None else []
