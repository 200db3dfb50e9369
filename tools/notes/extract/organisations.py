"""Organisations a note names that are none of the user's accounts: asked about, never guessed.

A capitalised name ending in a company word ("Kestrel Freight", "Umber Group", "Dunmore Foods Ltd") or written
after "at" ("spoke to Jo at Umbra") is an organisation. It is a known account only when it shares a distinctive
word with one ("Halcyon" for Halcyon Retail Group); sharing only a generic word ("Freight", "Group", "Foods",
"Logistics", "Systems", "Partners": ``tools.accounts.GENERIC_WORDS``, the vocabulary every account matcher shares)
is not a match. ``unknown_organisations`` lists the others, and ``organisation_question`` is what the agent asks
about each.

``generic_only_match(name, account_name)`` is the rule on its own, for any account resolver to adopt.
"""

from __future__ import annotations

import calendar
import re

from tools.accounts import GENERIC_WORDS, PLACE_WORDS, TRADE_WORDS, other_trade
from tools.notes.extract.given_names import is_given_name
from tools.notes.extract.name_words import CALENDAR_ABBREVIATIONS, DISCOURSE_WORDS, opens_not_a_name
from tools.notes.extract.text import DEPARTMENT_WORDS, NOT_NAMES, TITLE_WORDS
from tools.notes.schema import AccountMention, KnownAccount

# The generic words that end a company's name ("Kestrel Freight"); place words ("North") do not.
_COMPANY_TAILS = GENERIC_WORDS - PLACE_WORDS - {"the", "and", "of"}
_CAP = r"[A-Z][\w&'’-]*"
_TAILED = re.compile(r"\b(?:" + _CAP + r"\s+){1,3}(?:" + "|".join(sorted((t.capitalize() for t in _COMPANY_TAILS),
                                                                          key=len, reverse=True)) + r")\b\.?")
_SLOT = re.compile(r"(?:\b(?P<prep>at|with|w/|from)\s+|(?P<at>@)\s*)(?P<org>" + _CAP + r"(?:\s+" + _CAP + r"){0,2})")
# Where a company with a company word is the place of the meeting: "at the offices of Northgate Insurance", "visit
# to Harlow Freight", "Monday I go Tanjong Medical Devices"
_PLACE_SLOT = re.compile(r"\b(?:(?:offices?|premises|site|headquarters|HQ)\s+of|visit\s+to|went\s+to|go\s+to|go|went|"
                         r"visited|visiting)\s+(?P<org>" + _CAP + r"(?:\s+" + _CAP + r"){0,3})")
# "right, Lakeview Farms, met ...": a word of speech before the head, with its comma
_SPOKEN_OPENER = r"(?:(?:" + "|".join(sorted(DISCOURSE_WORDS | {"right", "hi", "so"})) + r")[ \t]*[,:!-][ \t]*)?"
_HEAD = re.compile(r"^[ \t]*(?:[-*•][ \t]*)?(?i:" + _SPOKEN_OPENER + r")(?:(?:Account|Customer|Client|Re)\s*[:-]\s*)?"
                   r"(?P<org>" + _CAP
                   + r"(?:[ \t]+" + _CAP + r"){0,3})(?P<sep>[ \t]*(?:[-–—:,|]|\n|$)|[ \t]+(?:call|meeting|sync|qbr|QBR|"
                   r"catch-?up|lunch|visit|review|onsite|on-site|check-?in|update|notes?)\b)?", re.MULTILINE)
# The headings of pasted minutes ("Attendees:", "Apologies:"): never a company at the head of a line.
_HEADINGS = {"Attendees", "Attendance", "Apologies", "Present", "Participants", "Absent", "Regrets", "Summary",
             "Discussion", "Agenda", "Date", "Minutes", "Risks", "Decisions", "Location", "Subject", "Topic", "Next",
             "Steps", "Outcome", "Outcomes", "Background", "Context", "Attending", "Invitees", "Apology", "Review",
             "Recap", "Kickoff", "Workshop", "Steering"}
