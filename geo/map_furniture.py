"""What surrounds a printed map: legend, scale bar, north arrow and the inset that locates the view.

Each function draws one piece with matplotlib in the projected CRS's metres and returns what the label
placement must keep clear of, or where the next piece may go.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon, Rectangle
from matplotlib.transforms import Affine2D, Bbox
from shapely.geometry.base import BaseGeometry

from geo.fonts import font, width_of
from geo.mpl_style import INK, PT_PER_PX, dashes
from geo.print_geometry import Extent, add_geometry
from geo.print_layout import Box, wrap
from geo.styles import FeatureStyle

SEA = "#dde8f0"  # the background: water is what the land boundaries leave
LAND = "#f6f4ee"
BOUNDARY = "#b3b3b3"
INSET_LAND = "#e4dfd0"  # darker than LAND: the inset is small


@dataclass(frozen=True)
class LegendLayer:
    id: str
    title: str
    style: FeatureStyle  # the layer's own style, as drawn for an existing feature
    kinds: frozenset[str]  # "polygon", "line", "point": what of the layer is on the map


@dataclass(frozen=True)
class LegendStatus:
    id: str
    label: str
    dash: str | None


def nice_length(max_metres: float) -> float:
    """The longest 1, 2 or 5 × 10^n metres not over max_metres."""
    power = 10 ** math.floor(math.log10(max_metres))
    return max(step * power for step in (1, 2, 5) if step * power <= max_metres)


def _distance_label(metres: float) -> str:
    return f"{metres / 1000:g}" if metres >= 1000 else f"{metres:g}"


def scale_bar(ax: Axes, extent: Extent, metres_per_point: float, scale: float, renderer: RendererBase) -> Bbox:
    """A two-part bar of a round length about a fifth of the map's width, at the lower left."""
    length = nice_length((extent[2] - extent[0]) / 5)
    unit = "km" if length >= 1000 else "m"
    pad = 10 * scale * metres_per_point
    bar_h = 4 * scale * metres_per_point
    size = 7 * scale
    x0, y0 = extent[0] + 2 * pad, extent[1] + 2 * pad
    artists = [
        Rectangle((x0, y0), length / 2, bar_h, facecolor=INK, edgecolor=INK, linewidth=0.6 * scale),
        Rectangle((x0 + length / 2, y0), length / 2, bar_h, facecolor="white", edgecolor=INK, linewidth=0.6 * scale),
    ]
    for artist in artists:
        artist.set_zorder(9)
        ax.add_patch(artist)
    texts = [
        ax.text(x, y0 + bar_h * 1.6, text, ha="center", va="bottom", fontproperties=font(size), color=INK, zorder=9)
        for x, text in ((x0, "0"), (x0 + length / 2, _distance_label(length / 2)), (x0 + length, _distance_label(length)))
    ]
    texts.append(ax.text(x0 + length + pad / 2, y0, unit, ha="left", va="bottom", fontproperties=font(size), color=INK, zorder=9))
    box = Bbox.union([a.get_window_extent(renderer) for a in artists + texts]).padded(4 * scale * renderer.points_to_pixels(1))
    (bx0, by0), (bx1, by1) = ax.transData.inverted().transform([box.p0, box.p1])
    ax.add_patch(Rectangle((bx0, by0), bx1 - bx0, by1 - by0, facecolor=(1, 1, 1, 0.8), edgecolor="none", zorder=8))
    return box


def north_arrow(ax: Axes, fig: Figure, rotation_deg: float, scale: float, renderer: RendererBase) -> Bbox:
    """An arrow at the upper right pointing to true north (turned by the grid convergence)."""
    corner = ax.get_window_extent(renderer).transformed(fig.dpi_scale_trans.inverted())  # inches
    place = Affine2D().translate(corner.x1 - 0.32 * scale, corner.y1 - 0.45 * scale)
    transform = Affine2D().rotate_deg(-rotation_deg).scale(0.32 * scale) + place + fig.dpi_scale_trans
    halves = [
        Polygon([(0, 0.5), (-0.2, -0.45), (0, -0.25)], closed=True, facecolor="white", edgecolor=INK),
        Polygon([(0, 0.5), (0.2, -0.45), (0, -0.25)], closed=True, facecolor=INK, edgecolor=INK),
    ]
    for half in halves:
        half.set(transform=transform, linewidth=0.7 * scale, zorder=9)
        ax.add_patch(half)
    label = ax.text(0, 0.62, "N", transform=transform, ha="center", va="bottom", fontproperties=font(9 * scale), color=INK)
    label.set_zorder(9)
    return Bbox.union([a.get_window_extent(renderer) for a in [*halves, label]])


