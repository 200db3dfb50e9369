"""Date phrases of a note, resolved against the day the note is about (``as_of``), never the wall clock.

Due dates prefer the future ("by Friday" is the Friday after ``as_of``); interaction dates prefer the past
("on Tuesday" is the Tuesday before). dateparser does the general work with ``RELATIVE_BASE = as_of``; the
phrases it gets wrong or does not know (end of week / month / quarter / year, EOD, "the 15th", mid-month,
"this week" for a due date) are resolved here first. A phrase nothing can resolve gives ``None``: the caller
asks for a date instead of guessing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Literal

import dateparser
from rapidfuzz import fuzz, process

from tools.notes.extract.foreign_days import DAY_OF_MONTH as FOREIGN_DAY_OF_MONTH
from tools.notes.extract.foreign_days import RELATIVE as FOREIGN_RELATIVE
from tools.notes.extract.foreign_days import WEEKDAY as FOREIGN_WEEKDAY
from tools.notes.extract.foreign_days import in_english
from tools.notes.extract.iso_weeks import ISO_WEEK, week_day

Prefer = Literal["future", "past"]

# Abbreviations that are also words ("sat", "sun", "wed") only count written out in full.
WEEKDAYS = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|weds|thu|thur|thurs|fri)"
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
# Month names alone ("by March"); "May" only with a day, since "may" is mostly the verb.
_FULL_MONTHS = (
    r"(?:january|february|march|april|june|july|august|september|october|november|december|jan|feb|aug|sept?"
    r"|oct|nov|dec)"
)
_ORD = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)"
_DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_NUMBER = r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a couple of|a few)"
# A day of the month in words ("the thirteenth", "thirty first of November"); "first" to "third" alone are too often
# no day ("the first call"), so only with a month.
_ORDINAL_WORDS = {w: i + 1 for i, w in enumerate((
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
    "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
    "twentieth"))}
_ORDINAL_WORDS["thirtieth"] = 30
_UNITS = r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
SPELLED_DAY = (r"(?:(?:twenty|thirty)[\s-]?" + _UNITS + r"|" + "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True))
               + r")")
_SPELLED_LATE = r"(?:(?:twenty|thirty)[\s-]?" + _UNITS + r"|(?!first|second|third)" + SPELLED_DAY + r")"
_PERIOD = r"(?:day|week|month|quarter|year|wk|mth)"  # "in 2 wks", "end of next wk"

# One date expression, as people write them in notes. Longest alternatives first.
DATE_EXPR = (
    r"(?:"
    r"\d{4}-\d{2}-\d{2}"
    r"|" + ISO_WEEK +  # "Friday week 50", "in week 51", "end of KW 51"
    r"|(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+|this\s+|next\s+)?" + _PERIOD +
    r"|(?:this\s+|next\s+)?" + _PERIOD + r"[\s-]end"
    r"|\b(?:eod|eow|eom|eoq|eoy|cob)\b"
    r"|(?:the\s+)?day\s+(?:after\s+tomorrow|before\s+yesterday)"
    r"|last\s+week\s+" + WEEKDAYS + r"\b"  # "last week Thursday": that day of the week before this one
    r"|(?:the\s+)?week\s+after\s+next"
    r"|(?:mid|early|late)[\s-]" + _MONTHS + r"\b"
    r"|(?:early|mid|late)[\s-](?:this\s+|next\s+)?week\b"
    # "Friday the eighteenth of December", "Fri, 18 Dec": the weekday labels the day the rest names
    r"|" + WEEKDAYS + r"\.?,?\s+(?:the\s+)?(?:" + _DAYNUM + r"|" + SPELLED_DAY + r")\s+(?:of\s+)?" + _MONTHS
    + r"\b(?:,?\s+\d{4})?"
    r"|" + WEEKDAYS + r"\.?,?\s+" + _MONTHS + r"\.?\s+" + _DAYNUM + r"\b(?:,?\s+\d{4})?"
    r"|" + _MONTHS + r"\.?\s+" + _DAYNUM + r"\b(?:,?\s+\d{4})?"
    r"|(?:the\s+)?" + _DAYNUM + r"\s+(?:of\s+)?" + _MONTHS + r"\b(?:,?\s+\d{4})?"
    r"|(?:the\s+)?" + SPELLED_DAY + r"\s+(?:of\s+)?" + _MONTHS + r"\b(?:,?\s+\d{4})?"
    r"|the\s+" + _SPELLED_LATE + r"(?=\s*(?:[.,;:!?)\n]|$))"  # "sorry, I meant the thirteenth"
    r"|(?:(?<=\bby\s)|(?<=\bon\s)|(?<=\btill\s)|(?<=\buntil\s)|(?<=\bbefore\s)|(?<=\bdue\s)|(?<=\bfor\s))"
    r"(?:[01]?\d|[23]\d)/(?:[0-3]?\d)(?:/(?:\d{4}|\d{2}))?(?![\d/])"
    # "by 30.11.", "4.12.2026": day first, with its closing full stop
    r"|(?:the\s+)?(?<![\d.])(?:[12]\d|3[01]|0?[1-9])\.(?:1[0-2]|0?[1-9])\.(?:\d{4}|\d{2})?(?![\d])"
    r"|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|weds?|thu|thurs?|fri|sat|sun)\.?,?\s+"
    r"(?:[0-3]?\d)/(?:[01]?\d)(?:/(?:\d{4}|\d{2}))?(?![\d/])"  # "Wed 18/11": the weekday names the day written
    r"|(?<![\d/])(?:[01]?\d|[23]\d)/(?:[0-3]?\d)/(?:\d{4}|\d{2})(?![\d/])"
    r"|(?<![\d/])(?:[01]?\d|[23]\d)/(?:[0-3]?\d)(?=\s*(?:[.,;:!?)\n|→]|[-–—]\s|->|w/|w\b|with\b|$|"
    r"\s+(?:not|instead|rather)\b))"  # "QBR 18/11 -", "said 11/12 not 10/12"
    r"|(?<!\ba\s)(?<!\bour\s)(?<!\btheir\s)(?:the\s+)?" + _ORD + r"\b(?![-‐‑]\w)"  # "the 2nd", not "a 2nd site"
    r"|(?:the\s+)?\d{2}(?:st|nd|rd|th)\b"
    r"|(?:(?:early|late|mid|the\s+end\s+of|end\s+of)\s+)?" + _FULL_MONTHS + r"\b"
    r"|(?:(?<=\bby\s)|(?<=\bon\s)|(?<=\btill\s)|(?<=\buntil\s)|(?<=\bwas\s))(?:wed|sat|sun)\b"
    r"|(?:this|next|last|coming)\s+(?:wed|sat|sun)\b"
    r"|\bwed\b(?=\s*(?:[.,;:!?)\n|→–—-]|w/|w\b|with\b|$))"  # "mtg wed w/ ...", "call wed w kumar", "teams wed → ..."
    r"|(?:(?<=\bon\s)|(?<=\bby\s)|(?<=\blast\s)|(?<=\bnext\s)|(?<=\bthis\s)|(?<=\buntil\s))"
    r"(?!(?:holi|to|birth|some|every|mid|pay|work|week|yester|dooms|hey|sun|mon|tues|wednes|thurs|fri|satur)day\b)"
    r"[A-Za-z]{2,8}day\b"  # a misspelt weekday ("Thirsday"): read by its nearest spelling
    r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)(?:dee|dey)\b"  # said as spoken ("Thursdee", "Mondee")
    r"|" + WEEKDAYS + r"\.?,?[ \t]+(?:the[ \t]+)?" + _DAYNUM + r"(?=\s*(?:\.(?!\d)|[,;:!?)\n]|$))"  # "monday 30"
    r"|" + WEEKDAYS + r"\.?\s+(?:next\s+)?(?:week|wk)\b"  # "Friday week", "fri next wk": a day of the week to come
    r"|(?:(?:this|next|last|coming|this\s+coming)\s+)?" + WEEKDAYS + r"\b(?:\s+(?:morning|afternoon|evening))?"
    r"|(?:in|within)\s+(?:the\s+next\s+)?" + _NUMBER + r"\s+(?:business\s+|working\s+)?" + _PERIOD + r"s?"
    r"|(?:in\s+)?a\s+fortnight"
    r"|" + _NUMBER + r"\s+" + _PERIOD + r"s?\s+ago"
    r"|a\s+week\s+from\s+(?:today|now)"
    r"|(?:this|next|last)\s+" + _PERIOD + r"\b"
    r"|\bthis\s+(?:am|pm)\b"
    r"|\b(?:today|tonight|tomorrow|tmrw|tmr|tmw|tomorow|2moro|yesterday|yday|this\s+morning|this\s+afternoon|this\s+evening|last\s+night)\b"
    r"|" + FOREIGN_DAY_OF_MONTH + r"|" + FOREIGN_WEEKDAY + r"|" + FOREIGN_RELATIVE +  # "el jueves", "ayer"
    r")"
)
DATE_RE = re.compile(r"\b" + DATE_EXPR, re.IGNORECASE)
# "Esther was more like 8/10": a score out of ten, not the 10th of August
_SCORE_BEFORE = re.compile(r"\b(?:like|was|is|were|at|rated|scored?|gave\s+\w+|a|an|about|around)\s+$", re.IGNORECASE)


def out_of_ten(text: str, found: re.Match[str]) -> bool:
    """Whether the date ``found`` in ``text`` is a score out of ten ("was more like 8/10")."""
    return found.group(0).endswith("/10") and _SCORE_BEFORE.search(text, max(0, found.start() - 20),
                                                                   found.start()) is not None

_SHORT_PERIODS = {"eow": "week", "eom": "month", "eoq": "quarter", "eoy": "year"}
_MONTH_NUM = {name: i for i, name in enumerate(calendar.month_abbr) if name}
_ALIASES = (
    (re.compile(r"\b(?:tmrw|tmr|tmw|tomorow|2moro)\b", re.I), "tomorrow"),
    (re.compile(r"\byday\b", re.I), "yesterday"),
    (re.compile(r"(?:^|(?<=\s))wed$", re.I), "wednesday"),  # the phrase's last word: "next wed"
    (re.compile(r"(?:^|(?<=\s))sat$", re.I), "saturday"),  # the phrase's last word: "next sat"
    (re.compile(r"(?:^|(?<=\s))sun$", re.I), "sunday"),  # the phrase's last word: "next sun"
    (re.compile(r"\bwithin\b", re.I), "in"),
    (re.compile(r"\bthurs?\b", re.I), "thursday"),
    (re.compile(r"\bweds\b", re.I), "wednesday"),
    (re.compile(r"\ba week from (?:today|now)\b", re.I), "in 1 week"),
    (re.compile(r"\ba couple of\b", re.I), "2"),
    (re.compile(r"\ba few\b", re.I), "3"),
    (re.compile(r"\b(?:this )?coming\b", re.I), "next"),
    (re.compile(r"\b(?:morning|afternoon|evening)\b", re.I), ""),
)


_NUMERIC_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/\d{2,4})?(?![\d/])")
_DAY_MONTH = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTHS + r"\b", re.IGNORECASE)
_MONTH_DAY = re.compile(r"\b" + _MONTHS + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?\b", re.IGNORECASE)


def writes_day_first(text: str) -> bool:
    """Whether a note writes its dates day first ("27/11", "19 Nov", "3rd of December"): then an ambiguous "3/12"
    in it is the 3rd of December. A note that writes "11/27" or "Nov 19" is read month first."""
    return date_order(text) is True


def date_order(text: str) -> bool | None:
    """True when the note writes its dates day first, False when month first, None when nothing in it tells
    (then an ambiguous "4/12" is whichever reading lies nearer: ``resolve`` with ``day_first=None``)."""
    numeric = [(int(a), int(b)) for a, b in _NUMERIC_DATE.findall(text)]
    if any(a > 12 >= b for a, b in numeric):
        return True
    if any(b > 12 >= a for a, b in numeric):
        return False
    day_month, month_day = len(_DAY_MONTH.findall(text)), len(_MONTH_DAY.findall(text))
    return None if day_month == month_day else day_month > month_day


def resolve(phrase: str, as_of: dt.date, *, prefer: Prefer, day_first: bool | None = False) -> dt.date | None:
    """The date ``phrase`` means, seen from ``as_of``; ``None`` when it cannot be resolved. ``day_first``: the
    note writes its dates day first, so "3/12" is the 3rd of December; ``None``: the note does not tell, so "4/12"
    is the reading nearer ``as_of`` (the 4th of December on the 22nd of November, "12/4" too)."""
    text = " ".join(in_english(phrase).lower().replace("’", "'").split()).strip(" .,;:!?")
    text = re.sub(SPELLED_DAY, _in_digits, text)  # "the thirty first of november": "the 31st of november"
    text = re.sub(r"^(?:by|before|until|till|til|on|due|for|no later than|not later than)\s+", "", text)
    text = re.sub(r"^(?:in|at|around|towards?)\s+(?=(?:the\s+)?end\s+of\b)", "", text)  # "in the end of month"
    text = re.sub(r"\bclose of\b", "end of", text)  # "by the close of next week"
    text = re.sub(r"^the\s+(?=end|day|week)", "", text)
    named = re.match(r"^(" + WEEKDAYS + r")\.?,?\s+(?=\d{1,2}/\d{1,2}\b)", text)  # "tuesday 01/12": the day it is
    text = re.sub(r"^[a-z]{3,9}\.?,?\s+(?=\d{1,2}[/.]\d{1,2}\b)", "", text)  # "wed 18/11", "thu 10.12.": the numbers
    text = re.sub(r"^(?:eod|cob|end of (?:the )?day)\s+(?=\S)", "", text)  # "EOD tomorrow" is tomorrow
    text = re.sub(r"(?<=\S)\s+(?:eod|cob|end of (?:the )?day)$", "", text)  # "tomorrow EOD" too
    if not text:
        return None
    text = re.sub(r"\bwk(s?)\b", r"week\1", re.sub(r"\bmths?\b", "month", text))
    text = re.sub(r"^(?:in|within) the next (?=\S+ (?:day|week|month)s?$)", "in ", text)  # "in the next two weeks"
    text = re.sub(r"^" + WEEKDAYS + r"\.?,? (?=(?:the )?\d{1,2}(?:st|nd|rd|th)?$)", "", text)  # "monday 30": the 30th
    m = re.fullmatch(r"(?:the )?(\d{1,2})(?:st|nd|rd|th)?", text)
    if m:  # "the 32nd" is no day: None, and the caller asks; so is a past "31st" the month before did not have
        day = _day_of_month(int(m.group(1)), as_of, prefer) if 1 <= int(m.group(1)) <= 31 else None
        return None if day is not None and prefer == "past" and (as_of - day).days > 31 else day
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?", text)
    if m:  # "11/31" is no day: None, and the caller asks
        first, second = int(m.group(1)), int(m.group(2))
        if named is not None and first != second:  # "tuesday 01/12": the order whose day is a Tuesday
            weekday = next(i for i, name in enumerate(WEEKDAY_NAMES) if name.startswith(named.group(1)[:3]))
            fits = [d for d in (_numeric(first, second, m.group(3), as_of, prefer),
                                _numeric(second, first, m.group(3), as_of, prefer)) if d and d.weekday() == weekday]
            if fits:  # both orders a Tuesday ("thursday 03/12": 12 March and 3 December 2026): the nearer
                return min(fits, key=lambda d: abs((d - as_of).days))
        if day_first is None and m.group(3) is None and first != second:
            readings = [d for d in (_numeric(first, second, None, as_of, prefer),
                                    _numeric(second, first, None, as_of, prefer)) if d is not None]
            return min(readings, key=lambda d: abs((d - as_of).days), default=None)
        if day_first:
            first, second = second, first
        return _numeric(first, second, m.group(3), as_of, prefer)
    m = re.fullmatch(r"(?:the )?(\d{1,2})\.(\d{1,2})(?:\.(\d{2}|\d{4}))?", text)
    if m:  # "30.11." is written day first, always; "31.11." is no day: None, and the caller asks
        day, month = int(m.group(1)), int(m.group(2))
        return _numeric(month, day, m.group(3), as_of, prefer) if 1 <= month <= 12 else None
    m = re.fullmatch(r"(?:in|within) (\d{1,2}) (?:business|working) days?", text)
    if m:  # weekdays only
        day, left = as_of, int(m.group(1))
        while left:
            day += dt.timedelta(days=1)
            left -= day.weekday() < 5
        return day
    special = _special(text, as_of, prefer) or week_day(text, as_of, prefer)
    if special is not None:
        return special
    for pattern, repl in _ALIASES:
        text = pattern.sub(repl, text)
    text = re.sub(r"\b[a-z]{4,10}day\b", _weekday_spelling, text)
    text = " ".join(text.split())
    settings = {
        "PREFER_DATES_FROM": prefer,
        "RELATIVE_BASE": dt.datetime.combine(as_of, dt.time(12, 0)),
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": "DMY",
    }
    parsed = dateparser.parse(text, languages=["en"], settings=settings)  # type: ignore[arg-type]
    return parsed.date() if parsed is not None else None


def _in_digits(m: re.Match[str]) -> str:
    """A day of the month in words as digits: "thirty first" -> "31st", "thirteenth" -> "13th"."""
    words = re.split(r"[\s-]+", m.group(0))
    tens = {"twenty": 20, "thirty": 30}.get(words[0], 0) if len(words) == 2 else 0
    return f"{tens + _ORDINAL_WORDS[words[-1]]}th"


WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekday_spelling(m: re.Match[str]) -> str:
    """A misspelt weekday as its nearest weekday ("thirsday" -> "thursday"); other words as written."""
    found = process.extractOne(m.group(0), WEEKDAY_NAMES, scorer=fuzz.ratio, score_cutoff=75)
    return found[0] if found else m.group(0)


def _weekday_index(word: str) -> int | None:
    """Monday 0 ... Sunday 6 for a weekday as written ("fri", "thurs", "Friday"); ``None`` for another word."""
    if not re.fullmatch(WEEKDAYS, word):
        return None
    return next(i for i, name in enumerate(WEEKDAY_NAMES) if name.startswith(word[:3]))


def _special(text: str, as_of: dt.date, prefer: Prefer) -> dt.date | None:
    if text in ("eod", "cob", "end of day", "end of the day", "today", "tonight", "this morning", "this am", "this pm",
                "this afternoon", "this evening"):
        return as_of
    if text == "last night":
        return as_of - dt.timedelta(days=1)
    if text in ("day before yesterday", "the day before yesterday"):
        return as_of - dt.timedelta(days=2)
    m = re.fullmatch(r"last week ([a-z]+)", text)
    if m and (index := _weekday_index(m.group(1))) is not None:
        return as_of - dt.timedelta(days=as_of.weekday() + 7 - index)
    if text in ("week after next",):
        return as_of + dt.timedelta(days=14)
    m = re.fullmatch(r"([a-z]+)\.? (next )?week", text)
    if m and (index := _weekday_index(m.group(1))) is not None:
        if m.group(2):  # "friday next week": that day of the next calendar week
            return as_of + dt.timedelta(days=7 - as_of.weekday() + index)
        # "Friday week" (British): a week after the coming Friday
        return as_of + dt.timedelta(days=(index - as_of.weekday()) % 7 or 7) + dt.timedelta(days=7)
    if text == "this week" and prefer == "future":
        return _end_of_week(as_of)
    m = re.fullmatch(r"(early|mid|late)[ -](?:(this|next) )?week", text)
    if m:  # "early next week": its Monday; "mid": its Wednesday; "late": its Friday
        monday = as_of - dt.timedelta(days=as_of.weekday())
        if m.group(2) == "next" or (m.group(2) is None and prefer == "future" and as_of.weekday() >= 2):
            monday += dt.timedelta(days=7)
        return monday + dt.timedelta(days={"early": 0, "mid": 2, "late": 4}[m.group(1)])
    m = re.fullmatch(r"(?:end of (?:the |this |next )?(day|week|month|quarter|year)|(this |next )?(week|month|"
                     r"quarter|year)[ -]end|(eow|eom|eoq|eoy))", text)
    if m:
        period = m.group(1) or m.group(3) or _SHORT_PERIODS[m.group(4)]
        nxt = " next " in f" {text} "
        return _end_of(period, as_of, nxt)
    m = re.fullmatch(r"(mid|end of)[ -]([a-z]+)", text)
    if m and m.group(2)[:3].title() in _MONTH_NUM:
        month = _MONTH_NUM[m.group(2)[:3].title()]
        if m.group(1) == "mid":
            return _month_day(month, 15, as_of, prefer)
        return _month_day(month, -1, as_of, prefer)
    return None


def _numeric(first: int, second: int, year: str | None, as_of: dt.date, prefer: Prefer) -> dt.date | None:
    """"12/4" (month first, as most notes write it), else "25/11" (day first); "11/31" or "31/11", no such day,
    is None."""
    for month, day in ((first, second), (second, first)):
        if not 1 <= month <= 12 or not 1 <= day <= 31:
            continue
        if year is not None:
            full = int(year) + (2000 if len(year) == 2 else 0)
            if day <= calendar.monthrange(full, month)[1]:
                return dt.date(full, month, day)
            continue
        if day <= max(calendar.monthrange(y, month)[1] for y in (as_of.year, as_of.year + 1)):
            try:
                return _month_day(month, day, as_of, prefer)
            except ValueError:  # the 29th of February of a year without one
                return None
    return None


_GUESSED_NUMERIC = re.compile(r"\b\d{1,2}/\d{1,2}\b(?!/)")


def in_the_nearer_order(phrase: str, as_of: dt.date, value: dt.date | None, *, prefer: Prefer,
                        day_first: bool | None) -> dt.date | None:
    """``value``, the day ``phrase`` was resolved to; or, when it is a numeric date whose order was only guessed and
    it lands months from ``as_of`` (over 120 days), the other order's day when that is within 60 days on the side
    ``prefer`` looks to: "03/12" a week ago, not in March; "by 12/10" in the weeks ahead, not October next year."""
    if value is None or abs((value - as_of).days) <= 120 or not _GUESSED_NUMERIC.search(phrase):
        return value
    other = resolve(phrase, as_of, prefer=prefer, day_first=not day_first)
    if other is None:
        return value
    gap = (other - as_of).days if prefer == "future" else (as_of - other).days
    return other if 0 <= gap <= 60 else value


def before_the_holidays(as_of: dt.date, *, christmas: bool = False) -> dt.date:
    """"Before the holidays" / "before the Christmas break": the last Friday before Christmas Eve, when the break
    starts (2026: Friday 18 December); ``christmas`` ("before Christmas", "before xmas"): Christmas Eve itself. This
    year's or, once it is past, next year's."""
    for year in (as_of.year, as_of.year + 1):
        eve = dt.date(year, 12, 24)
        friday = eve if christmas else eve - dt.timedelta(days=(eve.weekday() - 4) % 7 or 7)
        if friday >= as_of:
            return friday
    return friday


def _end_of_week(day: dt.date) -> dt.date:
    """The Friday of ``day``'s week; on a weekend, the next Friday."""
    ahead = 4 - day.weekday()
    return day + dt.timedelta(days=ahead if ahead >= 0 else ahead + 7)


