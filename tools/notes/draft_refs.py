"""What a reply points at in a draft: its items by position ("the second one"), by what they are about ("the one
about pricing", "the deck") or by whose they are ("Ray's one"), and which one a bare new due date is for; whether it
moves an item's due, and whether it could be a note of its own instead."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from tools.context import ToolContext
from tools.notes.answers import SET_ASIDE, DraftView, accounts_named
from tools.notes.draft import colleague_names, known_scope, participant_key
from tools.notes.extract.dates import DATE_RE, resolve
from tools.notes.extract.organisations import words
from tools.notes.extract.people import scan_people
from tools.notes.schema import KnownPerson

DUE_CUE = re.compile(r"\b(?:due|deadline|by|before|until|till|no\s+later\s+than|make\s+it|push(?:ed)?|"
                      r"move[ds]?|postpone[ds]?|delay(?:ed)?|reschedule[ds]?|shift(?:ed)?|bring\s+forward)\b", re.I)
_ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3, "fifth": 4,
             "5th": 4, "last": -1, "latter": -1, "former": 0}
# "first thing Monday", "at last", "last time" use the word for no item of the draft
_ORDINAL = re.compile(r"(?<!\bat )\b(" + "|".join(_ORDINALS) + r")\b(?!\s+(?:thing|of\s+all|time|minute|night|week|"
                      r"month|year|quarter)\b)|#\s*(\d)\b|\b(?:number|no\.|item)\s*(\d)\b", re.I)
_ABOUT = re.compile(r"\b(?:one|commitment|promise|item|action|task|follow[- ]?up|to-?do)\s+(?:about|on|for|re|"
                    r"regarding|to)\s+(?P<what>[^.,;!?]+)", re.I)
_THE_X_ONE = re.compile(r"\bthe\s+(?P<what>[\w'’ -]{2,40}?)\s+one\b", re.I)
# An item as the subject of the reply, told in its own words: "The call to Matthew is not a real engagement, remove it"
_THE_X_IS = re.compile(r"^\W*(?:the|that|this)\s+(?P<what>[\w'’-]+(?:\s+[\w'’-]+){1,5}?)\s+(?:is|was|isn['’]?t|"
                       r"wasn['’]?t|should|must)\b", re.I)
_COMMON_VERBS = {"send", "sends", "share", "book", "make", "take", "give", "call", "will", "with", "about", "that",
                 "this", "their", "them", "follow", "have", "back"}


def references(message: str, draft: DraftView, *, owners: bool = False, by_words: bool = True) -> list[int]:
    """The commitments the reply points at: by position ("the second one"), by what they are about ("the one
    about pricing", or with ``by_words`` a word of one description only: "the deck"), or (``owners``) by whose
    they are ("Ray's one")."""
    n = len(draft.commitments)
    text = DATE_RE.sub(" ", message)  # "last Tuesday" is a day, not the last item
    found: list[int] = []
    for m in _ORDINAL.finditer(text):
        word = (m.group(1) or "").lower()
        index = _ORDINALS[word] if word else int(m.group(2) or m.group(3)) - 1
        index = n - 1 if index == -1 else index
        if 0 <= index < n:
            found.append(index)
    about = _ABOUT.search(text) or _THE_X_ONE.search(text)
    if not found and about is not None and n:
        what = re.sub(r"^(?:the|a|an)\s+", "", about.group("what").strip(), flags=re.I)
        scores = [fuzz.token_set_ratio(what.lower(), c.description.lower()) for c in draft.commitments]
        best = max(scores)
        if best >= 60 and scores.count(best) == 1:
            found.append(scores.index(best))
    subject = _THE_X_IS.match(text)
    if not found and subject is not None and n:
        what = subject.group("what").lower()
        scores = [fuzz.token_sort_ratio(what, c.description.lower()) for c in draft.commitments]
        if max(scores) >= 75 and scores.count(max(scores)) == 1:
            found.append(scores.index(max(scores)))
    if not found and n and by_words:  # a content word of one description only: "push the deck to Monday"
        # a person's name is no word of what was promised: "Sandra said she'd ..." is not "send Sandra the deck"
        names = {w for p in draft.extraction.participants if p.name for w in words(p.name)}
        said = {w for w in words(text) if len(w) >= 4} - names
        hits = [i for i, c in enumerate(draft.commitments)
                if said & {w for w in words(c.description) if len(w) >= 4} - _COMMON_VERBS]
        found += hits if len(hits) == 1 else []
    if not found and owners and n:
        said = set(words(text))
        hits = [i for i, c in enumerate(draft.commitments)
                if c.owner_name and c.side == "customer" and set(words(c.owner_name)) & said]  # "Richter's action"
        found += hits if len(hits) == 1 else []
    return list(dict.fromkeys(found))


def dues_set_aside(message: str, draft: DraftView, ctx: ToolContext) -> list[int]:
    """The commitments whose due the reply sets aside: "Henrik said 11/12 not 10/12" moves the one due on the 10th."""
    found: list[int] = []
    for m in DATE_RE.finditer(message):
        if SET_ASIDE.search(message, max(0, m.start() - 20), m.start()):
            value = resolve(m.group(0), ctx.as_of, prefer="future", day_first=None)
            found += [i for i, c in enumerate(draft.commitments) if value is not None and c.due == value]
    return list(dict.fromkeys(found))


def reply_people(message: str, scoped: list[KnownPerson], draft: DraftView) -> list[KnownPerson]:
    """The account's people a reply can mean: a first name or surname the draft's own people share with others is
    theirs ("take Priya off" is the Priya in the draft), unless the reply writes the other one's full name."""
    x = draft.extraction
    mine = {p.stakeholder_id for p in x.participants} | {c.stakeholder_id for c in x.changes} | {
        c.owner_stakeholder_id for c in draft.commitments if c.owner_stakeholder_id}
    theirs = {w for p in scoped if p.id in mine for w in words(p.name)}
    said = " ".join(words(message))
    return [p for p in scoped if p.id in mine or " ".join(words(p.name)) in said or not set(words(p.name)) & theirs]


def due_targets(draft: DraftView) -> list[int]:
    if len(draft.commitments) == 1:
        return [0]
    open_ = [i for i, c in enumerate(draft.commitments) if c.due is None]
    return open_[:1]


def moves_an_item(message: str, draft: DraftView) -> bool:
    """Whether ``message`` gives one of the draft's items a new due: "the scenario is due Thursday, not Friday"."""
    return bool(DUE_CUE.search(message) and DATE_RE.search(message) and references(message, draft))


def names_another_account(ctx: ToolContext, message: str, draft: DraftView) -> bool:
    """Whether ``message`` names an account other than the draft's ("... still at Meridian" names its own)."""
    accounts, _ = known_scope(ctx)
    own = draft.extraction.account.id if draft.extraction.account is not None else None
    return any(a.id != own for a in accounts_named(message, accounts))


# A message that tells of a meeting of its own: a kind of meeting and a day ("Call with Derek yesterday ...")
MEETING_FRAME = re.compile(r"\b(?:call|meeting|met|meet|qbr|visit|demo|lunch|catch-?up|sync|workshop|review|onsite|"
                           r"on-site|session)\b", re.IGNORECASE)


def stands_alone(ctx: ToolContext, message: str, draft: DraftView) -> bool:
    """Whether ``message`` could be logged as a note of its own: it names another account than the draft's, or
    someone the draft does not have. "wait that was friday not today, just writing it up now" names neither, and
    "neil wasnt neutral tbh, he was pretty annoyed" names only one of the draft's people: both can only be about
    the draft; "Sandra hasn't left, she moved to Head of Claims, still at Meridian" names only its own account."""
    accounts, people = known_scope(ctx)
    if names_another_account(ctx, message, draft):
        return True
    mine = {participant_key(p) for p in draft.extraction.participants} | {
        c.stakeholder_id for c in draft.extraction.changes}
    ours = {w for name in colleague_names(ctx) for w in words(name)}  # "... will come from Grace": a colleague
    named = {m.person_id or "new:" + m.name.casefold() for m in scan_people(message, people).mentions
             if m.person_id or (m.is_new and not set(words(m.name)) <= ours)}
    return bool(named - mine)
