"""Note search straight from SQL: the answer when the vector index cannot give one.

Used while the index is unreachable (a Chroma server restarting) or owned by another process (the
embedded index of a running ``kam serve``). The notes in scope holding a query word (in the text, the
account's name or a participant's name) are read from SQL, newest first and at most ``CANDIDATES`` of
them, and ranked with the same BM25 the hybrid search uses. Slower and cruder than the index, never wrong
about what SQL holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, or_
from sqlmodel import col, select

from knowledge.excerpt import excerpt
from knowledge.lexical import BM25, query_terms, tokenize
from knowledge.records import NoteHit, NoteRecord
from store.db import Database
from store.models import Account, Interaction, Participant, Stakeholder

CANDIDATES = 2_000
_SCOPE_CHUNK = 900  # account ids per IN list (SQLite's parameter limit is far above; PostgreSQL has none)


def search_notes_sql(
    db: Database,
    query: str,
    account_ids: Sequence[str],
    k: int = 5,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[NoteHit]:
    """The ``k`` notes of ``account_ids`` (and the date range) that best match ``query`` lexically."""
    from knowledge.outbox import note_records

    scope = sorted({a for a in account_ids if a})
    terms = query_terms(query)
    if not scope or not terms or k <= 0:
        return []
    likes = [f"%{t}%" for t in terms]
    text = func.lower(Interaction.text)
    named_accounts = select(Account.id).where(or_(*[func.lower(Account.name).like(w) for w in likes]))
    named_people = (
        select(Participant.interaction_id)
        .join(Stakeholder, col(Stakeholder.id) == col(Participant.stakeholder_id))
        .where(or_(*[func.lower(Stakeholder.name).like(w) for w in likes]))
    )
    matches = or_(*[text.like(w) for w in likes], col(Interaction.account_id).in_(named_accounts),
                  col(Interaction.id).in_(named_people))
    found: list[tuple[dt.date, str]] = []
    with db.session() as session:
        for start in range(0, len(scope), _SCOPE_CHUNK):
            stmt = select(Interaction.date, Interaction.id).where(
                col(Interaction.account_id).in_(scope[start : start + _SCOPE_CHUNK]), matches
            )
            if since is not None:
                stmt = stmt.where(Interaction.date >= since)
            if until is not None:
                stmt = stmt.where(Interaction.date <= until)
            found.extend(session.exec(stmt.order_by(col(Interaction.date).desc()).limit(CANDIDATES)).all())
        newest = [iid for _, iid in sorted(found, reverse=True)[:CANDIDATES]]
        records = note_records(session, newest)
    if not records:
        return []
    bm25 = BM25([tokenize(_lexical_text(r)) for r in records])
    scored = sorted(
        ((score, r) for score, r in zip(bm25.scores(terms), records, strict=True) if score > 0),
        key=lambda pair: (-pair[0], pair[1].interaction_id),
    )
    return [_hit(r, score, terms) for score, r in scored[:k]]


def _lexical_text(r: NoteRecord) -> str:
    return f"{r.text} {r.account_name} {' '.join(name for _, name in r.participants)}"


def _hit(r: NoteRecord, score: float, terms: list[str]) -> NoteHit:
    return NoteHit(
        interaction_id=r.interaction_id,
        account_id=r.account_id,
        date=r.date,
        author_id=r.author_id,
        kind=r.kind,
        participants=[name for _, name in r.participants],
        participant_ids=[sid for sid, _ in r.participants],
        excerpt=excerpt(r.text, terms),
        score=round(float(score), 6),
        text_hash=r.text_hash,
    )
