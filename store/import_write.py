"""Writing one validated import file: compare with the store, then bulk insert and update, with audit rows.

Rows are matched on the file's key (``id``; ``interaction_id`` + ``stakeholder_id`` for participants;
``account_id`` + ``date`` for plans). Only the columns the file has are compared and written, so a file
without, say, ``slack_user_id`` leaves that column alone. Existing rows are loaded in chunks, and new
and changed rows go out as executemany batches of ``CHUNK``: a handful of statements per thousand rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any

from pydantic_core import PydanticUndefined
from sqlalchemy import Table, bindparam, insert, literal, select, update
from sqlmodel import Session

from store.import_report import FileReport
from store.import_schema import FileSpec
from store.index_queue import queue_upserts
from store.models import AuditLog, Interaction, Participant, utcnow

CHUNK = 1000

Row = tuple[int, dict[str, Any]]  # (line, values)


def table_of(spec: FileSpec) -> Table:
    return spec.table.__table__  # type: ignore[attr-defined, no-any-return]


def column_defaults(spec: FileSpec) -> dict[str, Any]:
    """Values for a new row's columns that the file does not give (the model's defaults, else NULL)."""
    defaults: dict[str, Any] = {}
    fields = spec.table.model_fields
    table = table_of(spec)
    surrogate = {c.name for c in table.primary_key.columns if c.name not in spec.key}  # e.g. a plan's int id
    for column in table.columns:
        if column.name in surrogate:
            continue
        info = fields.get(column.name)
        if info is None:
            defaults[column.name] = None
        elif info.default_factory is not None:
            defaults[column.name] = info.default_factory()  # type: ignore[call-arg]
        else:
            defaults[column.name] = None if info.default is PydanticUndefined else info.default
    return defaults


def not_null_defaults(spec: FileSpec) -> dict[str, Any]:
    """For NOT NULL columns with a default: the value an empty cell (unknown) stands for."""
    defaults = column_defaults(spec)
    return {
        c.name: defaults[c.name]
        for c in table_of(spec).columns
        if not c.nullable and c.name in defaults and defaults[c.name] is not None
    }


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def key_of(spec: FileSpec) -> Callable[[dict[str, Any]], Any]:
    """A row's key: the value of a one-column key, or a tuple of the values of a composite one."""
    return itemgetter(*spec.key)


def _key_text(key: Any) -> str:
    return "/".join(str(v) for v in key) if isinstance(key, tuple) else str(key)


def _load_existing(session: Session, spec: FileSpec, keys: set[Any], columns: list[str]) -> dict[Any, dict[str, Any]]:
    """The stored rows with these keys, by key: filtered on the first key column, a chunk at a time."""
    table = table_of(spec)
    if session.execute(select(literal(1)).select_from(table).limit(1)).first() is None:
        return {}
    wanted = list(dict.fromkeys([*spec.key, *columns, *(c.name for c in table.primary_key.columns)]))
    first = sorted({k[0] for k in keys} if len(spec.key) > 1 else keys, key=str)
    key = key_of(spec)
    existing: dict[Any, dict[str, Any]] = {}
    for chunk in _chunks(first):
        stmt = select(*(table.c[c] for c in wanted)).where(table.c[spec.key[0]].in_(chunk))
        for row in session.execute(stmt).all():
            record = dict(zip(wanted, row, strict=True))
            k = key(record)
            if k in keys:
                existing[k] = record
    return existing


