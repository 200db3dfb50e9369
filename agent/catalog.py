"""What the offline planner is fed each turn: the acting user's visible accounts, their people and open
commitments, and the colleagues the user may name.

The agent loads it here (one read session) and hands it to the planner, which never opens the store.
"""

from __future__ import annotations

from sqlmodel import Session, select

from agent.planner import Catalog
from store.db import Database
from store.models import Commitment, Stakeholder, User
from store.scopes import scoped_accounts_stmt, team_member_ids

_CHUNK = 5000


def load_catalog(db: Database, user_id: str) -> Catalog:
    """The catalogue of ``user_id``: accounts by the scoped query (``all`` they may see), then their stakeholders."""
    with db.session() as session:
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
            commitments.extend((cid, aid, text) for cid, aid, text in open_rows)
        users = _colleagues(session, user)
    return Catalog.of(user, accounts, people, users, commitments)


def _colleagues(session: Session, user: User) -> list[tuple[str, str, bool]]:
    """Everyone an admin may name; for anyone else their reports (all the way down) and their manager's reports."""
    everyone = session.exec(select(User.id, User.name, User.manager_id).order_by(User.id)).all()
    if user.role == "admin":
        return [(uid, name, True) for uid, name, _ in everyone]
    team = set(team_member_ids(session, user)) if user.role == "manager" else {user.id}
    peers = {uid for uid, _, manager in everyone if user.manager_id and manager == user.manager_id}
    return [(uid, name, uid in team) for uid, name, _ in everyone if uid in team | peers]
