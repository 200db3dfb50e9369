"""Where a promise starts in a note and who holds it: the triggers ``commitments.py`` reads a commitment from.

A trigger is where a promise opens ("I'll", "Dana agreed to", "- Sam: send", "-> me:", "will send the deck fri",
"waiting on Raj to", "the signed copy will be with us"), with its side and holder when named. Ours: the writer, a
colleague, a subjectless reminder, a line headed by one of ours. Theirs: a stakeholder, "she", "customer to".
"""

from __future__ import annotations

import re

from tools.notes.extract.colleagues import Colleagues
from tools.notes.extract.dates import DATE_EXPR, DATE_RE
from tools.notes.extract.given_names import is_given_name
from tools.notes.extract.owner_lines import owner_lines
from tools.notes.extract.people import Mention, PeopleScan
from tools.notes.extract.phrases import ACTION_START, THIRD_PERSON
from tools.notes.extract.phrases import ACTION_VERBS as _ACTIONS
from tools.notes.extract.plain_promises import plain_promises
from tools.notes.extract.text import NAME_TOKEN, NOT_NAMES, Piece, clauses, sentences
from tools.notes.extract.trigger import ARROW as _ARROW
from tools.notes.extract.trigger import Trigger, clause_stop
from tools.notes.extract.trigger import starts_clause as _starts_clause

# "before we'd shown a single slide": 'd for "had", not "would"
_HAD = r"(?!\s+(?:been|seen|shown|done|had|gone|given|taken|known|written|spoken|met|heard|already|just|ever)\b)"
_MODAL = (
    r"(?:['’]ll|\s+will|\s+shall|(?:\s+(?:am|are|is)|['’](?:m|re|s))\s+going\s+to|"
    r"(?:\s+ha(?:s|ve|d)|['’](?:s|ve|d))?\s+(?:promised?(?:\s+to)?|committed\s+to|agreed\s+to|offered\s+to|"
    r"undert(?:ook|akes?|aken)\s+to|pledged\s+to|vowed\s+to)|"
    r"\s+needs?\s+to|\s+ha(?:ve|s)\s+to|\s+must|"
    r"\s+did\s+(?:agree|promise|offer|commit)\s+to|"  # "she did agree to send the docs by the 30th"
    r"\s+owes?(?=\s+[\w'’])|\s+(?:did\s+say|said)\s+(?:that\s+)?(?:she|he|they|I|we)(?:['’]d|\s+would)|"
    # "I'm to send the terms", "Kevin is meant to let us have the volumes"
    r"(?:\s+(?:is|are|am)|['’](?:m|re))\s+to|(?:\s+(?:is|are|am)|['’](?:m|re|s))\s+(?:meant|supposed)\s+to|"
    r"['’]s\s+to(?=\s+(?:" + "|".join(_ACTIONS) + r")\b))(?=\s)"  # "Paula's to send over the site list"
)
_OURS = [
    re.compile(r"\b(?:I|we)" + _MODAL, re.IGNORECASE),
    re.compile(r"\b(?:i|we)\s+ll(?=\s+[a-z])"),  # "i ll send her the charter": the apostrophe left out
    # "ill get her the summary", "im going to send", "ive promised them": the same, run together
    re.compile(r"\b(?:ill(?=\s+(?:(?:also|then|just|still)\s+)?(?:" + "|".join(_ACTIONS) + r")\b)|"
               r"im\s+(?:going\s+to|gonna)(?=\s)|ive\s+(?:promised(?:\s+to)?|(?:agreed|committed|offered)\s+to)(?=\s))",
               re.IGNORECASE),
    re.compile(r"\b(?:asked|asks|needs?|needed|expects?|expected)\s+(?:me|us)\s+to(?=\s)", re.I),
    re.compile(r"(?:^|(?<=[\n.;:!?-])\s*|(?<=\band\s)|(?<=\bso\s))(?:let['’]?s|let\s+us)(?=\s)(?!\s+know\b)",
               re.IGNORECASE | re.MULTILINE),
    re.compile(r"\b(?:our|my)\s+(?:(?!(?:he|she|they|I|we|it|you)\b)[\w-]+\s+){0,2}?"
               r"(?!(?:he|she|they|I|we|it|you)\b)[\w-]+(?:['’]ll|\s+will|\s+(?:is|are)\s+going\s+to|"
               r"\s+(?:promised|agreed|offered)\s+to)(?=\s)", re.I),  # "our engineer will do a walkthrough"
    re.compile(r"\b(?:agreed|promised|said|confirmed|told|assured|reassured|informed|indicated|stated|advised|"
               r"explained|replied)(?:\s+[\w'’]+){0,4}?\s+(?:that\s+)?"
               r"(?:(?:I|we)(?:['’]d" + _HAD + r"|\s+would)|id)(?=\s)", re.I),
]
_HEADING = re.compile(r"(?:^|(?<=[\n.;:!?])\s*|^\s*[-*•]\s*)(?:next\s+steps?|action\s+items?|actions?|"
               r"to[-\s]?dos?|ais?|"
               r"follow[- ]ups?|my\s+actions?|on\s+me|on\s+us|our\s+side|from\s+us)\s*(?:\((?:me|us|ours)\))?"
               r"\s*:(?=\s)", re.IGNORECASE | re.M)
