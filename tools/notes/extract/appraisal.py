"""What a person said of how things are going, reported: "Dana said the rollout went smoothly", "she told us the
new release is a big improvement", "Gary mentioned support has been slow", "said the product is clunky".

The general lexicon (``lexicon.py``) does not know most of the words people judge a product or a service by
("smooth", "clunky", "slow", "a hit"), and many of them are no one's mood when the writer uses them ("the migration
was slow" is what happened). Said by a customer, they are the customer's view of us: the speaker is the subject of
the verb of saying (``stance.subject``), and the words are read up to the end of the reported clause. "not" (or
"n't", "never", "no longer") up to two words before a word turns it round ("said it isn't slow any more"). A
judgement of a competitor's offer ("said the competitor offers better terms") or of their own people ("said that
the team is a mess") is none of ours.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tools.notes.extract.mood_words import NOT_BEFORE
from tools.notes.extract.people import Mention, PeopleScan
from tools.notes.extract.stance import subject
from tools.notes.extract.text import clauses, piece_at, sentences

_SAYS = re.compile(r"\b(?:said|says|mentioned|mentions|told\s+(?:us|me)|tells\s+(?:us|me)|feels|felt|thinks|"
                   r"thought|reckons|noted|commented|admitted|stressed|pointed\s+out|reported)\s+(?:that\s+)?",
                   re.IGNORECASE)
_GOOD = (r"smooth(?:ly)?|seamless(?:ly)?|painless|useful|helpful|(?:a\s+)?(?:big\s+|huge\s+|real\s+)?improvement|"
         r"(?:much\s+|a\s+lot\s+|way\s+)?better|faster|easier|(?:a\s+)?(?:big\s+|real\s+)?hit|exceeded|"
         r"game[\s-]?changer|reliable|intuitive|great|excellent|fantastic|brilliant|amazing|impressive|outstanding|"
         r"superb|love[sd]?|works?\s+(?:really\s+)?well|went\s+(?:really\s+)?well|on\s+track|ahead\s+of\s+schedule|"
         r"responsive|valuable|worth\s+(?:it|every)|saves?|saved|life-?saver")
_BAD = (r"slow|clunky|buggy|(?:a\s+)?nightmare|painful|confusing|unreliable|worse|overpriced|pricey|"
        r"(?:too\s+)?expensive|(?:too\s+)?complicated|(?:a\s+)?mess|(?:a\s+)?disaster|unusable|frustrating|flaky|"
        r"terrible|awful|poor|useless|disappointing|unacceptable|(?:a\s+)?waste|(?:a\s+)?joke|(?:a\s+)?shambles|"
        r"unstable|cumbersome|annoying|hard\s+to\s+use|too\s+slow|too\s+complex")
_WORD = re.compile(r"\b(?:(?P<good>" + _GOOD + r")|(?P<bad>" + _BAD + r"))\b", re.IGNORECASE)
_OTHERS = re.compile(r"\b(?:competitors?|competition|incumbent|rivals?|other\s+(?:vendors?|suppliers?|bidders?|"
                     r"providers?)|alternatives?)\b", re.IGNORECASE)
_THEIR_OWN = re.compile(r"\s*(?:the|her|his|their)\s+(?:own\s+)?(?:team|people|staff|department|board|management|"
                        r"boss|budget)\b", re.IGNORECASE)
_WRITERS_CLAUSE = re.compile(r"[;:()\n]|,\s*(?:and|so|but)\s+(?:I|we)\b", re.IGNORECASE)
_SELF = re.compile(r"^\s*(?:she|he|they|I|we)(?:['’](?:d|ll)|\s+(?:would|will|can|could))\b", re.IGNORECASE)


@dataclass(frozen=True)
class Appraisal:
    person: Mention
    value: int
    start: int
    end: int


def reported_appraisals(text: str, scan: PeopleScan, skip: list[tuple[int, int]] = (),
                        cued: Sequence[Any] = ()) -> list[Appraisal]:
    """Each reported judgement of how things are going, with its speaker and +1 / -1 (mixed words: none); people
    with a cue of their own (``cued``: anything with a ``key``) keep it."""
    out: list[Appraisal] = []
    keys = {c.key for c in cued}
    parts = sentences(text)
    for said in _SAYS.finditer(text):
        if any(a <= said.start() < b for a, b in skip) or _SELF.match(text, said.end()):
            continue  # "said she'd send ...": a promise, read as one
        sentence = piece_at(parts, said.start())
        clause = piece_at(clauses(sentence), said.start()) if sentence is not None else None
        if sentence is None or clause is None:
            continue
        end = _reported_end(text, said.end(), sentence.end)
        if _OTHERS.search(text, said.end(), end) or _THEIR_OWN.match(text, said.end()):
            continue  # "said the competitor offers better terms", "said that the team is a mess": not of ours
        values = {(-1 if m.group("good") else 1) if NOT_BEFORE.search(text, said.end(), m.start()) else
                  (1 if m.group("good") else -1) for m in _WORD.finditer(text, said.end(), end)}
        if len(values) != 1:
            continue
        value = values.pop()
        out.extend(Appraisal(m, value, m.start, end)
                   for m in subject(text, scan, sentence, clause, said.start())
                   if not m.ambiguous and m.key not in keys)
    return out


def _reported_end(text: str, start: int, limit: int) -> int:
    """Where the reported clause ends: the sentence's end, or a new clause of the writer's ("..., but I think")."""
    stop = _WRITERS_CLAUSE.search(text, start, limit)
    return stop.start() if stop else limit
