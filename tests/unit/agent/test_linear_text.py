"""The shipped classifiers applied with numpy give scikit-learn's predictions: the same kind or tool for every
message of the training corpus, a held-out corpus and the dev and wild sets, with the same probabilities.

scikit-learn trains here (a build and dev dependency); the run-time path never imports it.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from repo import ROOT

from agent.planner import paraphrase
from agent.planner.intents import planner_tools
from agent.planner.paraphrase_training import train as train_paraphrase
from agent.understanding import message_kind
from agent.understanding.corpus import generate
from agent.understanding.linear_text import LinearTextModel, export
from agent.understanding.message_kind_training import train as train_kinds


def _eval_texts() -> list[str]:
    """Every message a user types in the dev and wild sets (requests, notes, each turn of the threads)."""
    texts: list[str] = []
    for path in (*sorted((ROOT / "evals").glob("*.jsonl")), *sorted((ROOT / "evals" / "wild").glob("*.jsonl")),
                 ROOT / "evals" / "dev_threads" / "threads.jsonl"):
        for line in Path(path).read_text().splitlines():
            row = json.loads(line) if line.strip() else {}
            texts += [row[k] for k in ("message", "text") if isinstance(row.get(k), str)]
            texts += [t["message"] for t in row.get("turns", []) if isinstance(t, dict) and "message" in t]
            texts += [t for t in row.get("turns", []) if isinstance(t, str)]
    assert len(texts) > 500
    return texts


@cache
def _kinds_pipeline() -> object:
    return train_kinds().pipeline


def _assert_same(reference: np.ndarray, got: np.ndarray) -> None:
    assert got.shape == reference.shape
    assert (got.argmax(axis=1) == reference.argmax(axis=1)).all()
    assert got.dtype == reference.dtype
    # float64 models agree to rounding; float32 ones (both blocks TF-IDF) to float32's precision
    assert np.abs(got - reference).max() < (1e-12 if reference.dtype == np.float64 else 1e-6)


def test_message_kinds_match_scikit_learn_on_the_corpora_and_the_eval_sets() -> None:
    pipeline = _kinds_pipeline()
    shipped = message_kind.load()
    assert shipped is not None, "rebuild it: python -m agent.understanding.message_kind --build"
    texts = [t for t, _ in generate(seed=message_kind.TRAIN_SEED, per_class=message_kind.PER_CLASS)]
    texts += [t for t, _ in generate(seed=message_kind.HELD_OUT_SEED, per_class=200)] + _eval_texts()
    reference = pipeline.predict_proba(texts)  # type: ignore[attr-defined]
    assert shipped.model.classes == [str(c) for c in pipeline.classes_]  # type: ignore[attr-defined]
    _assert_same(reference, shipped.model.predict_proba(texts))


def test_the_planners_last_resort_matches_scikit_learn() -> None:
    examples = paraphrase.training_examples(planner_tools())
    pipeline = train_paraphrase(examples)
    shipped = LinearTextModel.load(paraphrase.MODEL_PATH)
    assert shipped.meta["fingerprint"] == paraphrase.fingerprint(examples), (
        "a tool's exemplars changed: rebuild with python -m agent.understanding.message_kind --build")
    texts = [t for t, _ in examples] + _eval_texts()
    _assert_same(pipeline.predict_proba(texts), shipped.predict_proba(texts))


def test_an_empty_or_unknown_text_gets_the_intercepts_softmax() -> None:
    shipped = LinearTextModel.load(paraphrase.MODEL_PATH)
    pipeline = train_paraphrase(paraphrase.training_examples(planner_tools()))
    for text in ("", "   ", "\u00a0", "zzqxj"):
        _assert_same(pipeline.predict_proba([text]), shipped.predict_proba([text]))


def test_a_pipeline_this_module_cannot_reproduce_is_refused() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    texts, labels = ["alpha beta", "gamma delta", "epsilon zeta"], ["x", "y", "z"]
    binary_df = Pipeline([("features", FeatureUnion([("w", TfidfVectorizer(binary=True))])),
                          ("lr", LogisticRegression())]).fit(texts, labels)
    with pytest.raises(ValueError, match="TF-IDF"):
        export(binary_df)
    two = Pipeline([("features", FeatureUnion([("w", TfidfVectorizer())])), ("lr", LogisticRegression())])
    with pytest.raises(ValueError, match="binary"):
        export(two.fit(texts[:2], labels[:2]))
