"""Account references as people write them: ids, names in any case, partial names, typos.

Only the accounts the acting user may see (docs/rules.md) are candidates. An account outside the user's scope
behaves exactly like one that does not exist: the same error text, and never a hint that it is there.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process, utils
from sqlmodel import col, select

from store.models import Account
from store.scopes import ScopeError, get_visible_account, scoped_account_ids, visible_owner_ids
from tools.context import ToolContext
from tools.errors import Ambiguous, NotFound, ToolError

# The words of company names that do not identify a company, shared by every account matcher: the tools'
# resolver (below), the planner (``agent.planner.entities``) and the note extractor (``tools.notes.extract``).
# Words of a company's legal form: they never identify an account.
LEGAL_WORDS = {
    "the", "and", "of", "co", "corp", "corporation", "inc", "llc", "ltd", "plc", "gmbh", "ag", "sa", "group",
    "holdings", "international", "global", "company", "companies", "partners", "enterprises", "ventures",
    "foundation",
}
# Words of a trade, common across company names: they identify an account only when no other word does
# (and then, if several visible accounts share the word, the agent asks which one).
TRADE_WORDS = {
    "industries", "services", "solutions", "systems", "technologies", "technology", "labs", "retail", "health",
    "healthcare", "logistics", "energy", "bank", "financial", "foods", "manufacturing", "media", "networks",
    "pharma", "software", "capital", "trust", "university", "hospital", "hospitals", "motors", "airlines",
    "insurance", "telecom", "consulting", "analytics", "utilities", "automotive", "shipping", "freight",
    "grocers", "components", "industrial", "medical", "devices", "brewing", "mutual", "aerospace", "transit",
    "distribution", "traders", "trading", "supplies", "brands", "chemicals", "pharmaceuticals", "biotech",
    "electronics", "airways", "hotels", "beverages", "trucking",
    # more of the trades company names carry: a distinctive word beside one of these is another company
    "marine", "maritime", "cargo", "couriers", "railways", "aviation", "dental", "clinic", "clinics", "pharmacy",
    "pharmacies", "therapeutics", "diagnostics", "biosciences", "genomics", "robotics", "semiconductors", "plastics",
    "textiles", "apparel", "fashion", "cosmetics", "furniture", "steel", "metals", "mining", "minerals", "realty",
    "estates", "assurance", "reinsurance", "hospitality", "resorts", "restaurants", "bakery", "dairy", "farms",
    "agri", "agriculture", "seafood", "wines", "spirits", "distillery", "brewery", "breweries", "petroleum", "solar",
    "coatings", "distributors", "supermarkets", "wireless", "broadband", "defense", "defence", "medtech",
    "healthtech", "fintech", "bancorp", "banking",
}
# Words of place and rank ("North", "First", "National"): common across names, never one on their own.
PLACE_WORDS = {
    "american", "city", "county", "east", "first", "general", "national", "new", "north", "south", "state", "united",
    "west",
}
GENERIC_WORDS = LEGAL_WORDS | TRADE_WORDS | PLACE_WORDS
_MAX_SUGGESTIONS = 3
_FUZZY_CUTOFF = 60.0

_NAME_WORD = re.compile(r"[a-z0-9&]+")


def other_trade(name: str, account_name: str) -> bool:
    """Whether ``name`` has a trade word ("Foods", "Pharma", "Logistics") that ``account_name`` lacks: the same
    distinctive word in another trade is another company ("Keystone Foods" beside Keystone Mutual Insurance,
    "Redwood Pharma" beside Redwood Capital Bank). Shared by the planner and the note reader."""
    return bool((set(_NAME_WORD.findall(name.lower())) & TRADE_WORDS) - set(_NAME_WORD.findall(account_name.lower())))


def visible_account_ids(ctx: ToolContext, scope: str = "all") -> list[str]:
    """Ids of the accounts ``ctx.user`` sees within ``scope`` (mine / team / all), sorted."""
    try:
        return scoped_account_ids(ctx.session, ctx.user, scope)
    except ScopeError as exc:
        raise ToolError(str(exc), suggestions=["mine", "team", "all"]) from exc


def scope_account_ids(ctx: ToolContext, scope: str = "all") -> list[str] | None:
    """Like ``visible_account_ids``, but ``None`` when the scope is every account in the store (an admin's
    "all"), so set-based queries can skip the id filter altogether."""
    try:
        owners = visible_owner_ids(ctx.session, ctx.user, scope)
    except ScopeError as exc:
        raise ToolError(str(exc), suggestions=["mine", "team", "all"]) from exc
    return None if owners is None else visible_account_ids(ctx, scope)


def resolve_account(ctx: ToolContext, ref: str) -> Account:
    """The visible account ``ref`` names: an id or exact name (any case), a unique partial name.

    Raises ``NotFound`` (with the nearest names, typos included) or ``Ambiguous`` (with the candidates).
    """
    text = " ".join((ref or "").split())
    if not text:
        raise ToolError("which account? give its name or id")
    for account_id in dict.fromkeys((text, text.upper())):  # an id: one lookup, no need to read every name
        found = get_visible_account(ctx.session, ctx.user, account_id)
        if found is not None:
            return found
    candidates = _visible_names(ctx)
    needle = text.casefold()

    by_id = [aid for aid, _ in candidates if aid.casefold() == needle]
    if len(by_id) == 1:
        return _load(ctx, by_id[0])

    exact = [(aid, name) for aid, name in candidates if " ".join(name.split()).casefold() == needle]
    if len(exact) == 1:
        return _load(ctx, exact[0][0])
    if exact:
        raise _ambiguous(text, exact, candidates)

    partial = [(aid, name) for aid, name in candidates if needle in name.casefold()]
    if len(partial) > 1:
        # Prefer names where the reference starts a word ("Halcyon" in "Halcyon Retail", not "Rehalcyon").
        at_word = [(aid, name) for aid, name in partial if _starts_word(needle, name.casefold())]
        if len(at_word) == 1:
            return _load(ctx, at_word[0][0])
        raise _ambiguous(text, at_word or partial, candidates)
    if len(partial) == 1:
        return _load(ctx, partial[0][0])

    suggestions = _nearest(text, candidates)
    message = f"no account named {text!r}"
    if suggestions:
        message += f"; did you mean: {', '.join(suggestions)}?"
    raise NotFound(message, suggestions=suggestions)


def _visible_names(ctx: ToolContext) -> list[tuple[str, str]]:
    owners = visible_owner_ids(ctx.session, ctx.user, "all")
    stmt = select(Account.id, Account.name)
    if owners is not None:
        stmt = stmt.where(col(Account.owner_id).in_(owners))
    return [(aid, name) for aid, name in ctx.session.exec(stmt.order_by(col(Account.id))).all()]


def _load(ctx: ToolContext, account_id: str) -> Account:
    account = ctx.session.get(Account, account_id)
    if account is None:  # deleted between the two reads
        raise NotFound(f"no account named {account_id!r}")
    return account


def _starts_word(needle: str, name: str) -> bool:
    return re.search(r"(?:^|[^0-9a-z])" + re.escape(needle), name) is not None


def _labels(matches: list[tuple[str, str]], candidates: list[tuple[str, str]]) -> list[str]:
    """Names, with the id added where two visible accounts share a name."""
    counts: dict[str, int] = {}
    for _, name in candidates:
        counts[name.casefold()] = counts.get(name.casefold(), 0) + 1
    return [f"{name} ({aid})" if counts[name.casefold()] > 1 else name for aid, name in matches]


def _ambiguous(text: str, matches: list[tuple[str, str]], candidates: list[tuple[str, str]]) -> Ambiguous:
    labels = _labels(sorted(matches, key=lambda m: (m[1].casefold(), m[0])), candidates)
    shown = labels[:8]
    more = f" and {len(labels) - len(shown)} more" if len(labels) > len(shown) else ""
    return Ambiguous(
        f"{text!r} matches several accounts: {', '.join(shown)}{more}; which one?", suggestions=labels
    )


def _nearest(text: str, candidates: list[tuple[str, str]]) -> list[str]:
    if not candidates:
        return []
    names = {aid: name for aid, name in candidates}
    found = process.extract(
        text, names, scorer=fuzz.WRatio, processor=utils.default_process, limit=_MAX_SUGGESTIONS,
        score_cutoff=_FUZZY_CUTOFF,
    )
    by_id = process.extract(
        text, {aid: aid for aid in names}, scorer=fuzz.ratio, processor=utils.default_process, limit=1,
        score_cutoff=80.0,
    )
    ranked = sorted(
        {key: score for _, score, key in [*found, *by_id]}.items(), key=lambda kv: (-kv[1], names[kv[0]])
    )
    matches = [(aid, names[aid]) for aid, _ in ranked[:_MAX_SUGGESTIONS]]
    return _labels(matches, candidates)

