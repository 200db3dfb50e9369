"""The KAM matrix as a PNG (matplotlib, Agg): four labelled quadrants, each account at its two axis scores.

Supplier strength runs along x, attractiveness along y, both 1-5, with the threshold lines (3.0 by
default: a score of exactly the threshold is high). Unscored accounts cannot be placed; they are
listed under the chart instead.
"""

from __future__ import annotations

import io
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: render to memory only
from matplotlib.figure import Figure  # noqa: E402 - after choosing the backend

from tools.compute.quadrants import Quadrant  # noqa: E402

_QUADRANTS = (  # label, x range (strength), y range (attractiveness), colour
    (Quadrant.DEVELOP.label, "low", "high", "#fdf1d6"),
    (Quadrant.STRATEGIC_GROWTH.label, "high", "high", "#dcf0dc"),
    (Quadrant.MAINTAIN_EXIT.label, "low", "low", "#eeeeee"),
    (Quadrant.DEFEND.label, "high", "low", "#dce8f6"),
)
_MAX_LABELS = 40


def matrix_png(result: dict[str, Any], *, title: str | None = None) -> bytes:
    """Render a matrix result (``MatrixResult``, its JSON) as PNG bytes."""
    threshold = float(result.get("threshold") or 3.0)
    accounts = list(result.get("accounts") or [])
    placed = [a for a in accounts if a.get("attractiveness") is not None and a.get("strength") is not None]
    unplaced = [a for a in accounts if a not in placed]

    fig = Figure(figsize=(8, 8), dpi=100)
    ax = fig.add_subplot(1, 1, 1)
    lo, hi = 1.0, 5.0
    for label, x_level, y_level, colour in _QUADRANTS:
        x0, x1 = (threshold, hi) if x_level == "high" else (lo, threshold)
        y0, y1 = (threshold, hi) if y_level == "high" else (lo, threshold)
        ax.axvspan(x0, x1, ymin=(y0 - lo) / (hi - lo), ymax=(y1 - lo) / (hi - lo), color=colour, zorder=0)
        ax.text((x0 + x1) / 2, y1 - 0.12, label, ha="center", va="top", fontsize=13, fontweight="bold",
                color="#444444", zorder=1)
    ax.axvline(threshold, color="#888888", linestyle="--", linewidth=1, zorder=1)
    ax.axhline(threshold, color="#888888", linestyle="--", linewidth=1, zorder=1)

    xs = [float(a["strength"]) for a in placed]
    ys = [float(a["attractiveness"]) for a in placed]
    ax.scatter(xs, ys, s=60, color="#1f5fa8", edgecolors="white", linewidths=1, zorder=3)
    for i, a in enumerate(placed[:_MAX_LABELS]):
        ax.annotate(str(a.get("name") or a.get("id")), (xs[i], ys[i]), xytext=(5, 4), textcoords="offset points",
                    fontsize=8, color="#222222", zorder=4)

    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_xlabel(f"Supplier strength (high at {threshold:g} or above)")
    ax.set_ylabel(f"Customer attractiveness (high at {threshold:g} or above)")
    as_of = result.get("as_of")
    ax.set_title(title or f"KAM matrix{f' as of {as_of}' if as_of else ''}: {len(placed)} account(s) placed")
    if unplaced:
        names = ", ".join(str(a.get("name") or a.get("id")) for a in unplaced[:12])
        more = f" and {len(unplaced) - 12} more" if len(unplaced) > 12 else ""
        fig.text(0.01, 0.01, f"Unscored (not placed): {names}{more}", fontsize=8, color="#666666")
    fig.tight_layout(rect=(0, 0.03 if unplaced else 0, 1, 1))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
