"""The KAM matrix as a PNG (matplotlib, Agg), laid out like the web page's chart.

Supplier strength runs along x, attractiveness along y, both 1-5, with the threshold lines (3.0 by
default: a score of exactly the threshold is high). Each account is a bubble whose area follows its annual
revenue, coloured by quadrant. Names are placed by ``adjustText`` so that they do not overlap each other or
the bubbles; in a crowded book only the biggest accounts are named (the note under the chart says how many).
Unscored accounts cannot be placed; they are listed under the chart instead.
"""

from __future__ import annotations

import io
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: render to memory only
from adjustText import adjust_text  # noqa: E402 - after choosing the backend
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from tools.rules import Rules, quadrant_label  # noqa: E402

_QUADRANTS = (  # quadrant, x range (strength), y range (attractiveness), background, bubble colour
    ("develop", "low", "high", "#fdf6e7", "#d99a1e"),
    ("strategic_growth", "high", "high", "#eef8f1", "#2e8b57"),
    ("maintain_exit", "low", "low", "#f3f4f5", "#8a8f96"),
    ("defend", "high", "low", "#eef3fb", "#3a78c2"),
)
_COLOURS = {q: colour for q, *_rest, colour in _QUADRANTS}
LABEL_ALL_UP_TO = 25  # a book this size is named in full
LABELS_WHEN_CROWDED = 20  # beyond it, the biggest accounts by revenue
_AREA_MIN, _AREA_MAX = 40.0, 1400.0  # bubble area in points^2


def matrix_figure(result: dict[str, Any], *, title: str | None = None, rules: Rules | None = None) -> Figure:
    """The chart of a matrix tool result (its JSON) as a matplotlib figure; label artists carry the
    account id as their ``gid``."""
    threshold = float(result.get("threshold") or 3.0)
    accounts = list(result.get("accounts") or [])
    placed = [a for a in accounts if a.get("attractiveness") is not None and a.get("strength") is not None]
    unplaced = [a for a in accounts if a not in placed]

    fig = Figure(figsize=(9, 9), dpi=120)
    ax = fig.add_subplot(1, 1, 1)
    lo, hi = 1.0, 5.0
    for quadrant, x_level, y_level, background, _colour in _QUADRANTS:
        x0, x1 = (threshold, hi) if x_level == "high" else (lo, threshold)
        y0, y1 = (threshold, hi) if y_level == "high" else (lo, threshold)
        ax.axvspan(x0, x1, ymin=(y0 - lo) / (hi - lo), ymax=(y1 - lo) / (hi - lo), color=background, zorder=0)
        # a watermark in the middle of the quadrant: names drawn over it stay readable
        ax.text((x0 + x1) / 2, (y0 + y1) / 2, quadrant_label(quadrant, rules), ha="center", va="center",
                fontsize=24, fontweight="bold", color="#55606c", alpha=0.18, zorder=1)
    ax.axvline(threshold, color="#8a939d", linestyle="--", linewidth=1, zorder=1)
    ax.axhline(threshold, color="#8a939d", linestyle="--", linewidth=1, zorder=1)

    xs = [float(a["strength"]) for a in placed]
    ys = [float(a["attractiveness"]) for a in placed]
    revenues = [max(0.0, float(a.get("annual_revenue") or 0)) for a in placed]
    top = max(revenues, default=0.0) or 1.0
    areas = [_AREA_MIN + (_AREA_MAX - _AREA_MIN) * r / top for r in revenues]
    bubbles = ax.scatter(xs, ys, s=areas, c=[_COLOURS.get(a.get("quadrant"), "#b9bec5") for a in placed],
                         alpha=0.85, edgecolors="white", linewidths=1.2, zorder=3)

    order = sorted(range(len(placed)), key=lambda i: -revenues[i])
    named = order if len(placed) <= LABEL_ALL_UP_TO else order[:LABELS_WHEN_CROWDED]
    texts = []
    for i in named:
        text = ax.text(xs[i], ys[i], str(placed[i].get("name") or placed[i].get("id")), fontsize=8.5,
                       color="#1d2733", zorder=4, ha="center", va="center")
        text.set_gid(str(placed[i].get("id")))
        texts.append(text)
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_xlabel(f"Supplier strength (high at {threshold:g} or above)")
    ax.set_ylabel(f"Customer attractiveness (high at {threshold:g} or above)")
    as_of = result.get("as_of")
    ax.set_title(title or f"KAM matrix{f' as of {as_of}' if as_of else ''}: {len(placed)} account(s) placed")
    notes = ["Bubble area is annual revenue."]
    if len(named) < len(placed):
        notes.append(f"Named: the {len(named)} biggest of {len(placed)} accounts.")
    if unplaced:
        names = ", ".join(str(a.get("name") or a.get("id")) for a in unplaced[:12])
        more = f" and {len(unplaced) - 12} more" if len(unplaced) > 12 else ""
        notes.append(f"Unscored (not placed): {names}{more}.")
    fig.text(0.01, 0.01, " ".join(notes), fontsize=8, color="#666666", wrap=True)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    if texts:  # after the layout: the names are spread in the final display coordinates
        adjust_text(texts, x=xs, y=ys, objects=bubbles, ax=ax, expand=(1.2, 1.5), ensure_inside_axes=True)
        _keep_readable(fig, ax, texts, [(xs[i], ys[i], areas[i]) for i in named])
    return fig


