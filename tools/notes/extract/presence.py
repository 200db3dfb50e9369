"""Who was there: people a note names but who did not take part in the meeting.

Two ways a named person is not a participant:

- absent: "Helen was absent", "Ray couldn't make it", "Ben (CIO) was off sick", "Ana sent her apologies", "Irene
  will join the next review" -- the
  person is kept out of the participants altogether, whatever else the note says of them;
- merely mentioned: "loop in Ray", "cc Ben", "without Dana", "introduce us to Raj", "in place of Ana", reported
  speech ("she mentioned that Jack might leave", "told me that Sean runs procurement", "Dana says Marcus is
  unhappy", "per Dana, Marcus signed off"), a possessive ("Helen's team is behind") -- that one mention does not
  make them a participant (another mention still may).

Reported speech whose speaker is one of our own people ("Jordan says Olivia was cool on it", "Maria tells me she
saw Lucia", "He says Chloe was all in" after "Jordan phoned me") is a colleague relaying the meeting they had: the
people in it took part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.notes.extract.people import Mention
from tools.notes.extract.roster import takes_part

# Said of someone who was not there, wherever it comes in their clause ("Kate was invited but she didn't come",
# "Vanessa mentioned as the new lead but wasn't on the call", "Robert: not in the call", "Ivan didn't show").
_NOT_THERE = (
    r"(?:(?:was|is|were)\s+)?not\s+(?:in|on|at)\s+(?:the\s+)?(?:call|meeting|room|session|qbr|workshop)\b"
    r"|(?:wasn['’]?t|weren['’]?t|isn['’]?t)\s+(?:on|in|at)\s+(?:the\s+)?(?:call|meeting|room|session|qbr|workshop)\b"
    r"|(?:wasn['’]?t|weren['’]?t|was\s+not|were\s+not)\s+there\b"
    r"|(?:didn['’]?t|did\s+not|don['’]?t|doesn['’]?t|do\s+not|does\s+not|never)\s+(?:show(?:\s+up)?|turn\s+up|come|"
    r"join|attend|make\s+it|dial\s+in)\b"
    r"|declined\s+(?:the\s+|our\s+)?(?:invite|invitation|meeting|call)\b|had\s+to\s+cancel\b|cancell?ed\s+on\s+us\b"
    r"|(?:was|got)\s+double[- ]booked\b|sent\s+(?:a|her|his|their)\s+(?:deputy|delegate|stand-in)\b|bailed\b"
    r"|(?:never|didn['’]?t|did\s+not|couldn['’]?t)\s+(?:saw|see|met|meet|spoke\s+to|speak\s+to|talked\s+to|talk\s+to|"
    r"caught|catch|ran\s+into|run\s+into)\s+(?:him|her|them)\b"
)
# What may stand between a name and ``_NOT_THERE`` for it to be said of that name: nothing, a colon or dash, or a
# clause of theirs ending in "but" / "and" / a pronoun ("was invited but she ...").
_CARRY_END = re.compile(r"(?:^|[:\-–—,]|\b(?:but|and|yet|though|she|he|they|also|then|still|just))\s*$", re.IGNORECASE)
_NOT_THERE_RE = re.compile(_NOT_THERE, re.IGNORECASE)
# A line that lists who was not there, or who came from our side: "Apologies: Henrik Larsen", "Not present: Ian
# Reid", "Our side: Sam Patel, Lena Fischer", "Attendees (us): Jordan Lee".
_ABSENT_LINE = re.compile(r"^[ \t]*(?:[-*•][ \t]*)?(?:apologies|absent|absentees|not\s+present|regrets|"
                          r"unable\s+to\s+attend|could\s+not\s+attend|couldn['’]?t\s+make\s+it|no[- ]shows?|"
                          r"missing|cc|bcc|copied)[ \t]*:",
                          re.IGNORECASE | re.MULTILINE)
_OURS_LIST = re.compile(r"(?:^|[.;]\s+)[ \t]*(?:[-*•][ \t]*)?(?:our\s+side|our\s+team|from\s+us|for\s+us|internal|"
                        r"(?:attendees|participants|present)[ \t]*\((?:us|ours|our\s+side|internal)\))[ \t]*:"
                        r"[^.;\n]*$", re.IGNORECASE)
# A name in brackets after a common noun is who that is, not someone met: "legal (Jasmine Walker) has cleared it".
_BRACKETED = re.compile(r"\b[a-z][a-z&/-]+\s*\($")

_ABSENT_AFTER = re.compile(
    r"\s*(?:\([^()]{1,60}\)\s*)?(?:,\s*)?(?:who\s+)?(?:"  # "It was Sofia who missed it"
    r"(?:was|is|were|are|['’]s)\s+(?:absent|away|excused|off(?:\s+sick)?|out(?:\s+sick|\s+of\s+office)?|sick|missing|ooo|"
    r"a\s+no[- ]show|not\s+there|not\s+on\s+the\s+call|(?:on|in)\s+(?:holiday|vacation|leave|pto|parental\s+leave))\b"
    r"|(?:[:–-]\s*)?not\s+(?:involved|present|there|(?:on|in)\s+the\s+(?:call|meeting))"
    r"|(?:absent|off\s+sick|out\s+sick|out\s+of\s+(?:the\s+)?office|ooo|out\s+on\s+(?:leave|holiday|vacation|pto)|"
    r"on\s+(?:holiday|vacation|leave|pto|parental\s+leave|annual\s+leave))\b"
    r"|(?:wasn['’]?t|was\s+not|weren['’]?t|were\s+not)\s+(?:on|in|there|around|present)\s*(?=[,.;:!?)\n]|$)"
    r"|(?:couldn['’]?t|could\s+not|didn['’]?t|did\s+not|wasn['’]?t|was\s+not|won['’]?t|can['’]?t|cannot)\s+"
    r"(?:make\s+it|join|attend|be\s+there|come|dial\s+in|be\s+on|there|on\s+the\s+call|show(?:\s+up)?|turn\s+up)\b"
    r"|(?:was|were)\s+invited\s+but\s+(?:(?:she|he|they)\s+)?(?:don['’]?t|didn['’]?t|did\s+not|couldn['’]?t|never|"
    r"wasn['’]?t|was\s+not)\b"
    r"|(?:was|were)\s+(?:on\s+the\s+(?:invite|invitation|list)|cc['’]?d\s+on\s+the\s+invite)\s+but\b"
    r"|\(\s*(?:not\s+present|absent|not\s+there|no[- ]show|not\s+on\s+the\s+call|didn['’]?t\s+(?:join|attend))\s*\)"
    r"|(?:will|is\s+going\s+to|['’]ll)\s+(?:join|attend|be\s+at|come\s+to|dial\s+into)\s+(?:the\s+|our\s+)?"
    r"(?:next|following|follow-up|future)\b"
    r"|(?:(?:was|were)\s+)?(?:supposed|meant|due|expected)\s+to\s+(?:join|attend|be\s+there|come|dial\s+in)\b"
    r"|(?:missed|skipped)\s+(?:it|the\s+\w+)\b|(?:(?:had|has|have)\s+)?sent\s+(?:(?:her|his|their)\s+)?"
    r"(?:apologies|regrets)\b"
    r"|(?:was|were)\s+on\s+the\s+(?:invite|invitation|list)\s*[,;]?\s*(?:but\s+)?(?:never|didn['’]?t|did\s+not)\s+"
    r"(?:join|show|turn\s+up|dial|come|make\s+it)"
    r"|no[- ]showed\b|dropped\s+out\b"
    r"|[:–-]\s*(?:sent\s+(?:her\s+|his\s+|their\s+)?apologies|apologies|apologi[sz]ed(?=\s*[,;]?\s*(?:absent|not\s+"
    r"(?:there|present)|$|[.;\n]))|regrets|cc['’]?d(?:\s+only)?|copied(?:\s+only)?|"
    r"in\s+copy(?:\s+only)?|didn['’]?t\s+(?:show|come|join|make\s+it)|no[- ]show|absent|away|on\s+leave|off\s+sick|"
    r"out\s+sick)\b"
    r"|" + _NOT_THERE + r")",
    re.IGNORECASE,
)
_ABSENT_BEFORE = re.compile(r"\b(?:absent|apologies\s+from|no\s+show\s+from|missing)\s*:?\s*$", re.IGNORECASE)
_MENTIONED_BEFORE = re.compile(
    r"\b(?:loop(?:ing|ed)?\s+in|cc['’]?d?|cc:|copied:?|copy(?:ing)?\s+in|ping|without|introduce\s+(?:us\s+|me\s+)?to|"
    r"intro(?:duction)?\s+to|in\s+place\s+of|instead\s+of|replac(?:es|ing|ed)|on\s+behalf\s+of|report(?:s|ed|ing)?\s+(?:directly\s+)?(?:in)?to|"
    r"escalate\s+to|forward\s+(?:it\s+)?to|check\s+with|ask|said\s+that|says\s+that|mentioned\s+that|"
    r"told\s+(?:me|us)(?:\s+that)?|heard\s+that|thinks\s+that|reckons|and\s+that|"
    r"(?:to|us|me|should|could|will|['’]ll)\s+meet(?:\s+(?:her|his|their|the|our)\s+[\w-]+,?)?|involve|"
    r"bring(?:ing)?|get(?:ting)?|wants?|wanted|would\s+like|needs|needed)\s+$",
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
_REPORTED_AFTER = re.compile(r"\s+(?:still\s+)?(?:hasn['’]?t|has\s+not|haven['’]?t|never)\s|\s+still\s+owes?\s|"
                             r"\s*(?:\([^()]{1,40}\)\s*)?(?:(?:needs|has|have|is|are|was|were|will\s+need|should|must)"
                             r"\s+)?(?:to\s+be|will\s+be|should\s+be|must\s+be)\s+(?:looped|brought|kept|pulled|"
                             r"copied|cc['’]?d)(?:\s+in)?\b|"
                             r"\s*(?:\([^()]{1,40}\)\s*)?(?:was\s+|is\s+|will\s+be\s+)?(?:cc['’]?d|cc:?|copied(?:\s+in)?|"
                             r"looped\s+in|in\s+cc|on\s+cc|in\s+copy|on\s+copy)(?=[\s.,;!]|$)|"
                             r"\s+(?:came\s+up|was\s+(?:mentioned|discussed|brought\s+up)|got\s+mentioned)\b",
                             re.IGNORECASE)  # "Yusuf came up a lot": talked about
_POSSESSIVE = re.compile(r"['’]s\s+[a-z]", re.IGNORECASE)


@dataclass(frozen=True)
class Presence:
    absent: frozenset[str]  # mention keys of people who were not there
    mentioned_only: frozenset[int]  # starts of mentions that do not make a participant


def presence(text: str, mentions: list[Mention], relayers: list[tuple[int, int]] = ()) -> Presence:
    """Which of ``mentions`` say someone was absent, and which only mention them. ``relayers`` are where the
    note names our own people (whose reports of a meeting are not hearsay)."""
    absent: set[str] = set()
    mentioned: set[int] = set()
    for m in mentions:
        before = text[max(0, m.start - 40) : m.start]
        line_start = text.rfind("\n", 0, m.start) + 1
        if (_ABSENT_AFTER.match(text, m.end) or _ABSENT_BEFORE.search(before) or _not_there_later(text, m, mentions)
                or _ABSENT_LINE.match(text, line_start) or _OURS_LIST.search(text[line_start : m.start])):
            absent.add(m.key)
            mentioned.add(m.start)
        elif ((_MENTIONED_BEFORE.search(before) and not (_SPEECH_BEFORE.search(before)
                                                         and _relayed_sentence(text, m, mentions, relayers)))
              or _reported(text, m, mentions, relayers)
              or _REPORTED_AFTER.match(text, m.end)
              or (_BRACKETED.search(before) and text.startswith(")", m.end))
              or (_POSSESSIVE.match(text, m.end) and not _IS_AFTER.match(text, m.end))):
            mentioned.add(m.start)
    return Presence(frozenset(absent), frozenset(mentioned))


def _reported(text: str, m: Mention, mentions: list[Mention] = (), relayers: list[tuple[int, int]] = ()) -> bool:
    """Whether ``m`` is named inside reported speech: after a reporting word of its sentence ("Dana says Marcus is
    unhappy", "per Dana, Marcus signed off"), with the speaker named or meant before it, unless the speaker is
    one of our own people."""
    start = max(text.rfind(c, 0, m.start) for c in ".!?\n;") + 1
    return any(r.end() <= m.start and not _relayed(text, r.start(), mentions, relayers)
               for r in _REPORTED.finditer(text, start, m.start))


_SPEECH_BEFORE = re.compile(r"\b(?:said|says|mentioned|told\s+(?:me|us)|heard|thinks|and)\s+that\s+$|\breckons\s+$",
                            re.IGNORECASE)


def _relayed_sentence(text: str, m: Mention, mentions: list[Mention], relayers: list[tuple[int, int]]) -> bool:
    """Whether the reported speech ``m`` is named in is a colleague's ("He says A was keen, and that B ...")."""
    start = max(text.rfind(c, 0, m.start) for c in ".!?\n;") + 1
    return any(_relayed(text, r.start(), mentions, relayers) for r in _REPORTED.finditer(text, start, m.start))


_SPEAKER = re.compile(r"(?:\b(?P<pronoun>he|she)\s+|[\s,]+)$", re.IGNORECASE)


def _relayed(text: str, at: int, mentions: list[Mention], relayers: list[tuple[int, int]]) -> bool:
    """Whether the reporting word at ``at`` is said by one of our own people: named right before it ("Jordan
    says", "Maria, who ran it, says" is not), or "he" / "she" with a colleague the last person named before."""
    if not relayers:
        return False
    speaker = _SPEAKER.search(text, max(0, at - 12), at)
    if speaker is None:
        return False
    if not speaker.group("pronoun"):
        return any(b == speaker.start() for _, b in relayers)
    pos = speaker.start()
    ours = max((b for _, b in relayers if b <= pos), default=-1)
    theirs = max((m.end for m in mentions if m.end <= pos), default=-1)
    return ours > theirs


def _not_there_later(text: str, m: Mention, mentions: list[Mention]) -> bool:
    """Whether the rest of ``m``'s clause says they were not there: "Kate Jansen was invited but she don't come",
    "Robert: not in the call" -- up to the end of the sentence or the next person named."""
    if takes_part(text, m):
        return False
    end = min([x.start for x in mentions if x.start >= m.end] + [len(text)])
    stop = re.search(r"[.!?;\n]", text[m.end : end])
    end = m.end + stop.start() if stop else end
    return any(_CARRY_END.search(text[m.end : found.start()]) for found in _NOT_THERE_RE.finditer(text, m.end, end))
