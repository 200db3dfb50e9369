"""Exact vector search inside a small scope: the scope's note vectors held in memory, searched with numpy.

A rep's scope holds a few thousand notes. Chroma answers a query filtered to them by walking its HNSW graph
under a metadata filter, which costs tens of milliseconds; a dot product over the same few thousand
vectors costs a fraction of one and is exact (recall 1.0). So the vectors of a scope are fetched from the
index once (one ``get`` by the scope's accounts) and kept for ``ttl_s``; a write through this process
forgets them at once, and a write by another process (several workers on one Chroma server) is seen within
``ttl_s``. Scopes larger than ``max_notes`` are not kept: HNSW serves them.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from knowledge.note_reader import NoteReader


@dataclass(frozen=True)
class ScopeBlock:
    """The notes of one scope: ids, their dates (ordinals) and their unit vectors, row for row."""

    ids: np.ndarray
    dates: np.ndarray
    vectors: np.ndarray
    docs: dict[str, tuple[str, dict[str, Any]]]  # id: (text, metadata), for the lexical ranking of the scope

    def notes_between(self, since: int | None, until: int | None) -> dict[str, tuple[str, dict[str, Any]]]:
        """The scope's notes (text, metadata) dated within ``since`` .. ``until`` (ordinals; ``None``: open)."""
        if since is None and until is None:
            return dict(self.docs)
        return {i: doc for i, doc in self.docs.items() if _in_dates(doc[1], since, until)}

    def top(self, query: np.ndarray, n: int, since: int | None = None, until: int | None = None
            ) -> list[tuple[str, float]]:
        """The ``n`` nearest notes by cosine (the vectors are unit length), best first, as (id, similarity)."""
        if not len(self.ids):
            return []
        scores = self.vectors @ query.astype(np.float32, copy=False)
        if since is not None or until is not None:
            keep = np.ones(len(self.ids), dtype=bool)
            if since is not None:
                keep &= self.dates >= since
            if until is not None:
                keep &= self.dates <= until
            scores = np.where(keep, scores, -np.inf)
        n = min(n, int(np.isfinite(scores).sum()))
        if n <= 0:
            return []
        best = np.argpartition(-scores, n - 1)[:n]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(str(self.ids[i]), float(scores[i])) for i in best]