_THEIR_HEADING = re.compile(r"(?:^|(?<=[\n.;!?])\s*|^\s*[-*•]\s*)(?:their\s+side|customer\s+side|on\s+them|"
                            r"from\s+them|their\s+actions?)\s*:(?=\s)", re.IGNORECASE | re.M)
_CUSTOMER_PRONOUN = re.compile(r"\b(?:she|he|they)(?:" + _MODAL + r"|\s+to(?=\s+(?:" + "|".join(_ACTIONS) + r")\b))",
                               re.IGNORECASE)  # "she'll send", "they to confirm the sites by wed"
_CUSTOMER_GROUP = re.compile(
    r"\b(?:(?:the\s+)?(?:customer|client)|(?:their|the|his|her)\s+(?:team|side|people|folks|engineers|it\s+team|"
    r"legal(?:\s+team)?|procurement(?:\s+team)?|finance(?:\s+team)?))(?:\s+to(?=\s)|" + _MODAL + ")",
    re.IGNORECASE,
)
_THEIR_GROUP = re.compile(r"['’]s\s+(?:(?:it|legal|procurement|finance)\s+)?(?:team|people|folks|engineers|legal|"
                          r"procurement|finance|office|assistant|department)(?:\s+to(?=\s)|" + _MODAL + ")", re.I)
# A promise whose subject is the sentence's ("Priya loved the demo and will send the docs").
_ELIDED = re.compile(r"\b(?:and|but|then)\s+(?P<verb>(?:will|promised\s+to|agreed\s+to|offered\s+to|committed\s+to|"
                     r"(?:is|are)\s+going\s+to))(?=\s)", re.IGNORECASE)
_SENTENCE_SUBJECT = re.compile(r"\s*(?:(?P<ours>I|we)|(?P<pro>she|he)|(?P<they>they))\b", re.IGNORECASE)
# A sentence the writer narrates without "I": "Met Dana at Acme, went through the renewal and will send ...".
_WRITER_OPENS = re.compile(r"\s*(?:[-*•]\s*)?(?:[A-Z][\w&'’-]*\s*[:-]\s*)?(?:met|called|spoke|talked|caught\s+up|had|"
                           r"visited|went|saw|phoned|emailed|rang|sat\s+down|joined|walked|presented|demoed)\b",
                           re.IGNORECASE)
_WAITING = re.compile(r"\bwaiting\s+(?:on|for)\s+(?:(?P<pro>her|him|them)\s+)?(?=\S)", re.IGNORECASE)
_CLAUSE_LEAD = re.compile(r"\s*(?:(?:[-*•~+]|" + _ARROW + r")\s*|\(?\d{1,2}[.)]\s+)?"
                          r"(?:(?:and|also|then|so|plus|but|oh|ps)\b[,\s]*)*",
                          re.IGNORECASE)
