"""``tools.wording.plural``: one thing in the singular, any other count in the plural."""

from __future__ import annotations

import pytest

from tools.wording import plural


@pytest.mark.parametrize(("n", "noun", "expected"), [
    (1, "opportunity", "1 opportunity"), (3, "opportunity", "3 opportunities"), (0, "account", "0 accounts"),
    (2, "day", "2 days"), (1, "touch", "1 touch"), (4, "touch", "4 touches"), (2, "more flag", "2 more flags"),
    (5, "person", "5 persons"), (5, "person", "5 people"),
])
def test_plural(n: int, noun: str, expected: str) -> None:
    many = "people" if expected.endswith("people") else None
    assert plural(n, noun, many) == expected
