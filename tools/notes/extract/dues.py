"""Due dates of commitments: which phrase of a promise says when, and what day it means.

A due phrase ("by Friday", "12/4", "within two weeks", "end of month", "mid-December") is resolved against
``as_of`` preferring the future (``dates.resolve``). "Next week" is its Friday, as "end of next week" is, shown with
the words it came from so that the rep can correct it. A longer window without a day ("next month", "sometime in
December", "in Q1") is no due date and no question: nothing was promised for a day; "before the holidays" is the last
Friday before Christmas Eve, "before Christmas" the Eve itself, shown with the words it came from. A phrase that is
no day at all ("by 11/31") is asked about, never guessed.
"""

from __future__ import annotations

import datetime as dt
import re

from tools.notes.extract.dates import DATE_EXPR, DATE_RE, before_the_holidays, date_order, in_the_nearer_order, resolve
from tools.notes.extract.foreign_days import DEADLINE

_PERIOD_ONLY = re.compile(r"\b(?:in|by|during|before|until|till|for)\s+(?:early\s+|late\s+)?(?:Q[1-4]|H[12])"
                          r"(?:\s+\d{4})?\b", re.IGNORECASE)
_MARKER = r"(?:by|before|until|till|no\s+later\s+than|due|on|for|within|in|this|next|" + DEADLINE + ")"
_VAGUE = re.compile(r"\b(?P<phrase>(?:after|before|by|until|till|no\s+later\s+than)\s+(?P<rest>[^,.;!?\n]+))",
                    re.IGNORECASE)
# Due phrases that name a window without a day ("next month", "sometime in December", "early January"): due null.
_WINDOW_ONLY = re.compile(
    r"(?:(?:by|before|until|till|on|for|in|within|during|due)\s+)?(?:(?:sometime|some\s+time|at\s+some\s+point)\s+)?"
    r"(?:(?:in|during)\s+)?(?:(?:next|the\s+coming|coming)\s+(?:week|month|quarter|year)|this\s+(?:month|quarter|year)"
    r"|(?:(?:early|late)\s+)?(?:january|february|march|april|june|july|august|september|october|november|december|"
    r"jan|feb|aug|sept?|oct|nov|dec))"
)
_TIMEISH = re.compile(
    r"\b(?:week|month|day|time|deadline|meeting|board|review|call|qbr|renewal|holidays?|christmas|easter|break|"
    r"conference|launch|summit|event|thing|offsite|workshop|kick-?off|go-?live|quarter|year|sprint|cycle|close|then|"
    r"end|soon|later|season|visit|trip|demo|workshop|budget)\b",
    re.IGNORECASE,
)


HOLIDAYS = re.compile(r"\b(?:before|by|ahead\s+of|until|till)\s+(?:the\s+)?(?:(?:christmas|xmas|holiday)\s+(?:break|"
                       r"holidays?)|holidays|(?P<christmas>christmas|xmas|x-mas|chrissie))\b", re.IGNORECASE)
_AFTER_EVENT = re.compile(r"\s+(?:of|after|from)\s+(?!(?:today|now|this)\b)", re.IGNORECASE)


# "next week", "by next wk", "sometime in the coming week": a week with no day in it, due on its Friday
_NEXT_WEEK = re.compile(r"(?:(?:by|before|until|till|on|for|in|within|during|due)\s+)?(?:(?:sometime|some\s+time|"
                        r"at\s+some\s+point)\s+)?(?:(?:in|during)\s+)?(?:the\s+)?(?:next|coming)\s+week")


def _plain(phrase: str) -> str:
    return re.sub(r"\bwk\b", "week", re.sub(r"\bmth\b", "month", " ".join(phrase.lower().split())))


def is_window(phrase: str) -> bool:
    """Whether a due phrase names a window without a day ("next month", "sometime in December"); "next week" has
    one, its Friday."""
    phrase = _plain(phrase)
    return bool(_WINDOW_ONLY.fullmatch(phrase)) and not _NEXT_WEEK.fullmatch(phrase)


def _resolve_due(phrase: str, as_of: dt.date, day_first: bool | None) -> dt.date | None:
    """The day a due phrase means, looking forward; a bare "next week" is its Friday, as "end of next week" is. A
    numeric date whose order the note only guessed ("Mon 30 Nov" beside "by 12/10") that lands months away is read
    in the other order when that is a day in the weeks ahead (the 10th of December, not the 12th of October 2027)."""
    if _NEXT_WEEK.fullmatch(_plain(phrase)):
        phrase = "end of next week"
    value = resolve(phrase, as_of, prefer="future", day_first=day_first)
    return in_the_nearer_order(phrase, as_of, value, prefer="future", day_first=day_first)


