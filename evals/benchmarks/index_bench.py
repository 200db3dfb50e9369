"""Notes index benchmark: indexing throughput and query latency / recall at scale, each beside its baseline.

    python -m evals.benchmarks.index_bench [--notes 100000] [--queries 200] [--k 10]

Measured in one run, on synthetic call notes (deterministic, in a temporary Chroma directory):
- indexing: ``Knowledge.upsert_notes`` (embedding + Chroma upsert) in notes/s, beside the raw embedder's
  throughput on the same texts;
- vector queries: Chroma's HNSW query p50 / p95 latency and recall@k against brute-force exact search
  with numpy over the same vectors (whose own latency is printed beside it), unfiltered and within one
  rep's accounts;
- end to end: ``Knowledge.search_notes`` (query embedding, scope filter, lexical + vector, fusion) p50 / p95
  for a rep's scope and for all accounts.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import chromadb
import numpy as np

from evals.benchmarks.note_store import as_stored, store_notes
from evals.retrieval.make_note_set import BANK, COMPETITORS, FILLER, PRODUCTS, TOPICS
from knowledge.embedder import WordLlamaEmbedder
from knowledge.index import Knowledge, _chroma_settings
from knowledge.note_layout import note_embed_text, note_metadata
from knowledge.note_reader import sql_note_reader
from knowledge.records import NoteRecord

_FIRST = ["Dana", "Lars", "Priya", "Marco", "Alice", "Tom", "Mei", "Omar", "Joanna", "Selina", "Ngozi", "Raj",
          "Harriet", "Lucius", "Pepper", "Gavin", "Monica", "Bill", "Rachael", "George", "Ines", "Kofi", "Yuki"]
_LAST = ["Reyes", "Whitfield", "Shah", "Rossi", "Moreau", "Becker", "Tanaka", "Haddad", "Park", "Kyle", "Okafor",
         "Patel", "Cole", "Fox", "Hill", "Belson", "Hall", "Lumbergh", "Sato", "Costa", "Silva", "Mensah", "Ito"]
_WORDS = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Tyrell", "Soylent", "Hooli", "Vandelay",
          "Nakatomi", "Cyberdyne", "Wonka", "Oscorp", "Massive", "Dynamic", "Pinnacle", "Northwind", "Contoso"]
_SUFFIX = ["Corp", "Health", "Logistics", "Foods", "Retail", "Media", "Imports", "Energy", "Bank", "Labs"]


def _accounts(n: int, rng: random.Random) -> list[tuple[str, str, list[str]]]:
    out = []
    for i in range(n):
        people = [f"{rng.choice(_FIRST)} {rng.choice(_LAST)}" for _ in range(rng.randint(2, 5))]
        out.append((f"acc{i:04d}", f"{rng.choice(_WORDS)} {rng.choice(_SUFFIX)} {i}", people))
    return out


def synthetic_notes(n: int, *, n_accounts: int = 500, seed: int = 7) -> list[NoteRecord]:
    """``n`` call notes spread over ``n_accounts`` accounts, written from the eval's sentence bank."""
    rng = random.Random(seed)
    accounts = _accounts(n_accounts, rng)
    start = np.datetime64("2024-01-01")
    notes = []
    for i in range(n):
        account_id, name, people = rng.choice(accounts)
        picked = rng.sample(people, k=min(len(people), rng.choice([1, 1, 2])))
        sentences = []
        for _ in range(rng.choice([1, 2, 2, 3])):
            sentences.append(
                rng.choice(BANK[rng.choice(TOPICS)]).format(
                    first=rng.choice(picked).split()[0],
                    product=rng.choice(PRODUCTS),
                    competitor=rng.choice(COMPETITORS),
                )
            )
        sentences.append(rng.choice(FILLER))
        day = (start + np.timedelta64(rng.randrange(700), "D")).astype(object)
        notes.append(
            NoteRecord(
                interaction_id=f"bench-{i:06d}",
                account_id=account_id,
                date=day,
                text=" ".join(s for s in sentences if s),
                kind=rng.choice(["meeting", "call", "email"]),
                author_id=f"rep{int(account_id[3:]) % 40:02d}",
                participants=tuple((f"{account_id}-{people.index(p)}", p) for p in picked),
                account_name=name,
            )
        )
    return notes


def _queries(notes: list[NoteRecord], n: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    out = []
    for note in rng.sample(notes, n):
        person = note.participants[0][1] if note.participants else ""
        out.append(rng.choice([
            f"what did {person.split()[0]} say about {rng.choice(PRODUCTS)}",
            f"{rng.choice(PRODUCTS)} {rng.choice(['pricing', 'renewal', 'outage', 'security review'])}",
            f"{person} {rng.choice(['budget', 'sponsor', 'competitor', 'rollout'])}",
            f"{rng.choice(COMPETITORS)} at {note.account_name.rsplit(' ', 1)[0]}",
        ]))
    return out


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    value = fn()
    return time.perf_counter() - t0, value


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values) * 1000.0, q))


def _latency(values: list[float]) -> dict[str, float]:
    return {"p50_ms": round(_pct(values, 50), 3), "p95_ms": round(_pct(values, 95), 3),
            "mean_ms": round(statistics.fmean(values) * 1000.0, 3)}


