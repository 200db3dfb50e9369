"""Whether a message records a meeting that happened, read from what the catalogue knows rather than from wording:
it names a meeting, the people it names are stakeholders of one visible account, and any day it gives is past.

"Kingsley QBR 18/11 - Anton, Hugo B, Ryan, Martina Wells" carries a tool's word ("QBR") and no verb at all, and a
text classifier trained on sentences may take it for a request; but a request never lists the customer's people
who were in a meeting on a day gone by. A message that opens with a command or asks the agent for something
("prep me for the Kingsley QBR with Anton and Hugo", "can you ...") is left to the request readers, and so is one
whose only days are ahead ("QBR with Anton and Hugo on 3/12" is a meeting to come, not one to log).
"""

from __future__ import annotations

import datetime as dt
import re

from agent.planner.entities import Catalog, PersonRef
from agent.understanding.vocabulary import IMPERATIVES

_ASKS_AGENT = re.compile(r"\b(?:(?:can|could|would|will)\s+you|(?:prep|brief|help|show|tell|give|remind|get)\s+me|"
                         r"pls|please|plz|i\s+need|i\s+want|let\s+me\s+(?:see|know))\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# A stakeholder who got in touch, said right after their name ("ryan dixon called, wants a demo"): a report.
_GOT_IN_TOUCH = re.compile(r"\s+(?:called|rang|phoned|emailed|e-mailed|texted|messaged|pinged|wrote|replied|"
                           r"reached\s+out|dropped\s+by|came\s+by|stopped\s+by|popped\s+in|got\s+back|"
                           r"got\s+in\s+touch|dialled\s+in|dialed\s+in)\b", re.IGNORECASE)


def records_meeting(text: str, catalog: Catalog) -> bool:
    """Whether ``text`` reads as the record of a past meeting with named stakeholders of one visible account: one
    who got in touch ("Ryan called"), two or more of them with no day ahead, or one with a day gone by."""
    stripped = text.strip()
    words = _WORD.findall(stripped)
    if not words or stripped.endswith("?") or words[0].lower() in IMPERATIVES or _ASKS_AGENT.search(stripped):
        return False
    named = _stakeholders_named(stripped, catalog)
    if not named:
        return False
    if _got_in_touch(stripped, named):
        return True
    from tools.notes.extract.occasion import MEETING_WORDS  # the notes' meeting words

    if not MEETING_WORDS.search(stripped):
        return False
    past, ahead = _days(stripped, catalog.today)
    return (len(named) >= 2 and not (ahead and not past)) or past


def _got_in_touch(text: str, named: list[PersonRef]) -> bool:
    for person in named:
        for name in (person.name, person.name.split()[0]):
            for found in re.finditer(r"\b" + re.escape(name) + r"\b", text, re.IGNORECASE):
                if _GOT_IN_TOUCH.match(text, found.end()):
                    return True
    return False


def _stakeholders_named(text: str, catalog: Catalog) -> list[PersonRef]:
    """The stakeholders of the one account most named in ``text``: by full name in any case, or by a first name
    written with its capital. The text is cut into words once; each person is a set lookup, not a search."""
    spaced = " " + " ".join(_WORD.findall(text.casefold())) + " "
    capitalised = set(re.findall(r"\b[A-Z][a-z'’-]+\b", text))
    by_account: dict[str, list[PersonRef]] = {}
    for person in catalog.people:
        if person.name.split()[0] in capitalised or f" {person.name.casefold()} " in spaced:
            by_account.setdefault(person.account_id, []).append(person)
    return max(by_account.values(), key=len, default=[])


_DAY_OF = re.compile(r"\s+(?:on\s+|last\s+|el\s+|am\s+|le\s+)?", re.IGNORECASE)


def _days(text: str, today: dt.date | None) -> tuple[bool, bool]:
    """Whether ``text`` names a day before ``today`` (or today), and one after it, each read as the nearer one."""
    if today is None:
        return False, False
    from tools.notes.extract.dates import DATE_RE, WEEKDAYS, resolve  # the notes' reading of a day
    from tools.notes.extract.foreign_days import in_english
    from tools.notes.extract.occasion import MEETING_WORDS

    past = ahead = False
    for found in DATE_RE.finditer(text):
        before = resolve(found.group(0), today, prefer="past", day_first=None)
        word = MEETING_WORDS.search(text, max(0, found.start() - 16), found.start())
        if (before is not None and before <= today and word and _DAY_OF.fullmatch(text, word.end(), found.start())
                and re.fullmatch(WEEKDAYS + "|wed", in_english(found.group(0)), re.IGNORECASE)):
            past = True  # "call el martes", "meeting on Tuesday": the weekday the meeting was
            continue
        after = resolve(found.group(0), today, prefer="future", day_first=None)
        if before is None and after is None:
            continue
        near = min((d for d in (before, after) if d is not None), key=lambda d: abs((d - today).days))
        if near <= today:
            past = True
        else:
            ahead = True
    return past, ahead
