"""Where names go on a printed map: greedy placement in priority order, skipping those that would collide.

`place_labels` is pure geometry on boxes (x0, y0, x1, y1) in page units: each label offers one or more
candidate boxes (right, left, above, below a point; on, above, below an area's anchor), most important
label first. `draw_labels` measures the names, places them and draws those that fit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.transforms import Bbox

from geo.fonts import font
from geo.mpl_style import INK

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1


def overlaps(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(inner: Rect, outer: Rect) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def place_labels(
    candidates: Sequence[Sequence[Rect]], frame: Rect, blocked: Iterable[Rect] = (), avoid: Iterable[Rect] = ()
) -> list[int | None]:
    """For each label in turn, the index of its first candidate box that lies in the frame and overlaps
    neither a blocked box nor a label already placed, nor, if any candidate can, a box to avoid (such as
    another feature's symbol); None when every candidate collides."""
    taken = list(blocked)
    soft = list(avoid)
    chosen: list[int | None] = []
    for boxes in candidates:
        free = [i for i, box in enumerate(boxes) if inside(box, frame) and not any(overlaps(box, t) for t in taken)]
        pick = next((i for i in free if not any(overlaps(boxes[i], s) for s in soft)), free[0] if free else None)
        if pick is not None:
            taken.append(boxes[pick])
        chosen.append(pick)
    return chosen


@dataclass(frozen=True)
class Label:
    text: str
    x: float
    y: float
    priority: float  # larger first
    marker_pt: float | None  # a point's marker radius: the name goes beside it; None: on (x, y), or just above or below
    gid: str
    color: str = INK


# Where a name may go: (dx, dy) in units of the offset, horizontal and vertical alignment.
_BESIDE = ((1, 0, "left", "center"), (-1, 0, "right", "center"), (0, 1, "center", "bottom"), (0, -1, "center", "top"))
_ON = ((0, 0, "center", "center"), (0, 1, "center", "bottom"), (0, -1, "center", "top"))
_LABEL_BOX = {"boxstyle": "round,pad=0.15", "facecolor": (1, 1, 1, 0.72), "edgecolor": "none"}


def draw_labels(
    ax: Axes, labels: list[Label], blocked: list[Bbox], markers: list[Bbox], scale: float, renderer: RendererBase
) -> None:
    """Names in priority order where they collide with no other name, furniture or, where they can, symbol."""
    size = 7.5 * scale
    prop = font(size)
    pad = 0.15 * renderer.points_to_pixels(size)
    ordered = sorted(labels, key=lambda label: -label.priority)
    options = []
    candidates = []
    for label in ordered:
        w, h, _ = renderer.get_text_width_height_descent(label.text, prop, ismath=False)
        x, y = ax.transData.transform((label.x, label.y))
        offset = renderer.points_to_pixels(_offset_pt(label, size, scale))
        spots = _ON if label.marker_pt is None else _BESIDE
        options.append(spots)
        candidates.append([_text_box(x + dx * offset, y + dy * offset, w, h, ha, va, pad) for dx, dy, ha, va in spots])
    frame = tuple(ax.get_window_extent(renderer).extents)
    chosen = place_labels(candidates, frame, [tuple(b.extents) for b in blocked], [tuple(b.extents) for b in markers])
    for label, spots, pick in zip(ordered, options, chosen, strict=True):
        if pick is None:
            continue
        dx, dy, ha, va = spots[pick]
        offset = _offset_pt(label, size, scale)
        text = ax.annotate(
            label.text,
            (label.x, label.y),
            xytext=(dx * offset, dy * offset),
            textcoords="offset points",
            ha=ha,
            va=va,
            fontproperties=prop,
            color=label.color,
            bbox=_LABEL_BOX,
            zorder=7,
        )
        text.set_gid(label.gid)


def _offset_pt(label: Label, size: float, scale: float) -> float:
    """How far a name moves off its anchor: clear of a point's marker, or half a line for an area's name."""
    return 0.7 * size if label.marker_pt is None else label.marker_pt + 1.5 * scale


def _text_box(x: float, y: float, w: float, h: float, ha: str, va: str, pad: float) -> tuple[float, float, float, float]:
    x0 = x - {"left": 0, "center": w / 2, "right": w}[ha]
    y0 = y - {"bottom": 0, "center": h / 2, "top": h}[va]
    return x0 - pad, y0 - pad, x0 + w + pad, y0 + h + pad