def _vector_queries(
    search: Callable[[np.ndarray], list[str]], qvecs: np.ndarray, sub: np.ndarray, sub_ids: np.ndarray, k: int
) -> dict[str, Any]:
    """A top-k search against numpy's exact top-k over the same vectors: latency of each, recall of the search."""
    ann_t, exact_t, recalls = [], [], []
    for q in qvecs:
        t0 = time.perf_counter()
        found = search(q)
        t1 = time.perf_counter()
        scores = sub @ q
        top = np.argpartition(-scores, k)[:k]
        truth = sub_ids[top[np.argsort(-scores[top])]]
        t2 = time.perf_counter()
        ann_t.append(t1 - t0)
        exact_t.append(t2 - t1)
        recalls.append(len(set(found) & set(truth.tolist())) / k)
    return {
        "candidates": int(len(sub_ids)),
        "chroma": _latency(ann_t),
        "numpy_exact": _latency(exact_t),
        f"recall_at_{k}": round(statistics.fmean(recalls), 4),
    }


BREAKDOWN_NOTES = 5_000


def _write_breakdown(client: Any, records: list[NoteRecord], vectors: np.ndarray) -> dict[str, float]:
    """Where indexing time goes: Chroma's own write of precomputed vectors (notes/s), with everything the index
    stores, without the documents, and vectors alone; each into a fresh collection, in batches of 2,000."""
    out: dict[str, float] = {"notes": len(records)}
    shapes = {
        "chroma_full": lambda b: {"documents": [r.text for r in b], "metadatas": [note_metadata(r) for r in b]},
        "chroma_no_documents": lambda b: {"metadatas": [note_metadata(r) for r in b]},
        "chroma_vectors_only": lambda b: {},
    }
    for label, extra in shapes.items():
        collection = client.create_collection(f"breakdown-{label.replace('_', '-')}",
                                              configuration={"hnsw": {"space": "cosine"}}, embedding_function=None)

        def write(collection: Any = collection, extra: Callable[[list[NoteRecord]], dict[str, Any]] = extra) -> None:
            for start in range(0, len(records), 2000):
                batch = records[start : start + 2000]
                collection.upsert(ids=[r.interaction_id for r in batch], embeddings=vectors[start : start + 2000],
                                  **extra(batch))

        seconds, _ = _timed(write)
        out[f"{label}_notes_per_s"] = round(len(records) / seconds, 1)
    return out


def run(
    *, notes: int = 100_000, queries: int = 200, k: int = 10, accounts: int = 500, workdir: Path | None = None
) -> dict[str, Any]:
    """Run the benchmark and return its figures (see the module docstring)."""
    embedder = WordLlamaEmbedder()
    records = as_stored(synthetic_notes(notes, n_accounts=accounts))
    texts = [note_embed_text(r) for r in records]
    out: dict[str, Any] = {"notes": notes, "accounts": accounts, "queries": queries, "k": k, "embedder": embedder.name}

    embed_s, vectors = _timed(lambda: np.vstack([embedder.embed(texts[i : i + 2000]) for i in range(0, notes, 2000)]))
    out["embedder_notes_per_s"] = round(notes / embed_s, 1)

    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        client = chromadb.PersistentClient(path=str(Path(tmp) / "chroma"), settings=_chroma_settings())
        out["breakdown"] = _write_breakdown(client, records[:BREAKDOWN_NOTES], vectors[:BREAKDOWN_NOTES])
        db = store_notes(records, Path(tmp) / "store")  # the source of truth the search reads its hits from
        knowledge = Knowledge(client, embedder, corpus=lambda: [], note_reader=sql_note_reader(db))
        index_s, _ = _timed(lambda: knowledge.upsert_notes(records))
        out["index_notes_per_s"] = round(notes / index_s, 1)
        out["index_seconds"] = round(index_s, 2)
        out["index_vs_embedder"] = round(out["index_notes_per_s"] / out["embedder_notes_per_s"], 4)
        out["index_count"] = knowledge.note_count()

        qtexts = _queries(records, queries)
        qvecs = embedder.embed(qtexts)
        ids = np.array([r.interaction_id for r in records])
        account_of = np.array([r.account_id for r in records])
        rep_scope = sorted({f"acc{i:04d}" for i in range(accounts) if i % 40 == 3})  # one rep's accounts
        in_scope = np.isin(account_of, rep_scope)

        everyone = sorted(set(account_of.tolist()))

        def chroma(where: dict[str, Any] | None) -> Callable[[np.ndarray], list[str]]:
            def query(q: np.ndarray) -> list[str]:
                res = knowledge.notes.query(query_embeddings=q[None, :], n_results=k, where=where, include=[])
                return list(res["ids"][0])
            return query

        def planned(scope: list[str]) -> Callable[[np.ndarray], list[str]]:
            return lambda q: [i for i, _ in knowledge.nearest_notes(q, scope, k)]

        cases = {  # label: (search, in-scope mask)
            "unfiltered": (chroma(None), None),
            "rep_scope": (chroma({"account_id": {"$in": rep_scope}}), in_scope),
            "all_accounts": (chroma({"account_id": {"$in": everyone}}), None),
            "planned_rep_scope": (planned(rep_scope), in_scope),
            "planned_all_accounts": (planned(everyone), None),
        }
        for label, (search, mask) in cases.items():
            sub, sub_ids = (vectors, ids) if mask is None else (vectors[mask], ids[mask])
            out[f"vector_{label}"] = _vector_queries(search, qvecs, sub, sub_ids, k)

        for label, scope in (("rep_scope", rep_scope), ("all_accounts", everyone)):
            for mode in ("hybrid", "vector"):
                times = []
                for q in qtexts:
                    t0 = time.perf_counter()
                    knowledge.search_notes(q, scope, k=5, mode=mode)
                    times.append(time.perf_counter() - t0)
                out[f"search_notes_{mode}_{label}"] = _latency(times)
        out["search_notes_hybrid_all_accounts_chroma_records"] = _chroma_records(knowledge, qtexts, everyone)
        db.dispose()
    return out


