"""Commitments in a note: who promised what, by when.

Ours: "I'll send", "we will", "I'm sending", "I promised to", "they asked me to", "our engineer will", "Next step:
send ...", subjectless reminders ("will send the deck fri", "Follow up Monday"), a colleague named by first name
("Tom will deliver the fix"), and any promise or action line headed by one of our people (``colleagues``: "JL to
send ...", "- Sam: send the amendment", "maria sends the timeline by Dec 2"), each item of a "To do:" list,
"... - on me". The customer's: "she'll send", "they will", "Dana agreed to", "Dana to confirm budget", "Dana
sends the form by Wednesday", "Ryan: dealer list by the 3rd", "customer to sign", "waiting on Raj to", "the signed
copy will be with us by Dec 2". A wish ("wants us to"), their quoted words ('we'll renew') and a stance without a
day ("says he'll sponsor it", "she'll live with it") are no promise. The description runs from the promise to the end of
its clause; its due phrase is read by ``dues.py`` (a window without a day is due null, a day that does not exist
is asked about).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from tools.notes.extract.colleagues import Colleagues
from tools.notes.extract.dates import DATE_RE
from tools.notes.extract.dues import due_in, leading_due, split_by_due
from tools.notes.extract.given_names import is_given_name
from tools.notes.extract.people import Mention, PeopleScan
from tools.notes.extract.phrases import ACTION_VERBS as _ACTIONS
from tools.notes.extract.phrases import base_form, resolve_pronoun
from tools.notes.extract.text import NAME_TOKEN, NOT_NAMES, Piece, clauses, sentences

_ARROW = r"(?:->|→|➡️?|>>|=>)"  # "-> me: send Ian the quote", "→ send SLA report by Dec 1"
_MODAL = (
    r"(?:['’]ll|\s+will|\s+shall|\s+(?:am|are|is|['’]m|['’]re|['’]s)\s+going\s+to|\s+promised(?:\s+to)?|"
    r"\s+committed\s+to|\s+agreed\s+to|\s+offered\s+to|\s+needs?\s+to|\s+ha(?:ve|s)\s+to|\s+must|"
    r"\s+owes?(?=\s+[\w'’])|\s+said\s+(?:she|he|they|I|we)(?:['’]d|\s+would)|"
    r"\s+(?:is|are|am|['’]m|['’]re)\s+to)(?=\s)"
)
_OURS = [
    re.compile(r"\b(?:I|we)" + _MODAL, re.IGNORECASE),
    re.compile(r"\b(?:asked|asks|needs?|needed|expects?|expected)\s+(?:me|us)\s+to(?=\s)", re.I),
    re.compile(r"(?:^|(?<=[\n.;:!?-])\s*|(?<=\band\s)|(?<=\bso\s))(?:let['’]?s|let\s+us)(?=\s)(?!\s+know\b)",
               re.IGNORECASE | re.MULTILINE),
    re.compile(r"\b(?:our|my)\s+(?:(?!(?:he|she|they|I|we|it|you)\b)[\w-]+\s+){0,2}?"
               r"(?!(?:he|she|they|I|we|it|you)\b)[\w-]+(?:['’]ll|\s+will|\s+(?:is|are)\s+going\s+to|"
               r"\s+(?:promised|agreed|offered)\s+to)(?=\s)", re.I),  # "our engineer will do a walkthrough"
    re.compile(r"\b(?:agreed|promised|said|confirmed|told|assured|reassured)(?:\s+[\w'’]+){0,4}?\s+(?:that\s+)?"
               r"(?:(?:I|we)(?:['’]d|\s+would)|id)(?=\s)", re.I),
]
# "- Dana: confirm budget by the 30th", "me: send the deck": a line that gives an action to someone.
_OWNER_LINE = re.compile(r"(?:^|\n|;|(?<=[.!?])(?=[ \t])|(?<=steps):|(?<=actions):|(?<=do):|" + _ARROW +
                         r")[ \t]*(?:[-*•][ \t]*)?"
                         r"(?!(?:next|actions?|action\s+items?|to-?dos?|notes?|attendees|account|agenda|summary|re)\b)"
                         r"(?P<who>[A-Z][\w'’-]+"
                         r"(?:[ \t]+[A-Z][\w'’-]+)?|me|us|we|they|them|customer|client)[ \t]*(?:[:–]|[ \t]-[ \t])[ \t]*"
                         r"(?=\w)", re.IGNORECASE)
_HEADING = re.compile(r"(?:^|(?<=[\n.;:!?])\s*|^\s*[-*•]\s*)(?:next\s+steps?|action\s+items?|actions?|"
               r"to[-\s]?dos?|ais?|"
               r"follow[- ]ups?|my\s+actions?|on\s+me|on\s+us|our\s+side|from\s+us)\s*(?:\((?:me|us|ours)\))?"
               r"\s*:(?=\s)", re.IGNORECASE | re.M)
_THEIR_HEADING = re.compile(r"(?:^|(?<=[\n.;!?])\s*|^\s*[-*•]\s*)(?:their\s+side|customer\s+side|on\s+them|"
                            r"from\s+them|their\s+actions?)\s*:(?=\s)", re.IGNORECASE | re.M)
_CUSTOMER_PRONOUN = re.compile(r"\b(?:she|he|they)" + _MODAL, re.IGNORECASE)
_CUSTOMER_GROUP = re.compile(
    r"\b(?:(?:the\s+)?(?:customer|client)|(?:their|the|his|her)\s+(?:team|side|people|folks|engineers|it\s+team|"
    r"legal(?:\s+team)?|procurement(?:\s+team)?|finance(?:\s+team)?))(?:\s+to(?=\s)|" + _MODAL + ")",
    re.IGNORECASE,
)
# A promise whose subject is the sentence's ("Priya loved the demo and will send the docs").
_ELIDED = re.compile(r"\b(?:and|but|then)\s+(?P<verb>(?:will|promised\s+to|agreed\s+to|offered\s+to|committed\s+to|"
                     r"(?:is|are)\s+going\s+to))(?=\s)", re.IGNORECASE)
_SENTENCE_SUBJECT = re.compile(r"\s*(?:(?P<ours>I|we)|(?P<pro>she|he)|(?P<they>they))\b", re.IGNORECASE)
# A sentence the writer narrates without "I": "Met Dana at Acme, went through the renewal and will send ...".
_WRITER_OPENS = re.compile(r"\s*(?:[-*•]\s*)?(?:[A-Z][\w&'’-]*\s*[:-]\s*)?(?:met|called|spoke|talked|caught\s+up|had|"
                           r"visited|went|saw|phoned|emailed|rang|sat\s+down|joined|walked|presented|demoed)\b",
                           re.IGNORECASE)
_WAITING = re.compile(r"\bwaiting\s+(?:on|for)\s+(?:(?P<pro>her|him|them)\s+)?(?=\S)", re.IGNORECASE)
_AFTER_MENTION = re.compile(_MODAL + r"|\s+to(?=\s+[a-z])")
_NOT_A_PROMISE = {
    "be", "feel", "probably", "likely", "maybe", "possibly", "perhaps", "not", "never", "want", "like", "love",
    "hate", "think", "wonder", "hope", "see", "need", "also", "still", "that", "this", "none", "nothing", "n/a",
    "tbd", "no",
}
_CUT = re.compile(r"\s+(?:because|since|once|if|unless|so\s+that|so|but|which|as\s+long\s+as|(?:this|that)\s+was)\b|"
                  r",\s+(?:which|as|so)\b|\s+[(\[](?=[^)\]]*\b(?:already|done)\b)",
                  re.IGNORECASE)
_CLAUSE_LEAD = re.compile(r"\s*(?:(?:[-*•~+]|" + _ARROW + r")\s*|\(?\d{1,2}[.)]\s+)?"
                          r"(?:(?:and|also|then|so|plus|but|oh|ps)\b[,\s]*)*",
                          re.IGNORECASE)
_SUBJECTLESS_MODAL = re.compile(r"(?:promised|committed|agreed|offered|need|needs|have|has|got|going)\s+to(?=\s+\w)|"
                                r"promised(?=\s+(?:the|a|an|our|some|them|her|him)\s)|"
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
_PROGRESSIVE = re.compile(r"\b(?:I|we)(?:['’]m|['’]re|\s+am|\s+are)\s+(?=(?:" +
                          "|".join(_ing(v).replace(" ", r"\s+") for v in _REMINDER_VERBS) + r")\b)", re.IGNORECASE)
_NOUN_USE = re.compile(r"(?:[-\s]+(?:call|meeting|email|session|went|was|is|from|"
                       r"with\s+(?:the\s+)?\w+\s+(?:went|was))\b)|\s*[:,]", re.IGNORECASE)
# "Follow-up deck to Maria by Dec 5"
_FOLLOW_UP_NOUN = re.compile(r"follow[- ]?up\s+(?:[\w-]+\s+){0,2}?(?:to|with|for)\s", re.IGNORECASE)
_NARRATED = re.compile(r"\b(?:was|were|went|had|met|said|sent|did|got\s+back|came|told)\b", re.IGNORECASE)
_ACTION_START = re.compile(r"(?:" + "|".join(_ACTIONS) + r")\b", re.IGNORECASE)
_SPLIT = re.compile(r"\s+and\s+(?:then\s+|also\s+)?(?:(?:I|we)\s+(?:(?:will|['’]ll|also|then)\s+)?)?(?=(?:" +
                    "|".join(_ACTIONS) + r")\b)", re.IGNORECASE)


@dataclass
class FoundCommitment:
    side: str
    owner: Mention | None
    description: str
    due: dt.date | None
    due_span: str | None
    span: str
    start: int
    end: int
    subject: Mention | None = None  # the person named as the one who promised


@dataclass
class CommitmentScan:
    items: list[FoundCommitment] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)

    @property
    def stretches(self) -> list[tuple[int, int]]:
        return [(c.start, c.end) for c in self.items]


@dataclass(frozen=True)
class _Trigger:
    start: int  # where the promise starts (its subject)
    end: int  # where its content starts
    side: str
    owner: Mention | None
    subject: Mention | None
    heading: bool = False
    rank: int = 1  # at one place, the trigger of lower rank wins (a colleague's name over a namesake's)
    arrival: bool = False  # "the signed copy will be with us by Dec 2": the thing comes from the customer


def find_commitments(text: str, scan: PeopleScan, as_of: dt.date,
                     account_spans: list[tuple[int, int]] = (), colleagues: Colleagues | None = None
                     ) -> CommitmentScan:
    """Every commitment in ``text``, with questions for due phrases that cannot be resolved. ``colleagues`` are
    our people: a promise headed by one of them is ours."""
    out = CommitmentScan()
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    triggers = [t for t in _triggers(text, scan, account_spans, colleagues or Colleagues())
                if not any(a <= t.start < b for a, b in quoted)]  # 'we'll renew, no question': their words
    bounds = sentences(text)
    for i, trig in enumerate(triggers):
        sentence = next((s for s in bounds if s.start <= trig.end <= s.end), None)
        end = sentence.end if sentence else len(text)
        if i + 1 < len(triggers):
            end = min(end, triggers[i + 1].start) if triggers[i + 1].start >= trig.end else end
        cut = _CUT.search(text, trig.end, end)
        if cut:
            end = cut.start()
        verb = None
        for part_start, part_end in _parts(text, trig.end, end):
            found = _one(text, trig, trig.start if part_start == trig.end else part_start, part_start, part_end,
                         as_of, out.questions)
            if found is not None and _stance(text, found, trig):
                continue
            if found is not None:
                lead = leading_due(text, sentence.start, trig.start, as_of) if sentence and not found.due else None
                if lead is not None:  # "Next Tuesday I'll send the case study"
                    found.due, found.due_span, found.start = lead
                    found.span = text[found.start : found.end]
                if verb and _ARTICLE.match(found.description):  # "the quote tmrw and the plan by Friday"
                    found.description = f"{verb} {found.description}"
                first = found.description.split()[0]
                verb = first if _ACTION_START.fullmatch(first) else verb
                out.items.append(found)
    return out


# A quotation of someone's words ("Matthew: 'we'll renew, no question'"): its "we" is not us, its promise is a view.
_QUOTED = re.compile(r"(?<![\w'’])['‘\"“](?=\w).{2,200}?['’\"”](?!\w)")
_THIRD_PERSON = re.compile(r"(?P<verb>" + "|".join(_ACTIONS) + r")(?:es|s)\b", re.IGNORECASE)
_ARRIVAL = re.compile(r"\b(?P<thing>(?:the|their|his|her|a|an)\s+(?:[\w'’-]+\s+){0,3}?[\w'’-]+|it)\s+(?:will|should|"
                      r"would|is\s+going\s+to)\s+be\s+(?:with|back\s+(?:to|with)|over\s+to)\s+(?:us|me)\b", re.I)
_ARRIVAL_TAIL = re.compile(r"\s+(?:will|should|would|is\s+going\s+to)\s+be\s+(?:with|back\s+(?:to|with)|over\s+to)\s+"
                           r"(?:us|me)\b", re.IGNORECASE)


_ON_ME = re.compile(r"(?:^|(?<=[\n.;:!?])[ \t]*)(?P<item>[^\n.;:!?]+?)\s*(?:[-–—(,]\s*)(?:on|for)\s+(?:me|us)\)?"
                    r"(?=[ \t]*(?:[.!;\n]|$))", re.IGNORECASE)
_WISH = re.compile(r"^(?:wants?|asked\s+for|asks\s+for|needs?)\s+(?=\w)", re.IGNORECASE)
_ON_ME_TAIL = re.compile(r"\s*(?:[-–—(,]\s*)(?:on|for)\s+(?:me|us)\)?$", re.IGNORECASE)
_ALREADY_LOGGED = re.compile(r"\s*[(\[]\s*already\s+(?:in|on|logged|tracked|captured)\b", re.IGNORECASE)
_NAMES_ONLY = re.compile(r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*(?:\s*(?:,|&|\band\b)\s*[A-Z][\w'’.-]*"
                         r"(?:\s+[A-Z][\w'’.-]*)*)*")


def _stance(text: str, found: FoundCommitment, trig: _Trigger) -> bool:
    """A customer's view rather than a promise, with no day: their reported intent without a deliverable ("he
    says he'll sponsor phase 2 internally") or an attitude ("she'll live with it"). No commitment to track."""
    if found.side != "customer" or found.due is not None or trig.heading or trig.arrival:
        return False
    verb = found.description.split()[0].lower() if found.description else ""
    if verb in _ATTITUDE_VERBS:
        return True
    reported = _REPORTED.search(text, max(0, trig.start - 24), trig.start)
    return reported is not None and not _ACTION_START.match(found.description)


