"""A trained scikit-learn text classifier's predictions in plain numpy: scikit-learn at build time only.

The classifiers of the conversation path (``message_kind``, ``agent.planner.paraphrase``) are scikit-learn
pipelines: a ``FeatureUnion`` of TF-IDF vectorizers (character n-grams within words, or word n-grams) and
dict features (``DictVectorizer``), into a multinomial ``LogisticRegression``. Their weights are exported at
build time (``export``: vocabularies, IDF, coefficients) to a ``.npz`` file and predicted here with numpy, so a
process that classifies a message imports neither scikit-learn (a second to import) nor its per-call input
validation (milliseconds a message). The computation is scikit-learn's, step for step (its n-gram analyzers,
sublinear TF in float32, IDF, L2 norm, then softmax of the linear scores): ``tests/unit/agent/
test_linear_text.py`` checks the probabilities against scikit-learn's on the training corpus and the dev and
wild sets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

DictFeatures = Callable[[list[str]], list[dict[str, float]]]
_WHITE = re.compile(r"\s\s+")
_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern


def _char_wb(text: str, low: int, high: int) -> list[str]:
    """scikit-learn's ``char_wb`` analyzer: n-grams within each space-padded word."""
    grams: list[str] = []
    add = grams.append
    for word in _WHITE.sub(" ", text).split():
        w = f" {word} "
        size = len(w)
        for n in range(low, high + 1):
            offset = 0
            add(w[:n])
            while offset + n < size:
                offset += 1
                add(w[offset : offset + n])
            if offset == 0:  # a word shorter than n counts once
                break
    return grams


def _words(text: str, low: int, high: int) -> list[str]:
    """scikit-learn's ``word`` analyzer with the default token pattern."""
    tokens = _TOKEN.findall(text)
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high + 1, len(tokens) + 1)):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


class _Tfidf:
    def __init__(self, arrays: Mapping[str, np.ndarray], prefix: str) -> None:
        terms = arrays[f"{prefix}terms"].tolist()
        self.index = dict(zip(terms, range(len(terms)), strict=True))
        self.idf = arrays[f"{prefix}idf"]
        self.dtype = self.idf.dtype
        low, high = (int(x) for x in arrays[f"{prefix}ngram"])
        analyzer = str(arrays[f"{prefix}analyzer"])
        self.lowercase = bool(arrays[f"{prefix}lowercase"])
        self.sublinear = bool(arrays[f"{prefix}sublinear"])
        self.analyze: Callable[[str], list[str]] = (
            (lambda t: _char_wb(t, low, high)) if analyzer == "char_wb" else (lambda t: _words(t, low, high)))
        self.width = len(terms)

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        counts: dict[int, int] = {}
        index = self.index
        for gram in self.analyze(text.lower() if self.lowercase else text):
            i = index.get(gram)
            if i is not None:
                counts[i] = counts.get(i, 0) + 1
        if not counts:
            return np.zeros(0, dtype=np.intp), np.zeros(0)
        columns = np.fromiter(sorted(counts), dtype=np.intp, count=len(counts))
        data = np.array([counts[int(i)] for i in columns], dtype=self.dtype)
        if self.sublinear:
            np.log(data, data)
            data += 1.0
        data *= self.idf[columns]
        # As scikit-learn's L2 normalisation: squares in the data's precision, summed and divided in double.
        norm = float(np.sqrt(np.sum((data * data).astype(np.float64))))
        wide = data.astype(np.float64)
        if norm:
            wide = (wide / norm).astype(self.dtype).astype(np.float64)
        return columns, wide


