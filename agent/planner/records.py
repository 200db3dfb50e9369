"""Requests that act on one record by its id ("mark C0075 done", "snooze c0016 a week", "give C0012 to Maria").

The tools that act on one record say so in their planner hints (``record_id``: the pattern of the id). A message
carrying such an id goes to one of them, whichever one its verb names, and is never a note; without a verb that
names one, the planner asks what to do. A tool of this kind never runs without an id the user typed: the
planner does not guess which record a description means.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from agent.planner.decisions import Ask, ToolDecision
from agent.planner.entities import Catalog
from agent.planner.intents import PlannerTools, rule_scores
from agent.planner.people import find_user

_NUMBER = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
           "nine": 9, "ten": 10, "fourteen": 14, "couple of": 2, "couple": 2, "few": 3, "several": 4}
_UNIT = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "d": 1, "w": 7, "wk": 7, "mo": 30, "mth": 30}
_SPAN = re.compile(r"\b(\d{1,3}|" + "|".join(sorted(_NUMBER, key=len, reverse=True)) +
                   r")\s*(?:more\s+|extra\s+)?(days?|weeks?|fortnights?|months?)\b|\b(\d{1,3})(d|w|wks?|mos?|mths?)\b",
                   re.IGNORECASE)
_BARE_UNIT = re.compile(r"\b(?:a|one|another|next)\s+(day|week|fortnight|month)\b|\btill next (week|month)\b",
                        re.IGNORECASE)
_UNTIL = re.compile(r"\b(?:until|till|til|through|thru|(?:push(?:ed)?|bump(?:ed)?|move[ds]?|defer(?:red)?|"
                    r"postpone[ds]?|snooze[ds]?|delay(?:ed)?)\b.{0,48}?\bto)\s+", re.IGNORECASE)
_TARGET = re.compile(r"\b(?:to|over to|for|owner(?: is| should be|:)?|let|ask)\s+"
                     r"((?:[A-Z]\.\s*)?[A-Za-z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)", re.IGNORECASE)  # "to G. Okafor" too


# A verb under a negation names no action: "eng hasn't shipped it, remind me in 3 days" is a snooze, not a done.
_NEGATED_VERB = re.compile(r"(?:\b(?:not|never|no|(?:has|have|is|was|are|were|did|does|do)nt)|n['’]t)\s+"
                           r"(?:yet\s+|been\s+|really\s+|quite\s+)*[a-z]+(?:\s+(?:off|out|over|up))?\b")

_COMMAND_WORDS = 30
_PASTED = re.compile(r"[<>{}\[\]`\"“”]|\b(user|assistant|system|tool)\s*:|\w+\(", re.IGNORECASE)


@lru_cache(maxsize=64)
def _pattern(source: str) -> re.Pattern[str]:
    return re.compile(source)


def stated_ids(text: str, pattern: str) -> list[str]:
    """The ids of ``pattern`` in ``text``, upper-cased, in order, once each."""
    return list(dict.fromkeys(m.group(0).upper() for m in _pattern(pattern).finditer(text)))


def record_ids(text: str, tools: PlannerTools) -> list[str]:
    """The record ids the message carries (upper-cased, in order), by the record tools' own id patterns."""
    found: list[str] = []
    for hints in tools.values():
        if hints.record_id:
            found += stated_ids(text, hints.record_id)
    return list(dict.fromkeys(found))


def is_direct_command(text: str) -> bool:
    """A short message of the user's own: one line, a few words, no markup, quotes or transcript of a chat.
    Text pasted from elsewhere ("User: ... Assistant: ...", a tool call in markup, a quoted email) is not one."""
    stripped = text.strip()
    return (len(stripped.split()) <= _COMMAND_WORDS and "\n" not in stripped and not _PASTED.search(stripped))


def record_tool(text: str, tools: PlannerTools) -> str | None:
    """The record tool the message's verb names; ``None`` when none does or two do equally."""
    record_tools = {name: hints for name, hints in tools.items() if hints.record_id}
    scores = rule_scores(_NEGATED_VERB.sub(" ", text.lower()), record_tools)
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        # "push C0012 to Maria": a person after "to" makes it a handover rather than a delay.
        return next((name for name, _ in ranked if "to" in record_tools[name].slots), None)
    return ranked[0][0]


