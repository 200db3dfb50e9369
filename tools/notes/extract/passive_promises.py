"""Promises written in the passive voice, as formal notes and non-native writers put them: "The audit log
specification will be sent to Stefan by me by 2/12", "A list of priority stores will be provided by Hassan by 4/12",
"A pricing proposal is to be prepared by me within two weeks", "It was agreed that a weekly status email will be sent
by me every Monday starting 30/11".

The agent after "by" says whose promise it is: "me" / "us" / one of our people is ours, a stakeholder of the
customer's is theirs (the owner); a "by" before a day is the due, not the agent. The thing promised is the subject,
and the description is the active form ("send the audit log specification to Stefan").
"""

from __future__ import annotations

import datetime as dt
import re

from tools.notes.extract.colleagues import Colleagues
from tools.notes.extract.dates import DATE_RE
from tools.notes.extract.dues import due_in
from tools.notes.extract.people import Mention, PeopleScan
from tools.notes.extract.phrases import ACTION_VERBS, E_STEMS

# "<thing> will be sent", "<thing> is to be prepared", "<thing> are going to be shared"
_PASSIVE = re.compile(
    r"(?P<thing>\b(?:the|a|an|our|their|his|her|this|that|these|those|some|updated|revised|new)\s+"
    r"(?:[\w'’/&-]+\s+){0,6}?[\w'’/&-]+)\s+(?:will|shall|is\s+to|are\s+to|is\s+going\s+to|are\s+going\s+to)\s+be\s+"
    r"(?P<verb>[a-z]+(?:ed|en|wn|nt|ne|ld))\b(?P<rest>[^.;!?\n]*)", re.IGNORECASE)
_AGENT = re.compile(r"\bby\s+(?P<agent>me|us|myself|ourselves|[A-Za-z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)", re.IGNORECASE)
# the participle back to its verb, where the plain rule (drop "ed" / "d") does not give it
_IRREGULAR = {"sent": "send", "given": "give", "written": "write", "shown": "show", "done": "do", "made": "make",
              "brought": "bring", "drawn": "draw", "held": "hold", "built": "build", "spent": "spend",
              "taken": "take", "told": "tell", "sold": "sell", "put": "put", "set": "set", "run": "run"}
_MORE_VERBS = {"deliver", "complete", "produce", "compile", "supply", "issue", "create", "plan", "sign", "finish",
               "release", "install", "deploy", "configure", "arrange", "send", "share", "return", "handle", "cover"}


def passive_promises(text: str, scan: PeopleScan, colleagues: Colleagues, as_of: dt.date,
                     questions: list[str]) -> list[tuple[str, Mention | None, str, dt.date | None, str | None, int,
                                                         int]]:
    """Each passive promise in ``text`` with an agent: (side, owner, description, due, due phrase, start, end)."""
    out = []
    for m in _PASSIVE.finditer(text):
        rest_start = m.start("rest")
        side, owner = None, None
        for agent in _AGENT.finditer(text, rest_start, m.end()):
            if DATE_RE.match(text, agent.start("agent")):
                continue  # "by 2/12", "by Friday": the due
            side, owner = _whose(text, agent.start("agent"), agent.group("agent"), scan, colleagues)
            if side is not None:
                break
        if side is None:
            continue
        due, due_span, _ = due_in(text, rest_start, m.end(), as_of, questions)
        thing = re.sub(r"^(?:The|A|An|Our|Their|This|That|These|Those)\b", lambda a: a.group(0).lower(),
                       m.group("thing"))
        description = f"{_base(m.group('verb'))} {thing}{_recipient(m.group('rest'))}"
        out.append((side, owner, " ".join(description.split()), due, due_span, m.start(), m.end()))
    return out


def _whose(text: str, start: int, agent: str, scan: PeopleScan, colleagues: Colleagues) -> tuple[
        str | None, Mention | None]:
    if agent.lower() in ("me", "us", "myself", "ourselves"):
        return "ours", None
    person = next((p for p in scan.at(start, start + len(agent)) if p.start == start), None)
    if person is not None and person.person_id and not person.ambiguous:
        return "customer", person
    if colleagues.at(text, start) is not None:
        return "ours", None
    return None, None


def _base(participle: str) -> str:
    """The verb of a participle: "sent" -> "send", "prepared" -> "prepare", "planned" -> "plan"."""
    word = participle.lower()
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for stem in (word[:-1], word[:-2], word[:-3], word[:-3] + "y"):
        if stem in ACTION_VERBS or stem in _MORE_VERBS:
            return stem
    return word[:-1] if word.endswith("ed") and word[:-2] in E_STEMS else word[:-2] if word.endswith("ed") else word


def _recipient(rest: str) -> str:
    """ "to Stefan" after the participle: kept in the description."""
    to = re.match(r"\s+(to\s+(?!be\b)[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)", rest)
    return f" {to.group(1)}" if to else ""