_SUBJECTLESS_MODAL = re.compile(r"(?:promised|committed|agreed|offered|need|needs|have|has|got|going)\s+to(?=\s+\w)|"
                                r"promised(?=\s+(?:the|a|an|our|some|them|her|him)\s)|"
                                # "Promised Laura the tier sheet by Tuesday", "owe Ben the export spec"
                                r"(?:promised|owe)(?=\s+(?-i:[A-Z][a-z]+)\s+(?:the|a|an|our|some)\s)|"
                                r"owe\s+(?:them|her|him|the\s+customer|the\s+client)(?=\s+\w)|"
                                r"(?:will|gonna|shall)(?=\s+\w)", re.IGNORECASE)
# Verbs a rep writes a reminder with ("Follow up Monday", "Send the SOW"), and their -ing form ("Sending the quote");
# nouns that share a verb's spelling ("call", "review", "update", "demo") are left out.
_REMINDER_VERBS = (
    "send", "share", "follow up", "book", "schedule", "set up", "chase", "circulate", "draft", "prepare", "forward",
    "loop in", "ping", "introduce", "arrange", "organise", "organize", "get", "fix", "revise", "deliver", "resend",
    "finalise", "finalize", "confirm", "provide", "submit", "escalate", "reply", "write up", "put together",
)


def _ing(verb: str) -> str:
    head, _, rest = verb.partition(" ")
    if head in ("get", "set", "put"):
        head += head[-1]
    elif head.endswith("e") and not head.endswith("ee"):
        head = head[:-1]
    return head + "ing" + (" " + rest if rest else "")


_BARE_ACTION = re.compile(r"(?:" + "|".join(sorted({*(v.replace(" ", r"\s+") for v in _REMINDER_VERBS),
                                                    *(_ing(v).replace(" ", r"\s+") for v in _REMINDER_VERBS)},
                                                   key=len, reverse=True)) + r")\b", re.IGNORECASE)
# "I'm sending the answers to Neil by 27/11": the present progressive of a reminder verb is a promise.
_PROGRESSIVE = re.compile(r"\b(?:(?:I|we)(?:['’]m|['’]re|\s+am|\s+are)|im)\s+(?=(?:" +
                          "|".join(_ing(v).replace(" ", r"\s+") for v in _REMINDER_VERBS) + r")\b)", re.IGNORECASE)
# "Dana will", "Dana to send", "Dana is sending the RFP next Friday" (the present progressive of a reminder verb)
# ("getting" only with a thing or person after it: "is getting us the data", not "is getting frustrated")
# "Mr. Thornton also will revert"; not "still owes us the usage data": an old promise, not one made here
_ADVERB_THEN_MODAL = (r"(?:\s+(?:also|then|just|now|too|again|kindly|definitely|hopefully)(?=\s+(?:will|shall|"
                      r"promised|agreed|offered|needs?|has|must|is)\b))?")
_IS_DOING = (r"(?:\s+(?:is|are)|['’]s)\s+(?=(?i:" + "|".join(_ing(v).replace(" ", r"\s+") for v in _REMINDER_VERBS
                                                         if v != "get")
                + r"|getting\s+(?:us|me|back|the|a|an|our|their|them|it|you|that|this)\s)\b)")
_AFTER_MENTION = re.compile(_ADVERB_THEN_MODAL + r"(?:" + _MODAL + r")|\s+to(?=\s+[a-z])|" + _IS_DOING)
_CUSTOMER_PROGRESSIVE = re.compile(r"\b(?:she|he)" + _IS_DOING, re.IGNORECASE)  # "he's getting us the PO number"
_NOUN_USE = re.compile(r"(?:[-\s]+(?:call|meeting|email|session|went|was|is|from|"
                       r"with\s+(?:the\s+)?\w+\s+(?:went|was))\b)|\s*[:,]", re.IGNORECASE)
