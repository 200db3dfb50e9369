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
from dataclasses import dataclass, field, replace

from tools.notes.extract.colleagues import Colleagues
from tools.notes.extract.commitment_triggers import Trigger, find_triggers
from tools.notes.extract.dates import DATE_EXPR
from tools.notes.extract.dues import due_in, leading_due, split_by_due
from tools.notes.extract.email_voice import EmailVoice, email_voice, speaks_for
from tools.notes.extract.passive_promises import passive_promises
from tools.notes.extract.people import Mention, PeopleScan
from tools.notes.extract.phrases import ACTION_START, ACTION_VERB, THIRD_PERSON, base_form, resolve_pronoun
from tools.notes.extract.phrases import ACTION_VERBS as _ACTIONS
from tools.notes.extract.phrases import THREAT as _THREAT
from tools.notes.extract.text import sentences
from tools.notes.extract.transcript import Line, speaker_at, transcript_lines

_NOT_A_PROMISE = {
    "be", "feel", "probably", "likely", "maybe", "possibly", "perhaps", "not", "never", "want", "like", "love",
    "hate", "think", "wonder", "hope", "see", "need", "also", "still", "that", "this", "none", "nothing", "n/a",
    "tbd", "no",
    # an auxiliary after "we promised" makes it a relative clause of the past ("the savings we promised haven't shown")
    "haven't", "hasn't", "hadn't", "isn't", "aren't", "wasn't", "weren't", "didn't", "don't", "doesn't", "is", "are",
    "was", "were", "has", "had",
}
_CUT = re.compile(r"\s+(?:because|since|once|if|unless|so\s+that|so|but|which|as\s+long\s+as|(?:this|that)\s+was)\b|"
                  r"\s+and\s+(?:then\s+)?(?:asked|wanted|requested|said|told|mentioned|complained)\b|"  # a new act
                  r",\s+(?:which|as|so|then)\b|\s+[(\[](?=[^)\]]*\b(?:already|done)\b)|"
                  # ", and Emma's team gets us ...", ", and we stand up ...": a clause with a subject of its own
                  r",\s+and\s+(?=(?:we|I|she|he|they)\s|(?-i:[A-Z])[\w'’-]+(?:['’]s\s+team)?\s+(?!and\b)[a-z])|"
                  r"\s*,?\s+(?:please|pls|plz)\s+(?:add|log|note|record|put|save|include|track)\b"  # asks the agent
                  r"|\s*[—–-]+\s*(?:put|log|add|mark|note)\s+(?:that|it|this)\s+(?:on|down|against|as)\b",
                  re.IGNORECASE)
# "send the deck and set up a call" is two promises; "rework the model and get it to you" one: its "it" is the model;
# "check the feed timing with ops and revert by Friday" one: coming back with the answer is the same promise's end
_SPLIT = re.compile(r"\s+and\s+(?:then\s+|also\s+)?(?:(?:I|we)\s+(?:(?:will|['’]ll|also|then)\s+)?)?"
                    r"(?!(?:revert|get\s+back|come\s+back|report\s+back|circle\s+back|feed\s+back)\b)(?=(?:" +
                    "|".join(_ACTIONS) + r")\b(?!\s+(?:it|them)\b))", re.IGNORECASE)


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


