"""Lexical ranking: a small tokenizer, Okapi BM25 and reciprocal rank fusion.

Kept deliberately plain: lowercase word tokens (any script), English stop words dropped, a light suffix
strip so that "renewals" meets "renewal" and "pricing" meets "priced". Text in scripts written without
spaces (Chinese, Japanese) is split into overlapping character pairs so a query can match inside it.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Sequence

_TOKEN = re.compile(r"\w+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")

STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most my
    myself no nor not now of off on once only or other our ours ourselves out over own same she should so
    some such than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves say said says tell told show give get got let lets also any anything
    something me us""".split()  # noqa: SIM905 - a word list reads better as text
)

_SUFFIXES = ("ings", "ing", "ed", "es", "s", "e")


def stem(word: str) -> str:
    """A light suffix strip (plural, -ing, -ed, final -e), never below four letters: price, priced, pricing -> pric."""
    stemmed = _STEMS.get(word)
    if stemmed is None:
        stemmed = _stem(word)
        if len(_STEMS) < _STEMS_HELD:
            _STEMS[word] = stemmed
    return stemmed


_STEMS: dict[str, str] = {}  # a word's stem, by word: a vocabulary is small and tokenizing is most of BM25
_STEMS_HELD = 200_000


def _stem(word: str) -> str:
    if len(word) <= 4 or not word.isascii():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: -len(suffix)]
    return word


def _cjk_pairs(token: str) -> list[str]:
    if len(token) < 2:
        return [token]
    return [token[i : i + 2] for i in range(len(token) - 1)]


def tokenize(text: str) -> list[str]:
    """Lowercased, stemmed content-word tokens of ``text`` (stop words dropped)."""
    lowered = text.lower()
    if not _CJK.search(lowered):  # the common case, one pass: no word to split into character pairs
        return [t for raw in _TOKEN.findall(lowered)
                if len(raw) > 1 and raw not in STOP_WORDS and (t := stem(raw.strip("_")))]
    out: list[str] = []
    for raw in _TOKEN.findall(lowered):
        if raw in STOP_WORDS or (raw.isdigit() and len(raw) < 2):
            continue
        if _CJK.search(raw):
            out.extend(_cjk_pairs(raw))
        elif len(raw) > 1:
            out.append(stem(raw.strip("_")))
    return [t for t in out if t]


def query_terms(text: str, limit: int = 12) -> list[str]:
    """The distinct tokens of a query, in order of first appearance, at most ``limit`` of them."""
    seen: dict[str, None] = {}
    for token in tokenize(text):
        seen.setdefault(token, None)
        if len(seen) >= limit:
            break
    return list(seen)


class BM25:
    """Okapi BM25 over a fixed list of tokenised documents.

    ``df`` and ``n_docs`` may be given when the documents are a sample of a larger collection whose
    document frequencies are known; otherwise they are counted from the documents themselves.
    """

    def __init__(
        self,
        docs: Sequence[Sequence[str]],
        *,
        k1: float = 1.2,
        b: float = 0.75,
        df: dict[str, int] | None = None,
        n_docs: int | None = None,
    ) -> None:
        self.k1 = k1
        self.b = b
        self._tf = [Counter(d) for d in docs]
        self._len = [len(d) for d in docs]
        self._avg = (sum(self._len) / len(self._len)) if self._len else 0.0
        counted: Counter[str] = Counter()
        for tf in self._tf:
            counted.update(tf.keys())
        self._df = dict(counted) if df is None else {**counted, **df}
        self._n = max(n_docs or 0, len(docs))

    def idf(self, term: str) -> float:
        df = self._df.get(term, 0)
        return math.log(1.0 + (self._n - df + 0.5) / (df + 0.5))

    def scores(self, query: Iterable[str]) -> list[float]:
        terms = list(dict.fromkeys(query))
        idf = {t: self.idf(t) for t in terms}
        out = []
        for tf, length in zip(self._tf, self._len, strict=True):
            norm = self.k1 * (1 - self.b + self.b * (length / self._avg if self._avg else 0.0))
            score = 0.0
            for t in terms:
                f = tf.get(t)
                if f:
                    score += idf[t] * f * (self.k1 + 1) / (f + norm)
            out.append(score)
        return out


def rrf(rankings: Sequence[Sequence[str]], *, k: int = 60, weights: Sequence[float] | None = None) -> dict[str, float]:
    """Reciprocal rank fusion: ``sum(w / (k + rank))`` over the rankings each id appears in (rank from 1)."""
    fused: dict[str, float] = {}
    for i, ranking in enumerate(rankings):
        w = weights[i] if weights else 1.0
        for rank, doc_id in enumerate(ranking, start=1):
            fused[doc_id] = fused.get(doc_id, 0.0) + w / (k + rank)
    return fused


def minmax(scores: dict[str, float]) -> dict[str, float]:
    """Scores scaled to 0..1 over their own range (all 1.0 when they are equal)."""
    if not scores:
        return {}
    lo, hi = min(scores.values()), max(scores.values())
    return {i: (v - lo) / (hi - lo) if hi > lo else 1.0 for i, v in scores.items()}


class TokenCache:
    """``tokenize`` results by key (say, a note's id and fingerprint), the oldest dropped past ``limit``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._held: OrderedDict[object, list[str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: object, text: Callable[[], str]) -> list[str]:
        with self._lock:
            tokens = self._held.get(key)
        if tokens is None:
            tokens = tokenize(text())
            with self._lock:
                self._held[key] = tokens
                if len(self._held) > self.limit:
                    self._held.popitem(last=False)
        return tokens
