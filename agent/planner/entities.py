"""Finding the things a request is about: accounts, scope words, commitment status words, windows.

Accounts are matched only against the acting user's visible accounts (the catalogue is built from the
scoped query), by id, full name, a distinctive word of the name, or a close misspelling of one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from agent.planner.english import is_common
from store.models import User
from tools.accounts import GENERIC_WORDS, TRADE_WORDS, other_trade

# Request words that must never be taken for an account name, however close the spelling.
_STOP = {
    "score", "scores", "scored", "plan", "plans", "matrix", "qbr", "qbrs", "brief", "dark", "gone", "team", "mine",
    "notes", "note", "account", "accounts", "quadrant", "draft", "prep", "show", "what", "which", "who", "commitments",
    "overdue", "drifting", "guidance", "how", "should", "with", "about", "their", "there", "them", "they", "this",
    "that", "pricing", "budget", "said", "say", "says", "stakeholders", "stakeholder", "health", "review",
    "quarterly", "today", "yesterday", "week", "month", "met", "call", "meeting", "portfolio", "coverage", "plays",
    "play", "develop", "defend", "maintain", "exit", "strategic", "growth", "count", "many", "much", "since", "last",
    "next", "past", "over", "under", "after", "before", "every", "other", "these", "those", "where", "would",
    "could", "still", "again", "please", "thanks", "thank", "customer", "customers", "client", "clients",
    "people", "person", "contacts", "contact", "renewal", "pipeline", "deal", "deals", "order", "orders", "support",
    "write", "update", "refresh", "prepare", "ready", "need", "needs", "want", "wants", "looking", "doing",
    "going", "getting", "slipping", "sliding", "quiet", "cooling", "level", "general", "overall", "company",
    "business", "deck", "pack", "agenda", "tomorrow", "friday", "monday", "tuesday", "wednesday",
    "thursday", "quarter", "year", "days", "weeks", "months", "status", "latest", "recent", "lately", "across",
    "whole", "entire", "each", "some", "any", "anything", "anyone", "everyone", "nobody", "someone",
    "worse", "better", "risk", "risks", "trend", "trends", "report", "summary", "overview", "breakdown",
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


@dataclass(frozen=True)
class UserRef:
    """A colleague the user may name: a report (whose book a manager looks at) or a peer (who takes over a task)."""

    id: str
    name: str
    reports_to_user: bool = False  # the acting user manages them (directly or further down), or is an admin


@dataclass(frozen=True)
class CommitmentRef:
    """An open commitment the user may see, for acting on one by its description ("the licence quote is done")."""

    id: str
    account_id: str
    description: str


@dataclass
class Catalog:
    """The user's visible accounts and their stakeholders, and the colleagues they may name, for matching names
    in a request."""

    user: User
    accounts: list[AccountRef] = field(default_factory=list)
    people: list[PersonRef] = field(default_factory=list)
    users: list[UserRef] = field(default_factory=list)
    commitments: list[CommitmentRef] = field(default_factory=list)
    today: dt.date | None = None  # the turn's day (``as_of``), for reading a day the request names ("until Friday")
    _person_words: frozenset[str] | None = field(default=None, repr=False)

    @classmethod
    def of(
        cls, user: User, accounts: list[tuple[str, str]], people: list[tuple[str, str, str]] | None = None,
        users: list[tuple[str, str, bool]] | None = None, commitments: list[tuple[str, str, str]] | None = None,
    ) -> Catalog:
        """A catalogue from (id, name) accounts, (id, name, account id) people and (id, name, reports to the user)
        colleagues, without a store."""
        refs = [AccountRef(aid, name, _distinctive(name)) for aid, name in accounts]
        return cls(user=user, accounts=refs, people=[PersonRef(*p) for p in people or []],
                   users=[UserRef(*u) for u in users or []],
                   commitments=[CommitmentRef(*c) for c in commitments or []])

    def account(self, account_id: str) -> AccountRef | None:
        return next((a for a in self.accounts if a.id == account_id), None)

    def person_words(self) -> frozenset[str]:
        """Lowercase first and last names of the visible stakeholders."""
        if self._person_words is None:
            self._person_words = frozenset(w for p in self.people for w in words_of(p.name) if len(w) >= 3)
        return self._person_words


@dataclass(frozen=True)
class AccountMatch:
    """The accounts a request names: one (``ids`` of length 1), several equally good, or none."""

    ids: tuple[str, ...]
    span: str = ""
    by_trade_word: bool = False  # found only by a word of a trade ("the freight one"), shared by many names

    @property
    def unique(self) -> str | None:
        return self.ids[0] if len(self.ids) == 1 else None


def _distinctive(name: str) -> tuple[str, ...]:
    words = [w.lower().strip("'-") for w in _WORD.findall(name)]
    return tuple(w for w in words if w not in GENERIC_WORDS and len(w) >= 3) or tuple(words[:1])


def words_of(text: str) -> list[str]:
    return [w.lower().strip("'-") for w in _WORD.findall(text)]


def find_accounts(text: str, catalog: Catalog) -> AccountMatch:
    """The visible accounts named in ``text``: by id, full name, a distinctive word, or a near spelling.

    Several accounts come back when the words fit them equally well ("Silver" for Silverline and
    Silvergate, "the pharma account" for two pharma accounts): the caller asks which one. A word that is
    a stakeholder's name counts only when it is exactly an account's word, never as a near spelling.
    """
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
    people = catalog.person_words()
    scored: dict[str, float] = {}
    spans: dict[str, str] = {}
    for account in catalog.accounts:
        best_score, best_span = 0.0, ""
        for word in account.words:
            for token in tokens:
                score = _word_score(token, word)
                if score < 100 and token in people:
                    continue  # "Grant" is Olivia Grant, not a misspelt "Granite"
                if score > best_score:
                    best_score, best_span = score, token
        if best_score > 0:
            # Reward names whose several distinctive words all appear.
            hits = sum(1 for w in account.words if any(_word_score(t, w) >= 100 for t in tokens))
            scored[account.id] = best_score + 5 * max(0, hits - 1)
            spans[account.id] = best_span
    other = [aid for aid, span in spans.items() if _names_other_company(text, span, catalog.account(aid))]
    for account_id in other:
        del scored[account_id]  # "Redwood Pharma" is not Redwood Capital Bank: another company sharing a word
    if not scored and other:
        return AccountMatch(())  # nor is it the one account of that trade
    if not scored:
        return _by_trade_word([t for t in tokens if _refers_to_account(text, t)], catalog)
    top = max(scored.values())
    best_ids = tuple(aid for aid, s in scored.items() if s == top)
    return AccountMatch(best_ids, spans[best_ids[0]])


def unknown_name(text: str, catalog: Catalog, known_words: frozenset[str], match: AccountMatch,
                 *, required: bool = False) -> str | None:
    """A company the request names that is none of the user's accounts ("Nordvik Freight", "at Zephyrix"), when
    no account matched but by a trade word: a name in a word before a trade word ("<X> Freight"), or at the end
    after "at", "for", "on" or "with" in words that are neither request words nor ordinary English."""
    if match.ids and not match.by_trade_word:
        return None
    people = {w for u in catalog.users for w in words_of(u.name)} | catalog.person_words()
    known_words = known_words | people  # a colleague or a stakeholder is not a company
    account_words = {w for a in catalog.accounts for w in words_of(a.name)}
    for found in _BEFORE_TRADE.finditer(text):
        head = found.group(1).lower()
        if found.group(2).lower() in TRADE_WORDS and head not in account_words and head not in _STOP \
                and head not in _FUNCTION and head not in known_words \
                and (found.group(1)[:1].isupper() or not is_common(head)):
            return f"{found.group(1)} {found.group(2)}"
    if match.ids:
        return None
    if required:  # "score Halcyon" where no visible account is Halcyon: any name-like word left is the name
        names = [w for i, w in enumerate(_WORD.findall(text)) if len(w) >= 4 and _name_like(w, known_words, i > 0)]
        if names:
            return " ".join(names[:3])
    tail = _TRAILING.search(text)
    if tail is None or explicit_scope(tail.group(1)) is not None:
        return None  # "for my reps", "across the team": a scope, not a company
    words = _WORD.findall(tail.group(1))
    strange = [w for w in words if w.lower() not in _STOP and w.lower() not in _FUNCTION and
               w.lower() not in known_words and (w[:1].isupper() or not is_common(w.lower()))]
    return tail.group(1).strip() if strange and len(words) <= 3 else None


def _name_like(word: str, known_words: frozenset[str], inside: bool) -> bool:
    low = word.lower().strip("'-")
    if low in _STOP or low in _FUNCTION or low in known_words or low.endswith("'s") and low[:-2] in known_words:
        return False
    return (inside and word[:1].isupper()) or not is_common(low)


_BEFORE_TRADE = re.compile(r"\b([A-Za-z][A-Za-z&'\-]{2,})(?=\s+([A-Za-z]+)\b)")
_TRAILING = re.compile(r"\b(?:at|for|on|with)\s+([A-Za-z][\w&'\- ]{1,40}?)\s*[?.!]*\s*$")
_FUNCTION = {"the", "a", "an", "my", "our", "your", "their", "his", "her", "its", "me", "us", "them", "all", "any",
             "this", "that", "these", "those", "some", "each", "every", "and", "or", "of", "to", "in", "on", "at",
             "for", "with", "by", "from", "it", "one", "ones", "you", "him", "we", "i", "now", "pls",
             "please", "thanks"}


def _names_other_company(text: str, token: str, account: AccountRef | None) -> bool:
    """Whether the request's word for ``account`` is followed by a capitalised trade word that is not in this
    account's name ("Redwood Pharma" for Redwood Capital Bank): another company of that trade, not this account.
    In a message all in lower case, any trade word there that is no request word counts."""
    if account is None:
        return False
    # Capitals tell a name only when the writer uses them: in a message typed all in lower case, a trade word that
    # is no request word ("score keystone foods") names a company as surely as "Keystone Foods" does.
    lower_case = not any(c.isupper() for c in text)
    return any((found.group(1)[0].isupper() or lower_case and found.group(1) not in _STOP)
               and other_trade(f"{token} {found.group(1)}", account.name)
               for found in re.finditer(rf"(?i)(?<![a-z0-9]){re.escape(token)}(?:'s)?\s+([A-Za-z]+)", text))


def _refers_to_account(text: str, word: str) -> bool:
    """Whether a trade word of the request can stand for an account ("the telecom one", "our pharma customers"):
    not when it heads an "of" phrase, where it is a noun of its own ("the capital of France")."""
    return re.search(rf"(?i)(?<![a-z0-9]){re.escape(word)}s?\s+of\b", text) is None


def _by_trade_word(tokens: list[str], catalog: Catalog) -> AccountMatch:
    """Accounts whose name has a trade word of the request ("the telecom one"), when nothing else matched."""
    wanted = {t for t in tokens if t in TRADE_WORDS}
    wanted |= {t[:-1] for t in tokens if t.endswith("s") and t[:-1] in TRADE_WORDS}
    if not wanted:
        return AccountMatch(())
    found = [a for a in catalog.accounts if wanted & set(words_of(a.name))]
    if not found:
        return AccountMatch(())
    word = next(iter(wanted & set(words_of(found[0].name))))
    return AccountMatch(tuple(a.id for a in found), word, by_trade_word=True)


def mask_accounts(text: str, match: AccountMatch, catalog: Catalog) -> str:
    """``text`` with the account it names replaced by "the account", so names never sway the intent."""
    if not match.ids or not match.span:
        return text
    masked = re.sub(rf"(?i)(?<![a-z0-9]){re.escape(match.span)}(?:'s)?(?![a-z0-9])", "the account", text)
    names = {w for aid in match.ids if (a := catalog.account(aid)) for w in words_of(a.name)} - {"the", "and", "of"}
    for word in names:
        masked = re.sub(rf"(?i)(?<![a-z0-9]){re.escape(word)}(?:'s)?(?![a-z0-9])", "", masked)
    return re.sub(r"\s{2,}", " ", masked).strip()


def _word_score(token: str, word: str) -> float:
    if token == word:
        return 100.0
    if len(word) >= 5 and len(token) >= 4 and word.startswith(token) and len(token) >= len(word) - 3:
        return 92.0  # "halcyo" for "halcyon", a possessive or a clipped word
    if len(token) >= 5 and word.startswith(token) and len(token) * 2 >= len(word):
        return 85.0  # "silver" for "silverline": a clipped name, likely shared with another account
    if min(len(token), len(word)) < 4 or abs(len(token) - len(word)) > 2:
        return 0.0
    ratio = fuzz.ratio(token, word)
    return ratio if ratio >= 80 else 0.0


_TEAM = re.compile(r"\b(my team|our team|team's|teams'|the team|my reps|my people|my org|across (?:the )?team|"
                   r"my (?:sales ?)?reps|my kams|my (?:direct )?reports|everyone on my team|"
                   r"team|my direct reports|my group|the reps)\b")
_ALL = re.compile(r"\b(all (?:the )?(?:accounts|customers|clients|reps|sellers|owners)|every account|every customer|"
                  r"whole (?:portfolio|company|business|book)|entire (?:portfolio|company|business)|company[- ]wide|"
                  r"org[- ]wide|all of them|everyone's|everybody's|across the (?:company|business|org|board)|"
                  r"across all|the company|the business|all)\b")
_EVERY_TEAM = re.compile(r"\b(every team|all (?:the )?teams|each team|across (?:all )?(?:the )?teams|all reps)\b")
_ALL_MINE = re.compile(r"\ball (?:of )?my\b")
_MINE = re.compile(r"\b(my|mine|i own|i have|me|i've)\b")
_MY_OWN = re.compile(r"\b(my own|just mine|only mine|just me|only me|i own|i personally)\b")


def explicit_scope(text: str) -> str | None:
    """``team``, ``all`` or ``mine`` when the request says so, else ``None``."""
    low = text.lower()
    if _MY_OWN.search(low):
        return "mine"
    if _EVERY_TEAM.search(low):
        return "all"  # "every team", "across teams": more than the user's own team
    if _TEAM.search(low):
        return "team"
    if _ALL.search(_ALL_MINE.sub("my", low)):
        return "all"
    if _MINE.search(low):
        return "mine"
    return None


def says_my_own(text: str) -> bool:
    """The speaker means their own accounts, not their team's ("my own", "just mine")."""
    return bool(_MY_OWN.search(text.lower()))


