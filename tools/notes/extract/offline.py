"""The offline extractor: a deterministic reading of a meeting note, with no model and no network.

It finds the account (the ``account`` argument, a name of one of the user's accounts in the note, or the
account of people named in full), the interaction's day and kind, the people (``people.py``), their
sentiment (``sentiment.py``), the commitments (``commitments.py``) and stakeholder changes (``changes.py``).
What it cannot settle (no account, an ambiguous first name, an unparseable date) becomes a question.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from tools.accounts import GENERIC_WORDS, other_trade
from tools.notes.extract.changes import FoundChange, find_changes
from tools.notes.extract.colleagues import Colleagues
from tools.notes.extract.commitments import CommitmentScan, FoundCommitment, find_commitments
from tools.notes.extract.dates import DATE_RE, resolve
from tools.notes.extract.occasion import about_the_meeting
from tools.notes.extract.organisations import (
    account_by_head_word,
    account_by_lower_word,
    ask_about_unknown,
    company_after,
    organisation_question,
    shared_word_question,
)
from tools.notes.extract.people import COMMON_NAME_WORDS, Mention, PeopleScan, scan_people
from tools.notes.extract.presence import presence
from tools.notes.extract.sentiment import person_sentiments, sentiment_cues
from tools.notes.extract.text import NAME_TOKEN, NOT_NAMES, title_key
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
from tools.notes.validate import ACCOUNT_QUESTION

T = TypeVar("T")
_WORD = re.compile(r"[\w&'’.-]+")
_SUFFIXES = re.compile(r"\s+(?:corp(?:oration)?|inc|llc|ltd|plc|gmbh|ag|sa|co|group|holdings|company)\.?$", re.I)
_PAST_DATE = re.compile(
    r"^(?:yesterday|yday|today|this\s+(?:morning|afternoon|evening|am|pm)|last\s+night|(?:last\s+)?(?:monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|mon|tues?|weds?|thu|thurs?|fri|[a-z]{2,8}day)\b.*|\S+\s+\w+\s+ago|last\s+week|"
    r"\d{4}-\d{2}-\d{2}|the\s+\d.*|\d.*|[a-z]{3,9}\.?\s+\d.*)$",
    re.IGNORECASE,
)
_HEAD = re.compile(r"\s*(?:[-*•#]\s*)?(?:(?:account|customer|client|re)\s*[:-]\s*)?", re.IGNORECASE)
_HEAD_SEP = re.compile(r"\s*(?:[-–—:,|(]|\n)|\s+(?:call|meeting|sync|qbr|catch-?up|lunch|visit|review|onsite|check-?in|"
                       r"update|notes?)\b", re.IGNORECASE)
_DUE_BEFORE = re.compile(r"(?:by|before|until|till|due|no\s+later\s+than|for|next|from)\s+$", re.IGNORECASE)
_NO_KIND = re.compile(r"\b(?:no|not\s+an?|instead\s+of\s+an?|without\s+an?|skipped\s+the)\s+$", re.IGNORECASE)
_KINDS = (
    ("qbr", re.compile(r"\bQBR\b|\bquarterly\s+(?:business\s+)?review\b", re.IGNORECASE)),
    ("demo", re.compile(r"\b(?:demo(?:ed|'d)?\s+(?:of|for|to)\b|gave\s+(?:a|them\s+a|the)\s+demo|demoed\b|"
                        r"ran\s+(?:a|the)\s+demo|product\s+demo)", re.IGNORECASE)),
    ("call", re.compile(r"\b(?:call|called|phone\s+call|phoned|rang|zoom|teams\s+call|video\s+call|dial-in|"
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
        questions: list[str] = []
        account, account_spans, account_question = _find_account(text, accounts, people, account_id)
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
        scan = scan_people(text, scoped, exclude=[*account_spans, *_our_names(text, ours, scoped)])
        if account is not None:  # without an account, nobody can be matched: ask about the account first
            questions.extend(scan.questions)
        commitments = find_commitments(text, scan, as_of, account_spans, ours)
        questions.extend(commitments.questions)
        changes = [c for c in find_changes(text, scan) if not _same_title(c, scoped)]
        cues = sentiment_cues(text, scan, skip=commitments.stretches)
        sentiments = person_sentiments(cues)
        date, date_question = _interaction_date(text, as_of, commitments)
        if date_question:
            questions.append(date_question)
        return NoteExtraction(
            account=account,
            date=date,
            kind=_kind(text, commitments),
            participants=_participants(text, scan, commitments, changes, sentiments, scoped),
            commitments=[_commitment(c) for c in commitments.items],
            changes=[
                ChangeItem(stakeholder_id=c.person.person_id or "", name=c.person.name, kind=c.kind,
                           new_title=c.new_title, span=c.span)
                for c in changes
            ],
            questions=list(dict.fromkeys(questions)),
        )


def _our_names(text: str, colleagues: Colleagues, people: list[KnownPerson]) -> list[tuple[int, int]]:
    """Where the note names one of our people by a name no stakeholder of the account has."""
    theirs = {w.casefold() for p in people for w in p.name.split()}
    return [(a, b) for a, b in colleagues.mentions(text)
            if not any(w.casefold().strip(".") in theirs for w in text[a:b].split())]


def _find_account(
    text: str, accounts: list[KnownAccount], people: list[KnownPerson], account_id: str | None
) -> tuple[AccountMention | None, list[tuple[int, int]], str | None]:
    """The account, the places the note names it, and a question if it cannot be told."""
    hits = _account_hits(text, accounts)
    if account_id is not None:
        chosen = next((a for a in accounts if a.id == account_id), None)
        if chosen is None:
            return None, [], ACCOUNT_QUESTION
        own = [(s, e) for a, s, e in hits if a.id == chosen.id]
        span = text[own[0][0] : own[0][1]] if own else None
        return AccountMention(id=chosen.id, name=chosen.name, span=span), [(s, e) for _, s, e in hits], None
    named = list(dict.fromkeys(a for a, _, _ in hits))
    if len(named) == 1:
        spans = [(s, e) for _, s, e in hits]
        return AccountMention(id=named[0].id, name=named[0].name, span=text[spans[0][0] : spans[0][1]]), spans, None
    head = next(((a, s, e) for a, s, e in hits if _HEAD.fullmatch(text, 0, s) and _HEAD_SEP.match(text, e)), None)
    if len(named) > 1 and head is not None:  # "Acme - Sofia took a job at Globex": the note's heading names it
        return AccountMention(id=head[0].id, name=head[0].name, span=text[head[1] : head[2]]), [
            (s, e) for _, s, e in hits], None
    if len(named) > 1:
        names = " or ".join(a.name for a in named[:4])
        return None, [(s, e) for _, s, e in hits], f"Which account was this meeting with: {names}?"
    # No account named: the account of the people named in full, if they all belong to one.
    by_name: dict[str, list[KnownPerson]] = {}
    for person in people:
        if len(person.name.split()) >= 2:
            by_name.setdefault(_joined(person.name).casefold(), []).append(person)
    by_account: dict[str, list[str]] = {}
    namesakes: dict[str, list[KnownPerson]] = {}
    for start, end, found in _ngram_hits(text, lambda key: by_name.get(key.casefold(), []), 4):
        for person in found:
            by_account.setdefault(person.account_id, []).append(text[start:end])
        if len({p.account_id for p in found}) > 1:
            namesakes.setdefault(text[start:end], found)
    if len(by_account) == 1:
        (aid, names), = by_account.items()
        chosen = next((a for a in accounts if a.id == aid), None)
        if chosen is not None:  # the span is the person's name: the evidence for the account
            return AccountMention(id=chosen.id, name=chosen.name, span=names[0]), [], None
    names_of = {a.id: a.name for a in accounts}
    for written, found in namesakes.items():  # "Emma Bauer" at two of the user's accounts: which one?
        options = " or ".join(names_of.get(p.account_id, p.account_id) + (f" ({p.title})" if p.title else "")
                              for p in found[:4])
        return None, [], f"Which account's {written} do you mean: {options}?"
    by_word = _by_one_name(text, people, names_of) if not by_account else None
    if by_word is not None:
        return by_word
    shared = shared_word_question(text, accounts)  # "the pharma account", "Foods call today"
    return None, [], shared or ACCOUNT_QUESTION


def _by_one_name(text: str, people: list[KnownPerson], names_of: dict[str, str]
                 ) -> tuple[AccountMention | None, list[tuple[int, int]], str | None] | None:
    """The account of the people named by one name only ("call with Marcus"): when every such name is a
    stakeholder of one account, that account; when one is a stakeholder at several, a question naming them."""
    index: dict[str, list[KnownPerson]] = {}
    for person in people:
        words = person.name.split()
        for word in {words[0], words[-1]} if len(words) > 1 else set(words):
            index.setdefault(word, []).append(person)
    found: dict[str, list[KnownPerson]] = {}
    written: dict[str, str] = {}
    for m in re.finditer(r"\b" + NAME_TOKEN + r"\b", text):
        if m.group(0) in index and m.group(0) not in NOT_NAMES and m.group(0).lower() not in COMMON_NAME_WORDS:
            found.setdefault(m.group(0), index[m.group(0)])
    for m in _LOWER_NAME_AFTER_CUE.finditer(text):  # "call w laura": a name in lower case after a meeting word
        word = m.group("name").capitalize()
        if word in index and word not in NOT_NAMES and m.group("name") not in COMMON_NAME_WORDS:
            found.setdefault(word, index[word])
            written.setdefault(word, m.group("name"))
    accounts_named = {p.account_id for hits in found.values() for p in hits}
    if not found:
        return None
    if len(accounts_named) == 1:
        aid = next(iter(accounts_named))
        if aid in names_of:
            word = next(iter(found))
            return AccountMention(id=aid, name=names_of[aid], span=written.get(word, word)), [], None
    for word, hits in found.items():
        if len({p.account_id for p in hits}) > 1:  # "Priya" at Acme and at Globex: which one?
            options = " or ".join(f"{p.name} at {names_of.get(p.account_id, p.account_id)}" for p in hits[:4])
            return None, [], f"Which {word} do you mean (which account): {options}?"
    return None


_LOWER_NAME_AFTER_CUE = re.compile(r"\b(?:w/?|with|to|met|called|rang|phoned|emailed|from)\s+"
                                   r"(?P<name>[a-z][a-z'’-]{2,})\b")


def _account_hits(text: str, accounts: list[KnownAccount]) -> list[tuple[KnownAccount, int, int]]:
    """Where the note names one of ``accounts``: full names (any case), then distinctive partial names (as
    written). Looked up by word n-grams, so the cost does not grow with the size of the portfolio."""
    exact: dict[str, list[KnownAccount]] = {}
    partial: dict[str, list[KnownAccount]] = {}
    for account in accounts:
        for alias, is_full in _aliases(account.name):
            key = _joined(alias)
            if is_full:
                exact.setdefault(key.casefold(), []).append(account)
            else:
                partial.setdefault(key, []).append(account)
    longest = max((len(k.split()) for k in [*exact, *partial]), default=1)

    def owners(key: str) -> list[KnownAccount]:
        return exact.get(key.casefold()) or partial.get(key) or []

    hits: list[tuple[KnownAccount, int, int]] = []
    for start, end, found in _ngram_hits(text, owners, longest):
        tail = company_after(text, end)  # "Summit Logistics": another company than Summit Energy Co
        hits.extend((a, start, end) for a in dict.fromkeys(found)
                    if not (tail and other_trade(f"{text[start:end]} {tail}", a.name)))
    return hits


def _ngram_hits(text: str, lookup: Callable[[str], list[T]], longest: int) -> list[tuple[int, int, list[T]]]:
    """The longest word sequences of ``text`` that ``lookup`` knows, left to right, without overlaps."""
    words = _words(text)
    out: list[tuple[int, int, list[T]]] = []
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            chunk = words[i : i + n]
            if any(text[chunk[k][1] : chunk[k + 1][0]].strip() for k in range(n - 1)):
                continue  # punctuation between the words: not one name
            found = lookup(" ".join(w for _, _, w in chunk))
            if found:
                out.append((chunk[0][0], chunk[-1][1], found))
                i += n
                break
        else:
            i += 1
    return out


def _words(text: str) -> list[tuple[int, int, str]]:
    """Words with where they are, without trailing punctuation or a possessive ("Acme's" -> "Acme")."""
    out = []
    for m in _WORD.finditer(text):
        word = re.sub(r"(?:['’]s)?[.'’-]*$", "", m.group(0))
        if word:
            out.append((m.start(), m.start() + len(word), word))
    return out


def _joined(name: str) -> str:
    """A name as ``_words`` sees it, words joined by single spaces."""
    if not any(ch in name for ch in ".'’-"):  # the common case, without a regex
        return " ".join(name.split())
    return " ".join(w for _, _, w in _words(name))


def _aliases(name: str) -> list[tuple[str, bool]]:
    """A name as people write it: in full, without "Corp" / "Group", and its first distinctive word."""
    out = [(" ".join(name.split()), True)]
    short = _SUFFIXES.sub("", name).strip()
    if short and short != name and short.lower() not in GENERIC_WORDS:
        out.append((short, False))
    words = [w for w in re.split(r"\s+", name) if w]
    if words and len(words) > 1 and len(words[0]) >= 3 and words[0].lower() not in GENERIC_WORDS:
        out.append((words[0], False))
    return list(dict.fromkeys(out))


def _interaction_date(text: str, as_of: dt.date, commitments: CommitmentScan) -> tuple[DateMention | None, str | None]:
    """The day the interaction happened: a "Date:" / "When:" header's day, else the first past-looking date phrase
    outside the commitments."""
    header = _date_header(text, as_of)
    if header is not None:
        return header, None
    stretches = commitments.stretches
    for m in DATE_RE.finditer(text):
        if any(a <= m.start() < b for a, b in stretches):
            continue
        phrase = m.group(0)
        before = text[max(0, m.start() - 24) : m.start()]
        if not _PAST_DATE.match(phrase) or (_DUE_BEFORE.search(before[-16:]) and not _MEETING_OF.search(before)):
            continue  # "by Friday" is a due; "the call from Tuesday" dates the call
        if re.match(r"['’]s\b", text[m.end() : m.end() + 2]) or not about_the_meeting(text, m.start()):
            continue  # "Tuesday's numbers", "the sync broke again Tuesday"
        on = re.search(r"(?:\bon|\blast)\s+$", text[max(0, m.start() - 6) : m.start()], re.IGNORECASE)
        span = text[m.start() - len(on.group(0)) : m.end()] if on and "last" not in phrase.lower() else phrase
        value = resolve(phrase, as_of, prefer="past")
        if value is None:
            return None, f"When was '{span}' - can you give the date of the meeting?"
        if value > as_of:
            continue
        return DateMention(value=value, span=span), None
    return None, None


_HEADER = re.compile(r"^[ \t]*(?:[-*•][ \t]*)?(?:date|when|held(?:\s+on)?|meeting\s+date|day)[ \t]*:[ \t]*"
                     r"(?P<value>[^\n]+)", re.IGNORECASE | re.MULTILINE)
_MEETING_OF = re.compile(r"\b(?:call|meeting|sync|visit|lunch|chat|catch-?up|session|workshop|qbr|demo|dinner|coffee|"
                         r"review|onsite)\s+(?:from|of)\s+$", re.IGNORECASE)


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
    there = presence(text, scan.mentions)
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
        if (m.start, m.key) in change_spots or m.start in there.mentioned_only:
            continue
        in_promise = any(c.start <= m.start < c.end for c in commitments.items)
        if in_promise and m.start not in owners:
            continue
        chosen.setdefault(m.key, m)
    promoted = {c.person.key for c in changes if c.kind == "title_change"}
    for ref in _met_by_pronoun(text, scan):  # "Felix got promoted ... caught up with him over coffee"
        if ref.key not in there.absent:
            chosen.setdefault(ref.key, ref)
    for m in _SHE_IS.finditer(text):  # "Priya stepped into the COO role. Quick chat, she's positive"
        ref = scan.before(m.start(), m.group("pronoun"))
        if ref is not None and ref.key in promoted and ref.key not in there.absent and not ref.ambiguous:
            chosen.setdefault(ref.key, ref)
    met = _met_with(text, scan)
    if met:  # "call with Neil Das ... Kevin Nakamura to send X": who was met is said; an owner only is not them
        only_owners = {m.key for m in scan.mentions if m.start in owners} - {
            m.key for m in scan.mentions if m.start not in owners}
        chosen = {k: m for k, m in chosen.items() if k in met or k not in only_owners}
    out = []
    for key, m in chosen.items():
        value, span = sentiments.get(key, (0, None))
        out.append(ParticipantItem(
            name=m.name, stakeholder_id=m.person_id, is_new=m.is_new,
            title=titles.get(m.person_id or "") if m.person_id else titled.get(key),
            sentiment=value, sentiment_span=span if value else None, span=m.text,
        ))
    return out


_MET_LIST = re.compile(r"\b(?:call|meeting|lunch|coffee|dinner|sync|catch-?up|chat|met|spoke|talked)\s+"
                       r"(?:w/|with|to)?\s*", re.IGNORECASE)


def _met_with(text: str, scan: PeopleScan) -> set[str]:
    """The people a "call with A, B and C" / "met A" names: whom the meeting was with."""
    out: set[str] = set()
    for m in _MET_LIST.finditer(text):
        pos = m.end()
        for mention in sorted(scan.mentions, key=lambda x: x.start):
            if mention.start < pos:
                continue
            if re.fullmatch(r"\s*(?:,|\+|&|and|\band\b)?\s*", text[pos : mention.start]) is None:
                break
            out.add(mention.key)
            pos = mention.end
    return out


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


def _commitment(found: FoundCommitment) -> CommitmentItem:
    owner = found.owner
    return CommitmentItem(
        side=found.side,  # type: ignore[arg-type]
        owner=owner.person_id if owner is not None else None,
        owner_name=owner.name if owner is not None else None,
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
