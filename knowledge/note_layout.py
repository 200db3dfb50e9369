"""How a note is laid out in the index: the text its vector is made from, its metadata, the scope filter,
and the hit built back from what the index returns."""

from __future__ import annotations

import datetime as dt
from typing import Any

from knowledge.excerpt import excerpt
from knowledge.records import NoteHit, NoteRecord


def note_embed_text(row: NoteRecord) -> str:
    """What a note's vector is made from: its text, then the account and the people in it."""
    context = ", ".join([row.account_name, *(name for _, name in row.participants)] if row.account_name else
                        [name for _, name in row.participants])
    return f"{row.text}\n{context}" if context else row.text


def note_lexical_text(text: str, meta: dict[str, Any]) -> str:
    names = meta.get("participant_names") or []
    return f"{text} {meta.get('account_name', '')} {' '.join(names)}"


def note_metadata(row: NoteRecord, *, fingerprint: bool = True) -> dict[str, Any]:
    """What the index stores beside a note's text; ``fingerprint=False`` leaves out ``fp`` (what the outbox compares
    to find stale copies, and the dearest key to compute: a search reading notes from SQL has no use for it)."""
    meta: dict[str, Any] = {
        "account_id": row.account_id,
        "account_name": row.account_name,
        "date": row.date.isoformat(),
        "date_ord": row.date.toordinal(),
        "author_id": row.author_id or "",
        "kind": row.kind or "",
        "text_hash": row.text_hash,
    }
    if fingerprint:
        meta["fp"] = row.fingerprint()
    if row.participants:  # Chroma refuses empty lists
        meta["participant_ids"] = [sid for sid, _ in row.participants]
        meta["participant_names"] = [name for _, name in row.participants]
    return meta


def note_hit(interaction_id: str, text: str, meta: dict[str, Any], score: float, terms: list[str]) -> NoteHit:
    return NoteHit(
        interaction_id=interaction_id,
        account_id=str(meta.get("account_id", "")),
        date=dt.date.fromisoformat(str(meta.get("date"))),
        author_id=meta.get("author_id") or None,
        kind=str(meta.get("kind") or ""),
        participants=list(meta.get("participant_names") or []),
        participant_ids=list(meta.get("participant_ids") or []),
        excerpt=excerpt(text, terms),
        score=round(float(score), 6),
        text_hash=str(meta.get("text_hash", "")),
    )
