"""Training the learned mood reading (``tools/notes/extract/mood_model.py``) from the tuning sets' gold.

Every signed participant of the dev notes (``notes_gold.jsonl``) and of the tuning sets in ``TRAINING_SETS`` is one
example: the stretches of the note about that person (``mood_model.about``, with each person's place found by their
names in the demo portfolio) and the sign of their gold sentiment. The blind sets (``blind``, ``blind2``) and any set
kept out for scoring are never read here: ``TRAINING_SETS`` lists what is, by name.

``python -m evals.mood_training`` prints leave-one-set-out accuracy (each set scored by a model trained on the
others) and the precision of the signs the extractor would take (probability >= ``CONFIDENT``);
``python -m evals.mood_training --build`` trains on all of them and writes ``mood_model.npz``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from threadpoolctl import threadpool_limits

from knowledge.linear_text import export
from tools.notes.extract.mood_model import CONFIDENT, MODEL_PATH, about, joined

EVALS = Path(__file__).parent
TRAINING_SETS = ("wild", "wild2", "wild3", "wild4", "wild5", "wild6", "wild7", "wild8", "wild9", "wild10", "wild11",
                 "wild12", "wild13", "wild14", "wild15", "wild16", "wild17")
_SOURCES = (Path(__file__), MODEL_PATH.with_suffix(".py"))


def _names() -> dict[str, tuple[str, str]]:
    """Each demo stakeholder's (name, account id)."""
    from store.demo import generate_portfolio

    tables = generate_portfolio(as_of=dt.date(2026, 11, 22)).tables
    return {s["id"]: (s["name"], s["account_id"]) for s in tables["stakeholders"]}


def _marks(text: str, named: dict[str, str]) -> list[tuple[int, str]]:
    """Where each person is named in ``text``: any of their names' words (two letters or more), any case."""
    out = []
    for key, name in named.items():
        for word in name.split():
            if len(word) > 1:
                out.extend((m.start(), key) for m in re.finditer(rf"\b{re.escape(word)}\b", text, re.IGNORECASE))
    return out


def examples() -> list[tuple[str, str, int]]:
    """(set, text about the person, sign) for every signed gold participant the note names."""
    names = _names()
    files = [("dev", EVALS / "notes_gold.jsonl")]
    files += [(s, EVALS / s / part) for s in TRAINING_SETS for part in ("notes.jsonl", "threads.jsonl")
              if (EVALS / s / part).exists()]
    out = []
    for set_name, path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if "turns" in record:  # a thread: everything its writer said, and the record it ended with
                record = {"text": "\n".join(t["message"] for t in record["turns"]),
                          "gold": (record.get("final") or {}).get("gold")}
            gold = record.get("gold") or {}
            account = gold.get("account_id")
            named = {sid: name for sid, (name, acc) in names.items() if acc == account}
            for p in gold.get("participants") or []:
                if p.get("name"):
                    named["new:" + p["name"].casefold()] = p["name"]
            marks = _marks(record["text"], named)
            for p in gold.get("participants") or []:
                key = p.get("stakeholder_id") or "new:" + str(p.get("name", "")).casefold()
                stretches = about(record["text"], marks, key)
                if stretches and p.get("sentiment") is not None:
                    out.append((set_name, joined(stretches), (p["sentiment"] > 0) - (p["sentiment"] < 0)))
    return out


def pipeline() -> Pipeline:
    features = FeatureUnion([
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2,
                                  dtype=np.float32)),
        ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, dtype=np.float32)),
    ])
    return Pipeline([("features", features), ("lr", LogisticRegression(C=2.0, max_iter=500))])


def fingerprint(rows: list[tuple[str, str, int]]) -> str:
    digest = hashlib.sha256()
    for source in _SOURCES:
        digest.update(source.read_bytes())
    digest.update(json.dumps(rows).encode())
    return digest.hexdigest()[:16]


def fit(rows: list[tuple[str, str, int]]) -> Pipeline:
    with threadpool_limits(limits=1):
        return pipeline().fit([t for _, t, _ in rows], [str(s) for _, _, s in rows])


def build(path: Path = MODEL_PATH) -> int:
    rows = examples()
    np.savez_compressed(path, **export(fit(rows), fingerprint=fingerprint(rows), sklearn=sklearn.__version__))
    return len(rows)


def report() -> None:
    rows = examples()
    sets = sorted({s for s, _, _ in rows})
    right = taken = taken_right = 0
    for held in sets:
        model = fit([r for r in rows if r[0] != held])
        test = [r for r in rows if r[0] == held]
        with threadpool_limits(limits=1):
            probabilities = model.predict_proba([t for _, t, _ in test])
        classes = [int(c) for c in model.classes_]
        for (_, _, sign), row in zip(test, probabilities, strict=True):
            best = int(np.argmax(row))
            right += classes[best] == sign
            if classes[best] != 0 and row[best] >= CONFIDENT:
                taken += 1
                taken_right += classes[best] == sign
    print(f"mood model: {len(rows)} signed participants from {len(sets)} sets")
    print(f"leave-one-set-out accuracy {right / len(rows):.3f}; signs taken (p >= {CONFIDENT}) {taken}, "
          f"precision {taken_right / max(taken, 1):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="train on every example and write the model")
    if parser.parse_args().build:
        print(f"wrote {MODEL_PATH} from {build()} examples")
    else:
        report()


if __name__ == "__main__":
    main()