_OPENERS = {w.capitalize() for w in DISCOURSE_WORDS}  # "Hey, quick one", "Anyway" open a line, not a company
_LEAD_WORDS = NOT_NAMES | _HEADINGS | _OPENERS | {"Met", "Called", "Visited", "Lunch", "Coffee", "Dinner", "Spoke",
                                                  "Account",
                                       "Re", "From",
                           "Joined", "Attended", "Phoned", "Emailed", "Rang", "Saw", "Shadowed", "Covered",
                           "Our", "Their", "New", "Old", "Quick", "Weekly", "Monthly"}
_PLACES = {"HQ", "Berlin", "London", "Paris", "Munich", "Chicago", "Boston", "Home", "Office", "Lunch", "Noon",
           "Night", "Christmas", "Easter", "Q1", "Q2", "Q3", "Q4"}
_WORD = re.compile(r"[\w&'’-]+")


def words(name: str) -> list[str]:
    return [w.lower().strip("'’-").removesuffix("'s").removesuffix("’s") for w in _WORD.findall(name)]


def distinctive(name: str) -> set[str]:
    return {w for w in words(name) if w not in GENERIC_WORDS and len(w) >= 3}


def generic_only_match(name: str, account_name: str) -> bool:
    """Whether ``name`` and ``account_name`` share words, but only generic ones ("Kestrel Freight" and "Orion
    Freight Systems"): such a name is not that account."""
    shared = set(words(name)) & set(words(account_name))
    return bool(shared) and not (shared - GENERIC_WORDS)


def names_account(name: str, account_name: str) -> bool:
    """Whether ``name`` names the account called ``account_name``: the same name, or a distinctive word in common
    without a trade word the account does not have ("Summit Logistics" is not Summit Energy Co)."""
    if " ".join(words(name)) == " ".join(words(account_name)):
        return True
    shared = distinctive(name) & distinctive(account_name)
    if not shared or other_trade(name, account_name):
        return False
    last_shared = max(i for i, w in enumerate(name.split()) if words(w) and words(w)[0] in shared)
    ends = [m.end() for m in _WORD.finditer(name)]
    return not name_goes_on(name, ends[last_shared], account_name)


def company_after(text: str, end: int) -> str:
    """The capitalised trade words right after ``end`` ("Summit| Logistics"): what makes a partial name whole."""
    m = re.match(r"(?:[ \t]+[A-Z][\w&'’-]*){1,2}", text[end:])
    if m is None:
        return ""
    found = []
    for word in m.group(0).split():
        if word.lower().strip("'’") not in TRADE_WORDS:
            break
        found.append(word)
    return " ".join(found)


def name_goes_on(text: str, end: int, account_name: str) -> str:
    """The capitalised words right after ``end`` (same line) that carry on a company's name the account does not
    have ("Bayside| Marine" beside Bayside Grocers, "Granite| Peak Outfitters" beside Granite State Logistics):
    the same first word, another company. A day, title, team, place, acronym or person's name is no such word."""
    m = re.match(r"(?:[ \t]+[A-Z][a-z][\w&'’-]*){1,2}", text[end:])
    if m is None or re.match(r"['’]s\b", text[end + m.end() :]):
        return ""
    own = set(words(account_name))
    found = []
    written = m.group(0).split()
    for i, word in enumerate(written):
        low = word.lower()
        if (low in own or any(len(low) >= 3 and o.startswith(low) for o in own)  # "Cap" for "Capital"
                or word in _LEAD_WORDS or word in _PLACES or low in PLACE_WORDS or low in DEPARTMENT_WORDS
                or low in TITLE_WORDS or low in DISCOURSE_WORDS or low in CALENDAR_ABBREVIATIONS):
            break
        if is_given_name(word) and (i + 1 < len(written) or re.match(r"[ \t]+[A-Z]", text[end + m.end() :])):
            break  # "Acme Dana Whitfield": a person named in full
        found.append(word)
    return " ".join(found)


def is_organisation(name: str) -> bool:
    """Whether a capitalised name reads as a company's ("Kestrel Freight"), not a person's."""
    parts = words(name)
    return len(parts) >= 2 and parts[-1] in _COMPANY_TAILS