def find_scope(text: str, default: str) -> str:
    """``team``, ``all`` or ``mine`` from the request's words; ``default`` when it says nothing."""
    return explicit_scope(text) or default


_OVERDUE = re.compile(r"\b(overdue|late|past due|missed|slipped|slip|slipping|behind|outstanding|not done|"
                      r"forgot|forgotten|lapsed|broken|broke|dropped the ball|fell through|expired)\b")
_DONE = re.compile(r"\b(done|completed|complete|closed|finished|delivered|ticked off|kept|fulfilled|"
                   r"did (?:we|i|you) (?:keep|deliver|complete|close|finish))\b")
_DUE_SOON = re.compile(r"\b(due soon|this week|upcoming|coming up|coming due|next (?:few|couple of|2|two|3|three) days|"
                       r"due|tomorrow|soon|next|imminent|this friday|by friday)\b")
_OPEN = re.compile(r"\b(open|all|everything|every|outstanding|pending|to-?dos?|list)\b")


def explicit_status(text: str) -> str | None:
    """``overdue``, ``done``, ``due_soon`` or ``open`` when the request says which, else ``None``."""
    low = text.lower()
    if _OVERDUE.search(low):
        return "overdue"
    if _DONE.search(low):
        return "done"
    if _DUE_SOON.search(low):
        return "due_soon"
    if _OPEN.search(low):
        return "open"
    return None


