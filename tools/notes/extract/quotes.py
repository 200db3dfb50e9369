"""A person's own words, quoted: "Paula: 'honestly the best thing we bought this year'", "Ana wrote 'thanks for the
quick turnaround, the team really appreciated it'".

A quote counts for its speaker: the person named right before it with only a label (":", a bracketed title) or a
verb of saying between ("said", "wrote", "told us"); or named a few words before it in its sentence, the words
ending in a colon, a comma or a verb of saying ("Kate was blunt: '...'", "Dana opened with, '...'", "George's
words: '...'"); or named right after it ("'...,' Teresa said", "'...,' said Teresa", "'...,' he told us").
Its words are scored by the general lexicon as a person's
(``lexicon.person_score``: "best", "good" count again) and count when clearly good or bad (|score| >= ``_CLEAR``).
A quote may be ironic or a complaint in good words ("'oh great, another workaround'", "'this should have been
clean by now'", "'we were promised this was fixed'", "'a joke'"): such a quote is nobody's mood here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.notes.extract.lexicon import person_score
from tools.notes.extract.mood_words import NOT_BEFORE
from tools.notes.extract.people import Mention, PeopleScan
from tools.notes.extract.stance import STANCE_RE

_CLEAR = 0.5
# An apostrophe between letters is inside the quote ("'the first review I've enjoyed'"), not its end.
_QUOTE = re.compile(r"(?:(?<=^)|(?<=[\s(:,–—-]))['‘\"“](?P<body>(?:[^'’\"”\n]|(?<=\w)['’](?=\w)){6,240})['’\"”](?!\w)")
_SPEAKER = re.compile(r"\s*(?:\([^()]*\))?\s*(?::|[-–—→]|(?:\w+\s+){0,2}?(?:said|says|say|wrote|writes|replied|"
                      r"added|asked|asks|told\s+(?:me|us))\s*(?:that\s*)?:?)\s*", re.IGNORECASE)
# A few words of the speaker's own before the quote, in the same sentence, ending in a colon, a comma or "said" (and
# a few words it says of: "said the data model 'makes sense now'").
_LEAD_IN = re.compile(r"(?:['’]s)?(?:[^.!?\n'‘\"“’”]|(?<=\w)['’](?=\w)){0,80}?(?::|,|\b(?:said|says|wrote|added|"
                      r"replied|asked|asks|told\s+(?:me|us)|called|calls|described|describes|rated)"
                      r"(?:\s+[\w'’-]+){0,5}?)"  # "said the data model '...'", "called our cleansing '...'"
                      r"\s*$", re.IGNORECASE)
# Who said it, right after the quote: "..., Teresa said" / "said Teresa" / "he told us".
_SAID_AFTER = re.compile(r"\s*(?:,\s*)?(?:(?P<pronoun>he|she)\s+)?(?:said|says|added|replied|told\s+(?:me|us)|"
                         r"wrote|insisted|admitted)\b|\s*,?\s*(?=[A-Z])", re.IGNORECASE)
_VERB_AFTER_NAME = re.compile(r"\s+(?:said|says|added|replied|told\s+(?:me|us)|wrote|insisted|admitted)\b",
                              re.IGNORECASE)
_SAID_THEN_NAME = re.compile(r"\s*,?\s*(?:said|says|added|replied)\s+$", re.IGNORECASE)
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
        speaker = _speaker(text, scan, quote.start(), quote.end())
        if speaker is None:
            continue
        score = person_score(quote.group("body"))
        stance = STANCE_RE.search(quote.group("body"))  # a buyer's words: "'fine, let's do it'", "'when can we start?'"
        value = (1 if score > 0 else -1) if abs(score) >= _CLEAR else (
            _stance_said(quote.group("body"), stance) if stance is not None else 0)
        if value:
            out.append(Quoted(speaker, value, min(speaker.start, quote.start()), max(speaker.end, quote.end())))
    return out


def _speaker(text: str, scan: PeopleScan, start: int, end: int) -> Mention | None:
    """Who said the quote at ``start:end``: named before it (a label, a verb of saying, or a short lead-in of
    their sentence), else right after it."""
    before = [m for m in scan.mentions if m.end <= start and not m.ambiguous]
    if before and (_SPEAKER.fullmatch(text, before[-1].end, start) or _LEAD_IN.fullmatch(text, before[-1].end, start)):
        return before[-1]
    after = [m for m in scan.mentions if m.start >= end and not m.ambiguous]
    if after and _SAID_THEN_NAME.fullmatch(text, end, after[0].start):  # "..., said Teresa"
        return after[0]
    said = _SAID_AFTER.match(text, end)
    if said is None:
        return None
    if said.group("pronoun"):  # "..., he said": the last person named before who fits
        found = scan.before(start, said.group("pronoun"))
        return found if found is not None and not found.ambiguous else None
    if after and after[0].start == said.end() and _VERB_AFTER_NAME.match(text, after[0].end):  # "..., Teresa said"
        return after[0]
    return None


def _stance_said(body: str, stance: re.Match[str]) -> int:
    """+1 / -1 for a stance in a quote; a stance for us said with "not" before it is against ("'we're not ready to
    expand, full stop'")."""
    if _IF_BEFORE.search(body, 0, stance.start()):
        return 0  # "'maybe, if finance agrees'": a condition, no stance yet
    if stance.group("for"):
        return -1 if NOT_BEFORE.search(body, 0, stance.start()) else 1
    return -1


_IF_BEFORE = re.compile(r"\b(?:if|unless|provided|once|when)\s+(?:[\w'’-]+\s+){0,3}$", re.IGNORECASE)