# Verbs that say how someone takes a thing, not what they will do for us ("she'll live with it").
_ATTITUDE_VERBS = {"live", "cope", "deal", "survive", "accept", "tolerate", "consider", "think", "wait", "try", "be",
                   "stay", "remain", "probably", "see"}
_REPORTED = re.compile(r"\b(?:says?|said|thinks?|thought|claims?|claimed|feels?|felt)\s+(?:that\s+)?$", re.IGNORECASE)


_OWED = re.compile(r"(?P<who>them|her|him|us|[A-Z][\w'’-]+|[a-z]+(?<!send)(?<!get))\s+"
                   r"(?P<thing>(?:the|a|an|our|some)\s+.+)")
_ARTICLE = re.compile(r"(?:the|a|an|our|their|some)\s", re.IGNORECASE)


def _triggers(text: str, scan: PeopleScan, account_spans: list[tuple[int, int]],
              colleagues: Colleagues) -> list[_Trigger]:
    found: list[_Trigger] = []
    for pattern in [*_OURS, _PROGRESSIVE]:
        for m in pattern.finditer(text):
            found.append(_Trigger(m.start(), m.end(), "ours", None, None))
    for m in _HEADING.finditer(text):
        found.append(_Trigger(m.start(), m.end(), "ours", None, None, heading=True))
        line_end = text.find("\n", m.end())
        stop = line_end if line_end >= 0 else len(text)
        for item in re.finditer(r";[ \t]*(?=\w)", text[m.end() : stop]):
            at = m.end() + item.end()  # "To do: rate card by Tue; deck for Irene within 2 weeks": each item
            item_end = min((i for i in (text.find(";", at), stop) if i >= 0), default=stop)
            if _ACTION_START.match(text, at) or DATE_RE.search(text, at, item_end):
                found.append(_Trigger(at, at, "ours", None, None, heading=True))
    for m in _ON_ME.finditer(text):  # "Wants a forecast template by Dec 4 - on me."
        found.append(_Trigger(m.start("item"), m.start("item"), "ours", None, None, heading=True))
    for m in _THEIR_HEADING.finditer(text):
        found.append(_Trigger(m.start(), m.end(), "customer", None, None, heading=True))
    for m in _CUSTOMER_PRONOUN.finditer(text):
        pronoun = m.group(0).split("'")[0].split("’")[0].split()[0].lower()
        owner = scan.before(m.start(), pronoun) if pronoun in ("she", "he") else None
        found.append(_Trigger(m.start(), m.end(), "customer", owner if owner and not owner.ambiguous else None, None))
    for m in _CUSTOMER_GROUP.finditer(text):
        found.append(_Trigger(m.start(), m.end(), "customer", None, None))
    for mention in scan.mentions:
        owner = None if mention.ambiguous else mention
        m = _AFTER_MENTION.match(text, mention.end)
        if not m or (m.group(0).strip() == "to" and not _starts_clause(text, mention.start)):
            if _present_promise(text, mention.start, mention.end):  # "Priya Shah sends the form by Wednesday"
                found.append(_Trigger(mention.start, mention.end, "customer", owner, owner))
            continue
        found.append(_Trigger(mention.start, m.end(), "customer", owner, owner))
    for start, end in account_spans:
        m = _AFTER_MENTION.match(text, end)
        if m and m.group(0).strip() != "to":
            found.append(_Trigger(start, m.end(), "customer", None, None))
    found.extend(_colleagues(text, scan))
    found.extend(_our_people(text, scan, colleagues))
    found.extend(_arrivals(text, scan))
    found.extend(_elided(text, scan))
    found.extend(_waiting(text, scan))
    found.extend(_subjectless(text, scan))
    found.extend(_owner_lines(text, scan))
    found.sort(key=lambda t: (t.start, t.rank, -t.end))
    out: list[_Trigger] = []
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


