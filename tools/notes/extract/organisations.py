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

import re

from tools.accounts import GENERIC_WORDS, PLACE_WORDS
from tools.notes.extract.text import NOT_NAMES
from tools.notes.schema import AccountMention, KnownAccount

# The generic words that end a company's name ("Kestrel Freight"); place words ("North") do not.
_COMPANY_TAILS = GENERIC_WORDS - PLACE_WORDS - {"the", "and", "of"}
_CAP = r"[A-Z][\w&'’-]*"
_TAILED = re.compile(r"\b(?:" + _CAP + r"\s+){1,3}(?:" + "|".join(sorted((t.capitalize() for t in _COMPANY_TAILS),
                                                                          key=len, reverse=True)) + r")\b\.?")
_AT = re.compile(r"\bat\s+(?P<org>" + _CAP + r"(?:\s+" + _CAP + r"){0,2})")
_LEAD_WORDS = NOT_NAMES | {"Met", "Called", "Visited", "Lunch", "Coffee", "Dinner", "Spoke", "Account", "Re", "From",
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
    """Whether ``name`` names the account called ``account_name``: the same name, or a distinctive word in common."""
    if " ".join(words(name)) == " ".join(words(account_name)):
        return True
    return bool(distinctive(name) & distinctive(account_name))


def is_organisation(name: str) -> bool:
    """Whether a capitalised name reads as a company's ("Kestrel Freight"), not a person's."""
    parts = words(name)
    return len(parts) >= 2 and parts[-1] in _COMPANY_TAILS


def unknown_organisations(text: str, accounts: list[KnownAccount], person_names: set[str] = frozenset()) -> list[str]:
    """Organisations ``text`` names that match none of ``accounts``, in order, each once."""
    found: list[str] = []
    for m in [*_TAILED.finditer(text), *_AT.finditer(text)]:
        name = _trim(m.group("org") if "org" in m.re.groupindex else m.group(0))
        if not name or name in _PLACES or any(names_account(name, a.name) for a in accounts):
            continue
        if name.split()[0] in person_names or (len(name.split()) == 1 and name.lower() in GENERIC_WORDS):
            continue
        if m.re is _AT and (len(name.split()) > 1 and not _TAILED.fullmatch(name)):
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


def ask_about_unknown(
    text: str, accounts: list[KnownAccount], person_words: set[str], account: AccountMention | None
) -> tuple[AccountMention | None, list[str]]:
    """The note's account, or none with a question for each company the note names that we do not know, unless
    the note also names the account itself (then the others are competitors or partners it talks about)."""
    unknown = unknown_organisations(text, accounts, person_words)
    if unknown and not (account is not None and account.span and names_account(account.span, account.name)):
        return None, [organisation_question(name) for name in unknown]
    return account, []


def organisation_question(name: str) -> str:
    return f"I don't know {name} — which account, or should I leave it?"


def _trim(name: str) -> str:
    parts = name.rstrip(".").split()
    while parts and parts[0] in _LEAD_WORDS:
        parts.pop(0)
    text = " ".join(parts)
    return re.sub(r"['’]s$", "", text)
