"""Bearer tokens for the HTTP API: issued per user, stored only as a hash, revocable."""

from __future__ import annotations

import hashlib
import secrets

from sqlmodel import Session, col, select

from store.audit import record
from store.db import Database
from store.models import ApiToken, User, utcnow

TOKEN_PREFIX = "kam_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(db: Database, user_id: str, *, actor: str = "cli") -> str:
    """A new token for ``user_id``; the plain token is returned once and never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with db.write() as session:
        if session.get(User, user_id) is None:
            raise LookupError(f"no user {user_id!r}")
        row = ApiToken(user_id=user_id, token_hash=hash_token(token))
        session.add(row)
        session.flush()
        record(session, actor=actor, action="create", entity="api_token", entity_id=str(row.id),
               detail={"user_id": user_id})
    return token


def revoke_tokens(db: Database, user_id: str, *, actor: str = "cli") -> int:
    """Revoke every live token of ``user_id``; returns how many."""
    with db.write() as session:
        rows = session.exec(
            select(ApiToken).where(ApiToken.user_id == user_id, col(ApiToken.revoked_at).is_(None))
        ).all()
        for row in rows:
            row.revoked_at = utcnow()
            session.add(row)
            record(session, actor=actor, action="revoke", entity="api_token", entity_id=str(row.id),
                   detail={"user_id": user_id})
        return len(rows)


def live_token(session: Session, token: str | None) -> ApiToken | None:
    """The stored row of a live token, or None (missing, unknown or revoked)."""
    if not token:
        return None
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(token))).first()
    return None if row is None or row.revoked_at is not None else row


def user_for_token(session: Session, token: str | None) -> User | None:
    """The user a live token belongs to, or None (missing, unknown or revoked)."""
    row = live_token(session, token)
    return None if row is None else session.get(User, row.user_id)
