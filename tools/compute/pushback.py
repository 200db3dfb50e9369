"""Commercial pushback: a decision maker's objection to price or budget in the account's recent notes.

A note counts when, in a sentence about money (price, pricing, uplift, quote, discount, budget, spend,
cost, ...), a stakeholder with a say in the deal (budget, approver or veto authority, or an executive) either
carries a negative sentiment cue (the note reader's, ``tools.notes.extract``) or objects: pushes back, objects,
balks, resists. The note reader treats plain haggling as business, not a mood, so an objection is read here
on its own: for the risk register it is exactly the signal. The result is one line per person with the notes,
newest first, quoted.

Each note is read once (``tools/compute/pushback_reading.py``: the note reader's people and sentiment cues)
and its reading kept with it (``tools/compute/pushback_store.py``); a brief reads the window's kept readings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from store.db import Database
from tools.compute.pushback_store import account_people, note_readings

PUSHBACK_WINDOW_DAYS = 90
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
                        window_days: int = PUSHBACK_WINDOW_DAYS, *, db: Database | None = None) -> list[Pushback]:
    """The decision makers who pushed back on money in the ``window_days`` up to ``as_of``, most recent first.

    With ``db`` the readings of notes read here for the first time are saved for the next brief."""
    people = account_people(session, account_id)
    deciders = {p.id: p for p in people if p.authority in _DECIDES or p.is_executive}
    if not deciders:
        return []
    start = as_of - dt.timedelta(days=window_days - 1)
    found: dict[str, list[PushbackNote]] = {}
    for note_id, day, findings in note_readings(session, account_id, people, start, as_of, db=db):
        for key, quote in findings:
            if key in deciders:
                found.setdefault(key, []).append(PushbackNote(note_id, day, quote))
    out = [Pushback(pid, deciders[pid].name, deciders[pid].title, deciders[pid].authority,
                    deciders[pid].is_executive, items) for pid, items in found.items()]
    return sorted(out, key=lambda p: (p.notes[0].date, p.notes[0].interaction_id), reverse=True)
