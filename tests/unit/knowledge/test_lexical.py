"""The lexical tokenizer: its one-pass reading of text without CJK gives exactly the tokens of the general
reading (which a CJK word anywhere in the text selects), and memoised stems are the stems."""

from __future__ import annotations

import json

import pytest
from repo import ROOT

from knowledge import lexical
from knowledge.lexical import query_terms, stem, tokenize

TEXTS = [
    "Dana pushed back on the Q3 pricing; renewals at risk (2 sites, 14 seats).",
    "Priced, pricing, prices and PRICE: the same word. Boss bosses status is.",
    "snake_case __dunder__ _x x_ a I 7 42 007 naïve café Zürich Ünïcödé résumés",
    "They'll say what we'd do with it -- nothing, said Lars Whitfield re: the SSO roll-out.",
    "",
    "   ",
]


def _corpus() -> list[str]:
    texts = list(TEXTS)
    for path in sorted((ROOT / "evals" / "wild2").glob("*.jsonl"))[:3]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.dumps(json.loads(line), ensure_ascii=False))
    return texts


@pytest.mark.parametrize("text", _corpus())
def test_the_one_pass_reading_equals_the_general_one(text: str) -> None:
    # A CJK word sends the text down the general path; on its own it is one token, so the rest must be equal.
    assert tokenize(f"{text} 東") == [*tokenize(text), "東"]


def test_tokens_of_known_text() -> None:
    assert tokenize(TEXTS[1]) == ["pric", "pric", "pric", "pric", "word", "boss", "boss", "status"]
    assert tokenize("a 7 42 x_ __ the") == ["42", "x"]
    assert tokenize("東京工場の価格 pricing") == ["東京", "京工", "工場", "場の", "の価", "価格", "pric"]
    assert query_terms("pricing PRICING renewal renewals") == ["pric", "renewal"]


def test_memoised_stems_are_the_stems(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexical, "_STEMS", {})
    words = ["renewals", "pricing", "priced", "status", "bosses", "café", "data", "sessions"]
    first = [stem(w) for w in words]
    assert first == [lexical._stem(w) for w in words] == [stem(w) for w in words]
    assert set(lexical._STEMS) == set(words)
    monkeypatch.setattr(lexical, "_STEMS_HELD", 0)
    monkeypatch.setattr(lexical, "_STEMS", {})
    assert stem("renewals") == "renewal" and lexical._STEMS == {}  # past the limit nothing more is held
