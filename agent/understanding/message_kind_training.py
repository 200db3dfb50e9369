"""Training the message-kind classifier (``message_kind``) with scikit-learn: a build-time and dev dependency.

``build`` trains on the generated corpus and writes the weights as plain arrays (``linear_text.export``) with
the sources' fingerprint; at run time ``message_kind`` applies them with numpy.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import sklearn
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer
from threadpoolctl import threadpool_limits

from agent.understanding.corpus import KINDS, generate
from agent.understanding.message_kind import (
    HELD_OUT_SEED,
    PER_CLASS,
    TRAIN_SEED,
    MessageKind,
    fingerprint,
    kinds_of,
    structure,
)
from knowledge.linear_text import LinearTextModel, export


class MessageKindClassifier:
    """Character n-grams plus structural features into a multinomial logistic regression (scikit-learn)."""

    def __init__(self) -> None:
        features = FeatureUnion([
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), lowercase=True, sublinear_tf=True,
                                      min_df=2, max_features=30_000, dtype=np.float32)),
            ("structure", Pipeline([("dicts", FunctionTransformer(structure)), ("vec", DictVectorizer())])),
        ])
        self.pipeline = Pipeline([("features", features), ("lr", LogisticRegression(C=4.0, max_iter=300))])

    def fit(self, examples: list[tuple[str, str]]) -> MessageKindClassifier:
        texts, kinds = zip(*examples, strict=True)
        with threadpool_limits(limits=1):  # a small problem: BLAS threads only contend with each other
            self.pipeline.fit(list(texts), list(kinds))
        return self

    def classify_many(self, texts: list[str]) -> list[MessageKind]:
        with threadpool_limits(limits=1):
            probabilities = self.pipeline.predict_proba(texts)
        return kinds_of([str(c) for c in self.pipeline.classes_], probabilities)

    def accuracy(self, examples: list[tuple[str, str]]) -> float:
        predicted = self.classify_many([t for t, _ in examples])
        return sum(p.kind == k for p, (_, k) in zip(predicted, examples, strict=True)) / max(len(examples), 1)


def train() -> MessageKindClassifier:
    """A classifier trained from the generator (the default corpus)."""
    return MessageKindClassifier().fit(generate(seed=TRAIN_SEED, per_class=PER_CLASS))


def exported(classifier: MessageKindClassifier) -> LinearTextModel:
    """The trained classifier as the numpy model that ships (``linear_text``)."""
    return LinearTextModel(export(classifier.pipeline, fingerprint=fingerprint(), sklearn=sklearn.__version__),
                           structure)


def build(path: Path) -> MessageKindClassifier:
    """Train and write the weights with their fingerprint (``np.savez_compressed``; no pickle)."""
    classifier = train()
    np.savez_compressed(path, **export(classifier.pipeline, fingerprint=fingerprint(), sklearn=sklearn.__version__))
    return classifier


def report() -> None:
    """Train from the generator and print the accuracy on a held-out, differently seeded corpus."""
    start = time.perf_counter()
    classifier = train()
    trained = time.perf_counter() - start
    held_out = generate(seed=HELD_OUT_SEED, per_class=400)
    print(f"message-kind classifier: trained on {PER_CLASS * len(KINDS)} generated messages in {trained:.2f} s")
    print(f"held-out accuracy (seed {HELD_OUT_SEED}, {len(held_out)} messages): {classifier.accuracy(held_out):.3f}")
    for kind in KINDS:
        subset = [e for e in held_out if e[1] == kind]
        print(f"  {kind:<11} {classifier.accuracy(subset):.3f} ({len(subset)})")