def find_commitments(text: str, scan: PeopleScan, as_of: dt.date,
                     account_spans: list[tuple[int, int]] = (), colleagues: Colleagues | None = None
                     ) -> CommitmentScan:
    """Every commitment in ``text``, with questions for due phrases that cannot be resolved. ``colleagues`` are
    our people: a promise headed by one of them is ours."""
    out = CommitmentScan()
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    voice = email_voice(text, scan, as_of)  # "From: Laura Reid ... I will send the figures by Friday": Laura's promise
    lines = transcript_lines(text, scan)  # "[14:05] Erik Thornton: And I'll send you the plant list": Erik's
    # in a transcript a speaker's label is no action line, and a customer's "Send it in our template" asks us
    raw = [t for t in find_triggers(text, scan, account_spans, colleagues or Colleagues())
           if not any(x.speaker.start <= t.start and t.end <= x.start or t.start == t.end and x.start <= t.start < x.end
                      for x in lines)]
    triggers = [_voiced(text, s, voice, lines) for t in raw
                if (s := _in_quote(text, scan, t, quoted)) is not None]  # 'we'll renew, no question': their words
    bounds = sentences(text)
    for i, trig in enumerate(triggers):
        sentence = next((s for s in bounds if s.start <= trig.end <= s.end), None)
        end = sentence.end if sentence else len(text)
        arrow_due = _ARROW_DUE.match(text, end)
        end = arrow_due.end() if arrow_due else end  # "Neil → scope doc → 3 Dec": the arrow points to its day
        if i + 1 < len(triggers):
            end = min(end, triggers[i + 1].start) if triggers[i + 1].start >= trig.end else end
        cut = _CUT.search(text, trig.end, end)
        if cut:
            end = cut.start()
        verb = None
        seen_from = voice.sent if voice and voice.sent and voice.start <= trig.start < voice.end else as_of
        for part_start, part_end in _parts(text, trig.end, end):  # the sender's "Friday" is seen from the email's day
            found = _one(text, trig, trig.start if part_start == trig.end else part_start, part_start, part_end,
                         seen_from, out.questions)
            if found is not None and trig.quoted:
                if found.due is None:
                    continue  # a quoted intention without a day is the speaker's view
                found.description = found.description.rstrip(" .,;!\"”'’")
            if found is not None and (_stance(text, found, trig) or _nothing_to_deliver(text, found, trig)
                                      or _hedged(text, trig) or _about_this_note(text, found, trig)):
                continue
            if found is not None:
                lead = leading_due(text, sentence.start, trig.start, seen_from) if sentence and not found.due else None
                if lead is not None:  # "Next Tuesday I'll send the case study"
                    found.due, found.due_span, found.start = lead
                    found.span = text[found.start : found.end]
                if verb and _ARTICLE.match(found.description):  # "the quote tmrw and the plan by Friday"
                    found.description = f"{verb} {found.description}"
                first = found.description.split()[0]
                verb = first if ACTION_VERB.fullmatch(first) else verb
                out.items.append(found)
    for side, owner, description, due, due_span, start, end in passive_promises(
            text, scan, colleagues or Colleagues(), as_of, out.questions):
        if not any(c.start < end and start < c.end for c in out.items):  # "will be sent by me by 2/12"
            out.items.append(FoundCommitment(side, owner, description, due, due_span, text[start:end].strip(), start,
                                             end, subject=owner))
    out.items = [c for c in out.items if not _answered_ask(text, c, out.items)]
    out.items.sort(key=lambda c: c.start)
    return out


_ASKED = re.compile(r"(?:asked|asks|needs?|needed|expects?|expected|wants?|wanted)\s+(?:me|us)\s+to\b", re.IGNORECASE)
_PLAIN = {"send", "call", "with", "them", "their", "about", "from", "this", "that", "have", "will", "what", "over",
          "into", "your", "some", "more", "then", "when", "also"}


def _answered_ask(text: str, ask: FoundCommitment, items: list[FoundCommitment]) -> bool:
    """An ask of us without a day ("she asked us to price the module") that a promise of ours later in the note
    answers ("I'll get the pricing for the module to Angela by Monday"): one promise, the one we made."""
    if ask.side != "ours" or ask.due is not None or not _ASKED.search(text, max(0, ask.start - 30), ask.start + 30):
        return False
    said = {w[:5] for w in re.findall(r"[a-z]{4,}", ask.description.lower()) if w not in _PLAIN}
    return any(c is not ask and c.side == "ours" and c.start > ask.start and said & {
        w[:5] for w in re.findall(r"[a-z]{4,}", c.description.lower()) if w not in _PLAIN} for c in items)


_TRAILING_SYMBOLS = re.compile(r"[^\w)\]'\"%’”]+$")
_ARROW_DUE = re.compile(r"\s*(?:->|→)\s*" + DATE_EXPR + r"(?=\s*(?:[.;,\n]|$))", re.IGNORECASE)
# A quotation of someone's words ("Matthew: 'we'll renew, no question'"): its "we" is not us, its promise is a view.
_QUOTED = re.compile(r"(?<![\w'’])['‘\"“](?=\w).{2,200}?['’\"”](?!\w)")
_ARRIVAL_TAIL = re.compile(r"\s+(?:will|should|would|is\s+going\s+to)\s+be\s+(?:with|back\s+(?:to|with)|over\s+to)\s+"
                           r"(?:us|me)\b", re.IGNORECASE)
