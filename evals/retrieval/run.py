"""Retrieval eval: recall@k of lexical, vector and hybrid ranking on guidance and on call notes.

    python -m evals.retrieval.run [--k 5] [--passage-chars 900] [--fail-under 0.8] [--json]

Guidance queries (``guidance_queries.jsonl``) are labelled with the section ids that answer them; note
queries (``notes_queries.jsonl``) with the note ids of ``notes_corpus.jsonl`` that match the facts they
ask about, searched inside the scope the query names (all accounts, or one rep's). Recall@k of a query is
the share of its relevant items in the top k, out of at most k (a query with 6 relevant notes can still
score 1.0 at k = 5); the figure printed is the mean over queries. Runs offline on the WordLlama embedder
in a temporary Chroma directory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import chromadb

from evals.retrieval.make_note_set import ACCOUNTS, scope_accounts
from knowledge.embedder import Embedder, WordLlamaEmbedder
from knowledge.index import DEFAULT_FUSION, FUSIONS, PASSAGE_CHARS, Knowledge, _chroma_settings
from knowledge.records import NoteRecord

HERE = Path(__file__).parent


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _recall(found: list[str], relevant: list[str], k: int) -> float:
    rel = set(relevant)
    return len(rel.intersection(found[:k])) / min(k, len(rel))


def note_records(path: Path = HERE / "notes_corpus.jsonl") -> list[NoteRecord]:
    return [
        NoteRecord(
            interaction_id=n["id"],
            account_id=n["account_id"],
            date=dt.date.fromisoformat(n["date"]),
            text=n["text"],
            kind=n["kind"],
            author_id=n["author_id"],
            participants=tuple((sid, name) for sid, name in n["participants"]),
            account_name=ACCOUNTS[n["account_id"]][0],
        )
        for n in _jsonl(path)
    ]


# The rankings compared: (label, search mode, fusion).
RANKINGS: tuple[tuple[str, str, str], ...] = (
    ("lexical", "lexical", "linear"),
    ("vector", "vector", "linear"),
    *((f"hybrid-{f}", "hybrid", f) for f in FUSIONS),
)


def run(
    *, k: int = 5, passage_chars: int = PASSAGE_CHARS, embedder: Embedder | None = None, workdir: Path | None = None
) -> dict[str, Any]:
    """Recall@k of each ranking for guidance and for notes (and per note query kind), with the misses."""
    embedder = embedder or WordLlamaEmbedder()
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        client = chromadb.PersistentClient(path=tmp, settings=_chroma_settings())
        knowledge = Knowledge(client, embedder, passage_chars=passage_chars)
        knowledge.ensure_guidance()
        knowledge.upsert_notes(note_records())

        def guidance(q: dict[str, Any], mode: Any) -> list[str]:
            return [h.section_id for h in knowledge.search_guidance(q["query"], k, mode=mode)]

        def notes(q: dict[str, Any], mode: Any) -> list[str]:
            scope = scope_accounts(q.get("scope", "all"))
            return [h.interaction_id for h in knowledge.search_notes(q["query"], scope, k, mode=mode)]

        out: dict[str, Any] = {"k": k, "embedder": embedder.name, "passage_chars": passage_chars}
        for name, queries, search in (
            ("guidance", _jsonl(HERE / "guidance_queries.jsonl"), guidance),
            ("notes", _jsonl(HERE / "notes_queries.jsonl"), notes),
        ):
            recall: dict[str, float] = {}
            by_kind: dict[str, dict[str, float]] = {}
            misses: dict[str, list[str]] = {}
            for label, mode, fusion in RANKINGS:
                knowledge.fusion = fusion  # type: ignore[assignment]
                per_kind: dict[str, list[float]] = {}
                for q in queries:
                    r = _recall(search(q, mode), q["relevant"], k)
                    per_kind.setdefault(q.get("kind", "all"), []).append(r)
                    if r < 1.0:
                        misses.setdefault(label, []).append(q["query"])
                values = [r for rs in per_kind.values() for r in rs]
                recall[label] = sum(values) / len(values)
                by_kind[label] = {kind: sum(rs) / len(rs) for kind, rs in sorted(per_kind.items())}
            kinds = {q.get("kind", "all") for q in queries}
            out[name] = {
                "queries": len(queries),
                "recall": recall,
                "by_kind": by_kind if len(kinds) > 1 else {},
                "kinds": {kind: sum(q.get("kind", "all") == kind for q in queries) for kind in sorted(kinds)},
                "misses": misses,
            }
    return out


def _table(result: dict[str, Any]) -> str:
    k = result["k"]
    labels = [label for label, _, _ in RANKINGS]
    lines = [
        f"retrieval recall@{k} (embedder {result['embedder']}, guidance passages <= {result['passage_chars']} chars)",
        f"{'set':<18}{'queries':>8}" + "".join(f"{m:>15}" for m in labels),
    ]
    for name in ("guidance", "notes"):
        r = result[name]
        lines.append(f"{name:<18}{r['queries']:>8}" + "".join(f"{r['recall'][m]:>15.3f}" for m in labels))
        for kind, count in r["kinds"].items() if r["by_kind"] else ():
            row = "".join(f"{r['by_kind'][m][kind]:>15.3f}" for m in labels)
            lines.append(f"{'  ' + kind + ' queries':<18}{count:>8}" + row)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--passage-chars", type=int, default=PASSAGE_CHARS)
    parser.add_argument(
        "--fail-under", type=float, default=None, help="exit 1 if the default hybrid's recall is below this"
    )
    parser.add_argument("--misses", action="store_true", help="list the queries each mode did not fully recall")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = run(k=args.k, passage_chars=args.passage_chars)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(_table(result))
        if args.misses:
            for name in ("guidance", "notes"):
                for mode, queries in result[name]["misses"].items():
                    print(f"\n{name} / {mode} misses ({len(queries)}):")
                    print("\n".join(f"  - {q}" for q in queries))
    if args.fail_under is not None:
        worst = min(result[name]["recall"][f"hybrid-{DEFAULT_FUSION}"] for name in ("guidance", "notes"))
        if worst < args.fail_under:
            print(f"FAIL: hybrid recall {worst:.3f} < {args.fail_under}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
