"""A meeting day written twice, as a weekday and as a date, that the calendar does not bear out: "Thursday 17 Nov"
(the 17th was a Tuesday), "Wednesday the 31st" (no 31st of November; the 31st of October was a Saturday), "last
thurs 11/26" (a day still to come). Either half could be the slip, so the note gets a question, not a guess."""

from __future__ import annotations

import datetime as dt
import re

from tools.notes.extract.dates import DATE_RE, WEEKDAY_NAMES, WEEKDAYS, date_order, resolve

_WEEKDAY = re.compile(r"\b(?:(?:last|this|on)\s+)?(?P<day>" + WEEKDAYS + r")\b\.?", re.IGNORECASE)
_NUMERIC = re.compile(r"\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?(?![\d/])")  # "thurs 11/26 w peter"
_MONTH_TAIL = re.compile(r"[./]\d{1,2}(?:[./](?:\d{4}|\d{2}))?\.?(?!\d)")  # "19|.11." the month of a day
_JOIN = re.compile(r"[ \t]*,?[ \t]*(?:the[ \t]+)?")


def day_conflict(text: str, found: re.Match[str], as_of: dt.date) -> str | None:
    """The question to ask when the date phrase ``found`` (a match of ``DATE_RE`` in ``text``) names a weekday and a
    date that do not agree, or a date still to come; ``None`` when they agree or it names only one of them."""
    phrase = found.group(0)
    weekday = _WEEKDAY.match(phrase)
    if weekday is None:
        return None
    rest = phrase[weekday.end():].strip(" ,")
    if re.match(r"(?:in\s+|of\s+)?(?:the\s+)?(?:calendar\s+)?(?:week|wk|kw|cw)\s?\d", rest, re.IGNORECASE):
        return None  # "Wednesday week 50": the weekday is the week's own, nothing to disagree with
    if rest:  # "Wednesday the 31st": the date is inside the phrase, with any month after it ("Tues 19.11.")
        tail = _MONTH_TAIL.match(text, found.end()) if re.fullmatch(r"\d{1,2}", rest) else None
        day_phrase, span = (rest + tail.group(0), phrase + tail.group(0)) if tail else (rest, phrase)
    else:  # "Thursday 17 Nov", "thurs 11/26": the date follows it
        join = _JOIN.match(text, found.end())
        after = (DATE_RE.match(text, join.end()) or _NUMERIC.match(text, join.end())) if join is not None else None
        if after is None or _WEEKDAY.match(after.group(0)):
            return None
        day_phrase, span = after.group(0), text[found.start() : after.end()]
    named = next(i for i, name in enumerate(WEEKDAY_NAMES) if name.startswith(weekday.group("day")[:3].lower()))
    # "tuesday 01/12": either order of the numbers may be the writer's; the one that fits the weekday is. When the
    # note's other dates show its order ("by 12/15"), only that order is: "thurs 12/11" is then a Friday to come
    order = date_order(text) if _NUMERIC.fullmatch(day_phrase) else None
    days = [d for first in ((False, True) if order is None else (order,))
            for d in (resolve(day_phrase, as_of, prefer="past", day_first=first),
                      resolve(day_phrase, as_of, prefer="future", day_first=first)) if d is not None]
    if not days:
        return None
    fits = [d for d in days if d.weekday() == named and (order is None or abs((as_of - d).days) <= 180)]
    if any(d <= as_of for d in fits):
        return None
    if fits:
        return f"When was the meeting? '{span}' is a day still to come; give the date it happened."
    shown = min(days, key=lambda d: abs((d - as_of).days))  # the reading nearest today, as the writer meant it
    return (f"When was the meeting? '{span}' does not match the calendar ({shown.isoformat()} "
            f"{'was' if shown <= as_of else 'is'} a {shown.strftime('%A')}); give the date.")
