"""A known person's name as it was typed: short ("priya s", "Priya S.", "K. Mason") or with the surname misspelt
("rajesh larson" for Rajesh Larsson).

A first name that already picks one person out, followed by a word a letter or two from that person's surname, is
the person named in full: the word is part of the name, not the next word of the note (a roster "with rajesh larson
and isaac young" goes on past it).
"""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from tools.notes.schema import KnownPerson

# Words a name is followed by that are a letter from a short surname ("and" from "Ang", "was" from "Wan")
_FUNCTION_WORDS = frozenset((
    "and", "the", "was", "has", "had", "his", "her", "who", "did", "not", "but", "for", "are", "can", "may", "let",
    "got", "too", "yet", "nor", "off", "out", "all", "any", "its", "one", "our", "say", "see", "saw", "set", "sat",
    "put", "ran"))
_NEXT_WORD = re.compile(r"[ \t]+(?P<word>[A-Za-z][a-z'’-]{2,})\b")


def surname_end(text: str, end: int, name: str) -> int:
    """Where the mention of ``name`` ends when its first name ends at ``end``: past a misspelt surname right after
    it, else at ``end``."""
    parts = name.split()
    found = _NEXT_WORD.match(text, end)
    if len(parts) < 2 or found is None or not misspelt(found.group("word"), parts[-1]):
        return end
    return found.end()


def misspelt(word: str, surname: str) -> bool:
    """Whether ``word`` is ``surname`` typed or heard a little wrong: one edit in a surname of up to six letters, two
    in a longer one, the first letter kept unless the surname is short ("larson" for Larsson, "eto" for Ito); never
    the surname itself, nor a word like "and" or "was"."""
    word, surname = word.lower(), surname.lower()
    allowed = 1 if len(surname) <= 6 else 2
    first_ok = word[:1] == surname[:1] or len(surname) <= 4
    return (word != surname and first_ok and word not in _FUNCTION_WORDS
            and Levenshtein.distance(word, surname) <= allowed)


def known_misspelt(name: str, people: list[KnownPerson]) -> KnownPerson | None:
    """The one known person ``name`` ("Laura Hoffman") names with their first name and a misspelt surname."""
    first, *_, last = name.split() if len(name.split()) >= 2 else ("", "")
    found = [p for p in people if len(p.name.split()) >= 2 and p.name.split()[0].lower() == first.lower()
             and misspelt(last, p.name.split()[-1])]
    return found[0] if len(found) == 1 else None


def by_initial(text: str, people: list[KnownPerson]) -> list[tuple[KnownPerson, re.Match[str]]]:
    """Each known person named by first name and surname initial, or initial and surname, where the pair is
    theirs alone."""
    found: dict[tuple[int, int], list[tuple[KnownPerson, re.Match[str]]]] = {}
    for person in people:
        parts = person.name.split()
        if len(parts) < 2:
            continue
        first, last = parts[0], parts[-1]
        for pattern in (rf"(?<![\w]){re.escape(first)}\s+{re.escape(last[0])}\.?(?![\w'’])",
                        rf"(?<![\w.]){re.escape(first[0])}\.?\s+{re.escape(last)}(?![\w])"):
            for m in re.finditer(pattern, text, re.IGNORECASE):
                found.setdefault((m.start(), m.end()), []).append((person, m))
    return [hits[0] for hits in found.values() if len({p.id for p, _ in hits}) == 1]
