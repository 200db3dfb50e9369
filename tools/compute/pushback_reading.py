"""One note's commercial-pushback reading, and the fingerprint of the people it was read against.

``read_note`` is the costly part of the pushback check (the note reader's people scan and sentiment cues): who,
among the account's known people, objects to money in which sentence of one note. It depends only on the note's
text and the account's known people (ids, names, titles), so it is kept with the note (``NotePushback``, stored
by ``tools/compute/pushback_store.py``) together with ``people_key`` of the people it was read against; a brief
reads it back and filters it by who has a say in the deal on the day.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from store.models import Stakeholder
from tools.notes.schema import KnownPerson

if TYPE_CHECKING:
    from tools.notes.extract.people import PeopleScan

# The note reader (``tools.notes.extract``: dateparser, the rule tables) loads on the first note read, not with
# the tool modules: a one-shot ``kam chat`` imports every tool module for the planner's hints.

_QUOTE_CHARS = 160
MONEY = re.compile(
    r"\b(?:price[sd]?|pricing|uplift|quote[sd]?|discounts?|budgets?|spend|spending|costs?|costly|expensive|"
    r"fees?|rates?|invoices?|licen[cs]e fees?|payment terms|commercials?|ROI|TCO|renewal terms)\b",
    re.IGNORECASE,
)
_OBJECTS = re.compile(r"\b(?:push(?:ed|es|ing)?\s+back|pushback|objected|objects|objecting|balked|balks|baulked|"
                      r"resisted|resists|refused|rejected)\b", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(she|he)\s+$", re.IGNORECASE)

Finding = tuple[str, str]  # (stakeholder id, quoted sentence)


def known_people(people: Sequence[Stakeholder], account_id: str) -> list[KnownPerson]:
    """The note reader's view of the account's people, in id order (the reading does not depend on how the store
    happened to return them)."""
    return [KnownPerson(id=p.id, name=p.name, account_id=account_id, title=p.title)
            for p in sorted(people, key=lambda p: p.id)]


def people_key(known: Sequence[KnownPerson]) -> str:
    """A short fingerprint of what a reading depends on besides the text: the known people's ids, names, titles."""
    digest = hashlib.blake2b(digest_size=8)
    for p in known:
        digest.update(f"{p.id}\x1f{p.name}\x1f{p.title or ''}\x1e".encode())
    return digest.hexdigest()


def read_note(text: str, known: Sequence[KnownPerson]) -> list[Finding]:
    """Each known person who, in a sentence about money, carries a negative sentiment cue or objects (pushes
    back, objects, balks, ...): their first such sentence in the note, quoted, in reading order."""
    if not MONEY.search(text):
        return []  # nothing about money: no need to read who said what
    ids = {p.id for p in known}
    from tools.notes.extract.people import scan_people
    from tools.notes.extract.sentiment import sentiment_cues

    scan = scan_people(text, list(known))
    hits = [(cue.key, _sentence_of(text, cue.span)) for cue in sentiment_cues(text, scan) if cue.value < 0]
    hits += _objections(text, scan)
    found: dict[str, str] = {}
    for key, sentence in hits:
        if key in ids and key not in found and sentence and MONEY.search(sentence):
            found[key] = _quote(sentence)
    return list(found.items())


def _objections(text: str, scan: PeopleScan) -> list[tuple[str, str]]:
    """(person key, sentence) for each objection verb: its subject is the person named last before it in the
    sentence, or the one a "she" / "he" right before it stands for."""
    out: list[tuple[str, str]] = []
    from tools.notes.extract.text import sentences

    for piece in sentences(text):
        for verb in _OBJECTS.finditer(text, piece.start, piece.end):
            pronoun = _PRONOUN.search(text, piece.start, verb.start())
            who = scan.before(verb.start(), pronoun.group(1).lower() if pronoun else None)
            if who is not None and not who.ambiguous and (pronoun or who.start >= piece.start):
                out.append((who.key, piece.text.strip()))
    return out


def _sentence_of(text: str, span: str) -> str | None:
    at = text.find(span)
    if at < 0:
        return span or None
    from tools.notes.extract.text import sentences

    return next((s.text.strip() for s in sentences(text) if s.start <= at < s.end), span)


def _quote(sentence: str) -> str:
    one = " ".join(sentence.split())
    return one if len(one) <= _QUOTE_CHARS else one[: _QUOTE_CHARS - 1].rsplit(" ", 1)[0] + "…"
