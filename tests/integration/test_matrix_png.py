"""The matrix PNG: bubbles sized by revenue, names that never overlap, the biggest accounts named when the book
is crowded, and the rules file's quadrant labels."""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg

from integrations.slack.matrix_png import LABELS_WHEN_CROWDED, matrix_figure, matrix_png
from tools.rules import load_rules

SHOTS = Path(os.environ.get("KAM_SCREENSHOT_DIR") or Path(__file__).parent / "artifacts" / "screenshots")
QUADRANT = {(True, True): "strategic_growth", (True, False): "develop", (False, True): "defend",
            (False, False): "maintain_exit"}


def _book(n: int, seed: int = 7) -> dict[str, Any]:
    """A crowded book: ``n`` accounts, many bunched around the 3.0 lines, revenues over two orders of magnitude."""
    rng = random.Random(seed)
    accounts = []
    for i in range(n):
        a, s = round(rng.uniform(2.4, 3.8), 2), round(rng.uniform(2.4, 3.8), 2)
        accounts.append({"id": f"A{i:03d}", "name": f"Account {i:03d} Holdings", "attractiveness": a, "strength": s,
                         "quadrant": QUADRANT[(a >= 3, s >= 3)], "annual_revenue": rng.choice([2e5, 8e5, 3e6, 2e7])})
    accounts.append({"id": "U1", "name": "Unscored Co", "attractiveness": None, "strength": None,
                     "quadrant": "unscored", "annual_revenue": 1e6})
    return {"threshold": 3.0, "as_of": "2026-11-22", "accounts": accounts}


def _labels(fig: Any) -> dict[str, Any]:
    renderer = FigureCanvasAgg(fig).get_renderer() if not hasattr(fig.canvas, "get_renderer") else \
        fig.canvas.get_renderer()
    ax = fig.axes[0]
    return {t.get_gid(): t.get_window_extent(renderer) for t in ax.texts if t.get_gid()}


def test_a_crowded_book_names_its_biggest_accounts_and_no_two_names_overlap() -> None:
    book = _book(36)
    fig = matrix_figure(book)
    labels = _labels(fig)
    boxes = list(labels.values())
    assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if a.overlaps(b)]
    assert 12 <= len(labels) <= LABELS_WHEN_CROWDED
    biggest = sorted(book["accounts"][:-1], key=lambda a: -a["annual_revenue"])[:8]
    assert {a["id"] for a in biggest} <= set(labels)  # the biggest names survive the crowding
    sizes = fig.axes[0].collections[0].get_sizes()
    assert max(sizes) > 10 * min(sizes)  # bubble area follows revenue
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "10-matrix-png-crowded.png").write_bytes(matrix_png(book))  # for a reviewer to look at
    footnote = " ".join(t.get_text() for t in fig.texts)
    assert f"Named: the {LABELS_WHEN_CROWDED} biggest of 36 accounts" in footnote and "Unscored Co" in footnote


def test_a_small_book_is_named_in_full_with_the_teams_quadrant_words(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('[labels.quadrants]\nstrategic_growth = "Strategic"\ndevelop = "Star"\ndefend = "Status"\n'
                    'maintain_exit = "Streamline"\n', encoding="utf-8")
    book = _book(8, seed=3)
    fig = matrix_figure(book, rules=load_rules(path))
    assert set(_labels(fig)) == {a["id"] for a in book["accounts"][:-1]}
    words = {t.get_text() for t in fig.axes[0].texts}
    assert {"Strategic", "Star", "Status", "Streamline"} <= words and "Strategic Growth" not in words
    png = matrix_png(book)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
