"""Promises in the plain present, as shorthand and non-native notes write them: "I send her the overview until
Friday", "I do the rollout checklist by end of next week", "jessica sending the onboarding form by end of next week",
"Corrected invoices from me by the 27th", "she's sending the draft by end of next week", "im doing a cost breakdown
by the 30th"; and what one of them wants from us by a day ("Ruth wants our remediation plan by Tuesday").

Told in the present, a deed is a promise only with a day ahead in its clause ("I send the deck yesterday" is a
report): the first person is ours, a stakeholder of the customer heading the clause is theirs, and "<thing> from me
<day>" and "<thing> to <one of them> <day>" ("recovery plan to Karen first thing Monday") are ours.
"""

from __future__ import annotations

import re

from tools.notes.extract.dates import DATE_RE
from tools.notes.extract.people import PeopleScan
from tools.notes.extract.phrases import ACTION_VERBS
from tools.notes.extract.trigger import Trigger, clause_stop, starts_clause

_VERBS = (*ACTION_VERBS, "do", "give", "hand", "complete", "finish")
_FIRST_PERSON = re.compile(r"\b(?:I|we)\s+(?:(?:also|then|still|just)\s+)?(?P<verb>" + "|".join(_VERBS) + r")\b",
                           re.IGNORECASE)
# The same in Spanish, as a rep mixing languages writes it: "Yo mando el contrato el lunes", "le envío la demo mañana"
_FIRST_PERSON_ES = re.compile(r"\b(?:yo\s+)?(?:(?:te|le|les|se\s+lo|se\s+la)\s+)?(?P<verb>mando|env[ií]o|preparo|hago|"
                              r"comparto|organizo|reviso|confirmo|escribo|paso|agendo)\b", re.IGNORECASE)
_ING = re.compile(r"\s+(?:(?:also|then|still|just)\s+)?(?P<verb>sending|sharing|booking|providing|preparing|"
                  r"delivering|returning|submitting|confirming|drafting|circulating|forwarding|signing)\b",
                  re.IGNORECASE)
_PRONOUN_ING = re.compile(r"\b(?P<pronoun>she|he)(?:['’]s|\s+is)" + _ING.pattern, re.IGNORECASE)
_FROM_ME = re.compile(r"(?P<thing>[A-Za-z][\w'’/&-]*(?:\s+[\w'’/&-]+){0,5}?)\s+from\s+(?:me|us)\s+(?=(?:by\s+|on\s+|"
                      r"before\s+|until\s+)?\S)", re.IGNORECASE)
# "recovery plan to Karen first thing Monday": a thing (no deed told in the past) going to one of them
_TO_THEM = re.compile(r"(?P<thing>(?!(?:sent|spoke|went|said|gave|took|wrote|told|got|made|brought|talked|"
                      r"[a-z]+ed)\b)[A-Za-z][\w'’/&-]*(?:\s+[\w'’/&-]+){0,4}?)\s+to\s+(?P<who>her|him|them|"
                      r"(?-i:[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?))\s+(?=(?:first\s+thing\s+|by\s+|on\s+|before\s+|until\s+)?\S)",
                      re.IGNORECASE)
# "im doing a cost breakdown for zoe by the 30th": the progressive of doing or making something, with a day ahead
_FIRST_ING = re.compile(r"\b(?:(?:I|we)(?:['’]m|['’]re|\s+am|\s+are)|im)\s+(?:(?:also|then|still|just)\s+)?"
                        r"(?P<verb>doing|writing|building|working\s+on|pulling\s+together|putting\s+together|"
                        r"sorting(?:\s+out)?|handling|taking\s+care\s+of)\b", re.IGNORECASE)
# "Ruth wants our remediation plan by Tuesday", "he wants the evidence pack by Friday so that's on me": what one of
# them wants from us by a day is ours to deliver
_WANTS = re.compile(r"\b(?P<who>she|he|they|[A-Z][\w'’-]+)\s+(?:(?:also|still|really)\s+)?(?:wants|needs|asked\s+for|"
                    r"asks\s+for|requested|expects|is\s+waiting\s+for|would\s+like)\s+(?P<thing>(?:our|the|a|an|some)\s+"
                    r"(?:[\w'’/&-]+\s+){0,4}?(?![a-z]+ed\b)[\w'’/&-]+)\s+(?=(?:by|before|until|till)\s)")
_FROM_OTHERS = re.compile(r"\bfrom\s+(?!(?:us|me)\b)", re.IGNORECASE)  # "wants a decision by Friday from her board"
_PAST = re.compile(r"\b(?:yesterday|yday|ago|last)\b", re.IGNORECASE)


def plain_promises(text: str, scan: PeopleScan) -> list[Trigger]:
    """The triggers of promises told in the plain present, each with a day ahead in its clause."""
    out: list[Trigger] = []
    # "I send ...", "im doing ...", "Yo mando ...": ours, at a clause's start with a day ahead
    for m in [*_FIRST_PERSON.finditer(text), *_FIRST_ING.finditer(text), *_FIRST_PERSON_ES.finditer(text)]:
        if starts_clause(text, m.start()) and _day_ahead(text, m.end()):
            out.append(Trigger(m.start(), m.start("verb"), "ours", None, None))
    for mention in scan.mentions:
        ing = _ING.match(text, mention.end)
        if ing and not mention.ambiguous and starts_clause(text, mention.start) and _day_ahead(text, ing.end()):
            out.append(Trigger(mention.start, ing.start("verb"), "customer", mention, mention))
    for m in _PRONOUN_ING.finditer(text):  # "she's sending the draft by end of next week"
        if _day_ahead(text, m.end()):
            owner = scan.before(m.start(), m.group("pronoun").lower())
            owner = owner if owner is not None and not owner.ambiguous else None
            out.append(Trigger(m.start(), m.start("verb"), "customer", owner, owner))
    for m in _WANTS.finditer(text):
        theirs = m.group("who").lower() in ("she", "he", "they") or any(
            x.person_id and x.start == m.start() for x in scan.mentions)
        from_others = _FROM_OTHERS.search(text, m.end("thing"), clause_stop(text, m.end("thing"), comma=True))
        if theirs and not from_others and _day_ahead(text, m.end("thing"), right_after=True):
            out.append(Trigger(m.start("thing"), m.start("thing"), "ours", None, None, heading=True))
    for m in _TO_THEM.finditer(text):
        who = m.group("who").lower() in ("her", "him", "them") or any(
            x.person_id and x.start == m.start("who") for x in scan.mentions)
        if who and starts_clause(text, m.start()) and _day_ahead(text, m.end(), right_after=True):
            out.append(Trigger(m.start(), m.start(), "ours", None, None, heading=True))
    for m in _FROM_ME.finditer(text):
        if starts_clause(text, m.start()) and _day_ahead(text, m.end(), right_after=True):
            out.append(Trigger(m.start(), m.start(), "ours", None, None, heading=True))
    return out


def _day_ahead(text: str, pos: int, *, right_after: bool = False) -> bool:
    """Whether the clause from ``pos`` names a day that is not behind us (``right_after``: at ``pos`` itself)."""
    found = DATE_RE.search(text, pos, clause_stop(text, pos, comma=True))
    if found is None or _PAST.search(found.group(0)):
        return False
    return not right_after or _LEAD_IN.fullmatch(text, pos, found.start()) is not None


_LEAD_IN = re.compile(r"\s*(?:first\s+thing\s+(?:on\s+)?)?(?:(?:by|on|before|until|till)\s+)?")
