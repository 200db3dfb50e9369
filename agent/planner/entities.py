"""Finding the things a request is about: accounts, scope words, commitment status words, windows.

Accounts are matched only against the acting user's visible accounts (the catalogue is built from the
scoped query), by id, full name, a distinctive word of the name, or a close misspelling of one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from sqlmodel import Session, select

from store.models import Stakeholder, User
from store.scopes import scoped_accounts_stmt

# Words too common in company names to identify one on their own.
_GENERIC = {
    "the", "and", "of", "co", "corp", "corporation", "inc", "llc", "ltd", "plc", "gmbh", "ag", "sa", "group",
    "holdings", "industries", "international", "global", "services", "solutions", "systems", "technologies",
    "technology", "partners", "company", "companies", "labs", "retail", "health", "healthcare", "logistics",
    "energy", "bank", "financial", "foods", "manufacturing", "media", "networks", "pharma", "software", "capital",
    "trust", "university", "hospital", "motors", "airlines", "insurance", "telecom", "consulting", "analytics",
}
# Request words that must never be taken for an account name, however close the spelling.
_STOP = {
    "score", "scores", "plan", "plans", "matrix", "qbr", "brief", "dark", "gone", "team", "mine", "notes", "note",
    "account", "accounts", "quadrant", "draft", "prep", "show", "what", "which", "who", "commitments", "overdue",
    "drifting", "guidance", "how", "should", "with", "about", "their", "there", "them", "they", "this", "that",
    "pricing", "budget", "said", "say", "says", "stakeholders", "stakeholder", "health", "review", "quarterly",
    "today", "yesterday", "week", "month", "met", "call", "meeting", "portfolio", "coverage", "plays", "play",
    "develop", "defend", "maintain", "exit", "strategic", "growth",
}
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9&'\-]*")
_ACCOUNT_ID = re.compile(r"\b([Aa]\d{2,6})\b")


@dataclass(frozen=True)
class AccountRef:
    id: str
    name: str
    words: tuple[str, ...]  # distinctive lowercase words of the name


@dataclass(frozen=True)
class PersonRef:
    id: str
    name: str
    account_id: str


@dataclass
class Catalog:
    """The user's visible accounts and their stakeholders, for matching names in a request."""

    user: User
    accounts: list[AccountRef] = field(default_factory=list)
    people: list[PersonRef] = field(default_factory=list)

    @classmethod
    def load(cls, session: Session, user: User) -> Catalog:
        accounts = session.exec(scoped_accounts_stmt(session, user, "all")).all()
        refs = [AccountRef(a.id, a.name, _distinctive(a.name)) for a in accounts]
        ids = [a.id for a in accounts]
        people: list[PersonRef] = []
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            rows = session.exec(
                select(Stakeholder.id, Stakeholder.name, Stakeholder.account_id).where(
                    Stakeholder.account_id.in_(chunk)  # type: ignore[attr-defined]
                )
            ).all()
            people.extend(PersonRef(*row) for row in rows)
        return cls(user=user, accounts=refs, people=people)

    def account(self, account_id: str) -> AccountRef | None:
        return next((a for a in self.accounts if a.id == account_id), None)


@dataclass(frozen=True)
class AccountMatch:
    """The accounts a request names: one (``ids`` of length 1), several equally good, or none."""

    ids: tuple[str, ...]
    span: str = ""

    @property
    def unique(self) -> str | None:
        return self.ids[0] if len(self.ids) == 1 else None


def _distinctive(name: str) -> tuple[str, ...]:
    words = [w.lower().strip("'-") for w in _WORD.findall(name)]
    return tuple(w for w in words if w not in _GENERIC and len(w) >= 3) or tuple(words[:1])


def words_of(text: str) -> list[str]:
    return [w.lower().strip("'-") for w in _WORD.findall(text)]