# "Follow-up deck to Maria by Dec 5"
_FOLLOW_UP_NOUN = re.compile(r"follow[- ]?up\s+(?:[\w-]+\s+){0,2}?(?:to|with|for)\s", re.IGNORECASE)
_NARRATED = re.compile(r"\b(?:was|were|went|had|met|said|sent|did|got\s+back|came|told)\b", re.IGNORECASE)
_ARRIVAL = re.compile(r"\b(?P<thing>(?:the|their|his|her|a|an)\s+(?:[\w'’-]+\s+){0,3}?[\w'’-]+|it)\s+(?:will|should|"
                      r"would|is\s+going\s+to)\s+be\s+(?:with|back\s+(?:to|with)|over\s+to)\s+(?:us|me)\b", re.I)


_ON_ME = re.compile(r"(?:^|(?<=[\n.;:!?])[ \t]*)(?P<item>[^\n.;:!?]+?)\s*(?:[-–—(,]\s*)(?:on|for)\s+(?:me|us)\)?"
                    r"(?=[ \t]*(?:[.!;\n]|$))", re.IGNORECASE)


def find_triggers(text: str, scan: PeopleScan, account_spans: list[tuple[int, int]],
              colleagues: Colleagues) -> list[Trigger]:
    found: list[Trigger] = []
    for pattern in [*_OURS, _PROGRESSIVE]:
        for m in pattern.finditer(text):
            found.append(Trigger(m.start(), m.end(), "ours", None, None))
    for m in _HEADING.finditer(text):  # "Next step: me - send ...": the owner named, then the action
        owner = _OWNER_MARK.match(text, m.end())
        found.append(Trigger(m.start(), owner.end() if owner else m.end(), "ours", None, None, heading=True))
        line_end = text.find("\n", m.end())
        stop = line_end if line_end >= 0 else len(text)
        for item in re.finditer(r";[ \t]*(?=\w)", text[m.end() : stop]):
            at = m.end() + item.end()  # "To do: rate card by Tue; deck for Irene within 2 weeks": each item
            item_end = min((i for i in (text.find(";", at), stop) if i >= 0), default=stop)
            who = next((x for x in scan.mentions if x.start == at and x.person_id and not x.ambiguous
                        and _LINE_OWNER.match(text, x.end)), None)
            if who is not None:  # "Actions: ...; Richter - go-live sign-off - 30.11.": his
                found.append(Trigger(at, _LINE_OWNER.match(text, who.end).end(), "customer", who, who))
            elif ACTION_START.match(text, at) or DATE_RE.search(text, at, item_end):
                found.append(Trigger(at, at, "ours", None, None, heading=True))
    for m in _ON_ME.finditer(text):  # "Wants a forecast template by Dec 4 - on me."
        found.append(Trigger(m.start("item"), m.start("item"), "ours", None, None, heading=True))
    for m in _THEIR_HEADING.finditer(text):
        found.append(Trigger(m.start(), m.end(), "customer", None, None, heading=True))
    for m in [*_CUSTOMER_PRONOUN.finditer(text), *_CUSTOMER_PROGRESSIVE.finditer(text)]:
        pronoun = m.group(0).split("'")[0].split("’")[0].split()[0].lower()
        owner = scan.before(m.start(), pronoun) if pronoun in ("she", "he") else None
        found.append(Trigger(m.start(), m.end(), "customer", owner if owner and not owner.ambiguous else None, None))
    for m in _CUSTOMER_GROUP.finditer(text):
        found.append(Trigger(m.start(), m.end(), "customer", None, None))
    for mention in scan.mentions:  # "Leila's team will share the store list by 4 December": hers
        group = _THEIR_GROUP.match(text, mention.end)
        if group is not None and mention.person_id and not mention.ambiguous:
            found.append(Trigger(mention.start, group.end(), "customer", mention, mention))
    for mention in scan.mentions:
        owner = None if mention.ambiguous else mention
        m = _AFTER_MENTION.match(text, mention.end) or reported_would(text, mention.start, mention.end)
        if not m or (m.group(0).strip() == "to" and not _starts_clause(text, mention.start)):
            if _present_promise(text, mention.start, mention.end):  # "Priya Shah sends the form by Wednesday"
                found.append(Trigger(mention.start, mention.end, "customer", owner, owner))
            continue
        found.append(Trigger(mention.start, m.end(), "customer", owner, owner))
    for start, end in account_spans:
        m = _AFTER_MENTION.match(text, end)
        if m and m.group(0).strip() != "to":
            found.append(Trigger(start, m.end(), "customer", None, None))
    found.extend(_colleagues(text, scan))
    found.extend(_our_people(text, scan, colleagues))
    found.extend(_arrivals(text, scan))
    found.extend(_elided(text, scan))
    found.extend(_waiting(text, scan))
    found.extend(_subjectless(text, scan))
    found.extend(owner_lines(text, scan))
    found.extend(plain_promises(text, scan))
    found.sort(key=lambda t: (t.start, t.rank, -t.end))
    out: list[Trigger] = []
    for trig in found:  # overlapping triggers: keep the first (longest at that place)
        bare_after = trig.start == trig.end and out and not text[out[-1].end : trig.start].strip()
        if out and (trig.start < out[-1].end or bare_after):
            continue  # overlapping, or a bare reminder verb right where the last promise's content starts
        if out and trig.start == out[-1].start:
            continue
        out.append(trig)
    # a heading ("Next steps:") right before another promise ("Dana to send ...") adds nothing
    return [t for i, t in enumerate(out)
            if not (t.heading and i + 1 < len(out) and not text[t.end : out[i + 1].start].strip())]


