"""Whose "I" and "we" a pasted email speaks in: a note that carries an email from the customer ("From: Laura Reid
<...>" then "I'm fully supportive ... I will send the figures by Friday") speaks in the sender's voice from that
header to the sign-off (a line with only the sender's first name, or a "--" rule); the writer's own words, after it,
are the writer's again ("-- log against Orion pls. I'll send Laura the plan by Friday").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from tools.notes.extract.people import Mention, PeopleScan

_FROM = re.compile(r"^[ \t>]*[*_]*from[*_]*[ \t]*:[*_]*[ \t]*(?P<who>[^\n<]+)", re.IGNORECASE | re.MULTILINE)
_HEADER_LINE = re.compile(r"[ \t>]*[*_]*(?:from|to|cc|bcc|sent|date|subject|re)[*_]*[ \t]*:[^\n]*\n?", re.IGNORECASE)
_SENT = re.compile(r"[ \t>]*[*_]*(?:sent|date)[*_]*[ \t]*:[*_]*[ \t]*(?P<day>[^\n]+)", re.IGNORECASE)
_RULE = re.compile(r"^[ \t>]*(?:-{2,}|—|_{3,}|my\s+note\b|note\s+from\s+me\b)", re.IGNORECASE | re.MULTILINE)
FIRST_PERSON = re.compile(r"\s*(?:[-*•]\s*)?(?:(?:and|but|so|then|also)\s+)?(?:I|we)(?:['’](?:m|re|ve|d|ll))?\b",
                          re.IGNORECASE)


@dataclass(frozen=True)
class EmailVoice:
    start: int  # the body's start (after the header lines)
    end: int  # where the sender stops speaking
    sender: Mention
    sent: dt.date | None = None  # the "Sent:" / "Date:" header's day: the sender's "Friday" is seen from it


def email_voice(text: str, scan: PeopleScan, as_of: dt.date | None = None) -> EmailVoice | None:
    """The stretch of ``text`` in a known sender's voice, or None when the note carries no such email."""
    header = _FROM.search(text)
    if header is None:
        return None
    sender = next((m for m in scan.at(header.start("who"), header.end("who")) if m.person_id and not m.ambiguous),
                  None)
    if sender is None:
        return None
    first = re.escape(sender.name.split()[0])
    sign_off = re.compile(r"^[ \t>]*(?:" + first + r"|" + re.escape(sender.name) + r")[ \t]*$",
                          re.IGNORECASE | re.MULTILINE)
    body, sent = text.find("\n", header.end()) + 1 or len(text), None
    while (line := _HEADER_LINE.match(text, body)) and line.end() > body:  # To:, Cc:, Sent:, Subject: lines
        day = _SENT.match(line.group(0))
        if day and as_of is not None:
            from tools.notes.extract.dates import resolve

            sent = resolve(day.group("day").strip(), as_of, prefer="past", day_first=None)
        body = line.end()
    ends = [m.start() for pattern in (sign_off, _RULE) for m in [pattern.search(text, body)] if m]
    return EmailVoice(body, min(ends, default=len(text)), sender, sent if sent and sent <= (as_of or sent) else None)


def speaks_for(voice: EmailVoice | None, text: str, start: int, *, first_person: bool = True) -> Mention | None:
    """The sender, when the words at ``start`` are inside the email's body (and open with "I" / "we" unless
    ``first_person`` is False: a mood said in the body with no one else named is the sender's)."""
    if voice is None or not voice.start <= start < voice.end:
        return None
    return voice.sender if not first_person or FIRST_PERSON.match(text, start) else None
