"""What kind of message this is, before choosing a tool: a note, a request, a reply to the thread, small talk.

A logistic regression over character n-grams (lower-cased, within words: robust to typos and shorthand) and
the structural features of ``features.py`` (mood, tense, narrative voice, dates, promises, headers, bullets),
trained on the generated corpus of ``corpus.py``. The trained model ships beside this module
(``message_kind.joblib``, a few hundred kB) with a fingerprint of the generator, the features, this module and
scikit-learn's version; when the fingerprint does not match (a changed corpus, another scikit-learn), the
model is retrained from the generator on first use instead (a second or so). Nothing is downloaded.
``python -m agent.understanding.message_kind --build`` rebuilds the file.

A tool's word inside a narrative ("the QBR went well", "no commitments made") does not make a request: the
corpus puts those words in notes as often as in requests, so only the shape of the message decides.

``python -m agent.understanding.message_kind`` prints the accuracy on a differently seeded, held-out corpus.
"""

from __future__ import annotations

import hashlib
import sys
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import joblib
import numpy as np
import sklearn
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer
from threadpoolctl import threadpool_limits

from agent.understanding.corpus import KINDS, generate
from agent.understanding.features import structural

TRAIN_SEED = 11
HELD_OUT_SEED = 12_345
PER_CLASS = 700
_STRUCTURE_WEIGHT = 4.0
_SMALL_BATCH = 16


@dataclass(frozen=True)
class MessageKind:
    """The kind of a message, how sure the classifier is, and every kind's probability."""

    kind: str
    confidence: float
    probabilities: dict[str, float]


def _structure(texts: list[str]) -> list[dict[str, float]]:
    return [{k: _STRUCTURE_WEIGHT * x for k, x in structural(t).items()} for t in texts]


class MessageKindClassifier:
    """Character n-grams plus structural features into a multinomial logistic regression."""

    def __init__(self) -> None:
        features = FeatureUnion([
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), lowercase=True, sublinear_tf=True,
                                      min_df=2, max_features=30_000, dtype=np.float32)),
            ("structure", Pipeline([("dicts", FunctionTransformer(_structure)), ("vec", DictVectorizer())])),
        ])
        self._model = Pipeline([("features", features), ("lr", LogisticRegression(C=4.0, max_iter=300))])

    def fit(self, examples: list[tuple[str, str]]) -> MessageKindClassifier:
        texts, kinds = zip(*examples, strict=True)
        with threadpool_limits(limits=1):  # a small problem: BLAS threads only contend with each other
            self._model.fit(list(texts), list(kinds))
        return self

    def classify_many(self, texts: list[str]) -> list[MessageKind]:
        if len(texts) <= _SMALL_BATCH:  # one chat message: no BLAS thread would start, and asking threadpoolctl
            probabilities = self._model.predict_proba(texts)  # to cap them costs more than the prediction
        else:
            with threadpool_limits(limits=1):
                probabilities = self._model.predict_proba(texts)
        classes = [str(c) for c in self._model.classes_]
        out = []
        for row in probabilities:
            best = int(np.argmax(row))
            out.append(MessageKind(classes[best], float(row[best]), dict(zip(classes, map(float, row), strict=True))))
        return out

    def classify(self, text: str) -> MessageKind:
        return self.classify_many([text])[0]

    def accuracy(self, examples: list[tuple[str, str]]) -> float:
        predicted = self.classify_many([t for t, _ in examples])
        return sum(p.kind == k for p, (_, k) in zip(predicted, examples, strict=True)) / max(len(examples), 1)


_LOCK = threading.Lock()
MODEL_PATH = Path(__file__).with_name("message_kind.joblib")
_SOURCES = ("corpus.py", "vocabulary.py", "features.py", "message_kind.py")


def fingerprint() -> str:
    """What the shipped model was built from: the generator, the features, this module, scikit-learn's version."""
    digest = hashlib.sha256(sklearn.__version__.encode())
    for name in _SOURCES:
        digest.update(Path(__file__).with_name(name).read_bytes())
    return digest.hexdigest()[:16]


def train() -> MessageKindClassifier:
    """A classifier trained from the generator (the default corpus)."""
    return MessageKindClassifier().fit(generate(seed=TRAIN_SEED, per_class=PER_CLASS))


def build(path: Path = MODEL_PATH) -> MessageKindClassifier:
    """Train and write the model file with its fingerprint."""
    model = train()
    joblib.dump({"fingerprint": fingerprint(), "model": model}, path, compress=3)
    return model


def load(path: Path = MODEL_PATH) -> MessageKindClassifier | None:
    """The shipped model if it was built from what is here now; ``None`` otherwise."""
    try:
        saved = joblib.load(path)
    except Exception:  # a missing, truncated or foreign file: train from the generator instead
        return None
    if not isinstance(saved, dict) or saved.get("fingerprint") != fingerprint():
        return None
    model = saved.get("model")
    return model if isinstance(model, MessageKindClassifier) else None


@lru_cache(maxsize=1)
def _trained() -> MessageKindClassifier:
    return load() or train()


def default_classifier() -> MessageKindClassifier:
    """The classifier trained on the default corpus, built once per process (thread-safe)."""
    with _LOCK:
        return _trained()


def classify_message(text: str) -> MessageKind:
    """The kind of ``text``: ``note``, ``request``, ``reply`` or ``small_talk``."""
    return default_classifier().classify(text)


def main(argv: list[str] | None = None) -> int:
    import time

    args = sys.argv[1:] if argv is None else argv
    if "--build" in args:
        from agent.understanding import message_kind  # run as __main__: pickle the importable module's classes

        message_kind.build()
        print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size // 1024} kB, fingerprint {fingerprint()})")
    start = time.perf_counter()
    classifier = train()
    trained = time.perf_counter() - start
    held_out = generate(seed=HELD_OUT_SEED, per_class=400)
    print(f"message-kind classifier: trained on {PER_CLASS * len(KINDS)} generated messages in {trained:.2f} s")
    print(f"held-out accuracy (seed {HELD_OUT_SEED}, {len(held_out)} messages): {classifier.accuracy(held_out):.3f}")
    for kind in KINDS:
        subset = [e for e in held_out if e[1] == kind]
        print(f"  {kind:<11} {classifier.accuracy(subset):.3f} ({len(subset)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
