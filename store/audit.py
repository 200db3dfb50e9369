"""The audit log: one row per write, with who made it."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from store.models import AuditLog


def record(
    session: Session, *, actor: str, action: str, entity: str, entity_id: str, detail: dict[str, Any] | None = None
) -> AuditLog:
    """Add an audit row to the session's transaction (committed with the write it describes)."""
    row = AuditLog(actor=actor, action=action, entity=entity, entity_id=str(entity_id), detail=detail or {})
    session.add(row)
    return row
