"""A mood said of a person as a bare predicate: "Abigail good", "Ryan good as always", "Andre is enthusiast",
"email from Owen Price, very sharp", "Angela asked why ... - pretty sharp tone"; or as a rating after the name,
as CRM fields and shorthand write it: "Kevin Lopez +, Ruth Das –", "Sentiment: Gary neg, Sarah pos".

Notes drop the verb or use the noun for the adjective; the grammar still says whom the word is about: the person
right before it, with only a link (",", ":", "-", "→"), a copula ("is", "was", "seemed", "'s") and degree words
between, or, for a clause that is only such a word ("very sharp", "pretty sharp tone"), the last person named before
it in its sentence. The word is read in the general lexicon (``lexicon.py``: VADER with business words neutral), where
"good" and "best" count again: said of a person they are a mood, not a deal's terms. A word must be clearly a mood
(|valence| >= ``_STRONG``: "fine", "ok", "curious" are not; verbs count too: "ranted", "gushed") and not a state
("sick", "calmer", "embarrassed"), and must end its phrase ("good as always", "sharp tone"), not name a thing
("good news", "great question").

"not" before it turns a good word round and makes a bad one neutral, as for the domain cues; "less" does the same
("less keen than in October"), and a comparison with before keeps the word's sign ("cooler than in October",
"way friendlier than last quarter").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.notes.extract.lexicon import PERSON_WORDS, analyzer
from tools.notes.extract.people import Mention, PeopleScan
from tools.notes.extract.text import Piece

_STRONG = 1.4
# How they are, not how they stand toward us: health, composure, feelings about themselves ("Paul calmer").
_STATES = frozenset(["sick", "ill", "tired", "exhausted", "dead", "injured", "pregnant", "calm", "calmer", "relaxed",
                     "composed", "embarrassed", "ashamed", "guilty", "sorry", "apologetic", "stressed", "distracted",
                     "busy", "swamped", "overwhelmed"])
# Temperature words said of a person: their manner toward us, whatever the word's general valence ("cool" is praise).
_COOL = frozenset(["cool", "cooler", "chilly", "icy"])
_LINK = r"(?:\s*(?:[,:=]|-+>?|–|—|→)\s*|\s+)"
_COPULA = (r"(?:(?:is|was|were|are|be|been|['’]s|seemed|seems|looked|looks|sounded|sounds|felt|feels|remained|"
           r"remains|stayed|got|became|came\s+across(?:\s+as)?)\s+)?")
_DEGREE = (r"(?:(?:an?(?:\s+(?:big|huge|real|true|total|great))?|very|really|so|super|extremely|quite|pretty|"
           r"rather|a\s+bit|a\s+little|somewhat|fairly|clearly|still|also|always|v\.?|rly|too|totally|genuinely|visibly|"
           r"way|much|far|a\s+lot|even|(?P<neg>not|n['’]t|never|hardly|less))\s+)*")
_DEMEANOR = r"(?:\s+(?:tone|mood|manner|attitude|vibes?|spirits|form|throughout|today|again|overall))?"
_END = (r"(?=\s*(?:[,.;:!?)\n'\"(]|$|[-–—→]|\s(?:as|and|but|about|with|on|at|in|by|from|when|though|after|"
        r"before|during|for|since|last|this|today|yesterday|lately|again|all|throughout|than)\b))")
_AFTER_NAME = re.compile(_LINK + _COPULA + _DEGREE + r"(?P<word>[A-Za-z]+)" + _DEMEANOR + _END, re.IGNORECASE)
_ALONE = re.compile(r"\W*" + _DEGREE + r"(?P<word>[A-Za-z]+)" + _DEMEANOR + r"\W*$", re.IGNORECASE)
_PRONOUN = re.compile(r"\W*(?:(?:and|but|so|though)\s+)?(?P<pronoun>she|he)\b", re.IGNORECASE)
_LABEL = re.compile(r"^\W*(?:[:=→]|-+>?|–|—)", re.IGNORECASE)
_LESS_SO = re.compile(r"(?:[^\w]*[\w'’ .-]{0,40}?)?\s*,?\s*(?P<less>(?:much\s+)?less\s+so|not\s+so\s+much|"
                      r"not\s+as\s+much|not\s+really|not\s+at\s+all)\W*", re.IGNORECASE)
# A rating written after a name, as CRM fields and shorthand give it: "+", "++", "-", "–", "pos", "neg", "neutral".
_SIGN = re.compile(r"[ \t]*(?:[:=(][ \t]*)?(?P<sign>\+{1,2}|-{1,2}|[–—]|pos(?:itive)?|neg(?:ative)?|neu(?:tral)?|0)"
                   r"(?=[ \t]*\)?[ \t]*(?:[,;/|\n.(]|$|(?:re|about|abt|regarding|wrt|towards?)\b))", re.IGNORECASE)
_JOINED = re.compile(r"\s*(?:,|&|\+|/)\s*|\s+and\s+", re.IGNORECASE)
_INTENSE = re.compile(r"\b(?:very|really|so|super|extremely|v\.?|rly|totally)\s", re.IGNORECASE)


def _text_before(found: re.Match[str]) -> str:
    """The words a predicate's match has before its mood word (its link, copula and degree words)."""
    return found.string[max(0, found.start() - 2) : found.start("word")]


