"""Commercial pushback: a decision maker's objection to price or budget in the account's recent notes.

A note counts when the note reader (``tools.notes.extract``: the people it names, the sentiment cues about
each) finds a negative cue about a stakeholder with a say in the deal (budget, approver or veto authority, or
an executive) and the sentence it sits in is about money (price, pricing, uplift, quote, discount, budget,
spend, cost, ...). The result is one line per person with the notes, newest first, quoted.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlmodel import Session, col, select

from store.models import Interaction, Stakeholder
from tools.notes.extract.people import scan_people
from tools.notes.extract.sentiment import sentiment_cues
from tools.notes.extract.text import sentences
from tools.notes.schema import KnownPerson

PUSHBACK_WINDOW_DAYS = 90
_QUOTE_CHARS = 160
_MONEY = re.compile(
    r"\b(?:price[sd]?|pricing|uplift|quote[sd]?|discounts?|budgets?|spend|spending|costs?|costly|expensive|"
    r"fees?|rates?|invoices?|licen[cs]e fees?|payment terms|commercials?|ROI|TCO|renewal terms)\b",
    re.IGNORECASE,
)
_DECIDES = ("budget", "approver", "veto")


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
        for cue in sentiment_cues(text, scan_people(text, known)):
            if cue.value >= 0 or cue.key not in deciders:
                continue
            sentence = _sentence_of(text, cue.span)
            if sentence and _MONEY.search(sentence) and all(n.interaction_id != note.id
                                                             for n in found.get(cue.key, [])):
                found.setdefault(cue.key, []).append(PushbackNote(note.id, note.date, _quote(sentence)))
    out = [Pushback(pid, deciders[pid].name, deciders[pid].title, deciders[pid].authority,
                    deciders[pid].is_executive, items) for pid, items in found.items()]
    return sorted(out, key=lambda p: (p.notes[0].date, p.notes[0].interaction_id), reverse=True)


def _sentence_of(text: str, span: str) -> str | None:
    at = text.find(span)
    if at < 0:
        return span or None
    return next((s.text.strip() for s in sentences(text) if s.start <= at < s.end), span)


def _quote(sentence: str) -> str:
    one = " ".join(sentence.split())
    return one if len(one) <= _QUOTE_CHARS else one[: _QUOTE_CHARS - 1].rsplit(" ", 1)[0] + "…"