def find_status(text: str) -> str:
    return explicit_status(text) or "open"


_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "couple of": 2, "few": 3}
_WINDOW = re.compile(r"\b(?:last|past|previous|over the last|in the last|within the last|over the past)\s+"
                     r"(\d+|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")?\s*"
                     r"(day|days|week|weeks|month|months|quarter|quarters|year|d|w|wk|wks|mo|mos|mth|mths|q)\b")
_BARE_WINDOW = re.compile(r"(?:^|[,;(|]|\b(?:over|across|spanning)(?: the)?)\s*(\d+|" +
                          "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")\s*"
                          r"(days|weeks|months|quarters|d|w|wks|mo|mos|mths|q)\s*(?=[,;)|.!?]|$)")
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "quarter": 90, "year": 365, "d": 1, "w": 7, "wk": 7, "mo": 30,
              "mth": 30, "q": 90}


def find_window_days(text: str) -> int | None:
    """A drift window from "last 60 days", "past two weeks", "last 60d", "this quarter"; ``None`` when not said."""
    low = text.lower()
    match = _WINDOW.search(low)
    if match:
        count_word, unit = match.group(1), match.group(2)
        unit = unit if unit in _UNIT_DAYS else unit.rstrip("s")
        count = 1 if count_word is None else int(_NUMBERS.get(count_word, count_word))
        return max(1, count * _UNIT_DAYS[unit])
    bare = _BARE_WINDOW.search(low)
    if bare:  # "drift report, everyone, 90d": a span standing as a clause of its own
        count_word, unit = bare.group(1), bare.group(2)
        unit = unit if unit in _UNIT_DAYS else unit.rstrip("s")
        return max(1, int(_NUMBERS.get(count_word, count_word)) * _UNIT_DAYS[unit])
    if re.search(r"\bthis quarter\b", low):
        return 90
    if re.search(r"\bthis month\b", low):
        return 30
    if re.search(r"\bthis week\b", low):
        return 7
    return None


_PRONOUN = re.compile(r"\b(there|them|they|it|its|that account|this account|same account|that one|this one|"
                      r"their|that customer|this customer|that client|this client|the same one)\b")


def refers_back(text: str) -> bool:
    """True when the request points at an account mentioned earlier ("who's gone dark there?")."""
    return bool(_PRONOUN.search(text.lower()))