def span_days(text: str) -> int | None:
    """A length of time in days: "3 days", "a week", "2 weeks", "a few days", "a couple of days", "3d", "2w"."""
    match = _SPAN.search(text)
    if match:
        count = (match.group(1) or match.group(3)).lower()
        number = int(count) if count.isdigit() else _NUMBER[count]
        unit = (match.group(2) or match.group(4)).lower()
        return max(1, number * _UNIT[unit if unit in _UNIT else unit.rstrip("s")])
    bare = _BARE_UNIT.search(text)
    if bare:
        return _UNIT[(bare.group(1) or bare.group(2)).lower()]
    return None


def until_phrase(text: str) -> str | None:
    """The day a snooze runs to, as written ("until Monday", "push it to dec 10", "till the 15th"); the tool reads it
    against today, and asks when it names no day."""
    found = _until(text)
    return found[0] if found else None


def days_until(phrase: str, today: dt.date | None) -> int | None:
    """The days from ``today`` to the day ``phrase`` names ("Friday", "dec 10"); ``None`` without a day, or when the
    phrase names none after today (the tool then reads it and asks)."""
    if today is None:
        return None
    from tools.notes.extract.dates import resolve  # the notes' reading of a day; loaded only for a snooze

    day = resolve(phrase, today, prefer="future")
    return (day - today).days if day is not None and day > today else None


def _until(text: str) -> tuple[str, bool] | None:
    """What follows the first "until" / "push ... to" of ``text``, and whether it is a date phrase."""
    from tools.notes.extract.dates import DATE_RE  # the notes' date phrases; loaded only for a snooze

    match = _UNTIL.search(text)
    if match is None:
        return None
    day = DATE_RE.match(text, match.end())
    if day:
        return day.group(0), True
    rest = text[match.end():].strip(" .!?")
    return (rest, False) if rest else None


def _handover_tool(text: str, catalog: Catalog, tools: PlannerTools) -> str | None:
    """ "push C0012 to Maria": what follows "to" is a colleague, not a day, so the tool that hands a record over."""
    handover = next((name for name, hints in tools.items() if hints.record_id and "to" in hints.slots), None)
    found = _until(text)
    if handover is None or (found is not None and found[1]):
        return None
    person = target_person(text, catalog)
    return handover if person is not None and any(u.id == person for u in catalog.users) else None


def target_person(text: str, catalog: Catalog) -> str | None:
    """The person a record is handed to: a team member's id when the name after "to" is one, else that name."""
    for match in _TARGET.finditer(text):
        name = match.group(1).strip()
        if name.split()[0].lower() in ("me", "myself", "i"):
            return catalog.user.id
        user = find_user(name, catalog) or find_user(name.split()[0], catalog)
        initial = re.fullmatch(r"([A-Z])\.\s*([\w'’-]+)", name)
        if user is None and initial is not None:  # "G. Okafor": the surname, and a first name with that initial
            user = find_user(initial.group(2), catalog)
            user = user if user is not None and (user.name or "").startswith(initial.group(1)) else None
        if user is not None:
            return user.id
    for match in _TARGET.finditer(text):
        name = match.group(1).strip()
        if name[:1].isupper():
            return name
    return None


def record_request(
    text: str, catalog: Catalog, tools: PlannerTools, ids: list[str] | None = None
) -> ToolDecision | Ask:
    """A request about one record by its id: the tool its verb names, with the id, a snooze length and whom to
    hand it to; a question when the verb, the person or which of several ids is missing (never a guess)."""
    ids = ids or record_ids(text, tools)
    if not is_direct_command(text):
        return Ask(f"That mentions {', '.join(ids)}. To change a commitment, ask in a message of your own, e.g. "
                   f"\"mark {ids[0]} done\" or \"snooze {ids[0]} 3 days\".")
    if len(ids) > 1:
        return Ask(f"One at a time, please: which of {', '.join(ids)} do you mean?")
    tool = record_tool(text, tools)
    if tool is not None and "until" in tools[tool].slots:
        tool = _handover_tool(text, catalog, tools) or tool
    if tool is None:
        return Ask(f"What should I do with {ids[0]}: mark it done, snooze it (for how long?), or hand it to "
                   "someone (who?)?")
    args: dict[str, Any] = {}
    for slot in tools[tool].slots:
        if slot == "commitment":
            args["commitment"] = ids[0]
        elif slot == "days" and (days := span_days(text)) is not None:
            args["days"] = days
        elif slot == "until" and "days" not in args and (day := until_phrase(text)) is not None:
            days = days_until(day, catalog.today)
            if days is not None and "days" in tools[tool].slots:
                args["days"] = days  # "until Friday" on a Sunday is 5 days
            else:
                args["until"] = day
        elif slot == "to":
            person = target_person(text, catalog)
            if person is None:
                return Ask(f"Who should take over {ids[0]}?")
            args["to"] = person
    return ToolDecision(tool, args)


