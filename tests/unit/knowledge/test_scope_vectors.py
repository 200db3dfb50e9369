"""Scoped vector search: exact over a small scope's vectors, HNSW over a large one, recall against numpy."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import chromadb
import numpy as np
import pytest

from evals.benchmarks.index_bench import synthetic_notes
from knowledge.embedder import WordLlamaEmbedder
from knowledge.index import Knowledge, _chroma_settings
from knowledge.note_layout import note_embed_text
from knowledge.scope_vectors import EXACT_MAX_ACCOUNTS

ACCOUNTS = EXACT_MAX_ACCOUNTS + 100  # "all accounts" is past the exact plan's limit


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Knowledge, list, np.ndarray]:
    path: Path = tmp_path_factory.mktemp("scope-vectors")
    notes = synthetic_notes(3_000, n_accounts=ACCOUNTS, seed=3)
    knowledge = Knowledge(chromadb.PersistentClient(path=str(path), settings=_chroma_settings()), WordLlamaEmbedder(),
                          corpus=lambda: [])
    knowledge.upsert_notes(notes)
    vectors = knowledge.embedder.embed([note_embed_text(r) for r in notes])
    return knowledge, notes, vectors


def _exact(notes: list, vectors: np.ndarray, q: np.ndarray, scope: set[str], k: int,
           since: dt.date | None = None) -> list[str]:
    keep = [i for i, r in enumerate(notes) if r.account_id in scope and (since is None or r.date >= since)]
    scores = vectors[keep] @ q
    return [notes[keep[j]].interaction_id for j in np.argsort(-scores, kind="stable")[:k]]


QUERIES = ["pricing renewal at the bank", "security review outage", "budget sponsor rollout", "competitor pilot"]


def test_a_small_scope_is_searched_exactly(indexed: tuple[Knowledge, list, np.ndarray]) -> None:
    knowledge, notes, vectors = indexed
    scope = sorted({r.account_id for r in notes})[:12]
    for text in QUERIES:
        q = knowledge.embedder.embed([text])[0]
        got = [i for i, _ in knowledge.nearest_notes(q, scope, 10)]
        assert got == _exact(notes, vectors, q, set(scope), 10)
        since = dt.date(2025, 1, 1)
        dated = [i for i, _ in knowledge.nearest_notes(q, scope, 10, since=since)]
        assert dated == _exact(notes, vectors, q, set(scope), 10, since)


def test_all_accounts_recall_against_exact(indexed: tuple[Knowledge, list, np.ndarray]) -> None:
    knowledge, notes, vectors = indexed
    everyone = sorted({r.account_id for r in notes})
    assert len(everyone) > EXACT_MAX_ACCOUNTS
    recalls = []
    for text in QUERIES * 3:
        q = knowledge.embedder.embed([text + f" {len(recalls)}"])[0]
        got = {i for i, _ in knowledge.nearest_notes(q, everyone, 10)}
        recalls.append(len(got & set(_exact(notes, vectors, q, set(everyone), 10))) / 10)
    assert np.mean(recalls) >= 0.95, recalls
    half = everyone[: len(everyone) // 2]  # a large scope that is not all of it: in-scope hits only
    q = knowledge.embedder.embed(["renewal pricing"])[0]
    allowed = {r.interaction_id for r in notes if r.account_id in set(half)}
    assert {i for i, _ in knowledge.nearest_notes(q, half, 10)} <= allowed


def test_a_write_is_seen_by_the_next_search(indexed: tuple[Knowledge, list, np.ndarray]) -> None:
    knowledge, notes, _ = indexed
    scope = [notes[0].account_id]
    q = knowledge.embedder.embed(["zeppelin hangar lease"])[0]
    knowledge.nearest_notes(q, scope, 5)  # the scope's vectors are now held
    fresh = dataclasses.replace(notes[0], interaction_id="fresh-1", text="The zeppelin hangar lease is due.")
    knowledge.upsert_notes([fresh])
    assert knowledge.nearest_notes(q, scope, 1)[0][0] == "fresh-1"
    knowledge.delete_notes(["fresh-1"])
    assert "fresh-1" not in {i for i, _ in knowledge.nearest_notes(q, scope, 5)}
