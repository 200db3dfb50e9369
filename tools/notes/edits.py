"""Reading a reply to the thread's draft note: a small grammar of edit intents over the note's own readers.

The intents: **fill** (answer one of the draft's questions: a person, an account, a date), **set** a field (the
meeting's date, a commitment's due date or owner), **drop** an item, **add** items, **confirm**, **cancel**.
A reply is read with the same readers as a note (``tools.notes.extract``): its dates by ``DATE_RE`` /
``resolve``, its people by ``scan_people`` and ``presence``, and what it adds (a person who was there too, a
promise, a new title, a changed sentiment, the meeting's day) by the extractor itself, run on the reply in the
draft's account. What is left to this module is the structure of a reply: which item it points at ("the
second one", "the one about pricing", a person), whether it negates ("didn't leave", "wasn't there"), and
whether it carries anything at all (a reply with no target is a yes, or a no when it negates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz
from sqlmodel import select

from store.models import User
from tools.context import ToolContext
from tools.notes.draft import known_scope, participant_key
from tools.notes.extract.dates import DATE_RE, resolve
from tools.notes.extract.organisations import distinctive, words
from tools.notes.extract.people import scan_people
from tools.notes.extract.presence import presence
from tools.notes.results import ProposedCommitment, day
from tools.notes.schema import KnownAccount, KnownPerson, NoteExtraction

_ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3, "fifth": 4,
             "5th": 4, "last": -1, "latter": -1, "former": 0}
_ORDINAL = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\b|#\s*(\d)\b|\b(?:number|no\.|item)\s*(\d)\b", re.I)
_ABOUT = re.compile(r"\b(?:one|commitment|promise|item|action|task|follow[- ]?up|to-?do)\s+(?:about|on|for|re|"
                    r"regarding|to)\s+(?P<what>[^.,;!?]+)", re.I)
_THE_X_ONE = re.compile(r"\bthe\s+(?P<what>[\w'’ -]{2,40}?)\s+one\b", re.I)
_DROP = re.compile(r"\b(?:drop|remove|delete|strike|scratch|cut|take\s+out|get\s+rid\s+of|lose|ditch|bin|kill|"
                   r"scrap|forget|ignore|skip|no\s+need\s+for)\b", re.I)
_WHOLE = re.compile(r"^\W*(?:it|that|this|everything|all(?:\s+of\s+it)?|the\s+(?:whole\s+)?(?:note|thing|lot|"
                    r"proposal|draft|record))?\W*$", re.I)
_NEGATION = re.compile(r"\b(?:no|nope|nah|not|never|cancel|abort|discard|dont|don['’]t|do\s+not|leave\s+it)\b", re.I)
_DUE_CUE = re.compile(r"\b(?:due|deadline|by|before|until|till|no\s+later\s+than|make\s+it|push\s+it|"
                      r"move\s+it)\b", re.I)
_OWNER_CUE = re.compile(
    r"\b(?:owner|owns?|assign(?:ed)?|reassign|responsible|(?:will|['’]ll|is\s+going\s+to|is)\s+(?:do|doing|handle|"
    r"handling|take|taking|own|owning|send|sending|sort|cover|covering|run|running|on)|hand(?:ing)?\s+(?:it|that)"
    r"|give\s+(?:it|that|this))\b", re.I)
_THEIRS = re.compile(r"\b(?:theirs|their\s+side|on\s+their\s+end|the\s+customer['’]s|customer\s+side)\b", re.I)
_NOT_LEFT = re.compile(r"\b(?:didn['’]t|did\s+not|hasn['’]t|has\s+not|never|not|isn['’]t|is\s+not|wasn['’]t)\s+"
                       r"(?:leave|left|leaving|quit|resign(?:ed)?|gone|go(?:ing)?)\b|\bstill\s+(?:there|at|with)\b",
                       re.I)
# An imperative that points into the draft ("make the due date Dec 3", "set the owner to Tom") edits it.
_DRAFT_REF = re.compile(r"\b(?:the|its|it['’]s|that|this)\s+(?:due(?:\s+date)?|date|deadline|owner|meeting|call|note|"
                        r"commitment|promise|one|first|second|third|last|proposal|record)\b", re.I)
_SUBJECT_PRONOUN = re.compile(r"\b(?:she|he)\b", re.I)
_WHICH = re.compile(r"^Which (?P<token>[\w'’-]+) do you mean\b")
_WHO = re.compile(r"^Who is (?P<name>[\w'’-]+)\?")
_UNKNOWN_ORG = re.compile(r"^I don't know (?P<name>.+?) — ")
_WHEN_DUE = re.compile(r"^When is '(?P<phrase>[^']+)'")
_NAME = re.compile(r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)+")
_TITLE_AFTER = re.compile(r"\((?P<t1>[^()]{2,60})\)|,\s*(?:the\s+|their\s+)?(?P<t2>[^,]{2,60})$")


@dataclass
class Reading:
    """What a reply does to the draft: an act, or edits (with what they change, in words)."""

    act: str = "none"  # confirm | cancel | edit | unclear | none (not a reply to the draft)
    edits: list[dict[str, Any]] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)
    work_text: str | None = None  # the note with an answer written in, when a question was filled
    account_id: str | None = None  # the account an answer or a correction chose
    revisions: list[str] = field(default_factory=list)

    @property
    def changes_anything(self) -> bool:
        return bool(self.edits or self.answered or self.work_text or self.account_id)


@dataclass
class DraftView:
    """The draft as the user sees it now: its text, extraction and commitments (in the order shown)."""

    work_text: str
    extraction: NoteExtraction
    commitments: list[ProposedCommitment]


def read_reply(ctx: ToolContext, message: str, draft: DraftView, *, reads_as: str) -> Reading:
    """How ``message`` edits ``draft``. ``reads_as``: the message-kind classifier's reading of it (note, request,
    reply, small_talk, or unsure: then it may edit but never confirms or cancels); a question or an unrelated
    request edits nothing and is answered as usual."""
    out = Reading()
    if message.rstrip().endswith("?") or (reads_as == "request" and not _DRAFT_REF.search(message)):
        return out  # a question, or a request about something else: answered as usual, the draft stays
    accounts, people = known_scope(ctx)
    x = draft.extraction
    scoped = [p for p in people if x.account is not None and p.account_id == x.account.id]
    for question in x.questions:
        _fill(ctx, message, question, draft, scoped, accounts, people, out)
    if x.account is not None and not x.questions:
        _account_correction(message, x, accounts, out)
        _edit(ctx, message, draft, scoped, out, narrative=reads_as == "note")
    if out.act == "cancel" or out.changes_anything:
        out.act = out.act if out.act == "cancel" else "edit"
        return out
    if reads_as not in ("reply", "small_talk"):
        return out
    if _NEGATION.search(message):
        out.act = "cancel"
    elif reads_as == "reply":
        out.act = "confirm" if not x.questions else "unclear"
    return out


# -- fill: answers to the draft's questions ---------------------------------------------------------------------


def _fill(ctx: ToolContext, message: str, question: str, draft: DraftView, scoped: list[KnownPerson],
          accounts: list[KnownAccount], people: list[KnownPerson], out: Reading) -> None:
    text = out.work_text or draft.work_text
    if (m := _WHICH.match(question)) is not None:
        token = m.group("token")
        candidates = [p for p in scoped if token in p.name.split()]
        chosen = _choose_person(message, candidates, skip=token)
        if chosen is not None:
            out.work_text = _write_in(text, token, chosen.name, candidates)
            out.answered.append(question)
            out.revisions.append(f"{token} is {chosen.name}")
    elif (m := _WHO.match(question)) is not None:
        name = m.group("name")
        known = _choose_person(message, [p for p in scoped if name in p.name.split()], skip="")
        full = known.name if known else _full_name(message, name)
        if full:
            title = _TITLE_AFTER.search(message.strip()) if not known else None
            said = full + (f" ({(title.group('t1') or title.group('t2')).strip()})" if title else "")
            out.work_text = re.sub(rf"(?<![\w]){re.escape(name)}(?![\w])", said, text, count=1)
            out.answered.append(question)
            out.revisions.append(f"{name} is {said}")
    elif "account" in question.lower() or question.startswith("I don't know"):
        options = [a for a in accounts if a.name in question] or accounts
        found = _accounts_named(message, options) or _accounts_of_people(message, people, options)
        if len(found) == 1:
            out.account_id = found[0].id
            unknown = _UNKNOWN_ORG.match(question)
            if unknown is not None:  # the note names it otherwise: write the account in its place
                out.work_text = text.replace(unknown.group("name"), found[0].name)
            out.answered.append(question)
            out.revisions.append(f"account {found[0].name}")
        elif not found and _NEGATION.search(message):
            out.act = "cancel"  # "leave it", "no": nothing to log
    elif (m := _WHEN_DUE.match(question)) is not None and "meeting" not in question:
        index = next((i for i, c in enumerate(draft.commitments) if m.group("phrase") in c.span), None)
        if index is None:
            index = next((i for i, c in enumerate(draft.commitments) if c.due is None), None)
        if index is not None and _set_due(ctx, message, [index], draft, out):
            out.answered.append(question)
    elif "meeting" in question and _set_date(ctx, message, out, any_phrase=True):
        out.answered.append(question)


def _choose_person(message: str, candidates: list[KnownPerson], *, skip: str) -> KnownPerson | None:
    """The one candidate the reply points at, by a name word or a title word (typos allowed)."""
    said = [w for w in words(message) if len(w) >= 2 and w != skip.casefold()]
    scores = []
    for person in candidates:
        own = [w for w in words(person.name) if w != skip.casefold()] + words(person.title or "")
        scores.append(sum(1 for w in said if any(fuzz.ratio(w, o) >= 85 for o in own)))
    best = max(scores, default=0)
    return candidates[scores.index(best)] if best and scores.count(best) == 1 else None


def _write_in(text: str, token: str, name: str, candidates: list[KnownPerson]) -> str:
    """``text`` with the bare ``token`` written as ``name`` (not where a full name already says who it is)."""
    parts = {w for p in candidates for w in p.name.split()} - {token}
    pattern = re.compile(rf"(?<![\w'’-]){re.escape(token)}(?![\w'’-])")

    def sub(m: re.Match[str]) -> str:
        before = text[: m.start()].split()[-1:] or [""]
        after = text[m.end():].split()[:1] or [""]
        if before[0].strip(",.;:") in parts or after[0].strip(",.;:") in parts:
            return m.group(0)
        return name

    return pattern.sub(sub, text)


def _full_name(message: str, first: str) -> str | None:
    found = _NAME.search(message)
    return found.group(0) if found and found.group(0).split()[0] == first else None


def _accounts_named(message: str, accounts: list[KnownAccount]) -> list[KnownAccount]:
    said = set(words(message))
    return [a for a in accounts if distinctive(a.name) & said]


def _accounts_of_people(message: str, people: list[KnownPerson], options: list[KnownAccount]) -> list[KnownAccount]:
    ids = {a.id for a in options}
    said = message.casefold()
    owners = {p.account_id for p in people if p.account_id in ids and len(p.name.split()) > 1
              and p.name.casefold() in said}
    return [a for a in options if a.id in owners]


# -- set, drop, add: corrections of a proposal -------------------------------------------------------------------


def _account_correction(message: str, x: NoteExtraction, accounts: list[KnownAccount], out: Reading) -> None:
    """"wrong account, it's Globex", "sorry, I meant Globex": one other account named, and no other content."""
    found = [a for a in _accounts_named(message, accounts) if x.account is None or a.id != x.account.id]
    if len(found) == 1 and len(message.split()) <= 8:
        out.account_id = found[0].id
        out.revisions.append(f"account {found[0].name}")


def _edit(ctx: ToolContext, message: str, draft: DraftView, scoped: list[KnownPerson], out: Reading, *,
          narrative: bool) -> None:
    x = draft.extraction
    scan = scan_people(message, scoped)
    there = presence(message, scan.mentions)
    named = [m for m in scan.mentions if m.person_id or m.is_new]
    refs = _references(message, draft)
    dropped_keys: set[str] = set()
    drop = _DROP.search(message)
    if drop is not None:
        target = message[drop.end():]
        if _WHOLE.match(target):
            out.act = "cancel"
            return
        people_here = [m for m in named if m.start >= drop.end()]
        if refs or re.search(r"\b(?:commitments?|promises?|actions?|follow[- ]?ups?|tasks?)\b", target, re.I):
            indexes = refs or list(range(len(draft.commitments)))
            if not refs and re.search(r"\b(?:commitments|promises|actions|tasks|all)\b", target, re.I):
                out.edits.append({"op": "drop", "what": "commitments"})
                out.revisions.append("dropped the commitments")
                return
            for index in sorted(indexes, reverse=True):
                out.edits.append({"op": "drop", "what": "commitment", "index": index})
                out.revisions.append(f"dropped commitment {index + 1} ({draft.commitments[index].description})")
            return
        for m in people_here:
            key = m.person_id or "new:" + m.name.casefold()
            _drop_person(x, key, m.name, out, change=bool(re.search(r"\bchange|title|departure", target, re.I)))
            dropped_keys.add(key)
    for m in named:
        if m.key in there.absent:
            _drop_person(x, m.key, m.name, out, change=False)
            dropped_keys.add(m.key)
    if _NOT_LEFT.search(message):
        subjects = [m.person_id for m in named if m.person_id] or [c.stakeholder_id for c in x.changes]
        for change in x.changes:
            if change.kind == "left_company" and change.stakeholder_id in subjects[:1]:
                out.edits.append({"op": "drop", "what": "change", "key": change.stakeholder_id})
                out.revisions.append(f"{change.name} did not leave")
    if _owner(ctx, message, draft, refs, named, out):
        return
    delta = _read_delta(ctx, message, draft)
    # A promise read from a reply needs what makes it one: a narrative, a customer, an owner or a due date.
    # A bare imperative ("confirm", "log it") is the reply's act, not a to-do.
    delta.commitments = [c for c in delta.commitments if narrative or c.side == "customer" or c.owner_name or c.due]
    added_commitments = bool(delta.commitments)
    if refs or (not added_commitments and _DUE_CUE.search(message)):
        indexes = refs or _due_targets(draft)
        if indexes and _set_due(ctx, message, indexes, draft, out):
            return
    _add(delta, draft, dropped_keys, out)
    if delta.date is not None and not added_commitments:
        out.edits.append({"op": "date", "value": delta.date.value.isoformat(), "span": delta.date.span})
        out.revisions.append(f"date {day(delta.date.value)}")
    elif not added_commitments and not out.edits:
        _set_date(ctx, message, out, any_phrase=bool(re.search(r"\b(?:date|day|meeting|call|it\s+was|happened|"
                                                               r"was\s+on)\b", message, re.I)))


def _drop_person(x: NoteExtraction, key: str, name: str, out: Reading, *, change: bool) -> None:
    if not change and any(participant_key(p) == key for p in x.participants):
        out.edits.append({"op": "drop", "what": "participant", "key": key})
        out.revisions.append(f"removed {name}")
    elif any(c.stakeholder_id == key for c in x.changes):
        out.edits.append({"op": "drop", "what": "change", "key": key})
        out.revisions.append(f"no change for {name}")


def _references(message: str, draft: DraftView) -> list[int]:
    """The commitments the reply points at: by position ("the second one"), or by what they are about."""
    n = len(draft.commitments)
    found: list[int] = []
    for m in _ORDINAL.finditer(message):
        word = (m.group(1) or "").lower()
        index = _ORDINALS[word] if word else int(m.group(2) or m.group(3)) - 1
        index = n - 1 if index == -1 else index
        if 0 <= index < n:
            found.append(index)
    about = _ABOUT.search(message) or _THE_X_ONE.search(message)
    if not found and about is not None and n:
        what = re.sub(r"^(?:the|a|an)\s+", "", about.group("what").strip(), flags=re.I)
        scores = [fuzz.token_set_ratio(what.lower(), c.description.lower()) for c in draft.commitments]
        best = max(scores)
        if best >= 60 and scores.count(best) == 1:
            found.append(scores.index(best))
    return list(dict.fromkeys(found))


def _due_targets(draft: DraftView) -> list[int]:
    if len(draft.commitments) == 1:
        return [0]
    open_ = [i for i, c in enumerate(draft.commitments) if c.due is None]
    return open_[:1]


def _dates(ctx: ToolContext, message: str, prefer: str) -> list[tuple[str, Any]]:
    out = []
    for m in DATE_RE.finditer(message):
        value = resolve(m.group(0), ctx.as_of, prefer=prefer)  # type: ignore[arg-type]
        if value is not None:
            out.append((m.group(0), value))
    return out


def _set_due(ctx: ToolContext, message: str, indexes: list[int], draft: DraftView, out: Reading) -> bool:
    found = _dates(ctx, message, "future")
    if not found:
        return False
    span, value = found[-1]
    for index in indexes:
        out.edits.append({"op": "due", "index": index, "value": value.isoformat(), "span": span})
        out.revisions.append(f"commitment {index + 1} due {day(value)}")
    return True


def _set_date(ctx: ToolContext, message: str, out: Reading, *, any_phrase: bool) -> bool:
    """The meeting's day from a reply that is about it ("it was yesterday", "change the date to today")."""
    found = [(s, v) for s, v in _dates(ctx, message, "past") if v <= ctx.as_of]
    if not found or not (any_phrase or len(message.split()) <= 4):
        return False
    span, value = found[0]
    out.edits.append({"op": "date", "value": value.isoformat(), "span": span})
    out.revisions.append(f"date {day(value)}")
    return True


