"""Small pieces of English the results share: a count with its noun in the right number ("1 opportunity",
"3 opportunities")."""

from __future__ import annotations


def plural(n: int, noun: str, many: str | None = None) -> str:
    """``n`` and ``noun``, plural unless ``n`` is 1: ``plural(1, "opportunity")`` -> ``"1 opportunity"``."""
    if n == 1:
        return f"{n} {noun}"
    if many is None:
        vowel_y = noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u")
        many = noun[:-1] + "ies" if vowel_y else noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s")
    return f"{n} {many}"

