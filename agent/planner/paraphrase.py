"""The last resort before "I'm not sure what you need": the nearest tool by a small classifier trained on every
tool's exemplars and paraphrases (``PlannerHints.exemplars`` and ``.paraphrases``: varied ways of asking, written
with the tool, none of them a rule) against requests outside the product.

A logistic regression over character n-grams (robust to typos and inflections) and word pairs, trained with
scikit-learn (``paraphrase_training.py``). The weights for the registered tools ship as plain arrays
(``paraphrase.npz``, built with ``python -m agent.understanding.message_kind --build``) under a fingerprint of
the training examples, and are applied with numpy (``knowledge.linear_text``); other examples (a
changed tool, a test's own tools) are trained on first use and kept for the process (needs scikit-learn). Its
answer counts only when it is sure enough and clearly ahead of the runner-up; otherwise the planner says what
it can do.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from agent.planner.intents import OFF_TOPIC, OTHER, PlannerTools
from knowledge.linear_text import LinearTextModel

ACCEPT = 0.35  # the winning tool's probability
MARGIN = 0.12  # ahead of the runner-up by at least this much
MODEL_PATH = Path(__file__).with_name("paraphrase.npz")
_SOURCES = (Path(__file__).with_name("paraphrase_training.py"),
            Path(__file__).parents[2] / "knowledge" / "linear_text.py")


@dataclass(frozen=True)
class Guess:
    tool: str
    probability: float
    margin: float

    @property
    def sure(self) -> bool:
        return self.tool != OTHER and self.probability >= ACCEPT and self.margin >= MARGIN


def fingerprint(examples: tuple[tuple[str, str], ...]) -> str:
    """What weights trained on ``examples`` are built from: the examples and the training and prediction code."""
    digest = hashlib.sha256(json.dumps(examples).encode())
    for source in _SOURCES:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def _shipped(path: Path = MODEL_PATH) -> LinearTextModel | None:
    try:
        return LinearTextModel.load(path)
    except Exception:  # missing or unreadable: trained on first use instead
        return None


@lru_cache(maxsize=4)
def _trained(examples: tuple[tuple[str, str], ...]) -> LinearTextModel:
    shipped = _shipped()
    if shipped is not None and shipped.meta.get("fingerprint") == fingerprint(examples):
        return shipped
    from agent.planner.paraphrase_training import exported, train

    return exported(train(examples), fingerprint(examples))


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
    probabilities = [float(p) for p in model.predict_proba([text])[0]]
    order = sorted(range(len(probabilities)), key=lambda i: -probabilities[i])
    best, second = probabilities[order[0]], probabilities[order[1]]
    return Guess(model.classes[order[0]], best, best - second)
