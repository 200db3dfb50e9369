"""Whether a word is ordinary English: the word frequency list that ships inside ``pyspellchecker``'s wheel
(nothing is downloaded), loaded once. Used to tell a misspelt command from an ordinary word, and an unknown
company name from ordinary words."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def speller() -> Any:
    """The English spell checker (edit distance 1)."""
    from spellchecker import SpellChecker

    return SpellChecker(distance=1)


def is_english(word: str) -> bool:
    """``word`` (lower case) is in the English word list."""
    return bool(speller().known([word]))


COMMON = 10_000  # occurrences in the word list's corpus: "big" (about a million) is common, "orion" (721) is not


def is_common(word: str) -> bool:
    """``word`` (lower case) is an everyday English word, not a rare one that is more likely a name."""
    return int(speller().word_frequency[word]) >= COMMON
