"""Searching over many accounts reads its hits from SQL (``knowledge.note_reader``), asking the index only for
ids and distances: the same hits as reading them from Chroma's records on an index in step with the store, on
the demo portfolio on SQLite and PostgreSQL, with the embedded index and with the Chroma server; where the index
lags, the store wins."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import chromadb
import pytest
from conftest import CHROMA_HOST, CHROMA_PORT, _drop_collections
from sqlmodel import select

import knowledge.index as index_module
import knowledge.scope_vectors as scope_module
from knowledge.embedder import WordLlamaEmbedder
from knowledge.index import Knowledge, _chroma_settings
from knowledge.note_reader import sql_note_reader
from knowledge.outbox import index_all_interactions
from store.db import Database
from store.demo import generate_portfolio, write_csvs
from store.importer import import_dir
from store.models import Account, Interaction, Participant

AS_OF = dt.date(2026, 11, 22)
QUERIES = ["pricing pushback on the renewal", "security review", "budget approval", "executive sponsor",
           "competitor pilot", "onboarding rollout", "support escalation", "expansion into a new region"]


@pytest.fixture(params=["embedded", "server"])
def client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Any, str]]:
    """A Chroma client and a collection prefix of this test's own: the embedded index, then the server."""
    if request.param == "embedded":
        yield chromadb.PersistentClient(path=str(tmp_path / "chroma"), settings=_chroma_settings()), "kam"
        return
    if not CHROMA_HOST:
        pytest.skip("KAM_TEST_CHROMA_HOST not set (the Chroma server)")
    prefix = f"t{uuid.uuid4().hex[:10]}"
    yield chromadb.HttpClient(host=CHROMA_HOST, port=CHROMA_PORT, settings=_chroma_settings()), prefix
    _drop_collections(prefix)


@pytest.fixture
def demo(db: Database, tmp_path: Path, client: tuple[Any, str],
         monkeypatch: pytest.MonkeyPatch) -> tuple[Knowledge, Knowledge, list[str]]:
    """The demo indexed from SQL, searched by two ``Knowledge``: hits read from Chroma, and from SQL. Every scope
    takes the large-scope plan (HNSW, lexical ranking among the vector candidates), the one that reads hits."""
    import_dir(db, write_csvs(generate_portfolio(as_of=AS_OF), tmp_path / "csv"), actor="tester")
    chroma, prefix = client
    embedder = WordLlamaEmbedder()
    from_chroma = Knowledge(chroma, embedder, corpus=lambda: [], prefix=prefix)
    from_sql = Knowledge(chroma, embedder, corpus=lambda: [], prefix=prefix, note_reader=sql_note_reader(db))
    assert index_all_interactions(db, from_chroma) > 500
    monkeypatch.setattr(scope_module, "EXACT_MAX_ACCOUNTS", 0)
    monkeypatch.setattr(index_module, "_FULL_SCAN_MAX_ACCOUNTS", 0)
    with db.session() as s:
        accounts = sorted(s.exec(select(Account.id)).all())
    return from_chroma, from_sql, accounts


def test_hits_read_from_sql_are_the_hits_read_from_chroma(demo: tuple[Knowledge, Knowledge, list[str]]) -> None:
    from_chroma, from_sql, accounts = demo
    scopes = [accounts, accounts[::3], accounts[:2]]
    found = 0
    for query in QUERIES:
        for scope in scopes:
            for mode in ("hybrid", "vector", "lexical"):
                want = from_chroma.search_notes(query, scope, k=8, mode=mode)
                assert from_sql.search_notes(query, scope, k=8, mode=mode) == want, (query, len(scope), mode)
                found += len(want)
            since = dict(since=dt.date(2026, 6, 1), until=dt.date(2026, 10, 31))
            want = from_chroma.search_notes(query, scope, k=8, **since)
            assert from_sql.search_notes(query, scope, k=8, **since) == want
            assert all(since["since"] <= h.date <= since["until"] for h in want)
    assert found > 100  # the comparison is over real hits, not empty lists


def test_where_the_index_lags_the_store_wins(db: Database,
                                             demo: tuple[Knowledge, Knowledge, list[str]]) -> None:
    from_chroma, from_sql, accounts = demo
    hit = from_sql.search_notes("pricing pushback on the renewal", accounts, k=1)[0]
    other = next(a for a in accounts if a != hit.account_id)
    with db.write() as s:  # the note moves to another account; the index is not told
        s.get(Interaction, hit.interaction_id).account_id = other
    scope = [a for a in accounts if a != other]
    assert hit.interaction_id in _ids(from_chroma.search_notes("pricing pushback on the renewal", scope, k=20))
    assert hit.interaction_id not in _ids(from_sql.search_notes("pricing pushback on the renewal", scope, k=20))
    with db.write() as s:  # deleted from SQL: not found, though the index still holds it
        for p in s.exec(select(Participant).where(Participant.interaction_id == hit.interaction_id)).all():
            s.delete(p)
        s.delete(s.get(Interaction, hit.interaction_id))
    assert hit.interaction_id not in _ids(from_sql.search_notes("pricing pushback on the renewal", accounts, k=20))


def _ids(hits: list[Any]) -> list[str]:
    return [h.interaction_id for h in hits]
