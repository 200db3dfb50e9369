"""A mood the writer sets outright: "put her neutral", "mark Irene as positive", "set Tom to negative", "make Dana 0",
"keep zoe neutral", "Irene should be neutral". Usually a reply correcting a draft ("actually Irene wasn't really
happy, she was just polite. put her neutral"); it outweighs whatever else the message says of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.notes.extract.people import Mention, PeopleScan

_VALUES = {"neutral": 0, "0": 0, "positive": 1, "pos": 1, "+1": 1, "+": 1, "negative": -1, "neg": -1, "-1": -1}
_VALUE = r"(?P<value>neutral|positive|negative|pos|neg|\+1|-1|\+|0)(?![\w+-])"
_SET = re.compile(r"\b(?:put|mark|set|make|change|log|record|have|score|keep|leave|flip)\s+"
                  r"(?P<who>her|him|[^\W\d_][\w'’.-]*(?:\s+[A-Z][\w'’-]*)?)(?:['’]s\s+(?:mood|sentiment))?\s+(?:down\s+)?(?:as\s+|to\s+|at\s+)?(?:a\s+)?"
                  + _VALUE, re.IGNORECASE)
_SHOULD = re.compile(r"(?P<who>\b(?:she|he)|\b[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)\s+(?:should\s+be|is\s+actually)\s+"
                     + _VALUE)
# A score out of ten: "Esther was more like 8/10", "Dana 9/10" (7 and up positive, 4 to 6 neutral, 3 and under negative)
_SCORED = re.compile(r"(?P<who>\b(?:she|he)|\b[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)\s+(?:(?:was|is|['’]s)\s+)?"
                     r"(?:(?:more\s+like|rather|about|around|a|an)\s+)?(?P<score>10|[0-9])\s*/\s*10\b")
_PRONOUNS = {"her": "she", "him": "he", "she": "she", "he": "he"}
# A RAG status or a mood label written as an item of its own after a person ("ravi menon, head of fleet technology,
# new, green: ...", "Henrik was red", "Leila Doyle: fine on the tech, worried about cutover. Neutral."): green
# positive, amber neutral, red negative; the person is the one named last on the line, and nobody after them.
_RAG = re.compile(r"(?:[,(:|]\s*|(?<=[.;!])\s+|\s[-–—]\s*|\b(?:is|was|['’]s|went|gone|now)\s+(?=green|amber|red))"
                  r"(?P<rag>green|amber|red|positive|negative|neutral)\b(?=\s*(?:[,.;:)|!]|[-–—]\s|$))",
                  re.IGNORECASE)
_RAG_VALUES = {"green": 1, "amber": 0, "red": -1, "positive": 1, "neutral": 0, "negative": -1}


@dataclass(frozen=True)
class Rating:
    person: Mention
    value: int
    start: int
    end: int


def ratings(text: str, scan: PeopleScan) -> list[Rating]:
    """Each mood set outright in ``text``, for the person it names or the pronoun stands for."""
    out: list[Rating] = []
    for found in [*_SET.finditer(text), *_SHOULD.finditer(text), *_SCORED.finditer(text)]:
        who = found.group("who")
        pronoun = _PRONOUNS.get(who.lower())
        if pronoun:
            person = scan.before(found.start(), pronoun)
        else:
            person = next((m for m in scan.mentions if found.start("who") <= m.start < found.end("who")), None)
        if person is not None and not person.ambiguous:
            value = _VALUES[found.group("value").lower()] if "value" in found.groupdict() else _score(found["score"])
            out.append(Rating(person, value, found.start(), found.end()))
    for found in _RAG.finditer(text):
        person = scan.before(found.start("rag"))
        between = text[person.end:found.start()] if person is not None else ""
        own_sentence = found.group(0)[0] not in ",(:|-–—" and found["rag"].lower() not in ("green", "amber", "red")
        if person is not None and not person.ambiguous and "\n" not in between and (
                own_sentence or not re.search(r"[.!?]", between)):
            out.append(Rating(person, _RAG_VALUES[found["rag"].lower()], person.start, found.end()))
    return out


def _score(score: str) -> int:
    return 1 if int(score) >= 7 else -1 if int(score) <= 3 else 0