def legend(
    panel: Axes,
    layers: list[LegendLayer],
    statuses: list[LegendStatus],
    titles: tuple[str, str],
    scale: float,
    columns: int,
    renderer: RendererBase,
) -> float:
    """The layers on the map (titled 图例), then the line pattern of each status shown, in smaller type if
    that is what it takes to fit the panel; returns the lowest point used, as a fraction of its height."""
    for size in (8.5 * scale, 7.5 * scale):
        boxes = _legends(panel, layers, statuses, titles, scale, size, columns, renderer)
        if _lowest(panel, boxes, renderer) >= 0:
            return _lowest(panel, boxes, renderer) - 0.03
        for box in boxes:
            box.remove()
    boxes = _legends(panel, layers, statuses, titles, scale, 6.5 * scale, columns, renderer)  # fitting or not
    return _lowest(panel, boxes, renderer) - 0.03


def _lowest(panel: Axes, boxes: list[Legend], renderer: RendererBase) -> float:
    if not boxes:
        return 1.0
    return panel.transAxes.inverted().transform((0, min(box.get_window_extent(renderer).y0 for box in boxes)))[1]


def _legends(
    panel: Axes,
    layers: list[LegendLayer],
    statuses: list[LegendStatus],
    titles: tuple[str, str],
    scale: float,
    size: float,
    columns: int,
    renderer: RendererBase,
) -> list[Legend]:
    measure = width_of(font(size), renderer)
    text_width = panel.get_window_extent(renderer).width / columns - 3.6 * renderer.points_to_pixels(size)
    groups = (
        (
            [_layer_handle(layer, scale) for layer in layers],
            [layer.title for layer in layers],
            [f"legend-layer-{x.id}" for x in layers],
        ),
        (
            [Line2D([], [], color=INK, linewidth=2.5 * PT_PER_PX * scale, linestyle=dashes(s.dash, scale)) for s in statuses],
            [s.label for s in statuses],
            [f"legend-status-{s.id}" for s in statuses],
        ),
    )
    boxes: list[Legend] = []
    top = 1.0
    for (handles, labels, gids), title, gid in zip(groups, titles, ("legend-title", "legend-status-title"), strict=True):
        if not handles:
            continue
        box = Legend(
            panel,
            handles,
            [wrap(label, text_width, measure) for label in labels],
            loc="upper left",
            bbox_to_anchor=(0, top),
            ncols=columns,
            frameon=False,
            prop=font(size),
            title=title,
            title_fontproperties=font(size * 1.2),
            alignment="left",
            borderaxespad=0,
            borderpad=0.2,
            handlelength=2.4,
            columnspacing=1.2,
        )
        box.get_title().set_gid(gid)
        for text, text_gid in zip(box.get_texts(), gids, strict=True):
            text.set_gid(text_gid)
        panel.add_artist(box)
        boxes.append(box)
        top = panel.transAxes.inverted().transform((0, box.get_window_extent(renderer).y0))[1] - 0.03
    return boxes


def _layer_handle(layer: LegendLayer, scale: float) -> Patch | Line2D:
    style = layer.style
    if "polygon" in layer.kinds:
        return Patch(
            facecolor=to_rgba(style.fill_color, max(style.fill_opacity, 0.25)),
            edgecolor=style.color,
            linewidth=1.5 * PT_PER_PX * scale,
        )
    if "line" in layer.kinds:
        return Line2D([], [], color=style.color, linewidth=min(style.weight, 6) * PT_PER_PX * scale, solid_capstyle="butt")
    return Line2D(
        [],
        [],
        linestyle="none",
        marker="o",
        markersize=2 * 5 * PT_PER_PX * scale,
        markerfacecolor=style.fill_color,
        markeredgecolor=style.color,
        markeredgewidth=1.5 * PT_PER_PX * scale,
    )


def inset_map(fig: Figure, space: Box, land: BaseGeometry, region: Extent, view: Extent, scale: float) -> Axes:
    """The whole region with the view outlined in red, as large as fits in space (figure fractions)."""
    fig_w, fig_h = fig.get_size_inches()
    left, bottom, width, height = space
    region_ratio = (region[2] - region[0]) / (region[3] - region[1])
    w_in = min(width * fig_w, height * fig_h * region_ratio)
    h_in = w_in / region_ratio
    ax = fig.add_axes((left, bottom, w_in / fig_w, h_in / fig_h))
    ax.set_xlim(region[0], region[2])
    ax.set_ylim(region[1], region[3])
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor(SEA)
    for spine in ax.spines.values():
        spine.set_linewidth(0.6 * scale)
        spine.set_color("#777777")
    add_geometry(ax, land, facecolor=INSET_LAND, edgecolor=BOUNDARY, linewidth=0.3 * scale)
    x0, y0, x1, y1 = view
    min_side = 0.012 * (region[2] - region[0])  # a view too small to see is still marked
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w, h = max(x1 - x0, min_side), max(y1 - y0, min_side)
    ax.add_patch(
        Rectangle((cx - w / 2, cy - h / 2), w, h, facecolor="none", edgecolor="#c0392b", linewidth=1.4 * scale, zorder=5)
    )
    ax.set_gid("inset")
    return ax