def _colleagues(text: str, scan: PeopleScan) -> list[Trigger]:
    """A promise by someone named by first name only who is none of the customer's people: a colleague of ours
    ("Tom will deliver the fix by Dec 2", "Maria to send the references")."""
    out = []
    for m in re.finditer(r"\b" + NAME_TOKEN + r"(?:\s+" + NAME_TOKEN + r")?\b", text):
        first = m.group(0).split()[0]
        if scan.at(m.start(), m.end()) or first in NOT_NAMES or not is_given_name(first):
            continue
        ours = re.search(r"\b(?:our|my)\s+(?:[\w-]+\s+){0,2}$", text[: m.start()], re.IGNORECASE)
        if not ours and (" " in m.group(0) or not _starts_clause(text, m.start())):
            continue  # a full name is a person of the customer's (a new one); mid-clause it is an object
        modal = _AFTER_MENTION.match(text, m.end())
        if modal:
            out.append(Trigger(m.start(), modal.end(), "ours", None, None))
    return out


def _present_promise(text: str, start: int, end: int, *, opens: bool = False) -> bool:
    """Whether the name at ``start:end`` opens a clause whose verb promises in the present tense with a day
    ("Priya Shah sends the form by Wednesday", "maria sends rollout timeline by Dec 2")."""
    verb = THIRD_PERSON.match(text, end + 1) if text[end : end + 1] == " " else None
    base = ACTION_START.match(text, end + 1) if verb is None and text[end : end + 1] == " " else None
    if (verb or base) is None or not (opens or _starts_clause(text, start)):
        return False
    found = verb or base
    stop = clause_stop(text, found.end(), comma=True)
    if base is not None:  # "Stefan send the checklist until 30/11": a plain verb promises only with a deadline
        return _DEADLINE.search(text, found.end(), stop) is not None
    return DATE_RE.search(text, found.end(), stop) is not None


# A future told in reported speech: "it was agreed that Jordan Lee would provide ...", "she said Ms Okafor would
# call"; "would" alone ("Dana would love a case study") is a wish, not a promise.
_REPORTED_LEAD = re.compile(r"\b(?:agreed|said|confirmed|promised|stated|indicated|undertook|decided|understood|"
                            r"arranged|told\s+\w+|informed\s+\w+(?:\s+\w+)?)\s+(?:that\s+)?$", re.IGNORECASE)
