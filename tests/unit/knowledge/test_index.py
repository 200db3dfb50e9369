"""The Chroma index: notes round trip, scope and date filters, guidance upkeep, embedder separation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import chromadb
import numpy as np
import pytest

from knowledge import index as index_module
from knowledge.chroma_ef import EF_NAME
from knowledge.embedder import WordLlamaEmbedder
from knowledge.index import Knowledge, _chroma_settings
from knowledge.records import NoteRecord

NOTES = [
    NoteRecord("i1", "A1", dt.date(2026, 1, 5), "Dana said the Analytics Suite pricing is too high for FY27.",
               author_id="u1", participants=(("s1", "Dana Reyes"),)),
    NoteRecord("i2", "A2", dt.date(2026, 1, 9), "Raj asked for a Sentinel EDR pilot across two plants.",
               author_id="u2", participants=(("s2", "Raj Patel"),)),
    NoteRecord("i3", "A1", dt.date(2026, 2, 14), "Kickoff of the onboarding project; budget approved by finance.",
               author_id="u1", kind="call"),
    NoteRecord("i4", "A3", dt.date(2026, 3, 1), "東京の工場で価格について話し合いました。", author_id="u3"),
]


def _sections(develop_text: str = "Attractive accounts where we are weak: build access and earn a first win.") -> list:
    return [
        SimpleNamespace(id="develop-plays", title="Running a Develop account", file="q.md", text=develop_text),
        SimpleNamespace(
            id="qbr-running", title="Running a QBR", file="g.md",
            text="A quarterly business review looks back on value delivered.\n\nAgree next quarter's joint goals.",
        ),
        SimpleNamespace(
            id="going-dark", title="Stakeholders going dark", file="s.md",
            text="A stakeholder who has not been met within the expected window has gone dark.",
        ),
    ]


def _knowledge(path: Path, sections: list | None = None, **kwargs) -> Knowledge:
    client = chromadb.PersistentClient(path=str(path), settings=_chroma_settings())
    corpus = sections if sections is not None else _sections()
    return Knowledge(client, WordLlamaEmbedder(), corpus=lambda: corpus, **kwargs)


def test_notes_round_trip_persists_and_filters_by_scope(tmp_path: Path) -> None:
    k = _knowledge(tmp_path / "chroma")
    assert k.upsert_notes(NOTES) == 4
    assert k.note_count() == 4 and k.note_ids() == {"i1", "i2", "i3", "i4"}

    hits = k.search_notes("what did Dana say about pricing", ["A1"], k=5)
    assert hits[0].interaction_id == "i1"
    first = hits[0]
    assert (first.account_id, first.date, first.author_id, first.participants) == (
        "A1", dt.date(2026, 1, 5), "u1", ["Dana Reyes"]
    )
    assert "pricing" in first.excerpt and first.text_hash == NOTES[0].text_hash
    assert all(h.account_id == "A1" for h in hits)  # scope is part of the index query
    assert "i2" not in {h.interaction_id for h in k.search_notes("Sentinel EDR pilot", ["A1"])}
    assert [h.interaction_id for h in k.search_notes("Sentinel EDR pilot", ["A2"])] == ["i2"]
    assert k.search_notes("pricing", []) == []  # an empty scope finds nothing: never widened
    assert k.search_notes("   ", ["A1"]) == []

    since = k.search_notes("budget finance", ["A1"], since=dt.date(2026, 2, 1))
    assert [h.interaction_id for h in since] == ["i3"]
    assert k.search_notes("budget finance", ["A1"], until=dt.date(2026, 1, 31), mode="lexical") == []

    # A fresh client on the same directory sees the same notes (persisted, not in memory).
    again = _knowledge(tmp_path / "chroma")
    assert again.note_count() == 4
    assert again.search_notes("Analytics Suite", ["A1"])[0].interaction_id == "i1"

    k.delete_notes(["i1", "nope"])
    assert k.note_ids() == {"i2", "i3", "i4"}


def test_upsert_overwrites_by_interaction_id(tmp_path: Path) -> None:
    k = _knowledge(tmp_path / "chroma")
    k.upsert_notes(NOTES[:1])
    changed = NoteRecord("i1", "A1", dt.date(2026, 1, 5), "Dana now happy with the discount.", author_id="u1")
    k.upsert_notes([changed])
    assert k.note_count() == 1
    assert k.note_fingerprints() == {"i1": changed.fingerprint()}
    assert "discount" in k.search_notes("discount", ["A1"])[0].excerpt


@pytest.mark.parametrize("mode", ["hybrid", "vector", "lexical"])
def test_every_mode_finds_names_products_and_non_latin(tmp_path: Path, mode: str) -> None:
    k = _knowledge(tmp_path / "chroma", mode=mode)
    k.upsert_notes(NOTES)
    scope = ["A1", "A2", "A3"]
    assert k.search_notes("Raj Sentinel", scope)[0].interaction_id == "i2"
    assert k.search_notes("価格", scope)[0].interaction_id == "i4"


@pytest.mark.parametrize("max_accounts", [100, 1])  # too many notes, or too many accounts
def test_large_scope_ranks_lexically_among_vector_candidates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, max_accounts: int
) -> None:
    monkeypatch.setattr(index_module, "_FULL_SCAN_LIMIT", 2)  # force the large-scope path
    monkeypatch.setattr(index_module, "_VECTOR_CANDIDATES", 1)  # (not used on that path)
    monkeypatch.setattr(index_module, "_FULL_SCAN_MAX_ACCOUNTS", max_accounts)
    k = _knowledge(tmp_path / "chroma", mode="lexical")
    k.upsert_notes(NOTES)
    hits = k.search_notes("sentinel pilot", ["A1", "A2", "A3"])  # lowercase query, capitalised text
    assert [h.interaction_id for h in hits] == ["i2"]
    assert k.search_notes("onboarding", ["A2", "A3"]) == []  # the scope still holds on this path
    assert k.search_notes("onboarding", ["A1", "A2"], until=dt.date(2026, 1, 31)) == []  # and the dates
    assert [h.interaction_id for h in k.search_notes("onboarding", ["A1", "A2"])] == ["i3"]


def test_unrelated_query_finds_nothing_rather_than_noise(tmp_path: Path) -> None:
    k = _knowledge(tmp_path / "chroma")
    k.upsert_notes(NOTES)
    assert k.search_notes("zzqx wibble", ["A1", "A2", "A3"]) == []


def test_guidance_indexed_once_and_refreshed_on_change(tmp_path: Path) -> None:
    k = _knowledge(tmp_path / "chroma")
    assert k.ensure_guidance() == 3
    assert k.ensure_guidance() == 0  # unchanged corpus: nothing rewritten
    hits = k.search_guidance("how should I run a develop account?", k=2)
    assert hits[0].section_id == "develop-plays" and hits[0].title == "Running a Develop account"
    assert len({h.section_id for h in hits}) == len(hits)  # one passage per section

    edited = _sections("Develop accounts need a sponsor introduction and a contained pilot win.")
    assert k.ensure_guidance(edited[:2]) == 2  # one passage changed, one section removed
    assert k.guidance.count() == 2
    assert "pilot" in k.search_guidance("develop account pilot", k=1)[0].text
    assert k.search_guidance("", k=3) == []


def test_collections_are_per_embedder_and_never_use_chromas_default(tmp_path: Path) -> None:
    class Other:
        name = "test-other-embedder"
        dim = 4

        def embed(self, texts: list[str]) -> np.ndarray:
            return np.tile(np.array([1.0, 0.0, 0.0, 0.0], dtype=np.float32), (len(texts), 1))

    k = _knowledge(tmp_path / "chroma")
    k.upsert_notes(NOTES)
    client = k.client
    other = Knowledge(client, Other(), corpus=lambda: [])
    assert other.note_count() == 0  # a different embedder never sees (or mixes with) these vectors
    names = {c.name for c in client.list_collections()}
    assert {"kam-notes-wordllama-l2_supercat-256", "kam-notes-test-other-embedder"} <= names
    ef = k.notes.configuration.get("embedding_function")
    assert ef is not None and ef.name() == EF_NAME


def test_real_corpus_answers_its_own_titles(tmp_path: Path) -> None:
    from knowledge.corpus import load_guidance

    sections = load_guidance()
    k = _knowledge(tmp_path / "chroma", sections=sections)
    assert k.ensure_guidance() >= len(sections)
    hit = k.search_guidance("how should I run a Develop account?", k=3)
    assert "develop-plays" in [h.section_id for h in hit]


def test_unknown_mode_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown search mode"):
        _knowledge(tmp_path / "chroma", mode="fuzzy")  # type: ignore[arg-type]
