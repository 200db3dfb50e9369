"""A person's own words, quoted: "Paula: 'honestly the best thing we bought this year'", "Ana wrote 'thanks for the
quick turnaround, the team really appreciated it'".

A quote counts for its speaker: the person named right before it with only a label (":", a bracketed title) or a
verb of saying between ("said", "wrote", "told us"). Its words are scored by the general lexicon as a person's
(``lexicon.person_score``: "best", "good" count again) and count when clearly good or bad (|score| >= ``_CLEAR``).
A quote may be ironic or a complaint in good words ("'oh great, another workaround'", "'this should have been
clean by now'", "'we were promised this was fixed'", "'a joke'"): such a quote is nobody's mood here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.notes.extract.lexicon import person_score
from tools.notes.extract.people import Mention, PeopleScan

_CLEAR = 0.5
_QUOTE = re.compile(r"(?:(?<=^)|(?<=[\s(:,–—-]))['‘\"“](?P<body>[^'’\"”\n]{8,240})['’\"”]")
_SPEAKER = re.compile(r"\s*(?:\([^()]*\))?\s*(?::|[-–—→]|(?:\w+\s+){0,2}?(?:said|says|say|wrote|writes|replied|"
                      r"added|told\s+(?:me|us))\s*(?:that\s*)?:?)\s*", re.IGNORECASE)
# Irony or a complaint in good words: the quote's score is not the speaker's mood.
_IRONY = re.compile(r"^\W*(?:oh|yeah|sure|right|wow|great,|thanks\s+a\s+lot)\b|\b(?:should\s+have|supposed\s+to|"
                    r"promised|joke|another|again|still|yet|finally)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Quoted:
    person: Mention
    value: int
    start: int
    end: int


def quoted_moods(text: str, scan: PeopleScan, skip: list[tuple[int, int]] = ()) -> list[Quoted]:
    """Each quote that shows its speaker's mood clearly, with the speaker and +1 / -1."""
    out: list[Quoted] = []
    for quote in _QUOTE.finditer(text):
        if any(a <= quote.start() < b for a, b in skip) or _IRONY.search(quote.group("body")):
            continue
        before = [m for m in scan.mentions if m.end <= quote.start() and not m.ambiguous]
        if not before or not _SPEAKER.fullmatch(text, before[-1].end, quote.start()):
            continue
        score = person_score(quote.group("body"))
        if abs(score) >= _CLEAR:
            out.append(Quoted(before[-1], 1 if score > 0 else -1, before[-1].start, quote.end()))
    return out
