"""The last resort before "I'm not sure what you need": the nearest tool by a small classifier trained on every
tool's exemplars and paraphrases (``PlannerHints.exemplars`` and ``.paraphrases``: varied ways of asking, written
with the tool, none of them a rule) against requests outside the product.

A logistic regression over character n-grams (robust to typos and inflections) and word pairs, trained in well
under a second on first use and kept for the process. Its answer counts only when it is sure enough and clearly
ahead of the runner-up; otherwise the planner says what it can do.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from threadpoolctl import threadpool_limits

from agent.planner.intents import OFF_TOPIC, OTHER, PlannerTools

ACCEPT = 0.35  # the winning tool's probability
MARGIN = 0.12  # ahead of the runner-up by at least this much


@dataclass(frozen=True)
class Guess:
    tool: str
    probability: float
    margin: float

    @property
    def sure(self) -> bool:
        return self.tool != OTHER and self.probability >= ACCEPT and self.margin >= MARGIN


def _model(examples: tuple[tuple[str, str], ...]) -> Pipeline:
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


@lru_cache(maxsize=4)
def _trained(examples: tuple[tuple[str, str], ...]) -> Pipeline:
    return _model(examples)


def training_examples(tools: PlannerTools) -> tuple[tuple[str, str], ...]:
    """(text, tool) for every exemplar and paraphrase of the tools that have some, and (text, OTHER) off topic."""
    pairs = [(text, name) for name, hints in sorted(tools.items()) for text in (*hints.exemplars, *hints.paraphrases)]
    return tuple(pairs + [(text, OTHER) for text in OFF_TOPIC])


def nearest_tool(text: str, tools: PlannerTools) -> Guess | None:
    """The tool the classifier finds nearest ``text`` (or ``OTHER``), how sure, and by how much over the next."""
    examples = training_examples(tools)
    if len({label for _, label in examples}) < 2:
        return None
    model = _trained(examples)
    with threadpool_limits(limits=1):
        probabilities = model.predict_proba([text])[0]
    order = np.argsort(probabilities)[::-1]
    classes = [str(c) for c in model.classes_]
    best, second = float(probabilities[order[0]]), float(probabilities[order[1]])
    return Guess(classes[order[0]], best, best - second)
