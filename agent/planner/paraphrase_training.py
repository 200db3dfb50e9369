"""Training the planner's last-resort classifier (``paraphrase``) with scikit-learn: a build and dev dependency."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from threadpoolctl import threadpool_limits

from knowledge.linear_text import LinearTextModel, export


def train(examples: tuple[tuple[str, str], ...]) -> Pipeline:
    """Character n-grams and word pairs into a multinomial logistic regression, fitted on ``examples``."""
    features = FeatureUnion([
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), lowercase=True, sublinear_tf=True,
                                  dtype=np.float32)),
        ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), lowercase=True, sublinear_tf=True,
                                  dtype=np.float32)),
    ])
    model = Pipeline([("features", features), ("lr", LogisticRegression(C=8.0, max_iter=500))])
    texts, labels = zip(*examples, strict=True)
    with threadpool_limits(limits=1):
        model.fit(list(texts), list(labels))
    return model


def exported(model: Pipeline, fingerprint: str) -> LinearTextModel:
    """The fitted pipeline as the numpy model the planner applies."""
    return LinearTextModel(export(model, fingerprint=fingerprint, sklearn=sklearn.__version__))


def build(path: Path) -> None:
    """Train on the registered tools' examples and write the weights under their fingerprint."""
    from agent.planner.intents import planner_tools
    from agent.planner.paraphrase import fingerprint, training_examples

    examples = training_examples(planner_tools())
    np.savez_compressed(path, **export(train(examples), fingerprint=fingerprint(examples),
                                       sklearn=sklearn.__version__))
