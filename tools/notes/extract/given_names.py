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


_FEMALE = {"female", "mostly_female"}
_MALE = {"male", "mostly_male"}


def pronoun_fits(name: str, pronoun: str) -> bool:
    """Whether "she" / "her" or "he" / "him" / "his" can stand for a person called ``name`` (by their first name;
    a name given to both, or unknown, fits either)."""
    gender = _detector().get_gender(name.split()[0]) if name.split() else "unknown"
    word = pronoun.lower()
    if word in ("she", "her", "hers"):
        return gender not in _MALE
    if word in ("he", "him", "his"):
        return gender not in _FEMALE
    return True


def is_given_name(word: str) -> bool:
    """Whether ``word`` is a first name people are given (any country)."""
    return len(word) > 1 and word[:1].isupper() and _detector().get_gender(word) != "unknown"