def unknown_organisations(text: str, accounts: list[KnownAccount], person_names: set[str] = frozenset()) -> list[str]:
    """Organisations ``text`` names in an organisation's place that match none of ``accounts``, in order, each once.

    An organisation's place is after "at" / "with" / "w/" / "from" / "@", or the head of the note or of a line
    ("Harlow - call with Jo", "Harlow: ..."). A product or department named elsewhere ("the Digital Solutions
    bundle") is not asked about; a person named in full there ("with Omar Reyes") is a person.
    """
    found: list[str] = []
    for m in [*_SLOT.finditer(text), *_HEAD.finditer(text), *_PLACE_SLOT.finditer(text)]:
        if re.search(r"['’]s$", m.group("org")) and m.re is _HEAD:
            continue  # "Sam's call", "Acme's QBR": whose meeting it was, not where
        name = _trim(m.group("org"))
        if not name or name in _PLACES or any(names_account(name, a.name) for a in accounts):
            continue
        parts = name.split()
        if len(parts) == 1 and opens_not_a_name(parts[0], is_given_name(parts[0])):
            continue  # "Actually, thinking about it, ...": a discourse word heading the note
        if parts[0] in person_names or all(w in GENERIC_WORDS or w in DEPARTMENT_WORDS for w in words(name)):
            continue  # a person; or a team or product made of common words ("Digital Solutions", "Retail Energy")
        tailed = bool(_TAILED.fullmatch(name))
        if m.re is _HEAD and not tailed and not m.group("sep"):
            continue  # "Harlow Freight called": tailed; "Dana Whitfield called": a person
        if m.re is _PLACE_SLOT and not tailed:
            continue
        person_slot = m.re is _SLOT and (m.group("prep") or "").lower() in ("with", "w/", "from")
        if not tailed and is_given_name(parts[0]) and (len(parts) > 1 or person_slot):
            continue  # "with Omar Reyes", "call with Jo": a person
        if m.re is _SLOT and not tailed and len(parts) > 1 and (m.group("prep") or "@").lower() in ("at", "@"):
            continue  # "at Dana Whitfield's desk": two capitalised words after "at" without a company word
        found.append(name)
    return list(dict.fromkeys(found))


_PREPOSITION_WORD = re.compile(r"(?:\b(?:at|with|from|for|re)\s+|@\s*)(?P<word>[A-Za-z][\w&-]{2,})")
_NOT_PLACES = {"the", "our", "their", "his", "her", "its", "my", "your", "lunch", "dinner", "breakfast", "home", "work",
               "noon", "least", "all", "last", "first", "length", "once", "some", "this", "that", "which", "what",
               "end", "start", "time", "night", "site", "onsite", "them", "him", "you", "procurement",
               "finance", "legal", "team", "both", "each", "one", "two", "three", "and", "pricing", "budget"}


def account_by_lower_word(
    text: str, accounts: list[KnownAccount]
) -> tuple[KnownAccount | None, str | None, str | None]:
    """For a note in lower case ("spoke to chiara at borealis"): (the one account a distinctive word after "at",
    "with", "from" names, the word as written, an unknown word written after "at")."""
    by_word: dict[str, set[str]] = {}
    for account in accounts:
        for word in distinctive(account.name):
            by_word.setdefault(word, set()).add(account.id)
    unknown = None
    for m in _PREPOSITION_WORD.finditer(text):
        word = m.group("word")
        ids = by_word.get(word.lower(), set())
        if len(ids) == 1:
            (aid,) = ids
            return next(a for a in accounts if a.id == aid), word, None
        at = text[max(0, m.start() - 1) : m.start("word")].strip().lower() in ("at", "@")
        if at and unknown is None and word.islower() and word.lower() not in _NOT_PLACES | GENERIC_WORDS:
            unknown = word
    if unknown is None:  # "acme renewal on track": a distinctive word of one account, anywhere
        for m in re.finditer(r"\b[a-z][a-z&-]{3,}\b", text):
            ids = by_word.get(m.group(0), set())
            if len(ids) == 1:
                (aid,) = ids
                return next(a for a in accounts if a.id == aid), m.group(0), None
    return None, None, unknown


