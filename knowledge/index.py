"""The knowledge index: guidance passages and call notes in Chroma, searched by meaning and by words.

Two collections per embedder (their names carry the embedder's name, so switching embedders never mixes
vectors): guidance, rebuilt from the corpus whenever its content changes, and notes, a copy of the SQL
interactions kept in step by ``knowledge.outbox``. Notes are only ever searched inside a list of account
ids the caller was allowed to see; that filter is part of the index query itself.

Ranking: a vector ranking (cosine, HNSW) and a lexical one (BM25) fused into one (``hybrid``); the
retrieval eval (``python -m evals.retrieval.run``) measures each ranking and both fusions, and the
defaults are the ones that recalled best there.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings

from knowledge.chroma_ef import KamEmbeddingFunction
from knowledge.embedder import Embedder, make_embedder
from knowledge.lexical import BM25, TokenCache, minmax, query_terms, rrf, tokenize
from knowledge.note_layout import note_embed_text, note_hit, note_lexical_text, note_metadata
from knowledge.note_reader import NoteReader
from knowledge.records import GuidanceHit, NoteHit, NoteRecord
from knowledge.scope_vectors import ScopeVectors, nearest_notes
from store.settings import Settings

SearchMode = Literal["hybrid", "vector", "lexical"]
SEARCH_MODES: tuple[str, ...] = ("hybrid", "vector", "lexical")
DEFAULT_MODE: SearchMode = "hybrid"
Fusion = Literal["linear", "rrf"]
FUSIONS: tuple[str, ...] = ("linear", "rrf")
DEFAULT_FUSION: Fusion = "linear"
LINEAR_LEXICAL_WEIGHT = 0.5
RRF_K = 60

# A scope of up to this many accounts and notes (a rep's book, a small team's) is ranked lexically in
# full. A larger one is ranked lexically among its nearest notes by meaning: the vector candidates,
# fetched deeper for that (reading every note of a large scope on each query costs too much).
_FULL_SCAN_MAX_ACCOUNTS = 100
_FULL_SCAN_LIMIT = 1_000
_VECTOR_CANDIDATES = 50
_RERANK_CANDIDATES = 200
PASSAGE_CHARS = 900  # guidance sections are cut into passages of whole paragraphs up to about this size
_WRITE_BATCH = 2_000
# A hit found only by meaning (no query word in it) must be at least this similar to count. Guidance
# questions are short and the passages long, so a loose match there needs more.
MIN_SIMILARITY = 0.2
GUIDANCE_MIN_SIMILARITY = 0.35


@dataclass(frozen=True)
class _Passage:
    id: str
    section_id: str
    title: str
    file: str
    text: str

    def embed_text(self) -> str:
        return f"{self.title}. {self.text}"

    def content_hash(self, embedder_name: str) -> str:
        raw = "\x1f".join((embedder_name, self.section_id, self.title, self.file, self.text))
        return hashlib.sha256(raw.encode()).hexdigest()[:20]


def _passages(section: Any, max_chars: int = PASSAGE_CHARS) -> list[_Passage]:
    """A section cut into passages of whole paragraphs, each at most about ``max_chars``."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", section.text) if p.strip()]
    chunks: list[str] = []
    current = ""
    for para in paragraphs:
        if current and len(current) + len(para) + 2 > max_chars:
            chunks.append(current)
            current = para
        else:
            current = f"{current}\n\n{para}" if current else para
    if current:
        chunks.append(current)
    return [
        _Passage(f"{section.id}#{i}", section.id, section.title, getattr(section, "file", ""), chunk)
        for i, chunk in enumerate(chunks)
    ]


def _collection_name(kind: str, embedder_name: str, prefix: str = "kam") -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", embedder_name).strip("-._")[:200] or "default"
    return f"{prefix}-{kind}-{slug}"


def _load_corpus() -> list[Any]:
    from knowledge.corpus import load_guidance

    return list(load_guidance())


def _chroma_settings() -> ChromaSettings:
    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