class _Dicts:
    def __init__(self, arrays: Mapping[str, np.ndarray], prefix: str, features: DictFeatures | None) -> None:
        if features is None:
            raise ValueError("this model has dict features: give the function that computes them")
        names = arrays[f"{prefix}names"].tolist()
        self.index = dict(zip(names, range(len(names)), strict=True))
        self.features = features
        self.width = len(names)

    def row(self, values: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
        pairs = sorted((self.index[k], float(v)) for k, v in values.items() if k in self.index)
        return (np.array([i for i, _ in pairs], dtype=np.intp), np.array([v for _, v in pairs], dtype=np.float64))


class LinearTextModel:
    """The exported classifier: ``predict_proba`` as scikit-learn's pipeline computes it."""

    def __init__(self, arrays: Mapping[str, np.ndarray], dict_features: DictFeatures | None = None) -> None:
        self.classes = [str(c) for c in arrays["classes"].tolist()]
        self.coef = np.ascontiguousarray(arrays["coef"])  # float32 when every feature block is: scikit-learn then
        self.intercept = np.asarray(arrays["intercept"], dtype=self.coef.dtype)  # scores in float32 too
        self.meta = {str(k): str(v) for k, v in zip(arrays["meta_keys"].tolist(), arrays["meta_values"].tolist(),
                                                    strict=True)}
        self.blocks: list[_Tfidf | _Dicts] = []
        for i, kind in enumerate(arrays["blocks"].tolist()):
            prefix = f"b{i}_"
            self.blocks.append(_Tfidf(arrays, prefix) if kind == "tfidf" else _Dicts(arrays, prefix, dict_features))
        if sum(b.width for b in self.blocks) != self.coef.shape[1]:
            raise ValueError("the feature blocks do not add up to the coefficients' width")

    @classmethod
    def load(cls, path: Path, dict_features: DictFeatures | None = None) -> LinearTextModel:
        with np.load(path, allow_pickle=False) as saved:
            return cls({k: saved[k] for k in saved.files}, dict_features)

    def decision(self, texts: Sequence[str]) -> np.ndarray:
        scores = np.zeros((len(texts), len(self.classes)), dtype=self.coef.dtype)
        offset = 0
        for block in self.blocks:
            if isinstance(block, _Dicts):
                rows = [block.row(d) for d in block.features(list(texts))]
            else:
                rows = [block.row(t) for t in texts]
            for r, (columns, data) in enumerate(rows):
                if len(columns):
                    scores[r] += self.coef[:, offset + columns] @ data.astype(self.coef.dtype)
            offset += block.width
        return scores + self.intercept  # as scikit-learn: the dot product, then the intercept

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Each text's probability of each class (``self.classes``' order)."""
        scores = self.decision(texts)
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, scores)
        scores /= scores.sum(axis=1, keepdims=True)
        return scores


def export(pipeline: Any, **meta: str) -> dict[str, np.ndarray]:
    """The arrays of a fitted ``Pipeline([("features", FeatureUnion([...])), ("lr", LogisticRegression)])``
    (duck-typed: scikit-learn is not imported here); a step this module cannot reproduce raises ValueError."""
    (_, union), (_, lr) = pipeline.steps
    if getattr(union, "transformer_weights", None):
        raise ValueError("transformer weights are not supported")
    if len(lr.classes_) <= 2:
        raise ValueError("a binary logistic regression is not supported (its probabilities are not a softmax)")
    arrays: dict[str, np.ndarray] = {
        "classes": np.array([str(c) for c in lr.classes_]),
        "coef": np.asarray(lr.coef_),
        "intercept": np.asarray(lr.intercept_),
        "meta_keys": np.array(list(meta), dtype=str),
        "meta_values": np.array(list(meta.values()), dtype=str),
    }
    kinds = []
    for i, (_, step) in enumerate(union.transformer_list):
        prefix = f"b{i}_"
        if hasattr(step, "idf_"):
            _check_tfidf(step)
            vocabulary = step.vocabulary_
            terms = [""] * len(vocabulary)
            for term, j in vocabulary.items():
                terms[j] = term
            arrays |= {f"{prefix}terms": np.array(terms, dtype=str), f"{prefix}idf": np.asarray(step.idf_),
                       f"{prefix}ngram": np.array(step.ngram_range), f"{prefix}analyzer": np.array(step.analyzer),
                       f"{prefix}lowercase": np.array(step.lowercase),
                       f"{prefix}sublinear": np.array(step.sublinear_tf)}
            kinds.append("tfidf")
        else:
            vectorizer = step.steps[-1][1] if hasattr(step, "steps") else step
            if not hasattr(vectorizer, "feature_names_"):
                raise ValueError(f"unsupported feature step {step!r}")
            arrays[f"{prefix}names"] = np.array(vectorizer.feature_names_, dtype=str)
            kinds.append("dicts")
    arrays["blocks"] = np.array(kinds)
    return arrays


def _check_tfidf(step: Any) -> None:
    supported = (step.analyzer in ("char_wb", "word") and step.norm == "l2" and step.use_idf and not step.binary
                 and step.strip_accents is None and step.preprocessor is None and step.tokenizer is None
                 and step.stop_words is None and step.token_pattern == r"(?u)\b\w\w+\b")
    if not supported:
        raise ValueError(f"a TF-IDF step this module does not reproduce: {step!r}")
