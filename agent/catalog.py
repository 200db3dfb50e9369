"""What the offline planner is fed each turn: the acting user's visible accounts, their people and open
commitments, and the colleagues the user may name.

The agent loads it here (one read session) and hands it to the planner, which never opens the store. A
``CatalogCache`` keeps each user's catalogue until the store's catalogue change counter moves (a trigger on
users, accounts, stakeholders and commitments bumps it on every write, from any process: migration 0003), so a
turn reads one row instead of the catalogue.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from agent.planner.entities import Catalog
from store.db import Database
from store.models import Commitment, Stakeholder, User
from store.scopes import scoped_accounts_stmt, team_member_ids

_CHUNK = 5000


_VERSION = text("SELECT n FROM changecounter WHERE name = 'catalog'")


class CatalogCache:
    """Each user's catalogue, kept until the store's catalogue counter moves (the most recent ``size`` users)."""

    def __init__(self, db: Database, size: int = 256) -> None:
        self.db = db
        self.size = size
        self._kept: OrderedDict[str, tuple[int, Catalog]] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, user_id: str) -> Catalog:
        with self.db.session() as session:
            # The counter first, then the rows: a write committed in between is read with the old count, and the
            # next turn reloads (reading them the other way round could keep old rows under a new count).
            version = _version(session)
            with self._lock:
                kept = self._kept.get(user_id)
                if kept is not None and version is not None and kept[0] == version:
                    self._kept.move_to_end(user_id)
                    return kept[1]
            catalog = _load(session, user_id)
        if version is not None:
            with self._lock:
                self._kept[user_id] = (version, catalog)
                self._kept.move_to_end(user_id)
                while len(self._kept) > self.size:
                    self._kept.popitem(last=False)
        return catalog


def _version(session: Session) -> int | None:
    try:
        return int(session.execute(_VERSION).scalar_one())
    except SQLAlchemyError:  # a store without the counter (not migrated): read the catalogue every time
        session.rollback()
        return None


def load_catalog(db: Database, user_id: str) -> Catalog:
    """The catalogue of ``user_id``: accounts by the scoped query (``all`` they may see), then their stakeholders."""
    with db.session() as session:
        return _load(session, user_id)


def _load(session: Session, user_id: str) -> Catalog:
    user = session.get(User, user_id)
    if user is None:
        raise ValueError(f"unknown user {user_id!r}")
    accounts = [(a.id, a.name) for a in session.exec(scoped_accounts_stmt(session, user, "all")).all()]
    ids = [aid for aid, _name in accounts]
    people: list[tuple[str, str, str]] = []
    commitments: list[tuple[str, str, str]] = []
    for start in range(0, len(ids), _CHUNK):
        rows = session.exec(
            select(Stakeholder.id, Stakeholder.name, Stakeholder.account_id).where(
                Stakeholder.account_id.in_(ids[start : start + _CHUNK])  # type: ignore[attr-defined]
            )
        ).all()
        people.extend((sid, name, aid) for sid, name, aid in rows)
        open_rows = session.exec(
            select(Commitment.id, Commitment.account_id, Commitment.description).where(
                Commitment.account_id.in_(ids[start : start + _CHUNK]),  # type: ignore[attr-defined]
                Commitment.status == "open",
            )
        ).all()
        commitments.extend((cid, aid, description) for cid, aid, description in open_rows)
    users = _colleagues(session, user)
    return Catalog.of(user, accounts, people, users, commitments)


def _colleagues(session: Session, user: User) -> list[tuple[str, str, bool]]:
    """Everyone an admin may name; for anyone else their reports (all the way down), their manager and their
    manager's reports."""
    everyone = session.exec(select(User.id, User.name, User.manager_id).order_by(User.id)).all()
    if user.role == "admin":
        return [(uid, name, True) for uid, name, _ in everyone]
    team = set(team_member_ids(session, user)) if user.role == "manager" else {user.id}
    peers = {uid for uid, _, manager in everyone if user.manager_id and manager == user.manager_id}
    peers |= {user.manager_id} if user.manager_id else set()
    return [(uid, name, uid in team) for uid, name, _ in everyone if uid in team | peers]