def _owner(ctx: ToolContext, message: str, draft: DraftView, refs: list[int], named: list[Any],
           out: Reading) -> bool:
    """"the owner is Tom", "Maria will do that one", "that one's theirs": who a commitment belongs to."""
    if not draft.commitments:
        return False
    short = len(message.split()) <= 3
    cue = _OWNER_CUE.search(message)
    indexes = refs or [i for i, c in enumerate(draft.commitments) if c.side == "ours"] or list(
        range(len(draft.commitments)))
    said = set(words(message))
    users = [u for u in ctx.session.exec(select(User)).all()
             if u.name and ({w for w in words(u.name)} & said) and (words(u.name)[0] in said or len(said) <= 3)]
    if len(users) == 1 and (cue or short):
        user = users[0]
        out.edits.append({"op": "owner", "indexes": indexes, "side": "ours", "user_id": user.id, "name": user.name})
        out.revisions.extend(f"commitment {i + 1} owner {user.name}" for i in indexes)
        return True
    customers = [m for m in named if m.person_id]
    if (cue and len(customers) == 1) or _THEIRS.search(message):
        who = customers[0] if len(customers) == 1 else None
        targets = refs or list(range(len(draft.commitments)))
        out.edits.append({"op": "owner", "indexes": targets, "side": "customer",
                          "stakeholder_id": who.person_id if who else None, "name": who.name if who else None})
        out.revisions.extend(f"commitment {i + 1} is the customer's" + (f" ({who.name})" if who else "")
                             for i in targets)
        return True
    return False