_CONTENT = re.compile(r"[a-z][a-z0-9'-]{2,}")
_FILLER_TEXT = (
    "the and for with that this from have has had our their them they she him her his its was were will would "
    "about into over just done mark marked complete completed close closed snooze push back days day week weeks "
    "reassign assign give hand pass move sent send finished delivered fixed live it's please pls can you one "
    "some also now then"
)
_FILLER = frozenset(_FILLER_TEXT.split(" "))
_DESCRIPTION_SHARE = 0.6  # of the commitment's content words the message must name
_DESCRIPTION_WORDS = 2  # and at least this many


def described_commitment(text: str, catalog: Catalog, thread_account: str | None = None) -> str | None:
    """The one open commitment the message describes (``described_commitments``); ``None`` when none or several fit:
    the planner never acts on a guess."""
    found = described_commitments(text, catalog, thread_account)
    return found[0] if len(found) == 1 else None


def described_commitments(text: str, catalog: Catalog, thread_account: str | None = None) -> list[str]:
    """The open commitments the message describes equally well ("the Distribution licence quote", "Yusuf's usage
    data one"): at least two and most of a commitment's content words (its account's name counting), or its
    account's name and a word of its own ("the crown point sso one"); the best one, or all tied for best.
    ``thread_account``: the account the thread is about, standing for one the message does not name ("and close
    out the quote one" after a Keystone note)."""
    said = {w.removesuffix("'s") for w in _CONTENT.findall(text.lower())} - _FILLER
    names = {a.id: a.name.lower() for a in catalog.accounts}
    account_words = {a: set(_CONTENT.findall(name)) - _FILLER for a, name in names.items()}
    if thread_account in names and not any(words & said for words in account_words.values()):
        said |= account_words[thread_account]
        catalog = Catalog(user=catalog.user, accounts=catalog.accounts,
                          commitments=[c for c in catalog.commitments if c.account_id == thread_account])
    if len(said) < _DESCRIPTION_WORDS:
        return []
    scored: list[tuple[float, int, str]] = []
    handles: set[str] = set()  # named with their account and a word of their own ("the crown point sso one")
    for c in catalog.commitments:
        named_words = account_words.get(c.account_id, set())
        # its own words: "Deliver the review to Globex finance" said of Globex is no word of the review's
        words = {w.removesuffix("'s") for w in _CONTENT.findall(c.description.lower())} - _FILLER - named_words
        named = bool(named_words & said)  # its account's name is said
        hits = len(words & said) + named
        if words and hits >= _DESCRIPTION_WORDS:
            scored.append((hits / (len(words) + named), hits, c.id))
            if named and words & said:
                handles.add(c.id)
    scored.sort(reverse=True)
    fits = [(share, hits, cid) for share, hits, cid in scored
            if share >= _DESCRIPTION_SHARE or hits >= 3 or cid in handles]
    if not scored or not fits or fits[0] != scored[0]:
        return []
    if len(scored) > 1 and scored[1][1] >= scored[0][1]:
        # as close as the best: all of them when each fits, else none (a near miss is no candidate to offer)
        tied = [cid for _share, hits, cid in scored if hits >= scored[0][1]]
        return tied if all(cid in {f[2] for f in fits} for cid in tied) else []
    return [scored[0][2]]


def described_choice(ids: list[str], catalog: Catalog) -> str:
    """The question back when a description fits several commitments: each with its account and description."""
    names = {a.id: a.name for a in catalog.accounts}
    shown = [f"{c.id} ({names.get(c.account_id, c.account_id)}: {c.description})"
             for c in catalog.commitments if c.id in ids]
    return (f"That fits more than one commitment: {'; '.join(shown)}. Which one do you mean? Say it again with its "
            "id in place of the description.")
