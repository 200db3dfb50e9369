"""Commercial pushback: a decision maker's objection to price or budget in the account's recent notes.

A note counts when, in a sentence about money (price, pricing, uplift, quote, discount, budget, spend,
cost, ...), a stakeholder with a say in the deal (budget, approver or veto authority, or an executive) either
carries a negative sentiment cue (the note reader's, ``tools.notes.extract``) or objects: pushes back, objects,
balks, resists. The note reader treats plain haggling as business, not a mood, so an objection is read here
on its own: for the risk register it is exactly the signal. The result is one line per person with the notes,
newest first, quoted.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from store.models import Interaction, Stakeholder
from tools.notes.schema import KnownPerson

if TYPE_CHECKING:
    from tools.notes.extract.people import PeopleScan

# The note reader (``tools.notes.extract``: dateparser, the rule tables) loads on the first brief that reads
# notes, not with the tool modules: a one-shot ``kam chat`` imports every tool module for the planner.

PUSHBACK_WINDOW_DAYS = 90
_QUOTE_CHARS = 160
_MONEY = re.compile(
    r"\b(?:price[sd]?|pricing|uplift|quote[sd]?|discounts?|budgets?|spend|spending|costs?|costly|expensive|"
    r"fees?|rates?|invoices?|licen[cs]e fees?|payment terms|commercials?|ROI|TCO|renewal terms)\b",
    re.IGNORECASE,
)
_DECIDES = ("budget", "approver", "veto")
_OBJECTS = re.compile(r"\b(?:push(?:ed|es|ing)?\s+back|pushback|objected|objects|objecting|balked|balks|baulked|"
                      r"resisted|resists|refused|rejected)\b", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(she|he)\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class PushbackNote:
    interaction_id: str
    date: dt.date
    quote: str


@dataclass(frozen=True)
class Pushback:
    stakeholder_id: str
    name: str
    title: str | None
    authority: str
    executive: bool
    notes: list[PushbackNote]  # newest first

    @property
    def role(self) -> str:
        parts = [self.title] if self.title else []
        if self.authority in _DECIDES:
            parts.append(f"{self.authority} authority")
        return ", ".join(parts)


def commercial_pushback(session: Session, account_id: str, as_of: dt.date,
                        window_days: int = PUSHBACK_WINDOW_DAYS) -> list[Pushback]:
    """The decision makers who pushed back on money in the ``window_days`` up to ``as_of``, most recent first."""
    people = list(session.exec(select(Stakeholder).where(Stakeholder.account_id == account_id)).all())
    deciders = {p.id: p for p in people if p.authority in _DECIDES or p.is_executive}
    if not deciders:
        return []
    from tools.notes.extract.people import scan_people
    from tools.notes.extract.sentiment import sentiment_cues

    known = [KnownPerson(id=p.id, name=p.name, account_id=account_id, title=p.title) for p in people]
    start = as_of - dt.timedelta(days=window_days - 1)
    notes = session.exec(select(Interaction).where(
        Interaction.account_id == account_id, Interaction.date >= start, Interaction.date <= as_of,
    ).order_by(col(Interaction.date).desc(), col(Interaction.id).desc())).all()
    found: dict[str, list[PushbackNote]] = {}
    for note in notes:
        text = note.text or ""
        if not _MONEY.search(text):
            continue  # nothing about money: no need to read who said what
        scan = scan_people(text, known)
        hits = [(cue.key, _sentence_of(text, cue.span)) for cue in sentiment_cues(text, scan) if cue.value < 0]
        hits += _objections(text, scan)
        for key, sentence in hits:
            if key in deciders and sentence and _MONEY.search(sentence) and all(n.interaction_id != note.id
                                                                                  for n in found.get(key, [])):
                found.setdefault(key, []).append(PushbackNote(note.id, note.date, _quote(sentence)))
    out = [Pushback(pid, deciders[pid].name, deciders[pid].title, deciders[pid].authority,
                    deciders[pid].is_executive, items) for pid, items in found.items()]
    return sorted(out, key=lambda p: (p.notes[0].date, p.notes[0].interaction_id), reverse=True)


def _objections(text: str, scan: PeopleScan) -> list[tuple[str, str]]:
    """(person key, sentence) for each objection verb: its subject is the person named last before it in the
    sentence, or the one a "she" / "he" right before it stands for."""
    from tools.notes.extract.text import sentences

    out: list[tuple[str, str]] = []
    for piece in sentences(text):
        for verb in _OBJECTS.finditer(text, piece.start, piece.end):
            pronoun = _PRONOUN.search(text, piece.start, verb.start())
            who = scan.before(verb.start(), pronoun.group(1).lower() if pronoun else None)
            if who is not None and not who.ambiguous and (pronoun or who.start >= piece.start):
                out.append((who.key, piece.text.strip()))
    return out


def _sentence_of(text: str, span: str) -> str | None:
    from tools.notes.extract.text import sentences

    at = text.find(span)
    if at < 0:
        return span or None
    return next((s.text.strip() for s in sentences(text) if s.start <= at < s.end), span)


def _quote(sentence: str) -> str:
    one = " ".join(sentence.split())
    return one if len(one) <= _QUOTE_CHARS else one[: _QUOTE_CHARS - 1].rsplit(" ", 1)[0] + "…"