def _read_delta(ctx: ToolContext, message: str, draft: DraftView) -> NoteExtraction:
    """What the reply says as a note would, in the draft's account ("she" read as the person the draft is about)."""
    x = draft.extraction
    accounts, people = known_scope(ctx)
    scoped = [p for p in people if x.account is not None and p.account_id == x.account.id]
    text = message
    if _SUBJECT_PRONOUN.search(message) and not [m for m in scan_people(message, scoped).mentions if m.person_id]:
        focus = [c.name for c in x.changes] if len(x.changes) == 1 else [p.name for p in x.participants]
        if focus:
            text = _SUBJECT_PRONOUN.sub(focus[0].split()[0], message, count=1)
    assert ctx.extractor is not None and x.account is not None
    return ctx.extractor.extract(text, as_of=ctx.as_of, people=people, accounts=accounts, account_id=x.account.id)


def _add(delta: NoteExtraction, draft: DraftView, dropped: set[str], out: Reading) -> None:
    """Items the reply adds: people who were there too (or a sentiment for someone already there), promises,
    stakeholder changes."""
    changed = {c.stakeholder_id for c in delta.changes}
    present = {participant_key(p): p for p in draft.extraction.participants}
    participants = []
    for p in delta.participants:
        key = participant_key(p)
        if key in dropped or (p.stakeholder_id or "") in changed:
            continue
        if key not in present:
            participants.append(p)
            out.revisions.append(f"added {p.name}" + (f" (sentiment {p.sentiment:+d})" if p.sentiment else ""))
        elif p.sentiment and p.sentiment != present[key].sentiment:
            participants.append(p)
            out.revisions.append(f"{p.name}: sentiment {p.sentiment:+d}")
    if not (participants or delta.commitments or delta.changes):
        return
    out.edits.append({"op": "add", "participants": [p.model_dump(mode="json") for p in participants],
                      "commitments": [c.model_dump(mode="json") for c in delta.commitments],
                      "changes": [c.model_dump(mode="json") for c in delta.changes]})
    out.revisions.extend(f"added commitment: {c.side}, {c.description}" + (f", due {day(c.due)}" if c.due else "")
                         for c in delta.commitments)
    out.revisions.extend(f"{c.name}: left the company" if c.kind == "left_company" else
                         f"{c.name}: new title {c.new_title}" for c in delta.changes)
