"""Scores of records against their gold: micro precision / recall / F1 over multisets, and where the participants
figure loses (people missed or added, or found with the wrong mood)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any


def prf(pairs: Sequence[tuple[Counter[Any], Counter[Any]]]) -> dict[str, float | int]:
    """Micro precision / recall / F1 over (gold, predicted) multisets."""
    tp = fp = fn = 0
    for gold, pred in pairs:
        common = sum((gold & pred).values())
        tp += common
        fp += sum(pred.values()) - common
        fn += sum(gold.values()) - common
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(precision, 3), "recall": round(recall, 3),
            "f1": round(f1, 3)}


def mood_breakdown(pairs: Sequence[tuple[Counter[Any], Counter[Any]]]) -> dict[str, Any]:
    """Where the participants figure loses: the people found whatever their mood (P/R/F1 on ids alone), and,
    among the people found, how often the mood's sign was right, with the (gold, got) sign pairs."""
    identity = [(Counter(key for key, _ in gold), Counter(key for key, _ in got)) for gold, got in pairs]
    confusion: Counter[str] = Counter()
    for gold, got in pairs:
        have = {key: sign for key, sign in got}
        for key, sign in gold:
            if key in have:
                confusion[f"{sign:+d}>{have[key]:+d}"] += 1
    matched = sum(confusion.values())
    right = sum(n for pair, n in confusion.items() if pair[:2] == pair[3:])
    return {"people": prf(identity), "mood_right": right, "mood_of": matched,
            "confusion": dict(sorted(confusion.items()))}