_WISH = re.compile(r"^(?:wants?|asked\s+for|asks\s+for|needs?)\s+(?=\w)", re.IGNORECASE)
_ON_ME_TAIL = re.compile(r"\s*(?:[-–—(,]\s*)(?:on|for)\s+(?:me|us)\)?$", re.IGNORECASE)
_ALREADY_LOGGED = re.compile(r"\s*[(\[]\s*already\s+(?:in|on|logged|tracked|captured)\b", re.IGNORECASE)
# A promise said again, not made now: "(already on the list)", "(dec 4, nothing new)", "out Monday as promised",
# "usage data by tue (the one he owes)"; and "I still owe them the report, which I'll get out tomorrow".
_RESTATED = re.compile(r"\b(?:already\s+(?:on\s+the\s+list|planned|promised|agreed|due|open|owed|committed)|"
                       r"(?:nothing|none)\s+new|as\s+(?:already\s+)?(?:promised|planned)|the\s+one\s+(?:she|he|they|I|we)\s+"
                       r"owes?|(?:she|he|they|I|we)\s+(?:still\s+)?owes?\s+(?:it|that)\s+already)\b", re.IGNORECASE)
_STATEMENT_END = re.compile(r"[.;!?\n]|->|→|\s[-–—]\s")  # "... still owes us data (due 16/12) -> me: send ..."
_STILL_OWED = re.compile(r"\b(?:still|already)\s+owes?\b", re.IGNORECASE)
_OWNER_ONLY = re.compile(r"(?:me|us|I|we|myself|ourselves|our\s+side|(?:my|our)\s+side)", re.IGNORECASE)
_NAMES_ONLY = re.compile(r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*(?:\s*(?:,|&|\band\b)\s*[A-Z][\w'’.-]*"
                         r"(?:\s+[A-Z][\w'’.-]*)*)*")


def _in_quote(text: str, scan: PeopleScan, trig: Trigger, quoted: list[tuple[int, int]]) -> Trigger | None:
    """``trig`` as it stands outside quotes; inside one, a promise in the first person singular is the speaker's,
    the person named last before the quote on its line ("Fwd from Dana (Acme): '... I will send the list of
    attendees by 2 December'"); any other quoted promise is none of ours (their words)."""
    span = next(((a, b) for a, b in quoted if a <= trig.start < b), None)
    if span is None:
        return trig
    line_start = text.rfind("\n", 0, span[0]) + 1
    named = [m for m in scan.mentions if line_start <= m.start and m.end <= span[0] and not m.ambiguous]
    if trig.side != "ours" or not re.match(r"I\b", text[trig.start : trig.end]) or not named:
        return None
    return replace(trig, side="customer", owner=named[-1], subject=named[-1], quoted=True)


def _voiced(text: str, trig: Trigger, voice: EmailVoice | None, lines: list[Line]) -> Trigger:
    if trig.side != "ours":
        return trig
    sender = speaks_for(voice, text, trig.start) or speaker_at(lines, text, trig.start)
    return trig if sender is None else replace(trig, side="customer", owner=sender, subject=sender)


def _stance(text: str, found: FoundCommitment, trig: Trigger) -> bool:
    """A customer's view rather than a promise, with no day: their reported intent without a deliverable ("he
    says he'll sponsor phase 2 internally") or an attitude ("she'll live with it"). No commitment to track."""
    if found.side != "customer" or found.due is not None or trig.heading or trig.arrival:
        return False
    verb = found.description.split()[0].lower() if found.description else ""
    if verb in _ATTITUDE_VERBS or _THREAT.search(found.description) or _DECISION.match(found.description):
        return True
    said = text[trig.start : trig.end]
    if re.search(r"\boffer(?:ed|s)?\s+to\b", said, re.IGNORECASE):
        return True  # "offered to host the workshop at their site": goodwill with no day, no to-do
    if re.search(r"\bagree(?:d|s)?\s+to\s*$", said, re.IGNORECASE) and re.match(r"(?:the|a|an|our|this|that)\b",
                                                                                found.description, re.IGNORECASE):
        return True  # "agreed to the three-year term on the spot": a decision for the deal, nothing to deliver
    reported = _REPORTED.search(text, max(0, trig.start - 24), trig.start)
    return reported is not None and not ACTION_START.match(found.description)


# Asking the assistant to log the note, or saying why it is logged ("he asked me to log it", "You asked me to tell you
# about meetings", "Forwarding Tom's write-up"): about this message, not a to-do.
_THIS_NOTE = re.compile(r"\s*(?:log|logging|record|recording|note\s+down|file|forward|forwarding|pass(?:ing)?\s+on|"
                        r"tell\s+you|let\s+you\s+know)\b(?:\s+(?:it|this|that|these|them|the\s+(?:note|notes|write-?up|"
                        r"minutes|meeting|call|email)|meetings|(?:[A-Z][a-z]+['’]s\s+)?(?:write-?up|notes?|minutes|email))\b"
                        r"|\s+(?:about|on|against|for)\b)", re.IGNORECASE)


def _about_this_note(text: str, found: FoundCommitment, trig: Trigger) -> bool:
    """Whether a "promise" is the writer asking for this note to be logged, or saying why it is."""
    return _THIS_NOTE.match(text, trig.end) is not None


# "maybe they will go to tender", "she will possibly send": a guess at what may happen, not a promise.
_HEDGE_BEFORE = re.compile(r"\b(?:maybe|perhaps|possibly)\s+(?:\w+\s+){0,1}$", re.IGNORECASE)
_HEDGE_AFTER = re.compile(r"\s*(?:maybe|perhaps|possibly)\b", re.IGNORECASE)


# Taken back in the same sentence: "I said I'd take it away and never agreed to it", "I said I'd pass it up the
# chain, nothing more", "but that's a wish, nobody signed up to it", "I tell him cannot promise"
_DISOWNED = re.compile(r"\b(?:never\s+agreed?|(?:didn['’]?t|did\s+not|never)\s+(?:agree|commit|promise)|"
                       r"(?:can(?:not|['’]?t)|could\s+not|couldn['’]?t)\s+promise|no\s+promises?|not\s+a\s+promise|"
                       r"nothing\s+more|(?:nobody|no\s+one|no-one)\s+signed\s+up|a\s+wish\b|"
                       r"(?:told|tell)\s+(?:her|him|them|[A-Z][a-z]+)\s+no\b|\bno\s+ways?\b)", re.IGNORECASE)
# A condition, not a promise: "wants the rate card redone before he'll approve anything else"
_CONDITION_BEFORE = re.compile(r"\b(?:before|until|till|unless|if|once)\s+$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?\n]")
# "Emily never say she will send the user list": a promise said not to have been made
_NEVER_SAID = re.compile(r"\b(?:never|didn['’]?t|did\s+not|doesn['’]?t|does\s+not)\s+(?:say|said|says|mention(?:ed)?|"
                         r"tell|told|agree|agreed)\s+(?:that\s+|to\s+)?$", re.IGNORECASE)


def _hedged(text: str, trig: Trigger) -> bool:
    """Whether the promise at ``trig`` is hedged: "maybe" / "perhaps" / "possibly" right before its subject or
    right after its modal ("maybe they will go to a tender", "she'll possibly send it"), or taken back in the rest of
    its sentence ("I said I'd pass it up the chain, nothing more")."""
    end = _SENTENCE_END.search(text, trig.end)  # to the full stop: "...; I said I'd take it away and never agreed"
    return bool(_HEDGE_BEFORE.search(text, max(0, trig.start - 20), trig.start) or _HEDGE_AFTER.match(text, trig.end)
                or _NEVER_SAID.search(text, max(0, trig.start - 30), trig.start)
                or _CONDITION_BEFORE.search(text, max(0, trig.start - 10), trig.start)
                or _DISOWNED.search(text, trig.start, end.start() if end else len(text)))


def _nothing_to_deliver(text: str, found: FoundCommitment, trig: Trigger) -> bool:
    """An undated intention with no thing to deliver or person to meet: the verb alone or with a manner or a
    "with"/"about" phrase ("will push internally", "will speak with the other companies"); or a customer's step of
    their own, a verb that is none of a promise's with only a pronoun for its object ("she'll carry it into the exec
    meeting", "Erik will brief him"). An attitude or an internal step, no to-do for us; "will get back to us", "will
    chase legal", "he'll chase her", "will join the next review" still are."""
    if found.due is not None or trig.heading:
        return False
    if _NO_THING.fullmatch(found.description):
        return True
    words = text[trig.end : found.end].split()
    if found.side != "customer" or len(words) < 2 or ACTION_START.match(" ".join(words)):
        return False
    obj, after = words[1].lower().strip(".,;"), (words[2].lower() if len(words) > 2 else "")
    if obj == "her" and after and not _PARTICLE.fullmatch(after):
        return False  # "her proposal": a possessive before a thing
    return obj in _PRONOUN_OBJECTS


_PARTICLE = re.compile(r"into|to|on|in|about|through|up|over|with|by|later|soon|again|herself|tomorrow|today")
_PRONOUN_OBJECTS = {"it", "him", "her", "them", "this", "that"}
# "revert (with ...)" is a reply owed, as "get back to us" is
_NO_THING = re.compile(r"(?!revert\b)(?:[\w'’-]+(?:\s+(?:internally|hard|harder|strongly|again|further|more|too|also|"
                       r"for\s+us))*"
                       r"|[\w'’-]+\s+(?:with|about|among|amongst|across)\b.*)", re.IGNORECASE)


# A decision for the deal said as what they will do, with no day: "agreed to extend the pilot", "will personally take
# our proposal to the CTO", "offered to fast-track the PO": where they stand (``stance.py``), not a to-do.
_DECISION = re.compile(r"(?:\w+ly\s+)?(?:extend|expand|fund|renew|co-?author|fast[\s-]?track|"
                       r"take\s+(?:our|the)\s+(?:proposal|case|business\s+case|deal|offer)\s+to)\b", re.IGNORECASE)
# Verbs that say how someone takes a thing, not what they will do for us ("she'll live with it").
_ATTITUDE_VERBS = {"live", "cope", "deal", "survive", "accept", "tolerate", "consider", "think", "wait", "try", "be",
                   "stay", "remain", "probably", "see"}
_REPORTED = re.compile(r"\b(?:says?|said|thinks?|thought|claims?|claimed|feels?|felt)\s+(?:that\s+)?$", re.IGNORECASE)


_OWED = re.compile(r"(?P<who>them|her|him|us|[A-Z][\w'’-]+|[a-z]+(?<!send)(?<!get))\s+"
                   r"(?P<thing>(?:the|a|an|our|some)\s+.+)")
_ARTICLE = re.compile(r"(?:the|a|an|our|their|some)\s", re.IGNORECASE)


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


def _one(text: str, trig: Trigger, span_start: int, start: int, end: int, as_of: dt.date,
         questions: list[str]) -> FoundCommitment | None:
    content = text[start:end]
    first = re.match(r"\s*([\w'’-]+)", content)
    if not first or first.group(1).lower() in _NOT_A_PROMISE:
        return None
    due, due_span, due_at = due_in(text, start, end, as_of, questions)
    description = text[start:end]
    if due_at is not None:
        description = text[start : due_at[0]] + text[due_at[1] : end]
    description = _TRAILING_SYMBOLS.sub("", " ".join(description.split())).strip(" ,;:-.!→>")  # "... ☹️"
    description = re.sub(r"\s+(?:and|then|also)$", "", description, flags=re.I)
    description = re.sub(r"^to\s+", "", description, flags=re.IGNORECASE).strip(" ,;:-")
    description = re.sub(r"^(?:she|he|they|I|we)\s+(?=\w)", "", description, flags=re.IGNORECASE)  # "Nina: she send"
    verb = THIRD_PERSON.match(description)
    if verb and verb.group(0).lower() not in _ACTIONS:  # "sends the form" -> "send the form"
        description = verb.group("verb") + description[verb.end():]
    description = re.sub(r"\s+(?:(?:at\s+the\s+)?latest|first\s+thing(?:\s+on)?)$", "", description,
                         flags=re.IGNORECASE)  # "... first thing Monday": the due's own words
    description = _ON_ME_TAIL.sub("", _WISH.sub("", description)) if trig.heading else description
    if trig.heading and due is None and (_NAMES_ONLY.fullmatch(description) or _OWNER_ONLY.fullmatch(description)):
        return None  # "Our side: Sam Patel, Lena Fischer" lists people; "Next step: me - send ...": its owner
    if _ALREADY_LOGGED.match(text, end) or _ALREADY_LOGGED.search(text[start:end]) or _restated(text, trig, end):
        return None  # "(already in CRM)", "(nothing new)": tracked already, not to be logged again
    if trig.arrival:  # "the countersigned copy will be with us": the thing that comes
        description = _ARRIVAL_TAIL.sub("", description, count=1)
        if description.lower() == "it":
            description = _thing_before(text, trig.start) or description
    description = resolve_pronoun(base_form(description), text[max(0, trig.start - 200) : trig.start])
    owes = re.search(r"\b(?:owes?|promised?)(?P<to>\s+to)?$", text[trig.start : trig.end].strip(), re.IGNORECASE)
    owed = _OWED.fullmatch(description) if owes else None  # "(we owe) kate the plan" -> "the plan for kate"
    if owed and owes and owes.group("to") and owed.group("who").islower() and owed.group("who") not in (
            "them", "her", "him", "us"):
        owed = None  # "promised to nominate a clinic": a verb follows "to", not whom ("promise to her the quote")
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


def _restated(text: str, trig: Trigger, end: int) -> bool:
    """Whether the promise at ``trig`` .. ``end`` is one already made: said so right after it (to the end of its
    bracket or clause), or its sentence says it is still owed before it."""
    tail = re.match(r"[^,;.\n]*(?:\([^)\n]*\))?", text[end : end + 80])
    if _RESTATED.search(text, trig.start, end + (tail.end() if tail else 0)):
        return True
    opening = max((m.end() for m in _STATEMENT_END.finditer(text, 0, trig.start)), default=0)
    return bool(_STILL_OWED.search(text, opening, trig.start))