def _colleagues(text: str, scan: PeopleScan) -> list[_Trigger]:
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
            out.append(_Trigger(m.start(), modal.end(), "ours", None, None))
    return out


def _present_promise(text: str, start: int, end: int, *, opens: bool = False) -> bool:
    """Whether the name at ``start:end`` opens a clause whose verb promises in the present tense with a day
    ("Priya Shah sends the form by Wednesday", "maria sends rollout timeline by Dec 2")."""
    verb = _THIRD_PERSON.match(text, end + 1) if text[end : end + 1] == " " else None
    if verb is None or not (opens or _starts_clause(text, start)):
        return False
    stop = min((i for i in (text.find(c, verb.end()) for c in ".;\n") if i >= 0), default=len(text))
    return DATE_RE.search(text, verb.end(), stop) is not None


def _our_people(text: str, scan: PeopleScan, colleagues: Colleagues) -> list[_Trigger]:
    """Promises headed by one of our people: "Tom to check in with Robin", "maria sends the timeline by Dec 2",
    "JL to send revised terms", "- Sam: send a contract amendment"."""
    out = []
    named_in_full = {m.key for m in scan.mentions if m.person_id and " " in m.text.strip()}
    for start, end in colleagues.mentions(text):
        if not _starts_clause(text, start) and not _ARROW_BEFORE.search(text, 0, start):
            continue
        if any(m.person_id and m.key in named_in_full for m in scan.at(start, end)):
            continue  # a stakeholder of the customer's the note names in full, who shares a name with one of ours
        modal = _AFTER_MENTION.match(text, end) or _LINE_OWNER.match(text, end)
        if modal:
            out.append(_Trigger(start, modal.end(), "ours", None, None, rank=0))
        elif _present_promise(text, start, end, opens=True):
            out.append(_Trigger(start, end, "ours", None, None, rank=0))
    return out


