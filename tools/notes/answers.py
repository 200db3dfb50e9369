"""Answers to a draft note's questions, and the dates a reply sets: the first half of the reply grammar.

``fill`` answers one question of the draft from a reply: which of two people with one name ("Priya Raman", "the
procurement one", "Liam"), who a new person is ("Isaac Newton (CTO)"), which account ("the Apex one", "sorry, I
meant Globex": written into the note in place of a company we do not know), or a date the note left unreadable.
A person or company answer is written into the note's working text, which is then read again as a whole: the
extractor settles everything that depends on it (their sentiment, their promises). ``set_date`` / ``set_due``
read the day a reply gives, with the note's date reader, towards the past for the meeting and the future for a
due date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from tools.context import ToolContext
from tools.notes.extract.dates import DATE_RE, out_of_ten, resolve
from tools.notes.extract.organisations import distinctive, words
from tools.notes.reply_act import reply_act
from tools.notes.results import ProposedCommitment, day
from tools.notes.schema import KnownAccount, KnownPerson, NoteExtraction

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


def fill(ctx: ToolContext, message: str, question: str, draft: DraftView, scoped: list[KnownPerson],
          accounts: list[KnownAccount], people: list[KnownPerson], out: Reading) -> None:
    text = out.work_text or draft.work_text
    if (m := _WHICH.match(question)) is not None:
        token = m.group("token")
        candidates = [p for p in scoped if token in p.name.split()]
        if not candidates and draft.extraction.account is None:
            # "Which Leila do you mean (which account): ...": the people the question offers, on any account
            candidates = [p for p in people if token in p.name.split() and p.name in question]
        chosen = _choose_person(message, candidates, skip=token)
        named = {a.id for a in accounts_named(message, accounts)}
        at_account = [p for p in candidates if p.account_id in named]
        if chosen is None and len(at_account) == 1:
            chosen = at_account[0]  # "the Brookfield one": the one at the account the answer names
        if chosen is not None:
            out.work_text = _write_in(text, token, chosen.name, candidates)
            out.answered.append(question)
            out.revisions.append(f"{token} is {chosen.name}")
            if draft.extraction.account is None and chosen.account_id:
                out.account_id = chosen.account_id  # the person settles the account
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
        found = accounts_named(message, options) or _accounts_of_people(message, people, options)
        if len(found) == 1:
            out.account_id = found[0].id
            unknown = _UNKNOWN_ORG.match(question)
            if unknown is not None:  # the note names it otherwise: write the account in its place
                out.work_text = text.replace(unknown.group("name"), found[0].name)
            out.answered.append(question)
            out.revisions.append(f"account {found[0].name}")
        elif not found and reply_act(message).act == "refuse":
            out.act = "cancel"  # "leave it", "no": nothing to log
    elif (m := _WHEN_DUE.match(question)) is not None and "meeting" not in question:
        index = next((i for i, c in enumerate(draft.commitments) if m.group("phrase") in c.span), None)
        if index is None:
            index = next((i for i, c in enumerate(draft.commitments) if c.due is None), None)
        if index is not None and set_due(ctx, message, [index], draft, out):
            out.answered.append(question)
    elif "meeting" in question and set_date(ctx, message, out, any_phrase=True):
        out.answered.append(question)


_PRONOUN_FIRST = re.compile(r"\s*(?:she|he|they)\b", re.I)
_NOT_THERE = re.compile(r"\b(?:not|wasn['’]?t|weren['’]?t|isn['’]?t|didn['’]?t|never|absent|no\s+show)\b", re.I)


def _choose_person(message: str, candidates: list[KnownPerson], *, skip: str) -> KnownPerson | None:
    """The one candidate the reply points at, by a name word, a title word or the title's initials (typos
    allowed); a clause that says someone was not there points at no one ("lucas, the cio. valentina wasnt on it"),
    nor does the sentence it closes with a pronoun ("Patrick, the analyst. Rebecca is legal, she wasn't there")."""
    kept = []
    for sentence in re.split(r"[.;!\n]", message):
        parts = re.split(r",|\s[-–—]\s|\b(?:and|but)\b", sentence)
        if any(_NOT_THERE.search(c) and _PRONOUN_FIRST.match(c) for c in parts):
            continue
        kept.extend(c for c in parts if not _NOT_THERE.search(c))
    said = [w for w in words(" ".join(kept) if kept else message) if len(w) >= 2 and w != skip.casefold()]
    scores = []
    for person in candidates:
        title = words(person.title or "")
        initials = "".join(w[0] for w in title if w not in ("of", "and", "for", "the"))
        own = [w for w in words(person.name) if w != skip.casefold()] + title + [initials] * (len(initials) > 1)
        scores.append(sum(1 for w in said if any(_same_word(w, o) for o in own)))
    best = max(scores, default=0)
    return candidates[scores.index(best)] if best and scores.count(best) == 1 else None


def _same_word(said: str, own: str) -> bool:
    """A word of the reply is one of a candidate's: spelt alike (typos allowed) or of one stem ("the finance one"
    for a Chief Financial Officer, "the security one" for a Security Lead)."""
    return fuzz.ratio(said, own) >= 85 or (len(said) >= 5 and len(own) >= 5 and said[:5] == own[:5])


def _write_in(text: str, token: str, name: str, candidates: list[KnownPerson]) -> str:
    """``text`` with the bare ``token`` written as ``name`` (not where a full name already says who it is)."""
    parts = {w for p in candidates for w in p.name.split()} - {token}
    pattern = re.compile(rf"(?<![\w'’-]){re.escape(token)}(?![\w'’-])", re.IGNORECASE)  # "kumar" too

    def sub(m: re.Match[str]) -> str:
        before = text[: m.start()].split()[-1:] or [""]
        after = text[m.end():].split()[:1] or [""]
        if {before[0].strip(",.;:").capitalize(), after[0].strip(",.;:").capitalize()} & parts:
            return m.group(0)
        return name

    return pattern.sub(sub, text)


def _full_name(message: str, first: str) -> str | None:
    """The full name an answer gives for ``first``: starting with it ("Raj Patel", "Rajiv Menon" for "Raj"), or
    said to be it ("Raj = Rajiv Menon", "Raj is Rajiv Menon")."""
    said = re.match(rf"\W*{re.escape(first)}\s*(?:=|:|is|->|→)\s*", message, re.IGNORECASE)
    found = _NAME.match(message, said.end()) if said else _NAME.search(message)
    return found.group(0) if found and (said or found.group(0).split()[0].startswith(first)) else None


def accounts_named(message: str, accounts: list[KnownAccount]) -> list[KnownAccount]:
    said = set(words(message))
    return [a for a in accounts if distinctive(a.name) & said]


def _accounts_of_people(message: str, people: list[KnownPerson], options: list[KnownAccount]) -> list[KnownAccount]:
    ids = {a.id for a in options}
    said = message.casefold()
    owners = {p.account_id for p in people if p.account_id in ids and len(p.name.split()) > 1
              and p.name.casefold() in said}
    return [a for a in options if a.id in owners]


# A day the reply sets aside: "Dec 4, not Friday", "instead of Friday", "rather than Monday".
SET_ASIDE = re.compile(r"\b(?:not|instead\s+of|rather\s+than|isn['’]?t|wasn['’]?t)\s+(?:(?:on|by|at|in|for)\s+)?"
                       r"(?:the\s+)?$", re.IGNORECASE)  # "not at the end of week 51"


# A day right after what sets a due ("due Thursday", "move it to Friday") is the new one, whatever follows it
# ("..., not Friday - Leila has her board on Friday").
_SETS_DUE = re.compile(r"\b(?:due|by|to|until|till|for|latest|make\s+it|deadline(?:\s+is)?)\s+(?:on\s+)?$",
                       re.IGNORECASE)


# A day turned down after it is named: "make it thursday, friday's too late", "Monday doesn't work for them"
_TURNED_DOWN = re.compile(r"\s*(?:['’]s|\s+is|\s+was|\s+would\s+be)\s+(?:too\s+(?:late|early|soon)|no\s+good|out)\b|"
                          r"\s+(?:doesn['’]?t|won['’]?t|does\s+not|will\s+not|can['’]?t)\s+work\b", re.IGNORECASE)
_BARE_DAY = re.compile(r"\W*(?P<day>\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?)(?![\d/])")


def _dates(ctx: ToolContext, message: str, prefer: str) -> list[tuple[str, Any]]:
    """The days a reply names, without those it sets aside ("the due date is Dec 4, not Friday")."""
    out = []
    for m in DATE_RE.finditer(message):
        if (SET_ASIDE.search(message, max(0, m.start() - 20), m.start()) or out_of_ten(message, m)
                or _TURNED_DOWN.match(message, m.end())):
            continue
        # the nearer order when a reply's numbers could be either ("is Friday already, 04/12")
        value = resolve(m.group(0), ctx.as_of, prefer=prefer, day_first=None)  # type: ignore[arg-type]
        if value is not None:
            out.append((m.group(0), value))
    if not out and (bare := _BARE_DAY.match(message)) is not None:  # "11/19 obviously lol": an answer's day
        value = resolve(bare.group("day"), ctx.as_of, prefer=prefer, day_first=None)  # type: ignore[arg-type]
        out += [(bare.group("day"), value)] if value is not None else []
    return out


def set_due(ctx: ToolContext, message: str, indexes: list[int], draft: DraftView, out: Reading) -> bool:
    found = _dates(ctx, message, "future")
    if not found:
        return False
    cued = [(span, value) for span, value in found if _SETS_DUE.search(message, 0, max(0, message.find(span)))]
    aside = [i for i, (span, _) in enumerate(found) if i and SET_ASIDE.search(message[: message.find(span)])]
    # "goes out Thursday, not Friday - I'm off Friday": the day before the one set aside
    span, value = cued[0] if cued else found[aside[0] - 1] if aside else found[-1]
    for index in indexes:
        out.edits.append({"op": "due", "index": index, "value": value.isoformat(), "span": span})
        out.revisions.append(f"commitment {index + 1} due {day(value)}")
    return True


def set_date(ctx: ToolContext, message: str, out: Reading, *, any_phrase: bool) -> bool:
    """The meeting's day from a reply that is about it ("it was yesterday", "change the date to today")."""
    found = [(s, v) for s, v in _dates(ctx, message, "past") if v <= ctx.as_of]
    if not found or not (any_phrase or len(message.split()) <= 4):
        return False
    span, value = found[0]
    out.edits.append({"op": "date", "value": value.isoformat(), "span": span})
    out.revisions.append(f"date {day(value)}")
    return True
