"""Access scopes (SPEC 9): who sees which accounts. Every query of account data goes through here.

A rep and a KAM see the accounts they own; a manager sees their reports' accounts (all the way down)
and their own; an admin sees all. The scope comes from the authenticated user, never from the model.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import Select, false
from sqlmodel import Session, col, select

from store.models import Account, User

Scope = Literal["mine", "team", "all"]
SCOPES: tuple[str, ...] = ("mine", "team", "all")


class ScopeError(ValueError):
    """A scope word that is not one of mine / team / all."""


def team_member_ids(session: Session, user: User) -> list[str]:
    """The user and everyone who reports to them, directly or through other managers."""
    rows = session.exec(select(User.id, User.manager_id)).all()
    children: dict[str, list[str]] = {}
    for uid, mid in rows:
        if mid:
            children.setdefault(mid, []).append(uid)
    seen: list[str] = [user.id]
    stack = [user.id]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in seen:
                seen.append(child)
                stack.append(child)
    return seen


def visible_owner_ids(session: Session, user: User, scope: str = "all") -> list[str] | None:
    """Owner ids whose accounts ``user`` may see within ``scope``; ``None`` means every owner."""
    if scope not in SCOPES:
        raise ScopeError(f"unknown scope {scope!r}; use one of: {', '.join(SCOPES)}")
    if scope == "mine":
        return [user.id]
    if user.role == "admin" and scope == "all":
        return None
    if user.role in ("manager", "admin"):
        return team_member_ids(session, user)
    return [user.id]


def scoped_accounts_stmt(session: Session, user: User, scope: str = "all") -> Select:
    """``SELECT account`` limited to what ``user`` sees within ``scope``."""
    owners = visible_owner_ids(session, user, scope)
    stmt = select(Account)
    if owners is not None:
        stmt = stmt.where(col(Account.owner_id).in_(owners) if owners else false())
    return stmt


def scoped_account_ids(session: Session, user: User, scope: str = "all") -> list[str]:
    owners = visible_owner_ids(session, user, scope)
    stmt = select(Account.id)
    if owners is not None:
        stmt = stmt.where(col(Account.owner_id).in_(owners))
    return list(session.exec(stmt.order_by(Account.id)).all())


def can_see_account(session: Session, user: User, account_id: str) -> bool:
    if "\x00" in account_id:
        return False
    account = session.get(Account, account_id)
    if account is None:
        return False
    owners = visible_owner_ids(session, user, "all")
    return owners is None or account.owner_id in owners


def get_visible_account(session: Session, user: User, account_id: str) -> Account | None:
    """The account if ``user`` may see it; ``None`` both when it is missing and when it is out of scope, after
    the same work (the scope is in the one query), so another user's account does not show by timing."""
    if "\x00" in account_id:  # no id holds one (and PostgreSQL refuses to compare text with it)
        return None
    owners = visible_owner_ids(session, user, "all")
    stmt = select(Account).where(Account.id == account_id)
    if owners is not None:
        stmt = stmt.where(col(Account.owner_id).in_(owners) if owners else false())
    return session.exec(stmt).first()