@dataclass(frozen=True)
class Predicate:
    person: Mention
    value: int
    start: int
    end: int
    others: tuple[Mention, ...] = ()  # named with the person, sharing the sign ("Martina/Beatriz +")


def word_valence(word: str) -> float:
    """The general lexicon's valence of a word said of a person (0 for a state of health or an unknown word)."""
    word = word.lower()
    if word in _STATES:
        return 0.0
    return PERSON_WORDS.get(word) or analyzer().lexicon.get(word, 0.0)


def predicate(text: str, scan: PeopleScan, sentence: Piece, clause: Piece) -> Predicate | None:
    """The mood a clause says of a person as a bare predicate, if it does (value 0: a state, no mood)."""
    for m in scan.at(clause.start, clause.end):
        if m.start < clause.start:
            continue
        sign = _SIGN.match(text, m.end)
        if sign is not None and not m.ambiguous:  # "Kevin Lopez +, Ruth Das –", "Sentiment: Gary neg, Sarah pos"
            word = sign.group("sign").lower()
            value = 0 if word.startswith("neu") or word == "0" else -1 if word[0] in "-–—n" else 1
            others: list[Mention] = []
            for x in reversed([x for x in scan.at(clause.start, m.start) if x.end <= m.start]):
                if x.ambiguous or not _JOINED.fullmatch(text, x.end, (others[-1] if others else m).start):
                    break
                others.append(x)
            return Predicate(m, value, m.start, sign.end("sign"), tuple(others))
        found = _AFTER_NAME.match(text, m.end, clause.end)
        if found is not None:
            return _reading(m, found, scan)
    she = _PRONOUN.match(text, clause.start, clause.end)
    if she is not None:  # "he is enthusiast": the last person named before who fits the pronoun
        found = _AFTER_NAME.match(text, she.end(), clause.end)
        person = scan.before(clause.start, she.group("pronoun"))
        if found is not None and person is not None:
            return _reading(person, found, scan)
    alone = _ALONE.match(text, clause.start, clause.end)
    if alone is None or clause.start == sentence.start:
        return None
    earlier = [m for m in scan.at(sentence.start, clause.start) if m.end <= clause.start]
    return _reading(earlier[-1], alone, scan) if earlier else None


def _reading(person: Mention, found: re.Match[str], scan: PeopleScan) -> Predicate | None:
    word = found.group("word")
    if person.ambiguous or scan.at(found.start("word"), found.end("word")):
        return None  # "Tom Baker, Joy Smith": a name is nobody's mood
    if any(m.end <= person.start and _JOINED.fullmatch(found.string, m.end, person.start) for m in scan.mentions):
        return None  # "Met Dana and Tom, great": the meeting's mood, not the last name's
    if word[0].isupper() and not _LABEL.search(_text_before(found)):
        return None  # "Met Tom Baker, Grace, Dana": a capital mid-sentence is a name, unless after a label
    if word.lower() in _STATES:  # "Dana sick last week": no mood, whatever else the clause says
        return Predicate(person, 0, person.start, found.end())
    valence = word_valence(word)
    if word.lower() in _COOL and re.search(r"\b(?:pretty|really|so|super|way)\s+$", _text_before(found), re.I):
        return None  # "..., pretty cool": the writer's praise of a thing, no temperature of a person
    if word.lower() in _COOL and not re.match(r"\s+(?:with|w/|about\s+it)\b", found.string[found.end("word"):]):
        valence = -_STRONG  # "Martina: cool, full procurement mode": cool toward us; "cool with it" is fine
    if abs(valence) < _STRONG:
        return None
    if found.group("neg"):  # "not happy" is negative; "not rude" says only that they were not
        return Predicate(person, -1, person.start, found.end()) if valence > 0 else None
    size = 2 if _INTENSE.search(found.group(0)) else 1
    return Predicate(person, size if valence > 0 else -size, person.start, found.end())


def less_so(text: str, scan: PeopleScan, sentence: Piece, clause: Piece) -> Mention | None:
    """The person of an elliptic contrast with the mood said before ("Dana keen. Tom, not so much", "Dana happy, Tom
    less so"): they lack the good mood the last person had."""
    found = _LESS_SO.fullmatch(text, clause.start, clause.end)
    if found is None:
        return None
    named = [m for m in scan.at(sentence.start, clause.end) if m.end <= found.start("less")]
    if not named or named[-1].ambiguous or not re.fullmatch(r"[\s,:-]*", text[named[-1].end : found.start("less")]):
        return None
    return named[-1] if named[-1].start >= clause.start or clause.start - named[-1].end <= 3 else None
