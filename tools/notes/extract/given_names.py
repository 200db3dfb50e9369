"""Whether a capitalised word is a person's given name, from gender-guesser's dictionary of ~60,000 first names
across countries (it ships in the wheel: nothing is downloaded). Only the list of names is used, never a gender.

It tells "Omar Reyes" (a person the note names in full) from "Digital Solutions" or "Retail Energy" (a product or
a department): a pair of capitalised words is a person only when the first is a given name.
"""

from __future__ import annotations

from functools import lru_cache

from gender_guesser.detector import Detector


@lru_cache(maxsize=1)
def _detector() -> Detector:
    return Detector(case_sensitive=False)


def is_given_name(word: str) -> bool:
    """Whether ``word`` is a first name people are given (any country)."""
    return len(word) > 1 and word[:1].isupper() and _detector().get_gender(word) != "unknown"
