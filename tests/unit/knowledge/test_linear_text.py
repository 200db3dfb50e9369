"""The shipped classifiers applied with numpy give scikit-learn's predictions: a pipeline trained here and exported
gives the same kind or tool, with the same probabilities, for every message of the training corpus, a held-out
corpus and the dev and wild sets; and the shipped weights are what training gives here, up to the solver's
floating point in another build of the numeric libraries.

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
from agent.planner.paraphrase_training import exported as export_paraphrase
from agent.planner.paraphrase_training import train as train_paraphrase
from agent.understanding import message_kind
from agent.understanding.corpus import generate
from agent.understanding.message_kind_training import MessageKindClassifier, exported
from agent.understanding.message_kind_training import train as train_kinds
from knowledge.linear_text import LinearTextModel, export


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
def _kinds_trained() -> MessageKindClassifier:
    return train_kinds()


def _kind_texts() -> list[str]:
    texts = [t for t, _ in generate(seed=message_kind.TRAIN_SEED, per_class=message_kind.PER_CLASS)]
    return texts + [t for t, _ in generate(seed=message_kind.HELD_OUT_SEED, per_class=200)] + _eval_texts()


def _assert_same(reference: np.ndarray, got: np.ndarray) -> None:
    assert got.shape == reference.shape
    assert (got.argmax(axis=1) == reference.argmax(axis=1)).all()
    assert got.dtype == reference.dtype
    # float64 models agree to rounding; float32 ones (both blocks TF-IDF) to float32's precision
    assert np.abs(got - reference).max() < (1e-12 if reference.dtype == np.float64 else 1e-6)


def test_message_kinds_applied_with_numpy_are_scikit_learns_on_the_corpora_and_the_eval_sets() -> None:
    trained = _kinds_trained()
    texts = _kind_texts()
    _assert_same(trained.pipeline.predict_proba(texts), exported(trained).predict_proba(texts))


def test_the_shipped_message_kinds_are_what_training_gives_here() -> None:
    """The shipped weights are this corpus's: retrained here, every message keeps its kind unless the two likeliest
    kinds are a near tie. The solver stops where its floating point takes it, and that differs a little between
    builds of the numeric libraries (up to 0.04 in one probability between two machines), so the weights are
    compared with that tolerance, not bit for bit."""
    shipped = message_kind.load()
    assert shipped is not None, "rebuild it: python -m agent.understanding.message_kind --build"
    pipeline = _kinds_trained().pipeline
    texts = _kind_texts()
    reference = pipeline.predict_proba(texts)  # type: ignore[attr-defined]
    assert shipped.model.classes == [str(c) for c in pipeline.classes_]  # type: ignore[attr-defined]
    _near(reference, shipped.model.predict_proba(texts), clear_share=0.95)


def _near(reference: np.ndarray, got: np.ndarray, *, clear_share: float) -> None:
    """The same predictions up to the solver's floating point in another build of the numeric libraries: every
    text keeps its label unless its two likeliest labels are a near tie (see the message kinds' test above), and
    ``clear_share`` of the texts are no near tie."""
    assert got.shape == reference.shape and np.abs(got - reference).max() < 0.1
    top_two = np.sort(reference, axis=1)[:, -2:]
    clear = top_two[:, 1] - top_two[:, 0] > 0.1
    assert clear.mean() > clear_share
    assert (got.argmax(axis=1) == reference.argmax(axis=1))[clear].all()


@cache
def _paraphrase_trained() -> tuple[tuple[tuple[str, str], ...], object]:
    examples = paraphrase.training_examples(planner_tools())
    return examples, train_paraphrase(examples)


def test_the_planners_last_resort_applied_with_numpy_is_scikit_learns() -> None:
    examples, pipeline = _paraphrase_trained()
    texts = [t for t, _ in examples] + _eval_texts() + ["", "   ", "\u00a0", "zzqxj"]  # empty: the intercepts
    mine = export_paraphrase(pipeline, fingerprint="test")  # type: ignore[arg-type]
    _assert_same(pipeline.predict_proba(texts), mine.predict_proba(texts))  # type: ignore[attr-defined]


def test_the_shipped_last_resort_is_what_training_gives_here() -> None:
    examples, pipeline = _paraphrase_trained()
    shipped = LinearTextModel.load(paraphrase.MODEL_PATH)
    assert shipped.meta["fingerprint"] == paraphrase.fingerprint(examples), (
        "a tool's exemplars changed: rebuild with python -m agent.understanding.message_kind --build")
    texts = [t for t, _ in examples] + _eval_texts()
    _near(pipeline.predict_proba(texts), shipped.predict_proba(texts),  # type: ignore[attr-defined]
          clear_share=0.7)  # a label per tool: closer calls than four kinds


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