class Knowledge:
    """Guidance and notes retrieval over one Chroma client and one embedder."""

    def __init__(
        self,
        client: Any,
        embedder: Embedder,
        *,
        mode: SearchMode = DEFAULT_MODE,
        corpus: Callable[[], Sequence[Any]] = _load_corpus,
        min_similarity: float = MIN_SIMILARITY,
        passage_chars: int = PASSAGE_CHARS,
        fusion: Fusion = DEFAULT_FUSION,
        prefix: str = "kam",
        note_reader: NoteReader | None = None,
    ) -> None:
        if mode not in SEARCH_MODES:
            raise ValueError(f"unknown search mode {mode!r}; use one of {', '.join(SEARCH_MODES)}")
        if fusion not in FUSIONS:
            raise ValueError(f"unknown fusion {fusion!r}; use one of {', '.join(FUSIONS)}")
        self.fusion: Fusion = fusion
        self.client = client
        self.embedder = embedder
        self.mode: SearchMode = mode
        self.min_similarity = min_similarity
        self.passage_chars = passage_chars
        self._corpus = corpus
        self._prefix = prefix
        self.note_reader = note_reader  # found notes' text and metadata from SQL, not Chroma (``note_reader``)
        self._ef = KamEmbeddingFunction(embedder)
        self._notes: Any = None
        self._guidance: Any = None
        self._guidance_checked = False
        self._scope_vectors = ScopeVectors()
        self._tokens = TokenCache(200_000)  # notes' lexical tokens by their lexical text: tokenizing is most of BM25
        self._passages: list[dict[str, Any]] | None = None
        self._passage_bm25: BM25 | None = None

    # -- construction -------------------------------------------------------------------------------

    @classmethod
    def from_settings(cls, settings: Settings, *, embedder: Embedder | None = None,
                      note_reader: NoteReader | None = None) -> Knowledge:
        """An embedded ``PersistentClient`` in the data dir, or ``HttpClient`` when ``chroma_host`` is set."""
        if settings.chroma_host:
            client = chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, settings=_chroma_settings()
            )
        else:
            settings.chroma_path.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(path=str(settings.chroma_path), settings=_chroma_settings())
        return cls(client, embedder or make_embedder(settings), prefix=settings.chroma_prefix, note_reader=note_reader)

    def _collection(self, kind: str) -> Any:
        return self.client.get_or_create_collection(
            name=_collection_name(kind, self.embedder.name, self._prefix),
            configuration={"hnsw": {"space": "cosine"}},
            embedding_function=self._ef,
            metadata={"embedder": self.embedder.name, "kind": kind},
        )

    @property
    def notes(self) -> Any:
        if self._notes is None:
            self._notes = self._collection("notes")
        return self._notes

    @property
    def guidance(self) -> Any:
        if self._guidance is None:
            self._guidance = self._collection("guidance")
        return self._guidance

    def _embed(self, texts: list[str]) -> np.ndarray:
        return self.embedder.embed(texts)

    # -- guidance -----------------------------------------------------------------------------------

    def ensure_guidance(self, sections: Sequence[Any] | None = None, *, force: bool = False) -> int:
        """Index the guidance corpus if it is missing or changed; returns how many passages were (re)written."""
        source = sections if sections is not None else self._corpus()
        passages = [p for s in source for p in _passages(s, self.passage_chars)]
        hashes = {p.id: p.content_hash(self.embedder.name) for p in passages}
        stored = self.guidance.get(include=["metadatas"])
        have = {i: (m or {}).get("hash") for i, m in zip(stored["ids"], stored["metadatas"], strict=True)}
        stale = [p for p in passages if force or have.get(p.id) != hashes[p.id]]
        removed = [i for i in have if i not in hashes]
        if removed:
            self.guidance.delete(ids=removed)
        if stale:
            vectors = self._embed([p.embed_text() for p in stale])
            self.guidance.upsert(
                ids=[p.id for p in stale],
                embeddings=vectors,
                documents=[p.text for p in stale],
                metadatas=[
                    {"section_id": p.section_id, "title": p.title, "file": p.file or "-", "hash": hashes[p.id]}
                    for p in stale
                ],
            )
        self._guidance_checked = True
        if stale or removed or self._passages is None:
            self._load_passages()
        return len(stale) + len(removed)

    def _load_passages(self) -> None:
        got = self.guidance.get(include=["documents", "metadatas"])
        self._set_passages([
            {"id": i, "text": d, **(m or {})}
            for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        ])

    def _set_passages(self, passages: list[dict[str, Any]]) -> None:
        self._passages = passages
        self._passage_bm25 = BM25([tokenize(f"{p['title']} {p['text']}") for p in passages])

    def use_corpus_passages(self) -> None:
        """Rank guidance from the corpus itself, never reading the index: lexical search with no Chroma at all
        (the answer while the index is unreachable)."""
        self._set_passages([
            {"id": p.id, "text": p.text, "section_id": p.section_id, "title": p.title, "file": p.file or "-"}
            for s in self._corpus() for p in _passages(s, self.passage_chars)
        ])
        self._guidance_checked = True

    def search_guidance(self, query: str, k: int = 4, *, mode: SearchMode | None = None) -> list[GuidanceHit]:
        """The ``k`` best guidance passages for ``query``, at most one per section, best first."""
        if not self._guidance_checked:
            self.ensure_guidance()
        assert self._passages is not None and self._passage_bm25 is not None
        mode = mode or self.mode
        if not query.strip() or not self._passages or k <= 0:
            return []
        by_id = {p["id"]: p for p in self._passages}
        vector_rank: list[str] = []
        sims: dict[str, float] = {}
        if mode != "lexical":
            qv = self._embed([query])
            if np.any(qv):
                res = self.guidance.query(
                    query_embeddings=qv, n_results=min(len(by_id), max(4 * k, 20)), include=["distances"]
                )
                vector_rank = res["ids"][0]
                sims = {i: 1.0 - d for i, d in zip(vector_rank, res["distances"][0], strict=True)}
        lexical_rank: list[str] = []
        lex: dict[str, float] = {}
        if mode != "vector":
            scores = self._passage_bm25.scores(query_terms(query))
            ranked = sorted(
                ((s, p["id"]) for s, p in zip(scores, self._passages, strict=True) if s > 0), reverse=True
            )
            lexical_rank = [i for _, i in ranked]
            lex = {i: s for s, i in ranked}
        fused = self._fuse(mode, vector_rank, lexical_rank, sims, lex)
        floor = max(self.min_similarity, GUIDANCE_MIN_SIMILARITY)
        fused = [(i, sc) for i, sc in fused if lex.get(i, 0.0) > 0 or sims.get(i, 0.0) >= floor]
        hits: list[GuidanceHit] = []
        seen: set[str] = set()
        for pid, score in fused:
            p = by_id[pid]
            if p["section_id"] in seen:
                continue
            seen.add(p["section_id"])
            hits.append(
                GuidanceHit(
                    section_id=p["section_id"],
                    title=p["title"],
                    file="" if p.get("file") == "-" else p.get("file", ""),
                    passage_id=pid,
                    text=p["text"],
                    score=round(score, 6),
                )
            )
            if len(hits) >= k:
                break
        return hits

    def _fuse(
        self,
        mode: str,
        vector_rank: list[str],
        lexical_rank: list[str],
        sims: dict[str, float],
        lex: dict[str, float],
    ) -> list[tuple[str, float]]:
        """One ranking from the vector and lexical ones, best first, as (id, score).

        ``linear``: the mean of the two scores, each min-max scaled over its candidates (a candidate one
        ranking did not return scores 0 there). ``rrf``: reciprocal rank fusion, ``sum 1 / (60 + rank)``.
        """
        if mode == "vector":
            return [(i, sims[i]) for i in vector_rank]
        if mode == "lexical":
            return [(i, lex[i]) for i in lexical_rank]
        if self.fusion == "rrf":
            fused = rrf([vector_rank, lexical_rank], k=RRF_K)
        else:
            vs, ls = minmax(sims), minmax(lex)
            w = LINEAR_LEXICAL_WEIGHT
            fused = {i: (1 - w) * vs.get(i, 0.0) + w * ls.get(i, 0.0) for i in {*vector_rank, *lexical_rank}}
        return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))

    # -- notes: writes ------------------------------------------------------------------------------

    def upsert_notes(self, rows: Iterable[NoteRecord]) -> int:
        """Write (or overwrite) notes by interaction id; returns how many were written.

        Pipelined: the next batch is embedded in a second thread while Chroma writes this one (both release
        the GIL for most of their work), so a bulk load costs about the slower of the two, not their sum.
        """
        rows = list({r.interaction_id: r for r in rows}.values())
        batches = [rows[start : start + _WRITE_BATCH] for start in range(0, len(rows), _WRITE_BATCH)]
        if not batches:
            return 0

        def embed(batch: list[NoteRecord]) -> np.ndarray:
            return self._embed([note_embed_text(r) for r in batch])

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kam-embed") as pool:
            upcoming = pool.submit(embed, batches[0])
            for n, batch in enumerate(batches):
                vectors = upcoming.result()
                if n + 1 < len(batches):
                    upcoming = pool.submit(embed, batches[n + 1])
                self.notes.upsert(
                    ids=[r.interaction_id for r in batch],
                    embeddings=vectors,
                    documents=[r.text for r in batch],
                    metadatas=[note_metadata(r) for r in batch],
                )
        self._scope_vectors.forget()  # after the write: a scope read meanwhile is not kept
        return len(rows)

    def delete_notes(self, ids: Iterable[str]) -> int:
        """Remove notes by interaction id (ids not in the index are ignored); returns how many were asked."""
        ids = list(dict.fromkeys(ids))
        for start in range(0, len(ids), _WRITE_BATCH):
            self.notes.delete(ids=ids[start : start + _WRITE_BATCH])
        self._scope_vectors.forget()
        return len(ids)

    def note_count(self) -> int:
        return int(self.notes.count())

    def note_ids(self) -> set[str]:
        return set(self.note_fingerprints())

    def note_fingerprints(self) -> dict[str, str]:
        """Every indexed note id with the fingerprint it was indexed with."""
        out: dict[str, str] = {}
        offset = 0
        while True:
            got = self.notes.get(include=["metadatas"], limit=_WRITE_BATCH * 5, offset=offset)
            for i, m in zip(got["ids"], got["metadatas"], strict=True):
                out[i] = str((m or {}).get("fp", ""))
            if len(got["ids"]) < _WRITE_BATCH * 5:
                return out
            offset += len(got["ids"])

    def reset_notes(self) -> None:
        """Drop the notes collection and start an empty one (a full rebuild follows)."""
        with contextlib.suppress(Exception):  # absent already: nothing to drop
            self.client.delete_collection(_collection_name("notes", self.embedder.name, self._prefix))
        self._notes = None
        self._scope_vectors.forget()

    # -- notes: search ------------------------------------------------------------------------------

    def search_notes(
        self,
        query: str,
        account_ids: Sequence[str],
        k: int = 5,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        mode: SearchMode | None = None,
    ) -> list[NoteHit]:
        """The ``k`` notes best matching ``query`` among the notes of ``account_ids`` (and the date range).

        ``account_ids`` is the caller's scope: it is applied in the index query, and an empty list finds
        nothing (the scope is never widened).
        """
        mode = mode or self.mode
        scope = sorted({a for a in account_ids if a})
        if not scope or not query.strip() or k <= 0:
            return []
        terms = query_terms(query)
        docs: dict[str, tuple[str, dict[str, Any]]] = {}
        # The lexical pool: every note in a small scope, read first; for a large one, the vector candidates.
        in_scope = self._scope_notes(scope, since, until) if mode != "vector" and terms else None
        if in_scope is not None:
            docs.update(in_scope)

        vector_rank: list[str] = []
        sims: dict[str, float] = {}
        if mode != "lexical" or in_scope is None:
            qv = self._embed([query])
            if np.any(qv):
                n = k if mode == "vector" else (_VECTOR_CANDIDATES if in_scope is not None else _RERANK_CANDIDATES)
                nearest = self.nearest_notes(qv[0], scope, max(k, n), since=since, until=until, docs=docs)
                if mode != "lexical":
                    vector_rank = [i for i, _ in nearest]
                    sims = dict(nearest)

        lexical_rank: list[str] = []
        lex: dict[str, float] = {}
        if mode != "vector" and terms and docs:
            pool = list(docs)
            bm25 = BM25([self._note_tokens(*docs[i]) for i in pool])
            lex = {i: sc for i, sc in zip(pool, bm25.scores(terms), strict=True) if sc > 0}
            lexical_rank = sorted(lex, key=lambda i: (-lex[i], i))

        fused = self._fuse(mode, vector_rank, lexical_rank, sims, lex)
        fused = [(i, sc) for i, sc in fused if lex.get(i, 0.0) > 0 or sims.get(i, 0.0) >= self.min_similarity][:k]
        return [note_hit(i, *docs[i], score, terms) for i, score in fused]

    def nearest_notes(self, query_vector: np.ndarray, scope: Sequence[str], n: int, *, since: dt.date | None = None,
                      until: dt.date | None = None, docs: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        """The ``n`` notes of ``scope`` nearest to ``query_vector`` (id, cosine), best first (``scope_vectors``)."""
        return nearest_notes(self.notes, self._scope_vectors, query_vector, sorted(scope), n, docs=docs,
                             since=since.toordinal() if since else None, until=until.toordinal() if until else None,
                             reader=self.note_reader)

    def _note_tokens(self, text: str, meta: dict[str, Any]) -> list[str]:
        lexical = note_lexical_text(text, meta)
        return self._tokens.get(lexical, lambda: lexical)

    def _scope_notes(self, scope: list[str], since: dt.date | None,
                     until: dt.date | None) -> dict[str, tuple[str, dict[str, Any]]] | None:
        """Every note in scope (text, metadata) when the scope is small enough to rank in full, else ``None``;
        read from the scope's held block (``knowledge.scope_vectors``), fetched once for its vectors too."""
        if len(scope) > _FULL_SCAN_MAX_ACCOUNTS:
            return None
        block = self._scope_vectors.block(self.notes, scope)
        if block is None or len(block.ids) > _FULL_SCAN_LIMIT:
            return None
        return block.notes_between(since.toordinal() if since else None, until.toordinal() if until else None)
