"""Where names go on a printed map: greedy placement in priority order, skipping those that would collide.

`place_labels` is pure geometry on boxes (x0, y0, x1, y1) in page units: each label offers one or more
candidate boxes (around a point; on, above, below an area's anchor; beside a line, turned to it, where it
runs straight), most important label first. `draw_labels` measures the names, places them and draws those
that fit, each with a white halo (drawn as outlines under the text, which stays text in SVG).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import shapely
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.patheffects import Stroke
from matplotlib.transforms import Bbox
from shapely.geometry.base import BaseGeometry

from geo.print.fonts import font
from geo.print.mpl_style import INK

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
    """A name to place: beside a point, on an area (or at a fixed spot and angle), or along a line."""

    text: str
    x: float
    y: float
    priority: float  # larger first
    marker_pt: float | None  # a point's marker radius: the name goes beside it; None: on (x, y), or just above or below
    gid: str
    color: str = INK
    size: float = 7.5  # points at slide scale
    bold: bool = False
    halo: float = 1.5  # halo width in points at slide scale
    angle: float = 0.0  # degrees, for names on a spot (water)
    line: BaseGeometry | None = None  # names along a line: candidate spots along it
    line_width_pt: float = 0.0


# Where a name may go: (dx, dy) in units of the offset, horizontal and vertical alignment.
_BESIDE = (
    (1, 0, "left", "center"),
    (-1, 0, "right", "center"),
    (0, 1, "center", "bottom"),
    (0, -1, "center", "top"),
    (0.8, 0.8, "left", "bottom"),
    (-0.8, 0.8, "right", "bottom"),
    (0.8, -0.8, "left", "top"),
    (-0.8, -0.8, "right", "top"),
)
_ON = ((0, 0, "center", "center"), (0, 1, "center", "bottom"), (0, -1, "center", "top"))
_ALONG = (0.5, 0.38, 0.62, 0.26, 0.74, 0.15, 0.85)  # fractions of a line's length tried, middle first
_STRAIGHT = 0.9  # a name goes where the line is this straight under it (chord / arc)
HALO_COLOR = "white"


@dataclass(frozen=True)
class _Spot:
    x: float  # display pixels of the text's anchor
    y: float
    ha: str
    va: str
    angle: float
    box: Rect


def draw_labels(
    ax: Axes, labels: list[Label], blocked: list[Bbox], markers: list[Bbox], scale: float, renderer: RendererBase
) -> list[Label]:
    """Names in priority order where they collide with no other name, furniture or, where they can, symbol,
    each in its rank's size with a halo (and a stroke of its own colour for bold); returns those placed."""
    ordered = sorted(labels, key=lambda label: -label.priority)
    options = [_spots(ax, label, scale, renderer) for label in ordered]
    frame = tuple(ax.get_window_extent(renderer).extents)
    chosen = place_labels(
        [[spot.box for spot in spots] for spots in options],
        frame,
        [tuple(b.extents) for b in blocked],
        [tuple(b.extents) for b in markers],
    )
    placed = []
    to_data = ax.transData.inverted()
    for label, spots, pick in zip(ordered, options, chosen, strict=True):
        if pick is None:
            continue
        spot = spots[pick]
        x, y = to_data.transform((spot.x, spot.y))
        common = {
            "ha": spot.ha,
            "va": spot.va,
            "rotation": spot.angle,
            "rotation_mode": "anchor",
            "fontproperties": font(label.size * scale),
        }
        strokes = [Stroke(linewidth=2 * label.halo * scale, foreground=HALO_COLOR)]
        if label.bold:
            strokes.append(Stroke(linewidth=0.55 * scale, foreground=label.color))
        halo = ax.text(x, y, label.text, color=label.color, zorder=7, path_effects=strokes, **common)
        halo.set_gid(f"halo-{label.gid}")
        text = ax.text(x, y, label.text, color=label.color, zorder=7.1, **common)
        text.set_gid(label.gid)
        placed.append(label)
    return placed


def _spots(ax: Axes, label: Label, scale: float, renderer: RendererBase) -> list[_Spot]:
    prop = font(label.size * scale)
    w, h, _ = renderer.get_text_width_height_descent(label.text, prop, ismath=False)
    pad = renderer.points_to_pixels(label.halo * scale)
    x, y = ax.transData.transform((label.x, label.y))
    if label.line is not None:
        return _along(ax, label, w, h, pad, renderer, scale)
    if label.marker_pt is None:
        offset = renderer.points_to_pixels(0.7 * label.size * scale)
        if label.angle:
            return [_Spot(x, y, "center", "center", label.angle, _rotated_box(x, y, w, h, label.angle, pad))]
        return [
            _Spot(x + dx * offset, y + dy * offset, ha, va, 0.0, _text_box(x + dx * offset, y + dy * offset, w, h, ha, va, pad))
            for dx, dy, ha, va in _ON
        ]
    offset = renderer.points_to_pixels(label.marker_pt + 1.5 * scale)
    return [
        _Spot(x + dx * offset, y + dy * offset, ha, va, 0.0, _text_box(x + dx * offset, y + dy * offset, w, h, ha, va, pad))
        for dx, dy, ha, va in _BESIDE
    ]


def _along(ax: Axes, label: Label, w: float, h: float, pad: float, renderer: RendererBase, scale: float) -> list[_Spot]:
    """Spots beside a line, turned to it, where the line runs straight for the name's length (display pixels)."""
    line = shapely.transform(label.line, lambda xy: ax.transData.transform(xy))
    parts = [p for p in shapely.get_parts(line) if p.length > w * 1.1]
    spots = []
    gap = renderer.points_to_pixels(label.line_width_pt / 2 + 1.5 * scale) + h / 2
    for part in sorted(parts, key=lambda p: -p.length)[:2]:
        for fraction in _ALONG:
            middle = fraction * part.length
            if middle - w / 2 < 0 or middle + w / 2 > part.length:
                continue
            p0, p1 = part.interpolate(middle - w / 2), part.interpolate(middle + w / 2)
            chord = math.hypot(p1.x - p0.x, p1.y - p0.y)
            if chord < _STRAIGHT * w:
                continue
            angle = math.degrees(math.atan2(p1.y - p0.y, p1.x - p0.x))
            if angle > 90 or angle <= -90:  # read left to right (or bottom to top)
                angle -= math.copysign(180, angle)
            mid = part.interpolate(middle)
            nx, ny = -math.sin(math.radians(angle)), math.cos(math.radians(angle))
            for side in (1, -1):
                cx, cy = mid.x + side * nx * gap, mid.y + side * ny * gap
                spots.append(_Spot(cx, cy, "center", "center", angle, _rotated_box(cx, cy, w, h, angle, pad)))
    return spots


def _rotated_box(x: float, y: float, w: float, h: float, angle: float, pad: float) -> Rect:
    """The upright box around a centred text turned by angle degrees."""
    a = math.radians(angle)
    half_w = (abs(w * math.cos(a)) + abs(h * math.sin(a))) / 2
    half_h = (abs(w * math.sin(a)) + abs(h * math.cos(a))) / 2
    return x - half_w - pad, y - half_h - pad, x + half_w + pad, y + half_h + pad


def _text_box(x: float, y: float, w: float, h: float, ha: str, va: str, pad: float) -> tuple[float, float, float, float]:
    x0 = x - {"left": 0, "center": w / 2, "right": w}[ha]
    y0 = y - {"bottom": 0, "center": h / 2, "top": h}[va]
    return x0 - pad, y0 - pad, x0 + w + pad, y0 + h + pad