_WOULD = re.compile(r"\s+would(?=\s+(?!(?:like|love|prefer|rather|be\s+happy|need|require)\b)[a-z])", re.IGNORECASE)


def reported_would(text: str, start: int, end: int) -> re.Match[str] | None:
    """" would" after the person named at ``start``..``end``, when a reporting verb leads up to them."""
    found = _WOULD.match(text, end)
    return found if found and _REPORTED_LEAD.search(text, max(0, start - 40), start) else None


def _our_people(text: str, scan: PeopleScan, colleagues: Colleagues) -> list[Trigger]:
    """Promises headed by one of our people: "Tom to check in with Robin", "maria sends the timeline by Dec 2",
    "JL to send revised terms", "- Sam: send a contract amendment"."""
    out = []
    named_in_full = {m.key for m in scan.mentions if m.person_id and " " in m.text.strip()}
    for start, end in colleagues.mentions(text):
        if not (_starts_clause(text, start) or _ARROW_BEFORE.search(text, 0, start)
                or _ACTION_LABEL.search(text, 0, start) or reported_would(text, start, end)):
            # ("Action Lee: revised term sheet by 27.11.", "it was agreed that Jordan Lee would provide ...")
            continue
        if any(m.person_id and m.key in named_in_full for m in scan.at(start, end)):
            continue  # a stakeholder of the customer's the note names in full, who shares a name with one of ours
        modal = _AFTER_MENTION.match(text, end) or _LINE_OWNER.match(text, end) or reported_would(text, start, end)
        if modal:
            out.append(Trigger(start, modal.end(), "ours", None, None, rank=0))
        elif _present_promise(text, start, end, opens=True):
            out.append(Trigger(start, end, "ours", None, None, rank=0))
    return out


_DEADLINE = re.compile(r"\b(?:by|until|till|til|before|no\s+later\s+than)\s+(?=" + DATE_EXPR + ")",
                       re.IGNORECASE)
_ARROW_BEFORE = re.compile(_ARROW + r"\s*$")
_ACTION_LABEL = re.compile(r"(?:^|[\n.;!?]\s*|[-*•]\s*)(?:action|ai|to-?do|owner)\s+$", re.IGNORECASE)
_OWNER_MARK = re.compile(r"[ \t]*(?:me|us|I|we|myself)[ \t]*(?:" + _ARROW + r"|[-–—:])[ \t]*(?=\w)", re.IGNORECASE)
_LINE_OWNER = re.compile(r"[ \t]*(?::|[ \t][-–][ \t]|(?<=[ \t])(?:->|→))[ \t]*(?=\w)")  # "Grace → options 2/12"


def _arrivals(text: str, scan: PeopleScan) -> list[Trigger]:
    """Things the customer will get to us: "the countersigned copy will be with us by Wednesday", "promised it
    will be with us by Tuesday". The owner is the person named last before, in the sentence."""
    out = []
    bounds = sentences(text)
    for m in _ARRIVAL.finditer(text):
        sentence = next((x for x in bounds if x.start <= m.start() < x.end), None)
        named = [x for x in scan.mentions if sentence is not None and sentence.start <= x.start and x.end <= m.start()]
        owner = _known(named[-1]) if named else None
        out.append(Trigger(m.start(), m.start(), "customer", owner, None, arrival=True))
    return out


def _elided(text: str, scan: PeopleScan) -> list[Trigger]:
    """Promises that share the sentence's subject: "Priya loved the demo and will send the docs"."""
    out = []
    for m in _ELIDED.finditer(text):
        sentence = next((x for x in sentences(text) if x.start <= m.start() < x.end), None)
        if sentence is None:
            continue
        subject = _SENTENCE_SUBJECT.match(text, sentence.start)
        named = [x for x in scan.at(sentence.start, m.start()) if x.end <= m.start()]
        start = m.start("verb")
        if (subject and subject.group("ours")) or _WRITER_OPENS.match(text, sentence.start):
            out.append(Trigger(start, m.end(), "ours", None, None))  # "Met Dana, ... and will send the deck"
        elif named and not (subject and subject.group("they")):
            out.append(Trigger(start, m.end(), "customer", _known(named[-1]), None))
        elif subject and subject.group("pro"):
            ref = scan.before(sentence.start, subject.group("pro"))
            out.append(Trigger(start, m.end(), "customer", _known(ref), None))
        elif subject:
            out.append(Trigger(start, m.end(), "customer", None, None))
    return out


