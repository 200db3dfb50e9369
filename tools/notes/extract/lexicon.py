"""A general sentiment lexicon for meeting notes: vaderSentiment's, read through our domain.

VADER (``vaderSentiment``, its lexicon ships in the wheel: nothing is downloaded) scores a clause from -1 to +1,
with its own handling of negation ("not great"), intensifiers ("really great") and "but". In a meeting note many
of its words describe the business, not a person's mood: a price "cut", a "failed" sync, an "approved" budget, a
"risk", "help", "support", "like" in "would like a demo". Those are read as neutral here, so a clause about a person
scores only by what it says of their attitude ("was great", "had complaints", "a big supporter").

``clause_score(text)`` is VADER's compound score of a clause under that reading; ``strongest_word`` is where in
it the score comes from, so that the caller can tell whom the clause is about.
"""

from __future__ import annotations

import re
from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

# Words whose valence in a note is the business's, not a person's (VADER scores them as moods).
_BUSINESS_TEXT = """
clearly certainly definitely surely obviously honestly
like likes liked help helps helped helping support supports supported agree agreed agrees interest interested
problem problems issue issues risk risks please thanks thank ok okay fine free care cut cuts demand demands
pressure lost win wins won growth grow increase increased improve improved improvement benefit benefits value
save saved saves savings delay delayed delays fail fails failed failure failing crash crashed broke broken block
blocked blocker stop stopped yes want wants wanted kind sure clear ready true well pretty easy hard strong weak
critical important top solid miss missed lose losing loss gain gains opportunity opportunities cancel cancelled
canceled dead killed kill war attack fight battle freeze frozen approve approved approval reject rejected accept
accepted pay paid debt charged charge error errors success successful bug bugs outage down threat threats
competitive competition aggressive urgent urgency emergency best better worse priority fix fixed credit credits
matter matters share shared sharing resolve resolved solution solutions ensure secure security safe safety
protect protection trust trusted legal force forced limit limited limits complex complicated intelligence smart
inside deal deals big bigger huge large no good promoted promotion promote award awarded welcome welcomed bonus
profit profits rich wealth grant granted won winning reward hand po treat treats treated treating
holiday holidays grand
"""
_BUSINESS_WORDS = frozenset(_BUSINESS_TEXT.split())
# Domain words VADER does not know, or weighs differently in a note about a customer.
_DOMAIN_WORDS = {
    "supporter": 2.0, "champion": 2.0, "advocate": 1.8, "fan": 1.8, "keen": 1.8, "bullish": 1.8, "stoked": 2.2,
    "chuffed": 2.0, "upbeat": 1.8, "receptive": 1.6, "constructive": 1.2, "impressed": 2.2, "engaged": 1.2,
    "pushback": -1.6, "skeptical": -1.5, "sceptical": -1.5, "lukewarm": -1.2, "unconvinced": -1.5,
    "underwhelmed": -1.8, "unimpressed": -1.8, "frosty": -1.6, "grumpy": -1.6, "irritated": -1.8, "fuming": -2.5,
    "sharp": -1.6, "curt": -1.6, "brusque": -1.6, "terse": -1.4, "snippy": -1.6, "snappy": -1.4,
    "complaints": -1.7, "complaint": -1.5, "complaining": -1.7, "moaning": -1.5, "grumbling": -1.4,
    # everyday verbs of warmth and displeasure VADER does not list
    "glowing": 2.0, "gush": 2.0, "beam": 1.6, "rave": 2.2, "believer": 1.6, "vent": -1.4, "gripe": -1.4,
    "grumble": -1.4, "bristle": -1.2, "scoff": -1.4, "sneer": -1.6, "sulk": -1.5, "fume": -1.8,
    "inacceptable": -2.0, "mediocre": -1.2, "heated": -1.4,  # "unacceptable" as French and German speakers spell it
}
# The writer's laughter and asides in chat ("she emailed first lol"): the note's tone, never a person's mood.
_WRITER_ASIDES = frozenset(["lol", "lolz", "lmao", "lmfao", "rofl", "haha", "hahaha", "hehe", "xd", "jk"])
_STRONG_ENOUGH = 1.0  # a word this strong passes its valence to its inflections ("rant" -> "ranted", "ranting")
# Business-neutral above ("good news", "best practice", "kind of"), but moods when said of or by a person.
PERSON_WORDS = {"good": 1.9, "best": 3.2, "better": 1.9, "kind": 2.4}
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


@lru_cache(maxsize=1)
def analyzer() -> SentimentIntensityAnalyzer:
    """VADER with the business words neutral and the domain words added (built once)."""
    found = SentimentIntensityAnalyzer()
    found.lexicon.update(_DOMAIN_WORDS)
    for word, value in list(found.lexicon.items()):
        if abs(value) >= _STRONG_ENOUGH and word.isalpha() and word not in _BUSINESS_WORDS:
            for form in inflections(word):
                found.lexicon.setdefault(form, value)
    for word in _BUSINESS_WORDS | _WRITER_ASIDES:
        found.lexicon.pop(word, None)
    return found


def inflections(word: str) -> list[str]:
    """A word's regular -s / -ed / -ing forms ("rant": "rants", "ranted", "ranting"; "gush": "gushes";
    "beam": "beamed"; "vent": "vented"; "sulk": "sulked"; "rave": "raved", "raving"; "grumble": "grumbled")."""
    if word.endswith("e"):
        return [word + "s", word + "d", word[:-1] + "ing"]
    plural = word + "es" if word.endswith(("s", "sh", "ch", "x", "z")) else word + "s"
    return [plural, word + "ed", word + "ing"]


def clause_score(text: str) -> float:
    """VADER's compound score of ``text`` (-1..+1) with business words neutral. Emoji are left out: their chat
    meaning is read by ``emoji_mood.py`` (VADER would read "🔥" as a fire)."""
    return float(analyzer().polarity_scores(_without_emoji(text))["compound"])


@lru_cache(maxsize=1)
def _person_analyzer() -> SentimentIntensityAnalyzer:
    found = SentimentIntensityAnalyzer()
    found.lexicon = {**analyzer().lexicon, **PERSON_WORDS}
    return found


def person_score(text: str) -> float:
    """VADER's compound score of words a person said ("'honestly the best thing we bought'"): as ``clause_score``,
    with ``PERSON_WORDS`` counting again."""
    return float(_person_analyzer().polarity_scores(_without_emoji(text))["compound"])


# "'mid at best'", "okay at best": what comes before caps the praise; "at best" is no praise of its own
_AT_BEST = re.compile(r"\bat\s+(?:the\s+very\s+)?best\b", re.IGNORECASE)


def _without_emoji(text: str) -> str:
    emojis = analyzer().emojis
    return _AT_BEST.sub("meh", "".join(ch for ch in text if ch not in emojis))


def strongest_word(text: str, start: int, end: int, sign: int) -> tuple[int, int] | None:
    """Where in ``text[start:end]`` the word with the strongest valence of ``sign`` is."""
    lexicon = analyzer().lexicon
    best: tuple[float, int, int] | None = None
    for m in _WORD.finditer(text, start, end):
        value = lexicon.get(m.group(0).lower().replace("’", "'"), 0.0) * sign
        if value > 0 and (best is None or value > best[0]):
            best = (value, m.start(), m.end())
    return (best[1], best[2]) if best else None