def find_accounts(text: str, catalog: Catalog) -> AccountMatch:
    """The visible accounts named in ``text``: by id, full name, a distinctive word, or a near spelling."""
    by_id = {a.id.lower(): a for a in catalog.accounts}
    ids = [by_id[m.lower()].id for m in _ACCOUNT_ID.findall(text) if m.lower() in by_id]
    if ids:
        return AccountMatch(tuple(dict.fromkeys(ids)), ids[0])
    lowered = f" {text.lower()} "
    full = [a for a in catalog.accounts if re.search(rf"(?<![a-z0-9]){re.escape(a.name.lower())}(?![a-z0-9])", lowered)]
    if full:
        longest = max(len(a.name) for a in full)
        best = [a for a in full if len(a.name) == longest]
        return AccountMatch(tuple(a.id for a in best), best[0].name)
    tokens = [w for w in words_of(text) if w not in _STOP and len(w) >= 3]
    scored: dict[str, float] = {}
    spans: dict[str, str] = {}
    for account in catalog.accounts:
        best_score, best_span = 0.0, ""
        for word in account.words:
            for token in tokens:
                score = _word_score(token, word)
                if score > best_score:
                    best_score, best_span = score, token
        if best_score > 0:
            # Reward names whose several distinctive words all appear.
            hits = sum(1 for w in account.words if any(_word_score(t, w) >= 100 for t in tokens))
            scored[account.id] = best_score + 5 * max(0, hits - 1)
            spans[account.id] = best_span
    if not scored:
        return AccountMatch(())
    top = max(scored.values())
    best_ids = tuple(aid for aid, s in scored.items() if s == top)
    return AccountMatch(best_ids, spans[best_ids[0]])


def _word_score(token: str, word: str) -> float:
    if token == word:
        return 100.0
    if len(word) >= 5 and len(token) >= 4 and word.startswith(token) and len(token) >= len(word) - 3:
        return 92.0  # "halcyo" for "halcyon", a possessive or a clipped word
    if min(len(token), len(word)) < 4 or abs(len(token) - len(word)) > 2:
        return 0.0
    ratio = fuzz.ratio(token, word)
    return ratio if ratio >= 80 else 0.0


_TEAM = re.compile(r"\b(my team|our team|team's|teams'|the team|my reps|my people|my org|across (?:the )?team|team)\b")
_ALL = re.compile(r"\b(all accounts|every account|whole portfolio|entire portfolio|company[- ]wide|all of them|"
                  r"everyone's|across the company|all)\b")
_MINE = re.compile(r"\b(my|mine|i own|i have)\b")


def find_scope(text: str, default: str) -> str:
    """``team``, ``all`` or ``mine`` from the request's words; ``default`` when it says nothing."""
    low = text.lower()
    if _TEAM.search(low):
        return "team"
    if _ALL.search(low):
        return "all"
    if _MINE.search(low):
        return "mine"
    return default


_OVERDUE = re.compile(r"\b(overdue|late|past due|missed|slipped|behind|outstanding|not done|forgot)\b")
_DUE_SOON = re.compile(r"\b(due soon|this week|upcoming|coming up|next (?:few|couple of|2|two) days|due|tomorrow|"
                       r"soon|next)\b")


def find_status(text: str) -> str:
    low = text.lower()
    if _OVERDUE.search(low):
        return "overdue"
    if _DUE_SOON.search(low):
        return "due_soon"
    return "open"


_WINDOW = re.compile(r"\b(?:last|past|previous|over the last|in the last)\s+(\d+|a|one|two|three|six)?\s*"
                     r"(day|days|week|weeks|month|months|quarter|quarters)\b")
_NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "six": 6}
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "quarter": 90}


def find_window_days(text: str) -> int | None:
    """A drift window from "last 60 days", "past two weeks", "this quarter"; ``None`` when not said."""
    low = text.lower()
    match = _WINDOW.search(low)
    if match:
        count_word, unit = match.group(1), match.group(2).rstrip("s")
        count = 1 if count_word is None else int(_NUMBERS.get(count_word, count_word))
        return max(1, count * _UNIT_DAYS[unit])
    if re.search(r"\bthis quarter\b", low):
        return 90
    if re.search(r"\bthis month\b", low):
        return 30
    if re.search(r"\bthis week\b", low):
        return 7
    return None


_PRONOUN = re.compile(r"\b(there|them|they|it|its|that account|this account|same account|that one|this one|"
                      r"their|that customer|this customer)\b")


def refers_back(text: str) -> bool:
    """True when the request points at an account mentioned earlier ("who's gone dark there?")."""
    return bool(_PRONOUN.search(text.lower()))
