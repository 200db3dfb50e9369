"""People of the team as a request names them ("U03", "Jordan", "jordan lee", "Jordon"): one user, or an error.

Two uses, two rules (docs/rules.md):

- whose book to look at (the ``owner`` argument of the matrix, drift and commitments): the acting user
  themself, someone who reports to them (directly or further down), or anyone for an admin;
- who may take over a commitment (``reassign_commitment``'s ``to``): the same people, and for a rep or KAM
  also the account's owner and their peers under the same manager.

A user outside those is "not found", like one that does not exist.
"""

from __future__ import annotations

from rapidfuzz import fuzz
from sqlmodel import select

from store.models import Account, User
from store.scopes import team_member_ids
from tools.context import ToolContext
from tools.errors import Ambiguous, NotFound, ToolError

_FUZZY = 85.0


def book_owner_ids(ctx: ToolContext) -> list[str] | None:
    """The users whose book the acting user may look at; ``None`` for every user (an admin)."""
    if ctx.user.role == "admin":
        return None
    if ctx.user.role == "manager":
        return team_member_ids(ctx.session, ctx.user)
    return [ctx.user.id]


def peer_ids(ctx: ToolContext) -> list[str]:
    """The acting user, those under them, and (for anyone with a manager) the manager and the manager's other
    reports: whom a task may be handed to ("give C0061 to Grace", the rep's manager, is handing it up)."""
    ids = team_member_ids(ctx.session, ctx.user)
    if ctx.user.manager_id:
        peers = ctx.session.exec(select(User.id).where(User.manager_id == ctx.user.manager_id)).all()
        ids += [p for p in [ctx.user.manager_id, *peers] if p not in ids]
    return ids


def resolve_user(ctx: ToolContext, ref: str, allowed: list[str] | None) -> User:
    """The user ``ref`` names (an id, a full, first or last name, or a near spelling of one) among ``allowed``
    (``None``: anyone). Several equally good: ``Ambiguous``; none: ``NotFound`` with the nearest names."""
    text = " ".join((ref or "").strip().removesuffix("'s").removesuffix("’s").split())
    if not text:
        raise ToolError("whose? give a name or a user id")
    users = list(ctx.session.exec(select(User).order_by(User.id)).all())
    if allowed is not None:
        users = [u for u in users if u.id in allowed]
    low = text.casefold()
    for rank in (_exact_id, _full_name, _one_name):
        found = [u for u in users if rank(u, low)]
        if found:
            return _one(found, text)
    scored = [(max(fuzz.ratio(low, u.name.casefold()), *(fuzz.ratio(low, w) for w in u.name.casefold().split())), u)
              for u in users]
    best = max((s for s, _ in scored), default=0.0)
    if best >= _FUZZY:
        return _one([u for s, u in scored if s == best], text)
    near = [f"{u.name} ({u.id})" for s, u in sorted(scored, key=lambda x: -x[0])[:3] if s >= 60]
    hint = f"; did you mean: {', '.join(near)}?" if near else ""
    raise NotFound(f"no one called {text!r} in your team{hint}", suggestions=near)


def _exact_id(user: User, low: str) -> bool:
    return user.id.casefold() == low


def _full_name(user: User, low: str) -> bool:
    return user.name.casefold() == low


def _one_name(user: User, low: str) -> bool:
    return low in user.name.casefold().split()


def _one(found: list[User], text: str) -> User:
    if len(found) == 1:
        return found[0]
    names = [f"{u.name} ({u.id})" for u in found]
    raise Ambiguous(f"{text!r} could be {', '.join(names)}: which one?", suggestions=names)


def owner_filter(ctx: ToolContext, owner: str | None) -> User | None:
    """The user whose book a read is limited to (``None`` when no ``owner`` was asked for), scope-checked."""
    if owner is None or not owner.strip():
        return None
    return resolve_user(ctx, owner, book_owner_ids(ctx))


def owner_account_ids(ctx: ToolContext, owner: str) -> tuple[User, list[str]]:
    """The user ``owner`` names (scope-checked) and the ids of the accounts they own, sorted."""
    user = resolve_user(ctx, owner, book_owner_ids(ctx))
    ids = ctx.session.exec(select(Account.id).where(Account.owner_id == user.id).order_by(Account.id)).all()
    return user, list(ids)
