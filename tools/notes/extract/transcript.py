"""Whose "I" and "we" a pasted call transcript speaks in: "[14:03] Emma Bauer: Without a step-down in year two we're
done talking." is Emma's own words, and "00:01:52 Erik Thornton: I'll send you the plant list by Tuesday" is Erik's
promise, not the writer's.

A note is a transcript when two or more of its lines open with a speaker's label ("Emma Bauer:", "[14:02] Emma
Bauer:", "00:00:41 Susan Fleming:", "Ray Dalton  0:12") and one of them carries a time stamp, or the note says it
is one ("transcript", "recording", "recorder"). Minutes and one-line-per-person notes ("- Dana: keen on the
pilot, I'll send her the deck") are no transcript: there the writer still speaks in the first person.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from tools.notes.extract.email_voice import FIRST_PERSON, EmailVoice, email_voice, speaks_for
from tools.notes.extract.people import Mention, PeopleScan

_STAMP = r"(?:\[?\(?\d{1,2}:\d{2}(?::\d{2})?\)?\]?[ \t]*[-–|]?[ \t]*)"
# "[14:02] Emma Bauer: ...", "Angela Maddox [09:14]: ...", "Ray Dalton  0:12  Look, ..." (a recorder's layout)
_LINE = re.compile(r"^[ \t>*-]*(?P<stamp>" + _STAMP + r")?(?P<speaker>[^\W\d_][\w'’.-]*(?:[ \t]+[^\W\d_][\w'’.-]*)"
                   r"{0,3})[ \t]*(?:\([^()\n]{1,40}\))?[ \t]*(?:(?P<after>\[?\d{1,2}:\d{2}(?::\d{2})?\]?)[ \t]*:?|:)"
                   r"[ \t]*(?P<speech>\S[^\n]*)$", re.MULTILINE)
_SAYS_SO = re.compile(r"\b(?:transcripts?|recording|recorder|recorded|otter|fireflies|gong)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Line:
    start: int  # the speech's start (after the label)
    end: int
    speaker: Mention


def transcript_lines(text: str, scan: PeopleScan) -> list[Line]:
    """Each line a known customer person speaks, when the note is a transcript; else nothing."""
    labelled = list(_LINE.finditer(text))
    stamped = any(m.group("stamp") or m.group("after") for m in labelled)
    if len(labelled) < 2 or not (stamped or _SAYS_SO.search(text)):
        return []
    out = []
    for m in labelled:
        speaker = next((p for p in scan.at(m.start("speaker"), m.end("speaker"))
                        if p.person_id and not p.ambiguous), None)
        if speaker is not None:
            out.append(Line(m.start("speech"), m.end("speech"), speaker))
    return out


def speaker_at(lines: Sequence[Line], text: str, start: int, *, first_person: bool = True) -> Mention | None:
    """The speaker of the transcript line holding ``start``, when the words there open with "I" / "we" (or
    always, when ``first_person`` is False)."""
    line = next((x for x in lines if x.start <= start < x.end), None)
    if line is None:
        return None
    return line.speaker if not first_person or FIRST_PERSON.match(text, start) else None


@dataclass(frozen=True)
class Voices:
    """Who says "I" where: the sender of a pasted email, and the speakers of a pasted transcript."""

    email: EmailVoice | None
    lines: tuple[Line, ...]

    def speaker(self, text: str, start: int, *, first_person: bool = True) -> Mention | None:
        """Whose words the ones at ``start`` are, when not the writer's (see ``speaks_for`` and ``speaker_at``)."""
        return (speaks_for(self.email, text, start, first_person=first_person)
                or speaker_at(self.lines, text, start, first_person=first_person))


def voices(text: str, scan: PeopleScan, as_of: dt.date | None = None) -> Voices:
    """The note's voices other than the writer's: a pasted email's sender, a pasted transcript's speakers."""
    return Voices(email_voice(text, scan, as_of), tuple(transcript_lines(text, scan)))