_ARROW_BEFORE = re.compile(_ARROW + r"\s*$")
_LINE_OWNER = re.compile(r"[ \t]*(?::|[ \t][-–][ \t])[ \t]*(?=\w)")


def _arrivals(text: str, scan: PeopleScan) -> list[_Trigger]:
    """Things the customer will get to us: "the countersigned copy will be with us by Wednesday", "promised it
    will be with us by Tuesday". The owner is the person named last before, in the sentence."""
    out = []
    bounds = sentences(text)
    for m in _ARRIVAL.finditer(text):
        sentence = next((x for x in bounds if x.start <= m.start() < x.end), None)
        named = [x for x in scan.mentions if sentence is not None and sentence.start <= x.start and x.end <= m.start()]
        owner = _known(named[-1]) if named else None
        out.append(_Trigger(m.start(), m.start(), "customer", owner, None, arrival=True))
    return out


def _elided(text: str, scan: PeopleScan) -> list[_Trigger]:
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
            out.append(_Trigger(start, m.end(), "ours", None, None))  # "Met Dana, ... and will send the deck"
        elif named and not (subject and subject.group("they")):
            out.append(_Trigger(start, m.end(), "customer", _known(named[-1]), None))
        elif subject and subject.group("pro"):
            ref = scan.before(sentence.start, subject.group("pro"))
            out.append(_Trigger(start, m.end(), "customer", _known(ref), None))
        elif subject:
            out.append(_Trigger(start, m.end(), "customer", None, None))
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