def _json_safe(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def write_file(
    session: Session,
    spec: FileSpec,
    rows: list[Row],
    columns: list[str],
    *,
    actor: str,
    report: FileReport,
    order_inserts: Callable[[list[Row]], list[Row]] | None = None,
    advance: Callable[[int], None] = lambda n: None,
) -> list[Any]:
    """Upsert ``rows`` (only ``columns`` are compared and written) and audit every created or updated row.

    Returns the keys of the rows created or updated."""
    table = table_of(spec)
    entity = table.name
    key = key_of(spec)
    keys = {key(values) for _, values in rows}
    existing = _load_existing(session, spec, keys, columns)
    compared = [c for c in columns if c not in spec.key]
    inserts: list[Row] = []
    updates: list[tuple[Row, dict[str, Any], dict[str, Any]]] = []
    for line, values in rows:
        old = existing.get(key(values))
        if old is None:
            inserts.append((line, values))
            continue
        changes = {c: [_json_safe(old[c]), _json_safe(values[c])] for c in compared if old[c] != values[c]}
        if changes:
            updates.append(((line, values), old, changes))
        else:
            report.unchanged += 1
    advance(len(rows) - len(inserts) - len(updates))

    now = utcnow()
    audits: list[dict[str, Any]] = []
    source = {"source": "import", "file": spec.filename}
    if order_inserts is not None:
        inserts = order_inserts(inserts)
    defaults = column_defaults(spec)
    autoincrement = [c for c in table.primary_key.columns if c.name not in spec.key]
    for chunk in _chunks(inserts):
        params = [defaults | values for _, values in chunk]
        if autoincrement:
            pk = autoincrement[0]
            stmt = insert(table).returning(pk, sort_by_parameter_order=True)
            ids = [str(r[0]) for r in session.execute(stmt, params)]
        else:
            session.execute(insert(table), params)
            ids = [_key_text(key(values)) for _, values in chunk]
        for (line, _), entity_id in zip(chunk, ids, strict=True):
            audits.append(_audit(now, actor, "create", entity, entity_id, {**source, "line": line}))
        report.created += len(chunk)
        advance(len(chunk))

    if updates:
        pk_names = [c.name for c in table.primary_key.columns]
        stmt = (
            update(table)
            .where(*(table.c[k] == bindparam(f"k_{k}") for k in pk_names))
            .values({c: bindparam(f"v_{c}") for c in compared})
        )
        for chunk in _chunks(updates):
            params = [
                {**{f"k_{k}": old[k] for k in pk_names}, **{f"v_{c}": values[c] for c in compared}}
                for (_, values), old, _ in chunk
            ]
            session.execute(stmt, params)
            for (line, _), old, changes in chunk:
                entity_id = "/".join(str(old[k]) for k in pk_names)
                audits.append(_audit(now, actor, "update", entity, entity_id, {**source, "line": line,
                                                                              "changes": changes}))
            report.updated += len(chunk)
            advance(len(chunk))

    for chunk in _chunks(audits):
        session.execute(insert(AuditLog.__table__), list(chunk))  # type: ignore[attr-defined]
    return [key(values) for _, values in inserts] + [key(values) for (_, values), _, _ in updates]


def queue_notes(session: Session, spec: FileSpec, keys: Sequence[Any]) -> int:
    """Outbox rows, in the import's own transaction, for every note whose indexed copy the written rows change:
    the interactions themselves, their participants, and the notes of renamed accounts and stakeholders.
    Returns how many notes were queued."""
    if not keys:
        return 0
    if spec.name == "interactions":
        ids = list(keys)
    elif spec.name == "participants":
        ids = list(dict.fromkeys(k[0] for k in keys))
    elif spec.name in ("accounts", "stakeholders"):
        column = Interaction.account_id if spec.name == "accounts" else Participant.stakeholder_id
        source = Interaction.id if spec.name == "accounts" else Participant.interaction_id
        ids = []
        for chunk in _chunks(list(keys)):
            ids.extend(session.execute(select(source).where(column.in_(chunk))).scalars())  # type: ignore[attr-defined]
        ids = list(dict.fromkeys(ids))
    else:
        return 0
    return queue_upserts(session, ids)


def _audit(at: dt.datetime, actor: str, action: str, entity: str, entity_id: str,
           detail: dict[str, Any]) -> dict[str, Any]:
    """An audit row as ``store.audit.record`` writes it, for a bulk insert."""
    return {"at": at, "actor": actor, "action": action, "entity": entity, "entity_id": entity_id, "detail": detail}