def _sentence_subject(text: str, scan: PeopleScan, start: int, clause_start: int) -> Mention | None:
    """The person who opens the sentence at ``start`` as its subject (after a heading such as "Acme:") and whom a
    relative clause follows ("Marcus, who loved the demo, will champion it"): the subject of the clause at
    ``clause_start``, which has none of its own."""
    first = next((m for m in scan.mentions if start <= m.start < clause_start), None)
    if first is None or not _HEAD_ONLY.fullmatch(text, start, first.start):
        return None
    return first if _RELATIVE.fullmatch(text, first.end, clause_start) else None


_HEAD_ONLY = re.compile(r"\s*(?:[-*•]\s*)?(?:[A-Z][\w&'’ -]{0,40}?\s*(?::|\s-)\s*)?")
_RELATIVE = re.compile(r"\s*,\s*(?:who|whose)\b[^,;.]*,\s*")  # "Marcus, who loved the demo, will ..."


def _subjectless(text: str, scan: PeopleScan) -> list[Trigger]:
    """Promises the writer makes without a subject, at the start of a clause: "Promised to get our CISO on a call",
    "Need to loop in legal", "Will send the deck", "Sending the quote tomorrow", "Follow up Monday"."""
    out, prev = [], None
    for sentence in sentences(text):
        parts, last = clauses(sentence), prev
        prev = (sentence, parts[-1]) if parts else None  # "Zoe keen; offered to sponsor it": Zoe's
        for k, clause in enumerate(parts):
            lead = _CLAUSE_LEAD.match(text, clause.start)
            pos = lead.end() if lead else clause.start
            if _NARRATED.search(text, pos, clause.end):
                continue  # "Call went well", "Sent the deck": what happened, not what is promised
            modal = _SUBJECTLESS_MODAL.match(text, pos)
            if modal:
                subject = _sentence_subject(text, scan, sentence.start, clause.start)
                joined = last if not k and last and text[last[0].end : sentence.start].strip() == ";" else None
                before = _clause_subject(text, scan, parts[k - 1] if k else joined[1]) if k or joined else None
                before = before or _line_head(text, scan, sentence)  # "Caroline: business-like, will send ..."
                if subject is not None:  # "Marcus, who loved the demo, will champion it": Marcus promises
                    out.append(Trigger(pos, modal.end(), "customer", _known(subject), None))
                elif before is not None:  # "she was helpful, will introduce us to the interim CFO"
                    out.append(Trigger(pos, modal.end(), "customer", _known(before[1]), None))
                else:
                    out.append(Trigger(pos, modal.end(), "ours", None, None))
                continue
            verb = _BARE_ACTION.match(text, pos)
            if (verb and not _NOUN_USE.match(text, verb.end())) or _FOLLOW_UP_NOUN.match(text, pos):
                out.append(Trigger(pos, pos, "ours", None, None))
                continue
            present = _PRESENT_OURS.match(text, pos, clause.end)
            verb_at = present.end() if present else pos
            if present and (_BARE_ACTION.match(text, verb_at) or ACTION_START.match(text, verb_at)) and (
                    DATE_RE.search(text, pos, clause.end) or _TRAILING_DAY.match(text, clause.end)):
                # "(1) we send the audit by 12/11", "until 27/11 we send", "I set up a call w/ them, fri"
                out.append(Trigger(present.start("who"), verb_at, "ours", None, None))
    return out


