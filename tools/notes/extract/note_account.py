"""Which account a note is about: its heading ("Acme - call with Dana"), the name or a distinctive word of a
visible account, an alias or a near spelling, a lower-case shorthand after a cue ("spoke to chiara at borealis"),
or the accounts of the people it names; and what to ask when that is unclear or names a company we do not know.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from tools.accounts import GENERIC_WORDS, other_trade
from tools.notes.extract.name_words import COMMON_NAME_WORDS
from tools.notes.extract.organisations import (
    company_after,
    name_goes_on,
    shared_word_question,
)
from tools.notes.extract.text import NAME_TOKEN, NOT_NAMES
from tools.notes.schema import (
    AccountMention,
    KnownAccount,
    KnownPerson,
)
from tools.notes.validate import ACCOUNT_QUESTION

T = TypeVar("T")
_WORD = re.compile(r"[\w&'’.-]+")
_SUFFIXES = re.compile(r"\s+(?:corp(?:oration)?|inc|llc|ltd|plc|gmbh|ag|sa|co|group|holdings|company)\.?$", re.I)
_HEAD = re.compile(r"\s*(?:[-*•#]\s*)?(?:(?:account|customer|client|re)\s*[:-]\s*)?", re.IGNORECASE)
_HEAD_SEP = re.compile(r"\s*(?:[-–—:,|(]|\n)|\s+(?:call|meeting|sync|qbr|catch-?up|lunch|visit|review|onsite|check-?in|"
                       r"update|notes?)\b", re.IGNORECASE)


def find_account(
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
                    if not (tail and other_trade(f"{text[start:end]} {tail}", a.name))
                    and not name_goes_on(text, end, a.name))  # "Bayside Marine" is not Bayside Grocers
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
