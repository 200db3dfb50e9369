"""Misspelt command words ("scoer", "drfit", "comitments", "snoze") put right before a request is read.

The command vocabulary is every word the tools' planner hints use (their exemplars and the literal words of
their word rules). A word of the request is corrected only when all of these hold, so that ordinary words never
snap to commands:

- it is not an English word (the frequency list that ships inside ``pyspellchecker``'s wheel), nor a word of
  the vocabulary itself, nor a name the user's catalogue knows (an account's or a person's word);
- it is written in lower case, or starts the message (a capitalised word inside a sentence is a name);
- it is within one edit of a vocabulary word (two for words of eight letters or more, a swap of two letters
  counting as one), nearer to that word than to any other, and no ordinary English word within one edit of it
  is a likelier reading ("realy" is "really", not "ready") unless it is a word of a tool's rules.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import OSA

from agent.planner.english import is_english, speller
from agent.planner.entities import Catalog, words_of
from agent.planner.intents import PlannerTools

_TOKEN = re.compile(r"[A-Za-z][a-z]+")
_MIN_LEN = 4
LIKELIER = 3  # an ordinary word this many times more frequent than the command word is the likelier reading


@lru_cache(maxsize=8)
def _vocabulary(key: tuple[str, ...], sources: tuple[str, ...]) -> frozenset[str]:
    words: set[str] = set()
    for source in sources:
        words.update(re.findall(rf"[a-z]{{{_MIN_LEN},}}", source.lower()))
    return frozenset(words)


def command_vocabulary(tools: PlannerTools, *, rules_only: bool = False) -> frozenset[str]:
    """The words of every tool's exemplars and rules (four letters or more); with ``rules_only``, the rules'."""
    sources: list[str] = []
    for hints in tools.values():
        if not rules_only:
            sources.extend(hints.exemplars)
        sources.extend(pattern for pattern, _weight in hints.rules)
    return _vocabulary(tuple(sorted(tools)) + (str(rules_only),), tuple(sources))


def _nearest(token: str, vocabulary: frozenset[str]) -> list[str]:
    """The vocabulary words nearest ``token`` within the edit limit (several when tied)."""
    limit = 2 if len(token) >= 8 else 1
    best: list[str] = []
    best_distance = limit + 1
    for word in vocabulary:
        if abs(len(word) - len(token)) > limit or (word[0] != token[0] and len(token) < 6):
            continue
        distance = OSA.distance(token, word, score_cutoff=limit)
        if distance < best_distance:
            best, best_distance = [word], distance
        elif distance == best_distance:
            best.append(word)
    return best


def _command_for(token: str, vocabulary: frozenset[str], rule_words: frozenset[str]) -> str | None:
    """The command word ``token`` misspells, unless it is as likely a misspelt ordinary word ("realy"): when an
    English word is as near, the command word must be the spell checker's own best guess, or a rule's word that
    the spell checker's guess does not far outnumber."""
    nearest = _nearest(token, vocabulary)
    if not nearest:
        return None
    english = speller()
    guess = english.correction(token)  # type: ignore[attr-defined]
    if guess in nearest:
        return str(guess)
    others = set(english.candidates(token) or ())  # type: ignore[attr-defined]
    others.discard(token)
    if len(nearest) > 1:
        nearest = [w for w in nearest if w in others]
    if len(nearest) != 1:
        return None
    fix = nearest[0]
    if not others:
        return fix
    if fix not in others:
        return None
    if guess and guess not in vocabulary and english.word_frequency[guess] > LIKELIER * english.word_frequency[fix]:
        return None  # "realy": "really" is far likelier than the rule word "ready"
    return fix if fix in rule_words and guess not in vocabulary else None


# Contractions typed without their apostrophe ("who havent i talked to", "whats overdue"): read with it. Only forms
# that are no English word themselves ("ill", "lets", "were", "well" are).
_BARE_CONTRACTIONS = re.compile(
    r"\b(have|has|do|does|did|is|are|was|were|could|would|should|wo|ca|what|who|that|there|i|you|they|we)"
    r"(nt|s|m|ve|re)\b", re.IGNORECASE)
_CONTRACTED = {"havent", "hasnt", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "couldnt",
               "wouldnt", "shouldnt", "wont", "cant", "whats", "whos", "thats", "theres", "im", "ive", "youre",
               "theyre", "weve", "youve", "theyve"}


# Chat shorthand for words the tools' rules spell out: "how often shld we do QBRs for defend accts".
_SHORTHAND = {"shld": "should", "shd": "should", "wld": "would", "cld": "could", "accts": "accounts", "acct": "account",
              "abt": "about", "mtg": "meeting", "mtgs": "meetings", "w/": "with", "w": "with", "pls": "please",
              "plz": "please", "tmrw": "tomorrow", "tmr": "tomorrow", "yday": "yesterday", "wk": "week", "wks": "weeks",
              "mgr": "manager", "rn": "right now", "asap": "as soon as possible"}
_SHORT_WORD = re.compile(r"(?<![\w/])(?:" + "|".join(re.escape(k) for k in sorted(_SHORTHAND, key=len, reverse=True))
                         + r")(?![\w/])", re.IGNORECASE)


def restore_apostrophes(text: str) -> str:
    """``text`` with apostrophe-less contractions written out with it ("havent" -> "haven't") and chat shorthand
    spelt out ("accts" -> "accounts")."""
    text = _SHORT_WORD.sub(lambda m: _SHORTHAND[m.group(0).lower()], text)
    def put(m: re.Match[str]) -> str:
        word, tail = m.group(0), m.group(2)
        if word.lower() not in _CONTRACTED:
            return word
        return word[: -len(tail)] + ("n't" if tail.lower() == "nt" else "'" + tail)
    return _BARE_CONTRACTIONS.sub(put, text)


def correct_commands(text: str, catalog: Catalog, tools: PlannerTools) -> str:
    """``text`` with each misspelt command word replaced by the command word it misspells, and contractions typed
    without their apostrophe written with it."""
    text = restore_apostrophes(text)
    vocabulary = command_vocabulary(tools)
    rule_words = command_vocabulary(tools, rules_only=True)
    names = {w for a in catalog.accounts for w in words_of(a.name)} | catalog.person_words()
    names |= {w for u in catalog.users for w in words_of(u.name)}
    out: list[str] = []
    last = 0
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        low = token.lower()
        inside = match.start() > 0 and text[:match.start()].strip() != ""
        if (len(low) < _MIN_LEN or low in vocabulary or low in names or (inside and token[0].isupper())
                or is_english(low)):
            continue
        fixed = _command_for(low, vocabulary, rule_words)
        if fixed is not None:
            out.append(text[last:match.start()] + fixed)
            last = match.end()
    return "".join(out) + text[last:] if out else text