_TRAILING_DAY = re.compile(r"\s*,\s*(?:on\s+|by\s+)?" + DATE_EXPR + r"(?=\s*(?:[.;!\n]|$))", re.IGNORECASE)
_PRESENT_OURS = re.compile(r"(?:(?:by|until|till|before)\s+" + DATE_EXPR + r"\s*,?\s*)?(?P<who>I|we)\s+",
                           re.IGNORECASE)
_REQUEST = re.compile(r"\b(?:asked|asks|ask|wants?|wanted|requested|requests?|needs?|needed|expects?|expected)\b",
                      re.IGNORECASE)


def _clause_subject(text: str, scan: PeopleScan, clause: Piece) -> tuple[str, Mention | None] | None:
    """The customer person who is the subject of ``clause`` ("she was helpful", "Dana loved it"), if it has one:
    ("customer", who) with who None when a pronoun does not tell."""
    lead = _CLAUSE_LEAD.match(text, clause.start)
    pos = lead.end() if lead else clause.start
    if _REQUEST.search(text, pos, clause.end):
        return None  # "Tom asked for the answers, will get them over by Friday": the answer to a request is ours
    pronoun = re.match(r"(she|he)\b", text[pos:clause.end], re.IGNORECASE)
    if pronoun:
        return "customer", scan.before(pos, pronoun.group(1).lower())
    named = next((m for m in scan.mentions if m.start == pos), None)
    return ("customer", named) if named is not None else None


_HEAD_COLON = re.compile(r"\s*(?:\([^()\n]{1,40}\)\s*)?:")  # "Caroline (legal):" heads a minutes line


def _line_head(text: str, scan: PeopleScan, sentence: Piece) -> tuple[str, Mention | None] | None:
    at = lead.end() if (lead := _CLAUSE_LEAD.match(text, sentence.start)) else sentence.start
    head = next((m for m in scan.mentions if m.start == at and _HEAD_COLON.match(text, m.end)), None)
    return ("customer", head) if head is not None else None


# "expecting the signed SOW from Dana by Dec 4": a thing with its day, owed by the person it comes from
_EXPECTED_FROM = re.compile(r"\b(?:expecting|awaiting|expect|await|waiting\s+for)\s+"
                            r"(?P<thing>(?:the|a|an|their|his|her|some)\s+[^.;,\n]{1,60}?)\s+from\s+(?=\S)", re.I)
# "waiting on Raj for the pilot data": the thing owed, not a while ("for 20 minutes", "for ages")
_FOR_THING = re.compile(r"\s*for(?=\s+(?!\d|a\s+(?:while|bit|few|couple)|an?\s+(?:hour|day|week|month)|ages|"
                        r"(?:some|more)\s+time|hours|days|weeks|months|minutes|years)\S)", re.IGNORECASE)


def _waiting(text: str, scan: PeopleScan) -> list[Trigger]:
    """"Waiting on her / Raj to send ...", "waiting on Raj for the pilot data": the customer owes it."""
    out = []
    for m in _WAITING.finditer(text):
        pronoun = (m.group("pro") or "").lower()
        if pronoun:
            who, after = (scan.before(m.start(), pronoun) if pronoun != "them" else None), m.end()
        else:
            here = next((x for x in scan.mentions if x.start == m.end()), None)
            if here is None:
                continue
            who, after = here, here.end
        to = re.match(r"\s*to(?=\s)", text[after:]) or _FOR_THING.match(text[after:])
        if to:
            out.append(Trigger(m.start(), after + to.end(), "customer", _known(who), None))
    for m in _EXPECTED_FROM.finditer(text):
        who = next((x for x in scan.mentions if x.start == m.end()), None)
        stop = min((i for i in (text.find(c, m.end()) for c in ".;\n") if i >= 0), default=len(text))
        if who is not None and DATE_RE.search(text, who.end, stop):  # "expecting the SOW from Dana by Dec 4"
            out.append(Trigger(m.start(), m.start("thing"), "customer", _known(who), None))
    return out


def _known(mention: Mention | None) -> Mention | None:
    return mention if mention is not None and not mention.ambiguous else None