def account_by_head_word(text: str, accounts: list[KnownAccount]) -> tuple[KnownAccount | None, str | None]:
    """The account a note in lower case opens with ("fairway fin (teams) - ..."): its first word, when it is a
    distinctive word of exactly one account; with the word as written."""
    m = re.match(r"\s*(?:[-*•#]\s*)?([a-z][a-z&-]{2,})\b", text)
    if m is None:
        return None, None
    having = [a for a in accounts if m.group(1) in distinctive(a.name)]
    return (having[0], m.group(1)) if len(having) == 1 else (None, None)


def ask_about_unknown(
    text: str, accounts: list[KnownAccount], person_words: set[str], account: AccountMention | None
) -> tuple[AccountMention | None, list[str]]:
    """The note's account, or, when the note does not name it, a question naming each company the note names in an
    organisation's place that we do not know ("Met Dana at Harlow": "I don't know Harlow — which account, ...")."""
    met = [name for name in unknown_organisations(text, accounts, person_words) if _met(text, name)]
    if met and account is not None and account.span and not _met(text, account.span):
        return None, [organisation_question(name) for name in met]  # "a call with Sunrise Grocers, ... the Bayside
        # people": the meeting was with a company we do not know; the account named is only talked about
    if account is not None and account.span and names_account(account.span, account.name):
        return account, []  # the note names its account: other companies are talked about
    if account is not None and any(re.search(rf"\b{re.escape(w)}\b", text) for w in distinctive(account.name)):
        return account, []  # "fairway fin (teams) - ... going with Finlogic": named in lower case
    unknown = unknown_organisations(text, accounts, person_words)
    if unknown:  # not even an account chosen before the note: it may be the company named here
        return None, [organisation_question(name) for name in unknown]
    return account, []


_MET_SLOT = re.compile(r"\b(?:(?:call|calls|meeting|mtg|visit|visited|met|spoke|talked|lunch|demo|qbr|session)\s+"
                       r"(?:with|w/?|at|to)|(?:offices?|premises|headquarters|HQ)\s+of|went(?:\s+to)?|go(?:\s+to)?)\s+$",
                       re.IGNORECASE)


def _met(text: str, name: str) -> bool:
    """Whether ``name`` is where the note's meeting was: "a call with <name>", "visit to <name>"."""
    return any(_MET_SLOT.search(text, max(0, m.start() - 24), m.start())
               for m in re.finditer(rf"\b{re.escape(name)}\b", text))


def shared_word_question(text: str, accounts: list[KnownAccount]) -> str | None:
    """A question naming a trade word of the note ("pharma", "Foods") that is in the names of the user's accounts:
    one generic word is not a match, so the note's account is asked about, with those accounts as the options."""
    for m in _WORD.finditer(text):
        word = m.group(0).lower()
        if word not in _COMPANY_TAILS or word in ("the", "and", "of", "co", "company"):
            continue
        having = [a for a in accounts if word in words(a.name)]
        if having:
            options = " or ".join(a.name for a in having[:4])
            return f"Which account do you mean by '{m.group(0)}': {options}?"
    return None


def organisation_question(name: str) -> str:
    return f"I don't know {name} — which account, or should I leave it?"


# Days and months written out ("May" is mostly the verb), and the days said by name
_DAY_WORDS = {n.lower() for n in (*calendar.day_name, *calendar.month_name) if n and n != "May"} | {
    "today", "tomorrow", "yesterday"}


def _trim(name: str) -> str:
    parts = name.rstrip(".").split()
    while parts and parts[0] in _LEAD_WORDS:
        parts.pop(0)
    while parts and (parts[-1].lower() in _DAY_WORDS or parts[-1].lower().rstrip(".,") in CALENDAR_ABBREVIATIONS):
        parts.pop()  # "Lakeshore Foods Thursday": the meeting's day, after the company
    text = " ".join(parts)
    return re.sub(r"['’]s$", "", text)
