"""Lines of an action list that name who does it: "- Dana: confirm budget by the 30th", "me: send the deck",
"Ryan: dealer list by the 3rd", "Action Lee: revised term sheet by 27.11.", "..., me: sandbox access by tues",
a template's "What we owe: comparison sheet - 9.12." ("What they owe: n/a" is none).

A line whose words are no action ("Dana: happy with the rollout", "Irene: brought up the outage again") is no
promise unless it carries a day or says it has none ("Matthew: floor layout, no date yet").
"""

from __future__ import annotations

import re

from tools.notes.extract.dates import DATE_EXPR, DATE_RE
from tools.notes.extract.dues import HOLIDAYS
from tools.notes.extract.people import PeopleScan
from tools.notes.extract.phrases import ACTION_START, THIRD_PERSON
from tools.notes.extract.trigger import ARROW as _ARROW
from tools.notes.extract.trigger import Trigger

# "What they owe: Laura - budget decision by 18.12.": the template's label gives way to the person it names
_NAMED_AFTER_LABEL = (r"(?!(?:we|they)[ \t]+owe[ \t]*:[ \t]*(?-i:[A-Z])[\w'’-]+(?:[ \t]+(?-i:[A-Z])[\w'’-]+)?"
                      r"[ \t]*(?:[:–]|[ \t]-[ \t]))")
# A line that gives an action to someone, after a label ("Action Lee:") or, for us, after a comma ("..., me:").
_OWNER_LINE = re.compile(r"(?:^|\n|;|(?<=[.!?])(?=[ \t])|(?<=[ \t]/)|(?<=steps):|(?<=actions):|(?<=do):|(?<=owe):|"
                         r"(?<=,)(?=[ \t]*(?:me|us)[ \t]*:)|" + _ARROW + r")[ \t]*(?:[-*•][ \t]*)?"
                         r"(?:(?:action|ai|to-?do|owner)[ \t]+|what[ \t]+(?=(?:we|they)[ \t]+owe\b))?"
                         r"(?!(?:next|actions?|action\s+items?|to-?dos?|notes?|attendees|account|agenda|summary|re)\b)"
                         + _NAMED_AFTER_LABEL +
                         r"(?P<who>[A-Z][\w'’-]+"
                         r"(?:[ \t]+[A-Z][\w'’-]+)?|(?:we|they)[ \t]+owe|me|us|we|they|them|customer|client)"
                         r"[ \t]*(?:[:–]|[ \t]-[ \t]|->|→)[ \t]*"
                         r"(?=\w)", re.IGNORECASE)

def owner_lines(text: str, scan: PeopleScan) -> list[Trigger]:
    """Lines of an action list that name who does it: "- Dana: confirm budget", "me: send the deck", "Ryan: dealer
    list by the 3rd", "Nina: she send the promo calendar on Monday"."""
    out = []
    for m in _OWNER_LINE.finditer(text):
        who = m.group("who").lower().split()[0]  # a template's "What we owe:" / "What they owe:" is its side
        pronoun = _PRONOUN_SUBJECT.match(text, m.end())
        verb_at = pronoun.end() if pronoun else m.end()
        acts = ACTION_START.match(text, verb_at) or THIRD_PERSON.match(text, verb_at)
        if not acts and (_PAST_LEAD.match(text, verb_at) or _CHANGE_LEAD.match(text, verb_at)):
            continue  # "Irene: brought up the September outage again": what happened, not an action
        if not acts and not _line_due(text, m.end()) and not _UNDATED.match(text, m.end()):
            continue  # "Dana: happy with the rollout" reports a mood, not an action
        if who in ("me", "us", "we"):
            out.append(Trigger(m.start("who"), m.end(), "ours", None, None))
            continue
        named = next((x for x in scan.mentions if x.start == m.start("who")), None)
        if named is not None or who in ("they", "them", "customer", "client"):
            owner = named if named is not None and not named.ambiguous else None
            out.append(Trigger(m.start("who"), m.end(), "customer", owner, owner))
    return out


# A past verb with its object or particle ("brought up the outage", "said that"), not a participle that names a thing
# ("revised pricing scenario to caroline tue").
_PAST_LEAD = re.compile(r"(?:[a-z]+ed|brought|said|says|was|were|had|told|took|gave|came|went|got|made|kept|felt|"
                        r"thought|seemed|sounded|looked)\s+(?:up|out|back|about|that|again|the|a|an|his|her|their|"
                        r"our|us|me|it|very|quite|really|so|not)\b", re.IGNORECASE)
_CHANGE_LEAD = re.compile(r"(?:retired|left|resigned|quit|joined|promoted|leaving|retiring|moved\s+on|now)\b", re.I)
_PRONOUN_SUBJECT = re.compile(r"(?:she|he|they|I|we)\s+(?=\w)", re.IGNORECASE)


# "Matthew: floor layout, no date yet", "Isabel – rollout dates (no date given)": an action said to have no day.
_UNDATED = re.compile(r"[^;\n.]{2,80}?[\s,(–-]+(?:no\s+(?:date|deadline|eta|due\s+date)|date\s+tb[cdac])\b", re.I)


# Where an action-list item ends; the dot of a dotted date is no stop ("by 27.11. Action Hughes: ...").
_ITEM_END = re.compile(r"[;\n]|(?<!\d\.\d)(?<!\d\.\d\d)\.(?:\s|$)|(?<=\.)\s+(?=[A-Z])|\s" + _ARROW + r"(?!\s*"
                       + DATE_EXPR + ")", re.I)


def _line_due(text: str, pos: int) -> bool:
    """Whether the action-list item at ``pos`` has a due date ("me - pricing deck by Wed")."""
    stop = _ITEM_END.search(text, pos)
    end = stop.start() if stop else len(text)
    if HOLIDAYS.search(text, pos, end):
        return True  # "outage RCA before the holidays"
    for m in DATE_RE.finditer(text, pos, end):
        if not re.search(r"\b(?:till|til|until|since|from|through)\s+$", text[max(pos, m.start() - 8) : m.start()],
                         re.IGNORECASE):
            return True  # "till Feb" says how long a state lasts ("budget frozen till Feb"), not when a thing is due
    return False
