"""Changes to known stakeholders a note reports: someone left (or is leaving), or has a new title.

Only known stakeholders change: a new person's title is part of proposing them. The subject is the person
named right before the phrase, or the one a "she" / "he" refers to. A new title must read as a title
("is now VP of Operations"), so "is now happy" changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.notes.extract.people import Mention, PeopleScan
from tools.notes.extract.text import TITLE_PHRASE, clean_title, is_title
from tools.notes.schema import ChangeKind

_LEFT = re.compile(
    r"(?:\s*\([^()]{1,40}\))?(?:\s+|(?=['’]))(?:who\s+)?(?:left\s+(?:the\s+(?!call|meeting|room|session|zoom|"
    r"building)[a-z]+|(?!(?:early|late|soon|halfway|midway|before|after|first|together|again|\w+ly)\b)[A-Z][\w&'’-]+)"
    r"(?=[ \t]*\n|\s*(?:[,.;!]|$|\s(?:last|in|on|this|after|to|for|and|but|,)\b))"
    r"|(?:has|had)\s+(?:just\s+)?left(?=\s+(?:the\s+(?:company|business|firm|organi[sz]ation)|us\b|for\b|to\s+join"
    r"|last\b|in\b|on\b)|\s*[,.;!]|\s*$|[ \t]*\n|"
    r"\s+[A-Z][\w&'’-]+(?:\s+[A-Z][\w&'’-]+){0,3}\s*(?:[,.;!(]|[-–—]|$))|left(?=\s+(?:the\s+(?:company|business|firm|organi[sz]ation)|us\b|for\b|to\s+join|"
    r"last\s+(?:week|month|year|quarter)\b|recently\b|in\s+(?:january|february|march|april|may|june|july|august|"
    r"september|october|november|december)\b)"
    r"|\s*[^\w\s'’]|\s*$|[ \t]*\n)|"
    r"gone(?=\s*(?:[-–—,;!(]|$))|(?:is|['’]s|will\s+be)\s+leaving\b|(?:is|['’]s)\s+moving\s+on\b|(?:has\s+)?moved\s+on\b|"
    r"(?:has\s+)?retired\b|(?:is|['’]s|has|will\s+be)\s+(?:stepping|stepped)\s+down\b|stepped\s+down\b|(?:is|['’]s)\s+retiring\b|(?:has\s+)?quit\b|(?:has\s+)?resigned\b|"
    r"(?:has\s+)?handed\s+in\s+(?:her|his|their)\s+notice\b|(?:has\s+)?(?:given|gave)\s+notice\b|"
    r"(?:is|['’]s)\s+(?:leaving|exiting)\s+(?:the\s+company|at\s+the\s+end)\b|(?:has\s+)?exited\b|(?:is|['’]s)\s+no\s+longer\s+(?:with|at)\b|(?:has\s+)?departed\b|"
    r"(?:was|got|has\s+been)\s+(?:let\s+go|laid\s+off|fired|made\s+redundant)\b|"
    r"no\s+longer\s+(?:works|working|employed)\s+(?:there|here|at|for)\b|(?:took|has\s+taken|accepted)\s+a\s+(?:new\s+)?"
    r"(?:job|role|position)\s+(?:at|with|elsewhere)\b|(?:is|['’]s)\s+(?:moving|going)\s+to\s+(?:a\s+new|another)\s+"
    r"(?:company|employer|firm|job)\b|(?:is|['’]s)\s+gone(?=\s*(?:[.,;:!(—–-]|$|\s+(?:now|for\s+good|as\s+well|too|already)\b))|"
    r"(?:is|['’]s)\s+after\s+leaving\b|"  # Irish perfect
    r"(?:has\s+)?(?:gone|went|moved|jumped)\s+(?:over\s+|across\s+|ship\s+)?to\s+(?:a|an|another)\s+"
    r"(?:competitor|rival|startup|start-up)\b|(?:is|['’]s)\s+on\s+(?:her|his)\s+way\s+out\b)",
    re.IGNORECASE,
)
# Leaving told as still to come, with a time ahead: not a change yet.
_GOING = re.compile(r"\b(?:leaving|moving\s+on|retiring|stepping\s+down|exiting|on\s+(?:her|his)\s+way\s+out)\b",
                    re.IGNORECASE)
_MONTHS = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|"
           r"apr|jun|jul|aug|sept?|oct|nov|dec)")
_LATER = re.compile(r"\s*(?:\([^()]*\)\s*)?(?:(?:the\s+company|us|them|[A-Z][\w&'’-]+(?:\s+[A-Z][\w&'’-]+)?)\s+)?"
                    r"(?:(?:at\s+)?(?:the\s+)?end\s+of\b|in\s+(?:" + _MONTHS + r"|spring|summer|autumn|fall|winter|"
                    r"the\s+new\s+year|q[1-4]|\d+\s+(?:weeks?|months?))\b|next\s+(?:week|month|year|quarter|spring|"
                    r"summer|autumn|fall|winter)\b|(?:from|after|by)\s+(?:" + _MONTHS + r"|next|the\s+end)\b|soon\b|"
                    r"later\s+this\b)", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[,.;:!?\n(]|\s+(?:and|but|so)\s|$")
_TITLE = re.compile(
    r"(?:\s+|(?=['’]))(?:(?:is|['’]s)\s+(?:since|as\s+of|from|effective)\s+(?:(?:(?:this|last|next|the\s+\w+\s+of)?\s*"
    r"(?:week|month|quarter|year|january|february|march|april|may|june|july|august|september|october|november|"
    r"december|\w+day))|(?:the\s+)?\d{1,2}(?:\.\d{1,2}\.(?:\d{2,4})?|(?:st|nd|rd|th)?\s+(?:of\s+)?[A-Z][a-z]+))"
    r"(?:\s+on)?(?:\s+now)?|"  # "Leila is since this month Group CFO", "Mrs. Chandler is since 1.11. CEO"
    r"is\s+(?:actually\s+|in\s+fact\s+)?now|['’]s\s+(?:actually\s+)?now|(?:is|['’]s)\s+actually|(?:actually|in\s+fact|really)\s+is|"
    r"is(?=\s+(?:the\s+)?[A-Z][\w&'’\s-]{2,60},\s*not\s)|now(?=\s+(?:the\s+|their\s+)?(?:acting|interim|[A-Z]))|(?:has\s+been|['’]s\s+been|was|got|been)\s+promoted\s+to|promoted\s+to|has\s+become|became|"
    r"is\s+becoming|will\s+become|moved\s+into|moves\s+into|(?:has\s+|['’]s\s+)?(?:moved|switched)(?:\s+(?:across|over|sideways))?\s+to|stepped\s+up\s+(?:to|as)|(?:has\s+)?taken\s+over\s+as|"
    r"took\s+over\s+as|is\s+taking\s+over\s+as|(?:is|['’]s)\s+the\s+new|(?:was|has\s+been|['’]s\s+been)\s+(?:named|appointed)"
    r"(?:\s+as)?|(?:has\s+been|['’]s\s+been|was|got|been)\s+made|stepped\s+into|steps\s+into|moved\s+up\s+to|"
    r"['’]s\s+new\s+(?:title|role|job)\s+is|(?:has\s+)?(?:taken|took|takes|is\s+taking)\s+on|(?:has\s+)?assumed|"
    r"(?:has\s+)?stepped\s+in\s+as|\s*(?:->|→))\s+(?:(?:the|their|our|a|an)\s+)?(?:new\s+)?(?:role\s+of\s+)?"
    r"(?P<title>" + TITLE_PHRASE + r")(?:\s+(?:role|position|job|seat))?"
    r"(?=\s*(?:[,.;:()!?\n]|$|\s(?:and|but|so|which|starting|from|effective|as\s+of|at|since|after|last|this|next|"
    r"in|on|she|he|now|promoted)\b))",
    re.IGNORECASE,
)
# "she's Chief Transformation Officer now": the title between the verb and a closing "now"
_TITLE_NOW = re.compile(r"(?:\s+|(?=['’]))(?:is|['’]s)\s+(?:(?:the|their|our)\s+)?(?:new\s+)?(?P<title>"
                        + TITLE_PHRASE + r")\s+now\b", re.IGNORECASE)
_PROMOTION = re.compile(
    r"\b(?:promotion|move|step\s+up)\s+to\s+(?:(?:the|a)\s+)?(?P<title>" + TITLE_PHRASE + r")"
    r"(?=\s*(?:[,.;:()!?\n]|$|\s(?:and|but|so|which)\b))",
    re.IGNORECASE,
)
_NEW_HOLDER = re.compile(r"\bnew\s+(?P<title>" + TITLE_PHRASE + r")\s+(?:is|will\s+be|=|:|-)\s+")
_PRONOUN = re.compile(r"\b(?:she|he)(?=['’\s])", re.IGNORECASE)
_LINE_HEAD = re.compile(r"\s*(?:\([^()\n]{1,40}\)\s*)?:(?=[ \t])")
_ASIDE = re.compile(r"\s*,\s*(?:I|we)\s+(?:learned|learnt|heard|hear|gather|understand|was\s+told|were\s+told|"
                    r"found\s+out)\s*,", re.IGNORECASE)


@dataclass(frozen=True)
class FoundChange:
    person: Mention
    kind: ChangeKind
    new_title: str | None
    span: str
    start: int
    end: int
    subject_mention: bool  # the person is named here (not "she")


def _left_account(account: str | None) -> re.Pattern[str] | None:
    """"valentina foster left cedar valley": left the account the note is about, however it is written."""
    if not account:
        return None
    first, *rest = [re.escape(w) for w in account.split()]
    tail = "".join(rf"(?:\s+{w}" for w in rest) + ")?" * len(rest)
    return re.compile(r"\s+(?:has\s+)?left\s+(?:the\s+)?" + first + tail + r"\b", re.IGNORECASE)


def find_changes(text: str, scan: PeopleScan, later: list[str] | None = None,
                 account: str | None = None) -> list[FoundChange]:
    """Every stakeholder change in ``text``, for known people only; ``later`` collects the spans of changes told as
    still to come, which are none yet; ``account``: the name of the note's account ("left cedar valley")."""
    out: list[FoundChange] = []
    left_account = _left_account(account)
    subjects = [(m, m.start, m.end, True) for m in scan.mentions if m.person_id]
    for p in _PRONOUN.finditer(text):
        ref = scan.before(p.start(), p.group(0))
        if ref is not None and ref.person_id:
            subjects.append((ref, p.start(), p.end(), False))
    for person, start, end, named in subjects:
        aside = _ASIDE.match(text, end) or _LINE_HEAD.match(text, end)  # "Sandra Graham, I learned, has been
        end = aside.end() if aside else end  # promoted to CIO"; a minutes line "Susan: left Meridian"
        left = _LEFT.match(text, end) or (left_account.match(text, end) if left_account else None)
        if left and _GOING.search(left.group(0)) and (ahead := _LATER.match(text, left.end())):
            if later is not None and named:
                later.append(text[start : _CLAUSE_END.search(text, ahead.end()).start()].strip())
            continue  # "is leaving in January", "moving on end of month": still there; a change when it happens
        if left:
            span = text[start : left.end()].strip()
            out.append(FoundChange(person, "left_company", None, span, start, start + len(span), named))
            continue
        titled = _TITLE.match(text, end) or _TITLE_NOW.match(text, end)
        if titled and is_title(titled.group("title")):
            span = text[start : titled.end("title")]
            out.append(FoundChange(person, "title_change", clean_title(titled.group("title")), span, start,
                                   titled.end("title"), named))
    for m in _NEW_HOLDER.finditer(text):  # "the new Head of IT is Marcus"
        holder = next((x for x in scan.mentions if x.start == m.end() and x.person_id), None)
        if holder is not None and is_title(m.group("title")) and not any(c.person.key == holder.key for c in out):
            span = text[m.start() : holder.end]
            out.append(FoundChange(holder, "title_change", clean_title(m.group("title")), span, holder.start,
                                   holder.end, True))
    for m in _PROMOTION.finditer(text):
        if not is_title(m.group("title")):
            continue
        ref = scan.before(m.start())
        if ref is not None and ref.person_id and not any(c.person.person_id == ref.person_id for c in out):
            span = text[ref.start : m.end("title")]
            out.append(FoundChange(ref, "title_change", clean_title(m.group("title")), span, ref.start,
                                   m.end("title"), False))
    once: dict[tuple[str, str], FoundChange] = {}  # "is after leaving them, she went over to a rival": one departure
    for c in out:
        once.setdefault((c.person.key, c.kind), c)
    return list(once.values())