def _end_of(period: str, as_of: dt.date, nxt: bool) -> dt.date:
    if period == "day":
        return as_of + dt.timedelta(days=1 if nxt else 0)
    if period == "week":  # on a weekend, the coming week is "next week" (and what is left of "this week")
        return _end_of_week(as_of) + dt.timedelta(days=7 if nxt and as_of.weekday() < 5 else 0)
    if period == "month":
        year, month = (as_of.year + (as_of.month == 12), as_of.month % 12 + 1) if nxt else (as_of.year, as_of.month)
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    if period == "quarter":
        q_end_month = ((as_of.month - 1) // 3 + 1) * 3 + (3 if nxt else 0)
        year = as_of.year + (q_end_month - 1) // 12
        month = (q_end_month - 1) % 12 + 1
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    return dt.date(as_of.year + (1 if nxt else 0), 12, 31)


def _day_of_month(day: int, as_of: dt.date, prefer: Prefer) -> dt.date | None:
    """The next (or last) date that is day ``day`` of its month."""
    year, month = as_of.year, as_of.month
    for _ in range(13):
        if day <= calendar.monthrange(year, month)[1]:
            candidate = dt.date(year, month, day)
            if (prefer == "future" and candidate >= as_of) or (prefer == "past" and candidate <= as_of):
                return candidate
        if prefer == "future":
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        else:
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return None


def _month_day(month: int, day: int, as_of: dt.date, prefer: Prefer) -> dt.date:
    """Day ``day`` of ``month`` (-1: its last day) in the year that puts it on the preferred side of ``as_of``."""

    def on(year: int) -> dt.date:
        return dt.date(year, month, calendar.monthrange(year, month)[1] if day == -1 else day)

    candidate = on(as_of.year)
    if prefer == "future" and candidate < as_of:
        return on(as_of.year + 1)
    if prefer == "past" and candidate > as_of:
        return on(as_of.year - 1)
    return candidate


def describe(day: dt.date) -> str:
    """A date as the proposal shows it: ``Fri 2026-11-27``."""
    return f"{day.strftime('%a')} {day.isoformat()}"