def _subjectless(text: str, scan: PeopleScan) -> list[_Trigger]:
    """Promises the writer makes without a subject, at the start of a clause: "Promised to get our CISO on a call",
    "Need to loop in legal", "Will send the deck", "Sending the quote tomorrow", "Follow up Monday"."""
    out = []
    for sentence in sentences(text):
        parts = clauses(sentence)
        for k, clause in enumerate(parts):
            lead = _CLAUSE_LEAD.match(text, clause.start)
            pos = lead.end() if lead else clause.start
            if _NARRATED.search(text, pos, clause.end):
                continue  # "Call went well", "Sent the deck": what happened, not what is promised
            modal = _SUBJECTLESS_MODAL.match(text, pos)
            if modal:
                subject = _sentence_subject(text, scan, sentence.start, clause.start)
                before = _clause_subject(text, scan, parts[k - 1]) if k else None
                if subject is not None:  # "Marcus, who loved the demo, will champion it": Marcus promises
                    out.append(_Trigger(pos, modal.end(), "customer", _known(subject), None))
                elif before is not None:  # "she was helpful, will introduce us to the interim CFO"
                    out.append(_Trigger(pos, modal.end(), "customer", _known(before[1]), None))
                else:
                    out.append(_Trigger(pos, modal.end(), "ours", None, None))
                continue
            verb = _BARE_ACTION.match(text, pos)
            if (verb and not _NOUN_USE.match(text, verb.end())) or _FOLLOW_UP_NOUN.match(text, pos):
                out.append(_Trigger(pos, pos, "ours", None, None))
                continue
            present = re.match(r"(?:I|we)\s+", text[pos:clause.end], re.IGNORECASE)
            if present and _BARE_ACTION.match(text, pos + present.end()) and DATE_RE.search(text, pos, clause.end):
                out.append(_Trigger(pos, pos + present.end(), "ours", None, None))  # "(1) we send the audit by 12/11"
    return out


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