def _keep_readable(fig: Figure, ax: Any, texts: list[Any], points: list[tuple[float, float, float]]) -> None:
    """Make sure no two names overlap (``texts`` come biggest account first): a name that still overlaps a bigger
    account's is tried at eight spots around its bubble, and dropped when none is free. A name that ended up
    away from its bubble gets a leader line."""
    canvas = fig.canvas if hasattr(fig.canvas, "get_renderer") else FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    kept: list[Any] = []
    for text, (px, py, area) in zip(texts, points, strict=True):
        box = text.get_window_extent(renderer)
        if any(box.overlaps(other) for other in kept):
            box = _free_spot(text, ax, renderer, (px, py), area, kept, frame)
            if box is None:
                text.remove()
                continue
        kept.append(box)
        tx, ty = text.get_position()
        centre = ax.transData.transform((px, py))
        if not box.contains(*centre) and abs(tx - px) + abs(ty - py) > 0.12:
            ax.annotate("", xy=(px, py), xytext=(tx, ty), zorder=2,
                        arrowprops={"arrowstyle": "-", "color": "#9aa3ad", "lw": 0.6, "shrinkA": 6, "shrinkB": 4})


def _free_spot(text: Any, ax: Any, renderer: Any, point: tuple[float, float], area: float, kept: list[Any],
               frame: Any) -> Any | None:
    """Move ``text`` to the first spot around its bubble that overlaps no kept name; its box, or None."""
    cx, cy = ax.transData.transform(point)
    radius = (area**0.5) / 2 * renderer.points_to_pixels(1.0)
    size = text.get_window_extent(renderer)
    w, h = size.width, size.height
    for gap in (4.0, 14.0, 28.0):
        d = radius + gap
        for dx, dy in ((d + w / 2, 0), (-d - w / 2, 0), (0, d + h / 2), (0, -d - h / 2),
                       (d * 0.7 + w / 2, d * 0.7 + h / 2), (-d * 0.7 - w / 2, d * 0.7 + h / 2),
                       (d * 0.7 + w / 2, -d * 0.7 - h / 2), (-d * 0.7 - w / 2, -d * 0.7 - h / 2)):
            text.set_position(tuple(ax.transData.inverted().transform((cx + dx, cy + dy))))
            box = text.get_window_extent(renderer)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
            if inside and not any(box.overlaps(other) for other in kept):
                return box
    return None


def matrix_png(result: dict[str, Any], *, title: str | None = None, rules: Rules | None = None) -> bytes:
    """Render a matrix tool result (its JSON) as PNG bytes."""
    buffer = io.BytesIO()
    matrix_figure(result, title=title, rules=rules).savefig(buffer, format="png")
    return buffer.getvalue()
