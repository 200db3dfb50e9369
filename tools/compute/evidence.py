"""Call-note evidence for plans and QBR briefs: excerpts cited with date, author and interaction id.

``note_evidence`` asks the note index (``ctx.knowledge``, through ``tools.notes.search.find_note_evidence``, which
re-checks every hit against SQL and the user's scope) when one is configured. When there is no index, or
it finds fewer than ``k`` notes, it quotes interaction texts directly: the account's notes dated on or
before ``as_of`` that contain a topic's keywords, most recent first, in one read of the most recent
matching notes (``TEXT_WINDOW_PER_TOPIC`` per topic).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, col, select

from store.models import Interaction, User
from store.scopes import get_visible_account
from tools.context import ToolContext

EXCERPT_CHARS = 280
TEXT_WINDOW_PER_TOPIC = 20
_STOPWORDS = frozenset({
    "the", "and", "for", "with", "from", "that", "this", "what", "who", "how", "are", "was", "were", "has", "have",
    "had", "our", "their", "about", "into", "over", "under", "than", "then", "them", "they", "will", "would",
    "can", "could", "should", "any", "all", "not", "but", "you", "your", "its",
})
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


class Evidence(BaseModel):
    """One quoted note: the excerpt, what it was looked up for, and its citation."""

    interaction_id: str
    account_id: str
    date: dt.date
    author_id: str | None = None
    author_name: str | None = None
    kind: str = ""
    topic: str
    excerpt: str
    source: Literal["index", "text"]
    citation: str

    def as_markdown(self) -> str:
        return f"> {self.excerpt}\n>\n> — {self.citation}"


def keywords(topic: str) -> list[str]:
    """The words of a topic worth matching: lower case, three letters or more, no stop words."""
    words = re.findall(r"[a-z0-9][a-z0-9'-]+", topic.lower())
    return list(dict.fromkeys(w for w in words if len(w) >= 3 and w not in _STOPWORDS))


def excerpt(text: str, words: Sequence[str], limit: int = EXCERPT_CHARS) -> str:
    """The first sentence that holds one of ``words`` (else the first sentence), cut to ``limit``."""
    sentences = [s.strip() for s in _SENTENCE.split(text or "") if s.strip()]
    if not sentences:
        return ""
    chosen = next((s for s in sentences if any(w in s.lower() for w in words)), sentences[0])
    return chosen if len(chosen) <= limit else chosen[: limit - 1].rstrip() + "…"


def cite(day: dt.date, author: str | None, kind: str, interaction_id: str) -> str:
    """``2026-03-04, Dana Reyes (meeting, I-123)``."""
    return f"{day.isoformat()}, {author or 'unknown author'} ({kind or 'note'}, {interaction_id})"


def note_evidence(
    ctx: ToolContext,
    account_id: str,
    topics: list[str],
    k: int = 5,
    *,
    since: dt.date | None = None,
) -> list[Evidence]:
    """Up to ``k`` cited excerpts about ``topics`` from one account's notes up to ``ctx.as_of``.

    Topics take turns so that each gets its best note before any gets a second; the excerpts chosen come
    newest first. An account the user may not see yields nothing. ``since`` keeps only notes dated on or after it.
    """
    if k <= 0 or not topics or get_visible_account(ctx.session, ctx.user, account_id) is None:
        return []
    per_topic: list[list[Evidence]] = []
    if ctx.knowledge is not None:
        per_topic = [_from_index(ctx, account_id, topic, k, since) for topic in topics]
    found = _round_robin(per_topic, k)
    if len(found) < k:
        seen = {e.interaction_id for e in found}
        by_topic = _from_text(ctx, account_id, topics, k, since)
        fallback = [[e for e in by_topic[t] if e.interaction_id not in seen] for t in topics]
        found = found + _round_robin(fallback, k - len(found))
    return sorted(found, key=lambda e: (e.date, e.interaction_id), reverse=True)  # read newest first


def _round_robin(groups: list[list[Evidence]], k: int) -> list[Evidence]:
    out: list[Evidence] = []
    seen: set[str] = set()
    depth = 0
    while len(out) < k and any(depth < len(g) for g in groups):
        for group in groups:
            if depth < len(group) and group[depth].interaction_id not in seen and len(out) < k:
                out.append(group[depth])
                seen.add(group[depth].interaction_id)
        depth += 1
    return out


def _from_index(ctx: ToolContext, account_id: str, topic: str, k: int, since: dt.date | None) -> list[Evidence]:
    from tools.notes.search import find_note_evidence

    hits = find_note_evidence(ctx, query=topic, account_ids=[account_id], k=k, since=since, until=ctx.as_of)
    return [
        Evidence(interaction_id=h.interaction_id, account_id=h.account_id, date=h.date, author_id=h.author_id,
                 author_name=h.author_name, kind=h.kind, topic=topic, excerpt=h.excerpt, source="index",
                 citation=cite(h.date, h.author_name or h.author_id, h.kind, h.interaction_id))
        for h in hits
        if h.date <= ctx.as_of and (since is None or h.date >= since)
    ]


def _from_text(
    ctx: ToolContext, account_id: str, topics: list[str], k: int, since: dt.date | None
) -> dict[str, list[Evidence]]:
    """Per topic, up to ``k`` notes holding one of its keywords, newest first, from one read of the
    ``TEXT_WINDOW_PER_TOPIC`` x topics most recent notes that hold any of them."""
    words = {t: keywords(t) for t in topics}
    every = list(dict.fromkeys(w for ws in words.values() for w in ws))
    out: dict[str, list[Evidence]] = {t: [] for t in topics}
    if not every:
        return out
    text = text_for_like(ctx.session)
    stmt = (
        select(Interaction.id, Interaction.date, Interaction.kind, Interaction.author_id, Interaction.text, User.name)
        .outerjoin(User, col(User.id) == Interaction.author_id)
        .where(Interaction.account_id == account_id, Interaction.date <= ctx.as_of,
               or_(*[text.like(f"%{w}%") for w in every]))
        .order_by(col(Interaction.date).desc(), col(Interaction.id).desc())
        .limit(TEXT_WINDOW_PER_TOPIC * len(topics))
    )
    if since is not None:
        stmt = stmt.where(Interaction.date >= since)
    open_topics = dict(words)
    for iid, day, kind, author_id, body, author in ctx.session.exec(stmt).all():
        lowered = (body or "").lower()
        for topic, ws in list(open_topics.items()):
            hit = [w for w in ws if w in lowered]
            if hit:
                out[topic].append(Evidence(
                    interaction_id=iid, account_id=account_id, date=day, author_id=author_id, author_name=author,
                    kind=kind or "", topic=topic, excerpt=excerpt(body or "", hit), source="text",
                    citation=cite(day, author or author_id, kind, iid)))
                if len(out[topic]) == k:
                    del open_topics[topic]
        if not open_topics:
            break
    return out


def text_for_like(session: Session) -> ColumnElement[str]:
    """The note text to match lower-case words against with ``LIKE``, ignoring case. On SQLite the text itself:
    its ``LIKE`` ignores ASCII case and its ``lower()`` folds ASCII only, so the matches are the same without
    lowering every note once per word; elsewhere ``lower(text)``."""
    if session.get_bind().dialect.name == "sqlite":
        return col(Interaction.text)
    return func.lower(Interaction.text)
