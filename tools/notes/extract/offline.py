"""The offline extractor: a deterministic reading of a meeting note, with no model and no network.

It finds the account (the ``account`` argument, a name of one of the user's accounts in the note, or the
account of people named in full), the interaction's day and kind, the people (``people.py``), their
sentiment (``sentiment.py``), the commitments (``commitments.py``) and stakeholder changes (``changes.py``).
What it cannot settle (no account, an ambiguous first name, an unparseable date) becomes a question.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from tools.notes.extract.changes import FoundChange, find_changes
from tools.notes.extract.colleagues import Colleagues
from tools.notes.extract.commitments import CommitmentScan, FoundCommitment, find_commitments
from tools.notes.extract.dates import DATE_RE, SPELLED_DAY, in_the_nearer_order, out_of_ten, resolve
from tools.notes.extract.day_check import day_conflict
from tools.notes.extract.dictation import punctuate
from tools.notes.extract.foreign_days import DEADLINE, in_english
from tools.notes.extract.mood_model import learned_moods
from tools.notes.extract.note_account import find_account
from tools.notes.extract.occasion import MEETING_WORDS, about_the_meeting, relayed
from tools.notes.extract.organisations import (
    account_by_head_word,
    account_by_lower_word,
    ask_about_unknown,
    organisation_question,
)
from tools.notes.extract.people import Mention, PeopleScan, scan_people
from tools.notes.extract.presence import presence
from tools.notes.extract.roster import roster, takes_part
from tools.notes.extract.sentiment import CUE_RE, person_sentiments, sentiment_cues
from tools.notes.extract.stance import STANCE_RE
from tools.notes.extract.tables import untable
from tools.notes.extract.text import piece_at, sentences, title_key
from tools.notes.schema import (
    AccountMention,
    ChangeItem,
    CommitmentItem,
    DateMention,
    KindMention,
    KnownAccount,
    KnownPerson,
    NoteExtraction,
    ParticipantItem,
)

_PAST_DATE = re.compile(
    r"^(?:(?:the\s+)?day\s+before\s+)?(?:yesterday|yday|today|this\s+(?:morning|afternoon|evening|am|pm)|last\s+night|(?:last\s+)?(?:monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|mon|tues?|weds?|thu|thurs?|fri|[a-z]{2,8}day)\b.*|\S+\s+\w+\s+ago|last\s+week(?:\s+[a-z]+)?|"
    r"\d{4}-\d{2}-\d{2}|the\s+\d.*|\d.*|[a-z]{3,9}\.?\s+\d.*|"
    r"(?:the\s+)?" + SPELLED_DAY + r"\b.*)$",  # a day in words: "the thirty first of november"
    re.IGNORECASE,
)
_DUE_BEFORE = re.compile(r"(?:by|before|until|till|due|no\s+later\s+than|for|next|from|" + DEADLINE + r")\s+$",
                         re.IGNORECASE)
_NO_KIND = re.compile(r"\b(?:no|not\s+an?|instead\s+of\s+an?|without\s+an?|skipped\s+the)\s+$", re.IGNORECASE)
_KINDS = (
    ("qbr", re.compile(r"\bQBR\b|\bquarterly\s+(?:business\s+)?review\b", re.IGNORECASE)),
    ("demo", re.compile(r"\b(?:demo(?:ed|'d)?\s+(?:of|for|to)\b|gave\s+(?:a|them\s+a|the)\s+demo|demoed\b|"
                        r"ran\s+(?:a|the)\s+demo|product\s+demo)", re.IGNORECASE)),
    # "called our cleansing 'a big step up'", "called it a game changer": naming, not phoning
    ("call", re.compile(r"\b(?:call|called(?!\s+(?:(?:it|us|our|the|their|this|that|them|him|her)\b[^.;:]{0,30}?"
                        r"['‘\"“]|it\s+an?\b|out\b|for\b|off\b))|phone\s+call|phoned|rang|zoom|teams\s+call|video\s+call|dial-in|"
                        r"(?:on|by|over)\s+the\s+phone|by\s+phone)\b",
                        re.IGNORECASE)),
    ("email", re.compile(r"\b(?:emailed|email\s+(?:exchange|thread|from)|e-mail\s+exchange|by\s+email\s+today|"
                         r"replied\s+by\s+email|wrote\s+to\s+(?:me|us))\b", re.IGNORECASE)),
    ("meeting", re.compile(r"\b(?:met|meeting|lunch|dinner|coffee|on-?site|visit(?:ed)?|workshop|sat\s+down)\b",
                           re.IGNORECASE)),
)


class OfflineExtractor:
    """Deterministic note extraction: the embedded default, and the fallback of the model extractor."""

    name = "offline"

    def extract(
        self,
        text: str,
        *,
        as_of: dt.date,
        people: list[KnownPerson],
        accounts: list[KnownAccount],
        account_id: str | None,
        colleagues: Sequence[str] = (),
    ) -> NoteExtraction:
        """``colleagues`` are the names of our own people (the portfolio's users): a promise one of them heads is
        ours, and they are not the customer's participants."""
        table = untable(text)  # "| Name | Role | Score /10 | Notes |": read as the sentences it stands for
        if table is not None:
            return table.respan(self.extract(table.text, as_of=as_of, people=people, accounts=accounts,
                                             account_id=account_id, colleagues=colleagues), text)
        questions: list[str] = []
        account, account_spans, account_question = find_account(text, accounts, people, account_id)
        if account is None and not account_spans:  # "fairway fin (teams) - ...": the note opens with its account
            head, word = account_by_head_word(text, accounts)
            if head is not None and word is not None:
                account, account_question = AccountMention(id=head.id, name=head.name, span=word), None
                account_spans = [(m.start(), m.end()) for m in re.finditer(rf"\b{re.escape(word)}\b", text)]
        account, asked = ask_about_unknown(text, accounts, {w for p in people for w in p.name.split()}, account)
        if asked:  # not named in the note: never guessed over a company we do not know
            account_question = None
            questions.extend(asked)
        elif account is None and not account_spans:  # a note in lower case: "spoke to chiara at borealis"
            found, word, unknown_word = account_by_lower_word(text, accounts)
            if found is not None:
                account, account_question = AccountMention(id=found.id, name=found.name, span=word), None
                account_spans = [(m.start(), m.end()) for m in re.finditer(rf"\b{re.escape(word or '')}\b", text)]
            elif unknown_word:
                account_question = organisation_question(unknown_word)
        if account_question:
            questions.append(account_question)
        scoped = [p for p in people if account is not None and p.account_id == account.id]
        ours = Colleagues(colleagues)
        our_names = _our_names(text, ours, scoped)
        scan = scan_people(text, scoped, exclude=[*account_spans, *our_names])
        scan.relayers = our_names  # "Jordan says Olivia was cool on it": a colleague relays the meeting he had
        punctuated = punctuate(text, scan.mentions)
        if punctuated is not None:  # dictated without punctuation: read again with its sentences marked
            return self.extract(punctuated, as_of=as_of, people=people, accounts=accounts, account_id=account_id,
                                colleagues=colleagues)
        if account is not None:  # without an account, nobody can be matched: ask about the account first
            questions.extend(scan.questions)
        commitments = find_commitments(text, scan, as_of, account_spans, ours)
        questions.extend(commitments.questions)
        later: list[str] = []
        found_changes = find_changes(text, scan, later, account.name if account else None)
        changes = [c for c in found_changes if not _same_title(c, scoped)]
        cues = sentiment_cues(text, scan, skip=commitments.stretches)
        sentiments = person_sentiments(cues)
        date, date_question = _interaction_date(text, as_of, commitments)
        if date_question:
            questions.append(date_question)
        participants = _participants(text, scan, commitments, changes, sentiments, scoped)
        participants = _read_moods(text, scan, participants)
        return NoteExtraction(
            account=account,
            date=date,
            kind=_kind(text, commitments),
            participants=participants,
            commitments=[_commitment(c, _colleague_heading(text, c, ours)) for c in commitments.items
                         if not _news_of_the_absent(c, participants)],
            changes=[
                ChangeItem(stakeholder_id=c.person.person_id or "", name=c.person.name, kind=c.kind,
                           new_title=c.new_title, span=c.span)
                for c in changes
            ],
            questions=list(dict.fromkeys(questions)),
            later=later,
        )


def _read_moods(text: str, scan: PeopleScan, participants: list[ParticipantItem]) -> list[ParticipantItem]:
    """Participants no worded cue gave a mood, with the sign the learned reading is sure of (``mood_model``)."""
    unread = [p for p in participants if p.sentiment_span is None]
    marks = [(m.start, m.key) for m in scan.mentions if not m.ambiguous]
    moods = learned_moods(text, marks, [p.stakeholder_id or "new:" + p.name.casefold() for p in unread],
                          lambda s: bool(CUE_RE.search(s) or STANCE_RE.search(s)))
    return [p if (mood := moods.get(p.stakeholder_id or "new:" + p.name.casefold())) is None
            else p.model_copy(update={"sentiment": mood.sign, "sentiment_span": mood.words}) for p in participants]


def _our_names(text: str, colleagues: Colleagues, people: list[KnownPerson]) -> list[tuple[int, int]]:
    """Where the note names one of our people by a name no stakeholder of the account has."""
    theirs = {w.casefold() for p in people for w in p.name.split()}
    return [(a, b) for a, b in colleagues.mentions(text)
            if not any(w.casefold().strip(".") in theirs for w in text[a:b].split())]


def _interaction_date(text: str, as_of: dt.date, commitments: CommitmentScan) -> tuple[DateMention | None, str | None]:
    """The day the interaction happened: a "Date:" / "When:" header's day, else the first past-looking date phrase
    outside the commitments."""
    header = _date_header(text, as_of)
    if header is not None:
        return header, None
    stretches = commitments.stretches
    passed_on = None  # the day the note reached the writer: the meeting's when the note gives no other
    for m in DATE_RE.finditer(text):
        if any(a <= m.start() < b for a, b in stretches) or out_of_ten(text, m):
            continue
        fixed = _TAKEN_BACK.match(text, m.end())
        if fixed and DATE_RE.match(text, fixed.end()):
            continue  # "today no wait that was friday": the day said after the correction stands
        phrase = m.group(0)
        before = text[max(0, m.start() - 24) : m.start()]
        if not _PAST_DATE.match(in_english(phrase)) or (_DUE_BEFORE.search(before[-16:])
                                                       and not _MEETING_OF.search(before)):
            continue  # "by Friday" is a due; "the call from Tuesday" dates the call
        owned = re.match(r"['’]s\b", text[m.end() : m.end() + 2])
        named = re.match(r"(?:[A-Z][\w&'’-]*\s+){0,3}", text[m.end() + 3 :])  # "Thursday's Clearview QBR"
        if owned and not MEETING_WORDS.match(text, m.end() + 3 + (named.end() if named else 0)):
            # "Friday's call" dates the call
            continue  # "Tuesday's numbers"
        if not owned and not about_the_meeting(text, m.start()):
            continue  # "the sync broke again Tuesday"
        on = re.search(r"(?:\bon|\blast)\s+$", text[max(0, m.start() - 6) : m.start()], re.IGNORECASE)
        span = text[m.start() - len(on.group(0)) : m.end()] if on and "last" not in phrase.lower() else phrase
        conflict = day_conflict(text, m, as_of)  # "Thursday 17 Nov" when the 17th was a Tuesday
        if conflict is not None:
            return None, conflict
        value = in_the_nearer_order(phrase, as_of, resolve(phrase, as_of, prefer="past"), prefer="past",
                                    day_first=False)  # "03/12" a week ago, not in March
        if value is None:
            return None, f"When was '{span}' - can you give the date of the meeting?"
        if value > as_of:
            continue
        if relayed(text, m.start()):  # "rang me this morning about Monday's meeting": the meeting's day, if given
            passed_on = passed_on or DateMention(value=value, span=span)
            continue
        return DateMention(value=value, span=span), None
    return passed_on, None


_HEADER = re.compile(r"^[ \t>]*(?:[-*•][ \t]*)?[*_]*(?:date|when|held(?:\s+on)?|meeting\s+date|day|sent)[*_]*[ \t]*:"
                     r"[*_]*[ \t]*"
                     r"(?P<value>[^\n]+)", re.IGNORECASE | re.MULTILINE)
# A day taken back as it is said (dictation, a quick message): "today no wait that was friday", "Monday, sorry,
# Tuesday", "yesterday - I mean Thursday"
_TAKEN_BACK = re.compile(r"[^\w.!?\n]*(?:no\s+wait|wait\s+no|no|sorry|oops|wait|I\s+mean|I\s+meant|make\s+(?:that|it)|"
                         r"or\s+rather|correction|scratch\s+that|actually)\W+(?:(?:no|sorry|it|that)\W+)?(?:(?:it|that)\s+was\s+|"
                         r"(?:it|that)['’]s\s+|was\s+)?(?:on\s+)?", re.IGNORECASE)
_MEETING_OF = re.compile(r"\b(?:call|meeting|sync|visit|lunch|chat|catch-?up|session|workshop|qbr|demo|dinner|coffee|"
                         r"review|onsite|notes|minutes|recap|write-?up|debrief|summary|transcript|recording|message|"
                         r"slack|email|dm)\s+(?:from|of)\s+$",
                         re.IGNORECASE)  # "notes from friday" are the meeting's; "message from Thursday's QBR"


def _date_header(text: str, as_of: dt.date) -> DateMention | None:
    """The day a "Date: Thu 19 Nov" / "When: 2026-11-18" header gives the meeting: the whole value as one date,
    else its longest date phrase; never a day after ``as_of``."""
    for m in _HEADER.finditer(text):
        value = m.group("value").strip().rstrip(".")
        candidates = [value, *sorted((d.group(0) for d in DATE_RE.finditer(value)), key=len, reverse=True)]
        for phrase in candidates:
            day = resolve(phrase, as_of, prefer="past") if len(phrase) <= 40 else None
            if day is not None and day <= as_of:
                return DateMention(value=day, span=phrase)
    return None


def _kind(text: str, commitments: CommitmentScan) -> KindMention | None:
    stretches = commitments.stretches
    best: tuple[int, int, KindMention] | None = None
    for kind, pattern in _KINDS:
        for m in pattern.finditer(text):
            negated = _NO_KIND.search(text[max(0, m.start() - 14) : m.start()])  # "no call this week"
            if negated or any(a <= m.start() < b for a, b in stretches):
                continue
            candidate = (0 if kind == "qbr" else 2, m.start(), KindMention(value=kind, span=m.group(0)))
            if kind == "meeting":
                candidate = (3, m.start(), candidate[2])
            if re.match(r"\s+me\b", text[m.end() :]):  # "rang me to report on a meeting": the relay, unless alone
                candidate = (4, m.start(), candidate[2])
            if best is None or candidate[:2] < best[:2]:
                best = candidate
            break
    return best[2] if best else None


def _participants(
    text: str,
    scan: PeopleScan,
    commitments: CommitmentScan,
    changes: list[FoundChange],
    sentiments: dict[str, tuple[int, str]],
    people: list[KnownPerson],
) -> list[ParticipantItem]:
    """The people who took part: everyone named, except those only named as leaving / changing role, or only
    inside a promise ("I'll send Raj the deck") without being the one who promised, or absent ("Ray couldn't make
    it") or only mentioned ("loop in Ray", "cc Ben")."""
    there = presence(text, scan.mentions, scan.relayers)
    change_spots = {(c.start, c.person.key) for c in changes if c.subject_mention}
    owners = {c.subject.start for c in commitments.items if c.subject is not None}
    titles = {p.id: p.title for p in people}
    chosen: dict[str, Mention] = {}
    titled: dict[str, str] = {}
    for m in scan.mentions:
        if m.ambiguous or m.key in there.absent:
            continue
        if m.title:
            titled.setdefault(m.key, m.title)
        if (m.start, m.key) in change_spots or m.start in there.mentioned_only or _told_leaving(text, m, changes):
            continue
        in_promise = any(c.start <= m.start < c.end for c in commitments.items)
        if in_promise and m.start not in owners:
            continue
        chosen.setdefault(m.key, m)
    met = roster(text, scan)
    if met:  # "call with Neil Das ... Emma Wells will decide the budget": the room is closed; others took part
        # only if the note shows them doing so ("Sean joined halfway")
        acted = {m.key for m in scan.mentions if m.start not in there.mentioned_only and takes_part(text, m)}
        # a new face is met; so is someone whose mood the note tells ("Emily Wells angry")
        chosen = {k: m for k, m in chosen.items() if k in met or k in acted or m.is_new or sentiments.get(k, (0,))[0]}
    promoted = {c.person.key for c in changes if c.kind == "title_change"}
    for ref in _met_by_pronoun(text, scan):  # "Felix got promoted ... caught up with him over coffee"
        if ref.key not in there.absent:
            chosen.setdefault(ref.key, ref)
    for m in _SHE_IS.finditer(text):  # "Priya stepped into the COO role. Quick chat, she's positive"
        ref = scan.before(m.start(), m.group("pronoun"))
        if any(c.start <= m.start() < c.end for c in changes):
            continue  # "apparently he's now interim CFO": the change itself, not a sign he was met
        if ref is not None and ref.key in promoted and ref.key not in there.absent and not ref.ambiguous:
            chosen.setdefault(ref.key, ref)
    out = []
    for key, m in chosen.items():
        value, span = sentiments.get(key, (0, None))
        out.append(ParticipantItem(
            name=m.name, stakeholder_id=m.person_id, is_new=m.is_new,
            title=titles.get(m.person_id or "") if m.person_id else titled.get(key),
            sentiment=value, sentiment_span=span, span=m.text,
        ))
    return out


def _told_leaving(text: str, m: Mention, changes: list[FoundChange]) -> bool:
    """Whether ``m`` names someone in the sentence that tells of their leaving ("Gary Whitman has gone: his
    out-of-office says he left on 30 November"): news of them, not a sign they were met. A farewell lunch with them
    names them elsewhere too."""
    told = [c for c in changes if c.kind == "left_company" and c.person.key == m.key]
    here = piece_at(sentences(text), m.start) if told else None
    return here is not None and any(here.start <= c.start < here.end for c in told)


_MET_HIM = re.compile(r"\b(?:with|w/|met|emailed|called|phoned|rang|joined|visited|spoke\s+to|talked\s+to)\s+"
                      r"(?:him|her)\b", re.IGNORECASE)


_SHE_IS = re.compile(r"\b(?P<pronoun>she|he)(?:['’]s|\s+(?:is|was|seemed|seems|sounded|looked|felt))\b", re.IGNORECASE)


def _met_by_pronoun(text: str, scan: PeopleScan) -> list[Mention]:
    """People met who are named only elsewhere ("... promoted to COO. Met him Friday"): "him" / "her" after a
    meeting word stands for the person named last before it."""
    found = []
    for m in _MET_HIM.finditer(text):
        ref = scan.before(m.start(), m.group(0).split()[-1])
        if ref is not None and not ref.ambiguous:
            found.append(ref)
    return found


# What someone decides on their own side: said of a person who was not there, it is news, not a promise to us.
_DECISION = re.compile(r"(?:decide|sign(?:\s+off)?|approve|choose|pick|own|release|allocate|set)\b", re.IGNORECASE)


def _news_of_the_absent(found: FoundCommitment, participants: list[ParticipantItem]) -> bool:
    """Whether ``found`` is a customer's undated decision by someone who did not take part ("Emma Wells will decide
    the budget in december", "Claire Owens to sign off budget next month"): news about them, no commitment."""
    owner = found.owner
    if found.side != "customer" or found.due is not None or owner is None or owner.person_id is None:
        return False
    there = {p.stakeholder_id for p in participants}
    return owner.person_id not in there and bool(_DECISION.match(found.description))


def _colleague_heading(text: str, found: FoundCommitment, ours: Colleagues) -> str | None:
    """The colleague named at the head of one of our promises ("Becker to deliver ...", "Jordan will send ..."),
    as written: theirs to keep, not the writer's."""
    if found.side != "ours":
        return None
    end = ours.at(text, found.start)
    return text[found.start : end] if end is not None else None


def _commitment(found: FoundCommitment, colleague: str | None = None) -> CommitmentItem:
    owner = found.owner
    return CommitmentItem(
        side=found.side,  # type: ignore[arg-type]
        owner=owner.person_id if owner is not None else None,
        owner_name=owner.name if owner is not None else colleague,
        description=found.description,
        due=found.due,
        due_span=found.due_span,
        span=found.span,
    )


def _same_title(change: FoundChange, people: list[KnownPerson]) -> bool:
    """A "new" title that is the one the person already has is no change."""
    if change.kind != "title_change" or not change.new_title:
        return False
    current = next((p.title for p in people if p.id == change.person.person_id), None)
    return bool(current) and title_key(current or "") == title_key(change.new_title)
