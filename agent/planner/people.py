"""The people a request is about, apart from accounts: a colleague whose book a manager asks about ("how are
Jordan's accounts doing?"), and whose side of a promise is meant ("what have customers promised me?").

A colleague counts as the owner of a book only when the acting user manages them (or is an admin): a rep's
"Tom's accounts" names no book the rep may see, and the tools check the same rule again.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from agent.planner.entities import Catalog, UserRef, words_of

_NEAR = 88  # a near spelling of a stakeholder's first or last name ("Nina" / "Nena" is not; "Whitfeld" is)

_POSSESSIVE = re.compile(r"\b([A-Za-z][A-Za-z-]+(?:\s+[A-Za-z][A-Za-z-]+)?)(?:'s|’s|s')(?=\W|$)")
_CUSTOMER_SIDE = re.compile(
    r"\b((customers?|clients?|they|the account|the customer|the client|accounts?)\s+(have\s+|has\s+)?"
    r"(promised|committed|owe|owes|agreed|said they'?d)|promised (me|us)|owe (me|us)|owed to (me|us)|"
    r"(their|customer|client|customer's|customers') (side|commitments?|promises?|action items?|to-?dos?)|"
    r"on their side|waiting on (them|the customer|customers))\b",
    re.IGNORECASE,
)


def find_user(name: str, catalog: Catalog) -> UserRef | None:
    """The one colleague ``name`` names (id, full, first or last name); ``None`` when none or several do."""
    low = name.casefold().removesuffix("'s").removesuffix("’s").strip()
    tests = (lambda u: u.id.casefold() == low, lambda u: u.name.casefold() == low,
             lambda u: low in words_of(u.name))
    for test in tests:
        found = [u for u in catalog.users if test(u)]
        if len(found) == 1:
            return found[0]
        if found:
            return None
    return None


def names_colleague(text: str, catalog: Catalog) -> bool:
    """The request names a colleague's book, whoever that colleague is: by a possessive ("Maria's accounts") or as
    whom the request is for ("what's overdue for tom"), a name that is no stakeholder's."""
    others = Catalog(user=catalog.user, users=[u for u in catalog.users if u.id != catalog.user.id])
    for match in _POSSESSIVE.finditer(text):
        words = match.group(1).split()
        if any(find_user(name, others) for name in (" ".join(words), words[-1])):
            return True
    stakeholders = catalog.person_words()
    for match in _FOR_PERSON.finditer(text):
        words = match.group(1).split()
        if words[0].casefold() not in stakeholders and find_user(words[0], others):
            return True
    return False


# "for tom", "of Maria Santos": whom a list or a book is of, at the end of the request or before a comma.
_FOR_PERSON = re.compile(r"\b(?:for|of|owned by)\s+([A-Za-z][A-Za-z-]+(?:\s+[A-Za-z][A-Za-z-]+)?)\s*(?:[?.!,]|$)")


def find_owner(text: str, catalog: Catalog) -> str | None:
    """The id of the colleague whose book the request is about, when the user manages them: by a possessive
    ("Jordan's accounts", "tom becker's book") or a name standing alone ("how's Tom doing")."""
    reports = [u for u in catalog.users if u.reports_to_user and u.id != catalog.user.id]
    if not reports:
        return None
    scoped = Catalog(user=catalog.user, users=reports)
    for match in _POSSESSIVE.finditer(text):
        words = match.group(1).split()
        for name in (" ".join(words), words[-1]):
            user = find_user(name, scoped)
            if user is not None:
                return user.id
    stakeholders = catalog.person_words()
    found = {u.id for u in reports
             for w in words_of(text) if w in words_of(u.name) and w not in stakeholders and len(w) >= 3}
    return next(iter(found)) if len(found) == 1 else None


def wants_customer_side(text: str) -> bool:
    """The request asks about what customers promised, not what we did."""
    return bool(_CUSTOMER_SIDE.search(text))


def person_account(text: str, catalog: Catalog) -> str | None:
    """The account of the one visible stakeholder the request names ("what did Dana say about pricing?"): by full
    name, then by a first or last name, then by a near spelling of one. Several people (on several accounts)
    fit: ``None``, the search then runs on every account the user may see."""
    low = f" {text.casefold()} "
    full = {p.account_id for p in catalog.people if f" {p.name.casefold()}" in low}
    if full:
        return next(iter(full)) if len(full) == 1 else None
    tokens = [w for w in words_of(text) if len(w) >= 3]
    exact = {p.account_id for p in catalog.people for w in words_of(p.name) if len(w) >= 3 and w in tokens}
    if exact:
        return next(iter(exact)) if len(exact) == 1 else None
    capitalised = [w.lower() for w in re.findall(r"\b[A-Z][a-z]{3,}\b", text)]
    near = {p.account_id for p in catalog.people for w in words_of(p.name) if len(w) >= 4
            for t in capitalised if fuzz.ratio(t, w) >= _NEAR}
    return next(iter(near)) if len(near) == 1 else None