def _owner_lines(text: str, scan: PeopleScan) -> list[_Trigger]:
    """Lines of an action list that name who does it: "- Dana: confirm budget", "me: send the deck", "Ryan: dealer
    list by the 3rd", "Nina: she send the promo calendar on Monday"."""
    out = []
    for m in _OWNER_LINE.finditer(text):
        who = m.group("who").lower()
        pronoun = _PRONOUN_SUBJECT.match(text, m.end())
        verb_at = pronoun.end() if pronoun else m.end()
        acts = _ACTION_START.match(text, verb_at) or _THIRD_PERSON.match(text, verb_at)
        if not acts and not _line_due(text, m.end()):
            continue  # "Dana: happy with the rollout" reports a mood, not an action
        if who in ("me", "us", "we"):
            out.append(_Trigger(m.start("who"), m.end(), "ours", None, None))
            continue
        named = next((x for x in scan.mentions if x.start == m.start("who")), None)
        if named is not None or who in ("they", "them", "customer", "client"):
            owner = _known(named)
            out.append(_Trigger(m.start("who"), m.end(), "customer", owner, owner))
    return out


_PRONOUN_SUBJECT = re.compile(r"(?:she|he|they|I|we)\s+(?=\w)", re.IGNORECASE)


def _line_due(text: str, pos: int) -> bool:
    """Whether the action-list item at ``pos`` has a due date ("me - pricing deck by Wed")."""
    stop = re.compile(r"[;\n]|\.(?:\s|$)|\s" + _ARROW).search(text, pos)
    for m in DATE_RE.finditer(text, pos, stop.start() if stop else len(text)):
        if not re.search(r"\b(?:till|til|until|since|from|through)\s+$", text[max(pos, m.start() - 8) : m.start()],
                         re.IGNORECASE):
            return True  # "till Feb" says how long a state lasts ("budget frozen till Feb"), not when a thing is due
    return False


def _waiting(text: str, scan: PeopleScan) -> list[_Trigger]:
    """"Waiting on her / Raj to send ...": the customer owes it."""
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
        to = re.match(r"\s*to(?=\s)", text[after:])
        if to:
            out.append(_Trigger(m.start(), after + to.end(), "customer", _known(who), None))
    return out


