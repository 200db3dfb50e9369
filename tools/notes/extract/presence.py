"""Who was there: people a note names but who did not take part in the meeting.

Two ways a named person is not a participant:

- absent: "Helen was absent", "Ray couldn't make it", "Ben (CIO) was off sick", "Ana sent her apologies", "Irene
  will join the next review" -- the
  person is kept out of the participants altogether, whatever else the note says of them;
- merely mentioned: "loop in Ray", "cc Ben", "without Dana", "introduce us to Raj", "in place of Ana", reported
  speech ("she mentioned that Jack might leave", "told me that Sean runs procurement", "Dana says Marcus is
  unhappy", "per Dana, Marcus signed off"), a possessive ("Helen's team is behind") -- that one mention does not
  make them a participant (another mention still may).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.notes.extract.people import Mention

_ABSENT_AFTER = re.compile(
    r"\s*(?:\([^()]{1,60}\)\s*)?(?:,\s*)?(?:"
    r"(?:was|is|were|are|['’]s)\s+(?:absent|away|off(?:\s+sick)?|out(?:\s+sick|\s+of\s+office)?|sick|missing|"
    r"a\s+no[- ]show|not\s+there|not\s+on\s+the\s+call|on\s+(?:holiday|vacation|leave|pto|parental\s+leave))\b"
    r"|(?:[:–-]\s*)?not\s+(?:involved|present|there|(?:on|in)\s+the\s+(?:call|meeting))"
    r"|(?:absent|off\s+sick|out\s+sick|out\s+of\s+(?:the\s+)?office|ooo|out\s+on\s+(?:leave|holiday|vacation|pto)|"
    r"on\s+(?:holiday|vacation|leave|pto|parental\s+leave|annual\s+leave))\b"
    r"|(?:couldn['’]t|could\s+not|didn['’]t|did\s+not|wasn['’]t|was\s+not|won['’]t|can['’]t|cannot)\s+"
    r"(?:make\s+it|join|attend|be\s+there|come|dial\s+in|be\s+on|there|on\s+the\s+call|show(?:\s+up)?|turn\s+up)\b"
    r"|(?:was|were)\s+invited\s+but\s+(?:(?:she|he|they)\s+)?(?:don['’]t|didn['’]t|did\s+not|couldn['’]t|never|"
    r"wasn['’]t|was\s+not)\b"
    r"|(?:will|is\s+going\s+to|['’]ll)\s+(?:join|attend|be\s+at|come\s+to|dial\s+into)\s+(?:the\s+|our\s+)?"
    r"(?:next|following|follow-up|future)\b"
    r"|(?:was|were)\s+(?:supposed|meant|due|expected)\s+to\s+(?:join|attend|be\s+there|come|dial\s+in)\b"
    r"|(?:missed|skipped)\s+(?:it|the\s+\w+)\b|sent\s+(?:her|his|their)\s+apologies\b|no[- ]showed\b|dropped\s+out\b)",
    re.IGNORECASE,
)
# A line that lists who was not there: "Apologies: Henrik Larsen", "Not present: Ian Reid (sent regrets)".
_ABSENT_LINE = re.compile(r"[ \t]*(?:[-*•][ \t]*)?(?:apologies|regrets|not\s+present|absent|absentees|missing|"
                          r"unable\s+to\s+attend|couldn['’]t\s+make\s+it|no[- ]shows?)[ \t]*:", re.IGNORECASE)
# Later in the sentence: "Vanessa Pearson mentioned as the new lead but wasn't on the call".
_ABSENT_LATER = re.compile(r"\bbut\s+(?:(?:she|he|they)\s+)?(?:wasn['’]t|was\s+not|weren['’]t|didn['’]t|did\s+not|"
                           r"couldn['’]t|don['’]t|never)\s+(?:on|in|at|there|join|attend|come|show|make)\b",
                           re.IGNORECASE)
_ABSENT_BEFORE = re.compile(r"\b(?:absent|apologies\s+from|no\s+show\s+from|missing)\s*:?\s*$", re.IGNORECASE)
_MENTIONED_BEFORE = re.compile(
    r"\b(?:loop(?:ing|ed)?\s+in|cc['’]?d?|cc:|copy(?:ing)?\s+in|ping|without|introduce\s+(?:us\s+|me\s+)?to|"
    r"intro(?:duction)?\s+to|in\s+place\s+of|instead\s+of|replac(?:es|ing|ed)|on\s+behalf\s+of|reports\s+to|"
    r"escalate\s+to|forward\s+(?:it\s+)?to|check\s+with|ask|said\s+that|says\s+that|mentioned\s+that|"
    r"told\s+(?:me|us)(?:\s+that)?|heard\s+that|thinks\s+that|reckons|and\s+that|"
    r"(?:to|us|me|should|could|will|['’]ll)\s+meet(?:\s+(?:her|his|their|the|our)\s+[\w-]+,?)?)\s+$",
    re.IGNORECASE,
)


# Reported speech: a person named after one of these, in the same sentence, is talked about, not met.
_REPORTED = re.compile(
    r"\b(?:said|says|saying|mentioned|mentions|told\s+(?:me|us|him|her)|tells\s+(?:me|us)|heard|hears|reckons|"
    r"thinks|thought|according\s+to|per|apparently|rumou?r\s+is|noted\s+that|flagged\s+that|warned\s+that|"
    r"confirmed\s+that|explained\s+that)\b",
    re.IGNORECASE,
)
# What follows "'s" when it is "is" / "has" ("Helen's keen", "Helen's been promoted"), not a possessive.
_IS_AFTER = re.compile(
    r"['’]s\s+(?:been|got|gone|going|not|never|now|still|also|very|really|so|quite|pretty|a|an|the|on|in|out|off|"
    r"back|here|there|keen|happy|unhappy|leaving|left|moving|about|after|worried|concerned|[a-z]+(?:ly|ed|ing))\b",
    re.IGNORECASE,
)
# Someone the note reports on rather than met: "Maya still hasn't shared the data".
_REPORTED_AFTER = re.compile(r"\s+(?:still\s+)?(?:hasn['’]t|has\s+not|haven['’]t|never)\s|\s+still\s+owes?\s|"
                             r"\s*(?:\([^()]{1,40}\)\s*)?(?:was\s+|is\s+)?(?:cc['’]?d|cc:?|copied(?:\s+in)?|"
                             r"looped\s+in|in\s+cc|on\s+cc)(?=[\s.,;!]|$)", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s\s+[a-z]", re.IGNORECASE)


@dataclass(frozen=True)
class Presence:
    absent: frozenset[str]  # mention keys of people who were not there
    mentioned_only: frozenset[int]  # starts of mentions that do not make a participant


def presence(text: str, mentions: list[Mention]) -> Presence:
    """Which of ``mentions`` say someone was absent, and which only mention them."""
    absent: set[str] = set()
    mentioned: set[int] = set()
    for m in mentions:
        before = text[max(0, m.start - 40) : m.start]
        if _ABSENT_AFTER.match(text, m.end) or _ABSENT_BEFORE.search(before) or _absent_by_line(text, m, mentions):
            absent.add(m.key)
            mentioned.add(m.start)
        elif (_MENTIONED_BEFORE.search(before) or _reported(text, m) or _REPORTED_AFTER.match(text, m.end)
              or (_POSSESSIVE.match(text, m.end) and not _IS_AFTER.match(text, m.end))):
            mentioned.add(m.start)
    return Presence(frozenset(absent), frozenset(mentioned))


def _absent_by_line(text: str, m: Mention, mentions: list[Mention]) -> bool:
    """Whether ``m`` is listed under "Apologies:" / "Not present:", or its sentence goes on to say it was not
    there ("... but wasn't on the call") before naming anyone else."""
    line_start = text.rfind("\n", 0, m.start) + 1
    if _ABSENT_LINE.match(text, line_start):
        return True
    end = min((i for i in (text.find(c, m.end) for c in ".!?\n;") if i >= 0), default=len(text))
    later = _ABSENT_LATER.search(text, m.end, end)
    return later is not None and not any(m.end <= x.start < later.start() for x in mentions)


def _reported(text: str, m: Mention) -> bool:
    """Whether ``m`` is named inside reported speech: after a reporting word of its sentence ("Dana says Marcus is
    unhappy", "per Dana, Marcus signed off"), with the speaker named or meant before it."""
    start = max(text.rfind(c, 0, m.start) for c in ".!?\n;") + 1
    return any(r.end() <= m.start for r in _REPORTED.finditer(text, start, m.start))
