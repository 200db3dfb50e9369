"""Validation of an extraction against its note: nothing invented gets through.

Whoever produced the extraction (the offline reader or a model), every item must point at an exact,
case-sensitive substring of the note, and every stakeholder id must be one of the known people of the
account. Items that fail are dropped and reported; a dropped account or meeting date becomes a question.
"""

from __future__ import annotations

import datetime as dt

from tools.notes.schema import (
    KINDS,
    ChangeItem,
    CommitmentItem,
    Dropped,
    KnownAccount,
    KnownPerson,
    NoteExtraction,
    ParticipantItem,
)

ACCOUNT_QUESTION = "Which account was this meeting with?"
_MAX_QUESTION_CHARS = 300


def validate(
    extraction: NoteExtraction,
    *,
    text: str,
    as_of: dt.date,
    people: list[KnownPerson],
    accounts: list[KnownAccount],
    account_id: str | None = None,
) -> tuple[NoteExtraction, list[Dropped]]:
    """The extraction with every unsupported item removed, and what was removed and why."""
    dropped: list[Dropped] = []
    questions = [q.strip()[:_MAX_QUESTION_CHARS] for q in extraction.questions if q and q.strip()]

    def in_note(span: str | None) -> bool:
        return _in(text, span)

    account = extraction.account
    known_accounts = {a.id: a for a in accounts}
    if account is not None:
        problem = None
        if account.id not in known_accounts:
            problem = f"account {account.id!r} is not one of the user's accounts"
        elif account.span is not None and not in_note(account.span) and account.id == account_id:
            dropped.append(Dropped(item=f"span of account {account.id}", reason="it is not in the note",
                                   span=account.span))
            account = account.model_copy(update={"span": None})  # given as an argument: no span needed
        elif account.span is not None and not in_note(account.span):
            problem = "its span is not in the note"
        elif account.span is None and account.id != account_id:
            problem = "it is neither named in the note nor given"
        if problem:
            dropped.append(Dropped(item=f"account {account.id}", reason=problem, span=account.span))
            account = None
        else:
            account = account.model_copy(update={"name": known_accounts[account.id].name})
    if account is None and not any("account" in q.lower() for q in questions):
        questions.insert(0, ACCOUNT_QUESTION)
    known = {p.id: p for p in people if account is not None and p.account_id == account.id}

    date = extraction.date
    if date is not None and not in_note(date.span):
        dropped.append(Dropped(item=f"date {date.value.isoformat()}", reason="its span is not in the note",
                               span=date.span))
        date = None
    elif date is not None and date.value > as_of:
        dropped.append(Dropped(item=f"date {date.value.isoformat()}", reason=f"it is after {as_of.isoformat()}",
                               span=date.span))
        questions.append(f"'{date.span}' reads as {date.value.isoformat()}, after today; when was the meeting?")
        date = None

    kind = extraction.kind
    if kind is not None and (not in_note(kind.span) or kind.value not in KINDS):
        dropped.append(Dropped(item=f"kind {kind.value}", reason="its span is not in the note or the kind is unknown",
                               span=kind.span))
        kind = None

    participants = _participants(extraction.participants, text, known, dropped)
    new_names = {p.name.casefold() for p in participants if p.is_new}
    commitments = _commitments(extraction.commitments, text, known, new_names, dropped)
    changes = _changes(extraction.changes, text, known, dropped)
    result = NoteExtraction(
        account=account, date=date, kind=kind, participants=participants, commitments=commitments,
        changes=changes, questions=list(dict.fromkeys(questions)), later=[s for s in extraction.later if s in text],
    )
    return result, dropped


def _in(text: str, span: str | None) -> bool:
    """Whether ``span`` is a non-blank, exact (case-sensitive) substring of ``text``."""
    return bool(span and span.strip()) and span in text  # type: ignore[operator]