class ScopeVectors:
    """A small cache of ``ScopeBlock`` by scope; see the module docstring."""

    def __init__(self, *, ttl_s: float = 5.0, max_notes: int = 20_000, max_scopes: int = 32,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self.max_notes = max_notes
        self.max_scopes = max_scopes
        self._clock = clock
        self._blocks: OrderedDict[tuple[str, ...], tuple[float, ScopeBlock | None]] = OrderedDict()
        self._lock = threading.Lock()
        self._generation = 0

    def block(self, collection: Any, scope: Sequence[str]) -> ScopeBlock | None:
        """The scope's vectors (fetched if not held or expired), or ``None`` when it holds over ``max_notes``."""
        key = tuple(scope)
        now = self._clock()
        with self._lock:
            held = self._blocks.get(key)
            if held is not None and held[0] > now:
                self._blocks.move_to_end(key)
                return held[1]
            generation = self._generation
        block = self._fetch(collection, list(key))
        with self._lock:
            if generation != self._generation:  # a write ended while this was read: use it, do not keep it
                return block
            self._blocks[key] = (now + self.ttl_s, block)
            self._blocks.move_to_end(key)
            while len(self._blocks) > self.max_scopes:
                self._blocks.popitem(last=False)
        return block

    def _fetch(self, collection: Any, scope: list[str]) -> ScopeBlock | None:
        where = {"account_id": scope[0]} if len(scope) == 1 else {"account_id": {"$in": scope}}
        counted = collection.get(where=where, include=[], limit=self.max_notes + 1)["ids"]
        if len(counted) > self.max_notes:
            return None
        if not counted:
            empty = np.array([], dtype=object)
            return ScopeBlock(empty, np.array([], dtype=np.int64), np.zeros((0, 0), np.float32), {})
        got = collection.get(ids=counted, include=["embeddings", "metadatas", "documents"])
        metas = [m or {} for m in got["metadatas"]]
        vectors = np.asarray(got["embeddings"], dtype=np.float32)
        dates = np.array([int(m.get("date_ord", 0)) for m in metas], dtype=np.int64)
        docs = {i: (d or "", m) for i, d, m in zip(got["ids"], got["documents"], metas, strict=True)}
        return ScopeBlock(np.array(got["ids"], dtype=object), dates, vectors, docs)

    def forget(self) -> None:
        """Drop every held scope (after a write through this process)."""
        with self._lock:
            self._blocks.clear()
            self._generation += 1


# Scopes of up to this many accounts are searched exactly (when they also hold at most ``max_notes``); larger
# ones ask HNSW, unfiltered when the scope is most of the index (a manager's "all accounts": no 10,000-way
# ``$in`` filter), keeping the in-scope hits of a deeper candidate list, and filtered when that falls short.
EXACT_MAX_ACCOUNTS = 400
OVERSAMPLE = 3


def nearest_notes(
    collection: Any,
    cache: ScopeVectors,
    query: np.ndarray,
    scope: Sequence[str],
    n: int,
    *,
    since: int | None = None,
    until: int | None = None,
    docs: dict[str, tuple[str, dict[str, Any]]] | None = None,
    reader: NoteReader | None = None,
) -> list[tuple[str, float]]:
    """The ``n`` notes of ``scope`` (sorted account ids) nearest to ``query``, as (id, cosine similarity),
    best first; the plan is chosen by the scope's size (see above). ``since`` / ``until`` are date ordinals.
    ``docs``, when given, receives the hits' (text, metadata): read by ``reader`` (from SQL, see
    ``knowledge.note_reader``) when one is given, the index then asked for ids and distances only; else read
    from the index in the same request."""
    docs = {} if docs is None else docs
    include = ["distances"] if reader is not None else ["documents", "metadatas", "distances"]
    if len(scope) <= EXACT_MAX_ACCOUNTS:
        block = cache.block(collection, scope)
        if block is not None:
            hits = block.top(query, n, since, until)
            docs.update((i, block.docs[i]) for i, _ in hits)
            return hits
    else:
        wanted = set(scope)
        for deep in (n, n * OVERSAMPLE):  # all in scope at the first depth when the scope is (nearly) everything
            res = collection.query(query_embeddings=query[None, :], n_results=deep, include=include)
            hits = _hits(res, docs, lambda m: m.get("account_id") in wanted and _in_dates(m, since, until), reader)
            if len(hits) >= n or len(res["ids"][0]) < deep:  # enough, or the index holds no more
                return hits[:n]
    where: dict[str, Any] = {"account_id": {"$in": list(scope)}}
    dated = [{"date_ord": {"$gte": since}}] if since is not None else []
    dated += [{"date_ord": {"$lte": until}}] if until is not None else []
    if dated:
        where = {"$and": [where, *dated]}
    res = collection.query(query_embeddings=query[None, :], n_results=n, where=where, include=include)
    wanted = set(scope)  # checked again on the store's copy when the notes are read from it
    return _hits(res, docs, lambda m: m.get("account_id") in wanted and _in_dates(m, since, until), reader)


def _hits(res: dict[str, Any], docs: dict[str, tuple[str, dict[str, Any]]],
          keep: Callable[[dict[str, Any]], bool], reader: NoteReader | None = None) -> list[tuple[str, float]]:
    """The results kept by ``keep`` (on each note's metadata), as (id, similarity); their notes go to ``docs``.
    With a ``reader`` the notes are read from it, and a note it does not hold (gone from SQL) is dropped."""
    ids = res["ids"][0]
    if reader is not None:
        found = reader(ids)
        notes = [found.get(i) for i in ids]
    else:
        notes = [(text or "", meta or {}) for text, meta in zip(res["documents"][0], res["metadatas"][0], strict=True)]
    hits = []
    for i, note, dist in zip(ids, notes, res["distances"][0], strict=True):
        if note is not None and keep(note[1]):
            hits.append((i, 1.0 - float(dist)))
            docs[i] = note
    return hits


def _in_dates(meta: dict[str, Any], since: int | None, until: int | None) -> bool:
    day = int(meta.get("date_ord", 0))
    return (since is None or day >= since) and (until is None or day <= until)
