"""Dates written as week numbers, the way much of Europe plans: "in week 51", "Friday week 50", "Tuesday in week
52", "end of KW 51". A week is the ISO week (Monday to Sunday) of the year ``as_of`` is in, or of the next or the
last when that reads more sensibly; with no weekday, the week's Friday, when the working week is done (its Monday
for "start of week 51")."""

from __future__ import annotations

import datetime as dt
import re

# dates.py imports this module, so its WEEKDAYS cannot be imported here
_WEEKDAYS = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri)"
# One phrase: a weekday (optional), a start or end (optional), and the week's number; not "week 3 of the pilot".
ISO_WEEK = (r"(?:" + _WEEKDAYS + r"\.?,?\s+(?:in\s+|of\s+)?)?(?:(?:the\s+)?(?:end|start|beginning)\s+of\s+)?"
            r"(?:the\s+)?(?:calendar\s+)?(?:week|wk|kw|cw)\s?(?:no\.?\s*|number\s+|#)?(?:5[0-3]|[1-4]\d|[1-9])\b"
            r"(?!\s+of\b)(?![.,]\d)")
_PARTS = re.compile(r"^(?:(?P<day>" + _WEEKDAYS + r")\.?,?\s+(?:in\s+|of\s+)?)?(?:(?:the\s+)?(?P<edge>end|start|"
                    r"beginning)\s+of\s+)?(?:the\s+)?(?:calendar\s+)?(?:week|wk|kw|cw)\s?(?:no\.?\s*|number\s+|#)?"
                    r"(?P<week>\d{1,2})$", re.IGNORECASE)
_FRIDAY, _MONDAY = 5, 1  # ISO weekday numbers


def week_day(text: str, as_of: dt.date, prefer: str) -> dt.date | None:
    """The day ``text`` ("friday week 50", "in week 51") means, seen from ``as_of``; ``None`` when it is no week
    phrase, or names a week the year does not have."""
    m = _PARTS.match(re.sub(r"^(?:in|by|before|until|till|on|due|latest|during)\s+", "", text.strip().lower()))
    if m is None:
        return None
    weekday = _FRIDAY if m["edge"] in (None, "end") else _MONDAY
    if m["day"]:
        weekday = next(i + 1 for i, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
                       if m["day"].startswith(name))
    year = as_of.isocalendar().year
    candidates = []
    for y in (year - 1, year, year + 1):
        try:
            candidates.append(dt.date.fromisocalendar(y, int(m["week"]), weekday))
        except ValueError:
            continue
    if not candidates:
        return None
    # the nearest reading, leaning the way the phrase points (a due ahead, a meeting behind), within a week's slack
    lean = dt.timedelta(days=7)
    fitting = [d for d in candidates if (d >= as_of - lean if prefer == "future" else d <= as_of + lean)]
    return min(fitting or candidates, key=lambda d: abs((d - as_of).days))
