"""What surrounds a printed map: legend, scale bar, north arrow and the inset that locates the view.

Each function draws one piece with matplotlib in the projected CRS's metres and returns what the label
placement must keep clear of, or where the next piece may go.
"""

from __future__ import annotations

import math

from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.legend_handler import HandlerTuple
from matplotlib.patches import Polygon, Rectangle
from matplotlib.transforms import Affine2D, Bbox
from shapely.geometry.base import BaseGeometry

from geo.print.base_layers import SEA
from geo.print.fonts import font, width_of
from geo.print.geometry import Extent, add_geometry, clip
from geo.print.layout import Box, wrap
from geo.print.mpl_style import INK

BOUNDARY = "#b3b3b3"
INSET_LAND = "#e4dfd0"  # darker than the map's land: the inset is small


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


LegendRow = tuple[object, str, str]  # handle, label, gid
LegendRows = tuple[str, str, list[LegendRow]]  # group title, group id, rows


LEGEND_SIZES = (8.5, 7.5, 6.5)  # points at scale 1, largest first


def legend(panel: Axes, title: str, groups: list[LegendRows], scale: float, columns: int, renderer: RendererBase) -> float:
    """A framed legend titled 图例: each group under its heading, in smaller type if that is what it takes to
    fit the panel, and in one more column at the smaller sizes if even the smallest type runs past the panel's
    foot (a map of every theme has some 50 classes); returns the lowest point used, as a fraction of the panel's
    height."""
    tries = [(size, columns) for size in LEGEND_SIZES] + [(size, columns + 1) for size in LEGEND_SIZES[1:]]
    for i, (size, cols) in enumerate(tries):
        artists = _legends(panel, title, groups, size * scale, cols, renderer)
        lowest = _lowest(panel, artists, renderer)
        if lowest >= 0 or i == len(tries) - 1:
            break
        for artist in artists:
            artist.remove()
    _box(panel, artists, scale, renderer)
    return lowest - 0.03


def _lowest(panel: Axes, artists: list, renderer: RendererBase) -> float:
    if not artists:
        return 1.0
    return panel.transAxes.inverted().transform((0, min(a.get_window_extent(renderer).y0 for a in artists)))[1]


def _box(panel: Axes, artists: list, scale: float, renderer: RendererBase) -> None:
    """A white box with a thin frame round the legend."""
    pad = 5 * scale * renderer.points_to_pixels(1)
    box = Bbox.union([a.get_window_extent(renderer) for a in artists]).padded(pad)
    panel_box = panel.get_window_extent(renderer)
    (x0, y0), (_, y1) = panel.transAxes.inverted().transform([box.p0, box.p1])
    x1 = 1.0 if box.x1 < panel_box.x1 else panel.transAxes.inverted().transform(box.p1)[0]
    frame = Rectangle(
        (x0, y0), x1 - x0, y1 - y0, transform=panel.transAxes, facecolor="white", edgecolor="#8a8a8a", linewidth=0.6 * scale
    )
    frame.set(zorder=-1, clip_on=False, gid="legend-box")
    panel.add_patch(frame)


def _legends(panel: Axes, title: str, groups: list[LegendRows], size: float, columns: int, renderer: RendererBase) -> list:
    measure = width_of(font(size), renderer)
    text_width = panel.get_window_extent(renderer).width / columns - 3.6 * renderer.points_to_pixels(size)
    heading = panel.text(
        0.02, 1.0, title, transform=panel.transAxes, ha="left", va="top", fontproperties=font(size * 1.45), color=INK
    )
    heading.set_gid("legend-title")
    artists: list = [heading]
    top = panel.transAxes.inverted().transform((0, heading.get_window_extent(renderer).y0))[1] - 0.01
    for group_title, group_id, rows in groups:
        if not rows:
            continue
        box = Legend(
            panel,
            [row[0] for row in rows],
            [wrap(row[1], text_width, measure) for row in rows],
            loc="upper left",
            bbox_to_anchor=(0.02, top),
            ncols=columns,
            frameon=False,
            prop=font(size),
            title=group_title,
            title_fontproperties=font(size * 1.1),
            alignment="left",
            borderaxespad=0,
            borderpad=0.2,
            handlelength=2.6,
            handleheight=1.1,
            labelspacing=0.35,
            columnspacing=1.2,
            numpoints=1,
            handler_map={tuple: HandlerTuple(ndivide=None, pad=0)},
        )
        box.get_title().set_gid(f"legend-group-{group_id}")
        box.get_title().set_color("#555555")
        for text, row in zip(box.get_texts(), rows, strict=True):
            text.set_gid(row[2])
        panel.add_artist(box)
        artists.append(box)
        top = panel.transAxes.inverted().transform((0, box.get_window_extent(renderer).y0))[1] - 0.015
    return artists


def inset_map(
    fig: Figure,
    space: Box,
    land: BaseGeometry,
    region: Extent,
    view: Extent,
    scale: float,
    names: list[tuple[str, float, float, bool]],  # name, x, y, and whether it goes left of its dot
) -> Axes:
    """The region with the view outlined in red (cut at the inset's frame) and a few city names, as large as fits in space."""
    fig_w, fig_h = fig.get_size_inches()
    left, bottom, width, height = space
    region_ratio = (region[2] - region[0]) / (region[3] - region[1])
    w_in = min(width * fig_w, height * fig_h * region_ratio)
    h_in = w_in / region_ratio
    ax = fig.add_axes((left, bottom + height - h_in / fig_h, w_in / fig_w, h_in / fig_h))
    ax.set_xlim(region[0], region[2])
    ax.set_ylim(region[1], region[3])
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor(SEA)
    for spine in ax.spines.values():
        spine.set_linewidth(0.6 * scale)
        spine.set_color("#777777")
    add_geometry(ax, clip(land, region), facecolor=INSET_LAND, edgecolor=BOUNDARY, linewidth=0.3 * scale)
    x0, y0, x1, y1 = view
    min_side = 0.02 * (region[2] - region[0])  # a view too small to see is still marked
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w, h = max(x1 - x0, min_side), max(y1 - y0, min_side)
    inner = 0.004 * (region[2] - region[0])  # the box's line stays inside the frame
    bx0, by0 = max(cx - w / 2, region[0] + inner), max(cy - h / 2, region[1] + inner)
    bx1, by1 = min(cx + w / 2, region[2] - inner), min(cy + h / 2, region[3] - inner)
    ax.add_patch(
        Rectangle((bx0, by0), bx1 - bx0, by1 - by0, facecolor="none", edgecolor="#c0392b", linewidth=1.4 * scale, zorder=5)
    )
    for text, x, y, left in names:
        if region[0] < x < region[2] and region[1] < y < region[3]:
            ax.plot([x], [y], marker="o", markersize=2.2 * scale, color="#555555", zorder=6)
            label = ax.text(
                x,
                y,
                f"{text} " if left else f" {text}",
                fontproperties=font(6.5 * scale),
                color="#333333",
                ha="right" if left else "left",
                va="center",
                zorder=6,
                clip_on=True,
            )
            label.set_gid(f"inset-label-{text}")
    ax.set_gid("inset")
    return ax
