"""What kind of message this is, before choosing a tool: a note, a request, a reply to the thread, small talk.

A logistic regression over character n-grams (lower-cased, within words: robust to typos and shorthand) and
the structural features of ``features.py`` (mood, tense, narrative voice, dates, promises, headers, bullets),
trained with scikit-learn on the generated corpus of ``corpus.py`` (``message_kind_training.py``). Its weights
ship beside this module as plain arrays (``message_kind.npz``) with a fingerprint of the generator, the
features and the training code, and are applied with numpy (``knowledge/linear_text.py``: scikit-learn's
computation, without scikit-learn at run time). When the fingerprint does not match (a changed corpus or features), the
model is retrained from the generator on first use instead (a few seconds, scikit-learn needed). Nothing is
downloaded. ``python -m agent.understanding.message_kind --build`` rebuilds the file (and the planner's
``paraphrase.npz``, which ships the same way).

A tool's word inside a narrative ("the QBR went well", "no commitments made") does not make a request: the
corpus puts those words in notes as often as in requests, so only the shape of the message decides.

``python -m agent.understanding.message_kind`` prints the accuracy on a differently seeded, held-out corpus.
"""

from __future__ import annotations

import hashlib
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from agent.understanding.features import structural
from knowledge.linear_text import LinearTextModel

TRAIN_SEED = 11
HELD_OUT_SEED = 12_345
PER_CLASS = 1000
_STRUCTURE_WEIGHT = 4.0
MODEL_PATH = Path(__file__).with_name("message_kind.npz")
_SOURCES = ("corpus.py", "vocabulary.py", "features.py", "message_kind.py", "message_kind_training.py")
_PREDICTION = Path(__file__).resolve().parents[2] / "knowledge" / "linear_text.py"
_REPLIES = Path(__file__).resolve().parents[2] / "tools" / "notes" / "reply_act.py"
_LOCK = threading.Lock()


@dataclass(frozen=True)
class MessageKind:
    """The kind of a message, how sure the classifier is, and every kind's probability."""

    kind: str
    confidence: float
    probabilities: dict[str, float]


def structure(texts: list[str]) -> list[dict[str, float]]:
    """The structural features of each text, weighted against the n-grams (the model's dict features)."""
    return [{k: _STRUCTURE_WEIGHT * x for k, x in structural(t).items()} for t in texts]


def kinds_of(classes: Sequence[str], probabilities: Sequence[Sequence[float]]) -> list[MessageKind]:
    """Each row of class probabilities as a ``MessageKind``."""
    out = []
    for row in probabilities:
        values = [float(p) for p in row]
        best = max(range(len(values)), key=values.__getitem__)
        out.append(MessageKind(classes[best], values[best], dict(zip(classes, values, strict=True))))
    return out


class MessageKindModel:
    """The shipped classifier: its exported weights applied with numpy."""

    def __init__(self, model: LinearTextModel) -> None:
        self.model = model

    def classify_many(self, texts: list[str]) -> list[MessageKind]:
        return kinds_of(self.model.classes, self.model.predict_proba(texts))

    def classify(self, text: str) -> MessageKind:
        return self.classify_many([text])[0]

    def accuracy(self, examples: list[tuple[str, str]]) -> float:
        predicted = self.classify_many([t for t, _ in examples])
        return sum(p.kind == k for p, (_, k) in zip(predicted, examples, strict=True)) / max(len(examples), 1)


def fingerprint() -> str:
    """What the shipped weights were built from: the generator, the features, the training and prediction code."""
    digest = hashlib.sha256()
    for name in _SOURCES:
        digest.update(Path(__file__).with_name(name).read_bytes())
    digest.update(_PREDICTION.read_bytes())
    digest.update(_REPLIES.read_bytes())  # the corpus's replies are composed as the reply reader's are
    return digest.hexdigest()[:16]


def load(path: Path = MODEL_PATH) -> MessageKindModel | None:
    """The shipped model if it was built from what is here now; ``None`` otherwise."""
    try:
        model = LinearTextModel.load(path, structure)
    except Exception:  # a missing, truncated or foreign file: train from the generator instead
        return None
    return MessageKindModel(model) if model.meta.get("fingerprint") == fingerprint() else None


@lru_cache(maxsize=1)
def _shipped() -> MessageKindModel:
    model = load()
    if model is None:  # the sources changed since the file was built: train now (needs scikit-learn)
        from agent.understanding.message_kind_training import exported, train

        model = MessageKindModel(exported(train()))
    return model


def default_classifier() -> MessageKindModel:
    """The classifier trained on the default corpus, loaded once per process (thread-safe)."""
    with _LOCK:
        return _shipped()


@lru_cache(maxsize=256)
def classify_message(text: str) -> MessageKind:
    """The kind of ``text``: ``note``, ``request``, ``reply`` or ``small_talk`` (the planner asks more than once
    about the same message in a turn: kept for the last few hundred texts)."""
    return default_classifier().classify(text)


def main(argv: list[str] | None = None) -> int:
    from agent.understanding.message_kind_training import report

    args = sys.argv[1:] if argv is None else argv
    if "--build" in args:
        from agent.understanding.message_kind_training import build

        build(MODEL_PATH)
        print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size // 1024} kB, fingerprint {fingerprint()})")
        from agent.planner import paraphrase, paraphrase_training  # the planner's last resort ships the same way

        paraphrase_training.build(paraphrase.MODEL_PATH)
        print(f"wrote {paraphrase.MODEL_PATH} ({paraphrase.MODEL_PATH.stat().st_size // 1024} kB)")
    report()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