def _participants(items: list[ParticipantItem], text: str, known: dict[str, KnownPerson],
                  dropped: list[Dropped]) -> list[ParticipantItem]:
    out: list[ParticipantItem] = []
    seen: set[str] = set()
    lowered = text.casefold()
    by_name: dict[str, list[KnownPerson]] = {}
    for person in known.values():
        by_name.setdefault(" ".join(person.name.casefold().split()), []).append(person)
    for p in items:
        label = f"participant {p.name}"
        if not _in(text, p.span):
            dropped.append(Dropped(item=label, reason="its span is not in the note", span=p.span))
            continue
        same = by_name.get(" ".join(p.name.casefold().split()), [])
        if p.stakeholder_id is None and len(same) == 1:  # "new", but already a stakeholder of the account
            p = p.model_copy(update={"stakeholder_id": same[0].id})
        if p.stakeholder_id is not None:
            person = known.get(p.stakeholder_id)
            if person is None:
                dropped.append(Dropped(item=label, reason=f"stakeholder {p.stakeholder_id!r} is not a known person "
                                       "of the account", span=p.span))
                continue
            p = p.model_copy(update={"name": person.name, "is_new": False, "title": person.title})
        elif not p.is_new:
            dropped.append(Dropped(item=label, reason="neither a known stakeholder nor a new one", span=p.span))
            continue
        elif not p.name.strip() or any(word.casefold() not in lowered for word in p.name.split()):
            dropped.append(Dropped(item=label, reason="the name is not in the note", span=p.span))
            continue
        elif p.title and p.title.casefold() not in lowered:
            dropped.append(Dropped(item=f"title of {p.name}", reason="the title is not in the note", span=p.title))
            p = p.model_copy(update={"title": None})
        if p.sentiment and not _in(text, p.sentiment_span):
            dropped.append(Dropped(item=f"sentiment of {p.name}", reason="its span is not in the note",
                                   span=p.sentiment_span))
            p = p.model_copy(update={"sentiment": 0, "sentiment_span": None})
        key = p.stakeholder_id or "new:" + p.name.casefold()
        if key in seen:
            continue
        seen.add(key)
        out.append(p)
    return out


def _commitments(items: list[CommitmentItem], text: str, known: dict[str, KnownPerson], new_names: set[str],
                 dropped: list[Dropped]) -> list[CommitmentItem]:
    out: list[CommitmentItem] = []
    for c in items:
        label = f"commitment {c.description!r}"
        if not _in(text, c.span) or not c.description.strip():
            dropped.append(Dropped(item=label, reason="its span is not in the note", span=c.span))
            continue
        updates: dict[str, object] = {}
        if c.due is not None and not _in(text, c.due_span):
            dropped.append(Dropped(item=f"due date of {c.description!r}", reason="its phrase is not in the note",
                                   span=c.due_span))
            updates.update(due=None, due_span=None)
        if c.side == "ours":  # the acting user, or the colleague the note names (as written in it), set when stored
            updates.update(owner=None, owner_name=c.owner_name if c.owner_name and _in(text, c.owner_name) else None)
        elif c.owner is not None and c.owner not in known:
            dropped.append(Dropped(item=f"owner of {c.description!r}", reason=f"stakeholder {c.owner!r} is not a "
                                   "known person of the account", span=c.span))
            updates.update(owner=None, owner_name=None)
        elif c.owner is not None:
            updates.update(owner_name=known[c.owner].name)
        elif c.owner_name and c.owner_name.casefold() not in new_names:
            updates.update(owner_name=None)
        out.append(c.model_copy(update=updates) if updates else c)
    return out


def _changes(items: list[ChangeItem], text: str, known: dict[str, KnownPerson],
             dropped: list[Dropped]) -> list[ChangeItem]:
    out: list[ChangeItem] = []
    for c in items:
        label = f"change {c.kind} of {c.name}"
        if not _in(text, c.span):
            dropped.append(Dropped(item=label, reason="its span is not in the note", span=c.span))
        elif c.stakeholder_id not in known:
            dropped.append(Dropped(item=label, reason=f"stakeholder {c.stakeholder_id!r} is not a known person of "
                                   "the account", span=c.span))
        elif c.kind == "title_change" and (not c.new_title or c.new_title.casefold() not in text.casefold()):
            dropped.append(Dropped(item=label, reason="the new title is not in the note", span=c.span))
        else:
            out.append(c.model_copy(update={"name": known[c.stakeholder_id].name}))
    return out