def _known(mention: Mention | None) -> Mention | None:
    return mention if mention is not None and not mention.ambiguous else None


def _starts_clause(text: str, pos: int) -> bool:
    head = text[:pos].rstrip()
    numbered = re.search(r"(?:^|\s)\(?\d{1,2}[.)]$", head)  # "(2) Rachel to provide ..."
    return not head or head[-1] in ".;:!?\n-•*" or bool(numbered) or head.endswith((" and", ",", "Next step:",
                                                                                    "next step:"))


def _parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A promise's content cut at "and <action verb>" ("send the deck and set up a call")."""
    parts: list[tuple[int, int]] = []
    pos = start
    for m in _SPLIT.finditer(text, start, end):
        parts.extend(split_by_due(text, pos, m.start()))
        pos = m.end()
    parts.extend(split_by_due(text, pos, end))
    return parts


def _thing_before(text: str, pos: int) -> str | None:
    """The last thing the sentence before ``pos`` names ("the NDA countersignature is late and ... it")."""
    start = max(text.rfind(c, 0, pos) for c in ".;\n!?") + 1
    things = re.findall(r"\b(?:the|their|our)\s+(?:[\w'’-]+\s+)??[\w'’-]+(?=\s+(?:is|was|are|has|will|had)\b)",
                        text[start:pos], re.IGNORECASE)
    return things[-1] if things else None


def _one(text: str, trig: _Trigger, span_start: int, start: int, end: int, as_of: dt.date,
         questions: list[str]) -> FoundCommitment | None:
    content = text[start:end]
    first = re.match(r"\s*([\w'’-]+)", content)
    if not first or first.group(1).lower() in _NOT_A_PROMISE:
        return None
    due, due_span, due_at = due_in(text, start, end, as_of, questions)
    description = text[start:end]
    if due_at is not None:
        description = text[start : due_at[0]] + text[due_at[1] : end]
    description = re.sub(r"\s+(?:and|then|also)$", "", " ".join(description.split()).strip(" ,;:-.!"), flags=re.I)
    description = re.sub(r"^to\s+", "", description, flags=re.IGNORECASE).strip(" ,;:-")
    description = re.sub(r"^(?:she|he|they|I|we)\s+(?=\w)", "", description, flags=re.IGNORECASE)  # "Nina: she send"
    verb = _THIRD_PERSON.match(description)
    if verb and verb.group(0).lower() not in _ACTIONS:  # "sends the form" -> "send the form"
        description = verb.group("verb") + description[verb.end():]
    description = re.sub(r"\s+(?:at\s+the\s+)?latest$", "", description, flags=re.IGNORECASE)
    description = _ON_ME_TAIL.sub("", _WISH.sub("", description)) if trig.heading else description
    if trig.heading and due is None and _NAMES_ONLY.fullmatch(description):
        return None  # "Our side: Sam Patel, Lena Fischer" lists people, not actions
    if _ALREADY_LOGGED.match(text, end) or _ALREADY_LOGGED.search(text[start:end]):
        return None  # "(already in CRM)": tracked already, not to be logged again
    if trig.arrival:  # "the countersigned copy will be with us": the thing that comes
        description = _ARRIVAL_TAIL.sub("", description, count=1)
        if description.lower() == "it":
            description = _thing_before(text, trig.start) or description
    description = resolve_pronoun(base_form(description), text[max(0, trig.start - 200) : trig.start])
    owes = re.search(r"\b(?:owes?|promised)$", text[trig.start : trig.end].strip(), re.IGNORECASE)
    owed = _OWED.fullmatch(description) if owes else None  # "(we owe) kate the plan" -> "the plan for kate"
    if owed:
        description = f"{owed.group('thing')} for {owed.group('who')}"
    if not description:
        return None
    lead = len(text[span_start:end]) - len(text[span_start:end].lstrip())
    span_start += lead
    span = text[span_start:end].rstrip(" ,;:-.!")
    span = re.sub(r"\s+(?:and|then)$", "", span, flags=re.IGNORECASE).rstrip(" ,;:-")
    return FoundCommitment(
        side=trig.side, owner=trig.owner, description=description, due=due, due_span=due_span, span=span,
        start=span_start, end=span_start + len(span), subject=trig.subject,
    )