def _chroma_records(knowledge: Knowledge, qtexts: list[str], scope: list[str]) -> dict[str, Any]:
    """The search over all accounts reading its hits' text and metadata from Chroma's records (the way before
    ``knowledge.note_reader``), beside the same search reading them from SQL, query by query (each with its own
    token cache, both cold at the start): latency of each and how many queries gave the same hits."""
    old = Knowledge(knowledge.client, knowledge.embedder, corpus=lambda: [])
    new = Knowledge(knowledge.client, knowledge.embedder, corpus=lambda: [], note_reader=knowledge.note_reader)
    old_t, new_t, same = [], [], 0
    for q in qtexts:
        old_s, old_hits = _timed(lambda q=q: old.search_notes(q, scope, k=5))
        new_s, new_hits = _timed(lambda q=q: new.search_notes(q, scope, k=5))
        old_t.append(old_s)
        new_t.append(new_s)
        same += old_hits == new_hits
    return {"chroma_records": _latency(old_t), "sql_records": _latency(new_t), "same_hits": same,
            "queries": len(qtexts)}


def _report(r: dict[str, Any]) -> str:
    k = r["k"]
    lines = [
        f"notes index benchmark: {r['notes']:,} notes over {r['accounts']} accounts, {r['queries']} queries, "
        f"embedder {r['embedder']}",
        f"indexing (embed + Chroma upsert): {r['index_notes_per_s']:>10,.0f} notes/s  ({r['index_seconds']} s)",
        f"raw embedder, same texts:         {r['embedder_notes_per_s']:>10,.0f} notes/s  "
        f"(indexing runs at {r['index_vs_embedder']:.1%} of it)",
        f"where it goes, Chroma's write of precomputed vectors ({r['breakdown']['notes']:,} notes): "
        f"{r['breakdown']['chroma_full_notes_per_s']:,.0f} notes/s with documents and metadata, "
        f"{r['breakdown']['chroma_no_documents_notes_per_s']:,.0f} without documents, "
        f"{r['breakdown']['chroma_vectors_only_notes_per_s']:,.0f} vectors only",
        "",
        f"{'vector top-' + str(k):<24}{'candidates':>11}{'search p50':>12}{'p95':>9}{'numpy p50':>11}{'p95':>9}"
        f"{'recall@' + str(k):>11}",
    ]
    for label in ("unfiltered", "rep_scope", "all_accounts", "planned_rep_scope", "planned_all_accounts"):
        v = r[f"vector_{label}"]
        lines.append(
            f"{label:<24}{v['candidates']:>11,}{v['chroma']['p50_ms']:>10.2f}ms{v['chroma']['p95_ms']:>7.2f}ms"
            f"{v['numpy_exact']['p50_ms']:>9.2f}ms{v['numpy_exact']['p95_ms']:>7.2f}ms{v[f'recall_at_{k}']:>11.3f}"
        )
    lines += ["", f"{'search_notes (k=5)':<24}{'p50':>10}{'p95':>10}"]
    for key in ("hybrid_rep_scope", "vector_rep_scope", "hybrid_all_accounts", "vector_all_accounts"):
        v = r[f"search_notes_{key}"]
        lines.append(f"{key:<24}{v['p50_ms']:>8.2f}ms{v['p95_ms']:>8.2f}ms")
    c = r["search_notes_hybrid_all_accounts_chroma_records"]
    lines.append(
        f"hybrid_all_accounts, hits read from Chroma's records (before): p50 {c['chroma_records']['p50_ms']:.2f}ms "
        f"p95 {c['chroma_records']['p95_ms']:.2f}ms, from SQL in the same loop: p50 {c['sql_records']['p50_ms']:.2f}"
        f"ms p95 {c['sql_records']['p95_ms']:.2f}ms; same hits for {c['same_hits']} of {c['queries']} queries")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--accounts", type=int, default=500)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = run(notes=args.notes, queries=args.queries, k=args.k, accounts=args.accounts)
    print(json.dumps(result, indent=2) if args.json else _report(result))


if __name__ == "__main__":
    main()