_LEADING_DUE = re.compile(r"\s*(?:[-*•]\s*)?(?P<phrase>(?:(?:by|before|until|till|on)\s+)?" + DATE_EXPR + r")\s*,?\s*",
                          re.IGNORECASE)


def leading_due(text: str, sentence_start: int, promise_start: int, as_of: dt.date) -> tuple[dt.date, str, int] | None:
    """A due phrase that opens the sentence before the promise ("Next Tuesday I'll send the case study"): (the
    date, the phrase, where it starts), or None."""
    m = _LEADING_DUE.fullmatch(text, sentence_start, promise_start)
    if m is None or is_window(m.group("phrase")):
        return None
    value = _resolve_due(m.group("phrase"), as_of, date_order(text))
    if value is None or value < as_of:
        return None
    return value, m.group("phrase"), m.start("phrase")


def split_by_due(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A promise of two things with a due date each, cut between them: "the quote tmrw and the timeline by
    Friday" is two promises."""
    dates = list(DATE_RE.finditer(text, start, end))
    if len(dates) < 2:
        return [(start, end)]
    joint = re.compile(r"\s+and\s+(?:then\s+|also\s+)?").search(text, dates[0].end(), dates[1].start())
    if joint is None or not re.match(r"\s*(?:the|a|an|our|their|his|her|some)\b", text[joint.end() :]):
        return [(start, end)]
    return [(start, joint.start()), *split_by_due(text, joint.end(), end)]


def due_in(text: str, start: int, end: int, as_of: dt.date,
         questions: list[str]) -> tuple[dt.date | None, str | None, tuple[int, int] | None]:
    """The due date in ``text[start:end]``: (date, its phrase, where the phrase is); asks when unresolvable."""
    matches = [m for m in DATE_RE.finditer(text, start, end) if not re.match(r"['’]s\b", text[m.end() : m.end() + 2])]
    if matches:
        marked = [m for m in matches
                  if re.search(r"\b" + _MARKER + r"\s+$", text[max(start, m.start() - 16) : m.start()], re.I)]
        deadline = [m for m in marked
                    if re.search(r"\b(?:by|before|until|till|no\s+later\s+than|due|" + DEADLINE + r")\s+$",
                                 text[max(start, m.start() - 16) : m.start()], re.I)]
        m = (deadline or marked or matches)[0]  # "the forecast for next year by the end of the month": the deadline
        phrase_end = m.end()
        for later in matches[matches.index(m) + 1 :]:  # "EOD tomorrow", "Friday the 27th": one phrase
            if text[phrase_end : later.start()].strip():
                break
            phrase_end = later.end()
        lead = re.search(r"\b(?:" + DEADLINE + r"|by|before|until|till|no\s+later\s+than|due|on|for|within|in|during|"
                         r"sometime|from|"
                         r"starting|beginning|"
                         r"some\s+time)(?:\s+in)?\s+$",
                         text[max(start, m.start() - 16) : m.start()], re.IGNORECASE)
        phrase_start = m.start() - (len(lead.group(0)) if lead else 0)
        phrase = text[phrase_start:phrase_end]
        after_event = _AFTER_EVENT.match(text, phrase_end)
        if after_event and re.match(r"(?:in|within)\s", phrase, re.IGNORECASE):
            return None, None, (phrase_start, end)  # "within a week of receiving it": counted from an event
        if is_window(phrase):
            return None, None, (phrase_start, phrase_end)  # "next month": no day was promised, none is made up
        value = _resolve_due(phrase, as_of, date_order(text))
        if value is None:  # "by 11/31": a date that is no day; asked, never guessed
            questions.append(f"When is '{phrase}' - can you give a date?")
        return value, phrase if value else None, (phrase_start, phrase_end)
    period = _PERIOD_ONLY.search(text, start, end)
    if period:  # "in Q1", "by H2": a span, not a day
        return None, None, (period.start(), period.end())
    holidays = HOLIDAYS.search(text, start, end)
    if holidays:  # "before the holidays": the last Friday before Christmas Eve; "before xmas": the Eve; said as chosen
        return (before_the_holidays(as_of, christmas=bool(holidays.group("christmas"))), holidays.group(0),
                (holidays.start(), holidays.end()))
    vague = _VAGUE.search(text, start, end)
    if vague:  # "after the board meeting", "before the launch": no day, and nothing to ask
        marker = vague.group(0).split()[0].lower()
        if marker in ("after", "before") or _TIMEISH.search(vague.group("rest")):
            phrase = vague.group("phrase").rstrip(" ,;:-")
            return None, None, (vague.start(), vague.start() + len(phrase))
    return None, None, None
