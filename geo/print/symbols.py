"""A symbol (geo.style.symbols.Symbol) drawn with matplotlib: on the printed map, and as its legend key.

Sizes are web pixels (0.75 pt each at slide scale). Lines under a width of 5 px get a white casing so they
read over area fills; point markers are solid with a white halo; a status changes a point's fill (half,
hollow, centre dot, cross), a line's dash pattern and a reserve area's hatch.
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.patheffects import Normal, Stroke
from shapely.geometry.base import BaseGeometry

from geo.print.geometry import add_geometry
from geo.print.mpl_style import INK, PT_PER_PX, dashes
from geo.style.symbols import StatusSymbol, Symbol

MARKERS = {"circle": "o", "square": "s", "diamond": "D", "triangle": "^", "star": "*", "hexagon": "h"}
MARKER_SCALE = {"star": 1.35, "diamond": 0.85, "triangle": 1.1}  # equal visual weight across shapes
CASING_UNDER_PX = 5  # lines thinner than this get a white casing
HALO = "white"


def _pt(px: float, scale: float) -> float:
    return px * PT_PER_PX * scale


def polygon_kwargs(sym: Symbol, scale: float) -> dict:
    face = to_rgba(sym.fill_color, sym.fill_opacity) if sym.fill_color else "none"
    kwargs = {
        "facecolor": face,
        "edgecolor": to_rgba(sym.color, sym.opacity),
        "linewidth": _pt(sym.weight, scale),
        "linestyle": dashes(sym.dash, scale),
        "joinstyle": "round",
        "capstyle": "butt",
    }
    if sym.hatch:
        kwargs["hatch"] = sym.hatch
        kwargs["hatchcolor"] = to_rgba(sym.color, 0.6)
    return kwargs


def draw_polygons(ax: Axes, geom: BaseGeometry, sym: Symbol, scale: float, zorder: float, gid: str) -> None:
    if sym.weight <= 0 and not sym.fill_color:
        return
    kwargs = polygon_kwargs(sym, scale)
    if sym.weight <= 0:
        kwargs["linewidth"] = 0
    add_geometry(ax, geom, zorder=zorder, **kwargs).set_gid(gid)


def draw_lines(ax: Axes, geom: BaseGeometry, sym: Symbol, scale: float, zorder: float, gid: str) -> None:
    width = _pt(sym.weight, scale)
    if sym.weight < CASING_UNDER_PX and sym.role == "subject":
        add_geometry(ax, geom, zorder=zorder, fill=False, edgecolor=HALO, linewidth=width + _pt(2.5, scale), capstyle="round")
    line = add_geometry(
        ax,
        geom,
        zorder=zorder,
        fill=False,
        edgecolor=to_rgba(sym.color, sym.opacity),
        linewidth=width,
        linestyle=dashes(sym.dash, scale),
        capstyle="round" if not sym.dash else "butt",
        joinstyle="round",
    )
    line.set_gid(gid)


def _marker_kwargs(sym: Symbol, scale: float, halo: bool = True) -> list[dict]:
    """The marker as one or two layers: the shape with its status fill, then a centre dot or cross."""
    size = 2 * _pt(sym.radius, scale) * MARKER_SCALE.get(sym.marker, 1.0)
    edge = _pt(1.6, scale)
    base = {"marker": MARKERS.get(sym.marker, "o"), "markersize": size, "markeredgecolor": sym.color, "linestyle": "none"}
    fill = sym.marker_fill
    if fill == "full":
        layer = {**base, "markerfacecolor": sym.color, "markeredgewidth": edge * 0.5}
    elif fill == "half":
        layer = {
            **base,
            "fillstyle": "left",
            "markerfacecolor": sym.color,
            "markerfacecoloralt": "white",
            "markeredgewidth": edge,
        }
    else:
        layer = {**base, "markerfacecolor": "white", "markeredgewidth": edge * 1.2}
    if halo:
        layer["path_effects"] = [Stroke(linewidth=edge + _pt(3, scale), foreground=HALO), Normal()]
    layers = [layer]
    if fill == "dot":
        layers.append(
            {"marker": "o", "markersize": size * 0.32, "markerfacecolor": sym.color, "markeredgewidth": 0, "linestyle": "none"}
        )
    elif fill == "cross":
        layers.append(
            {"marker": "x", "markersize": size * 0.5, "markeredgecolor": sym.color, "markeredgewidth": edge, "linestyle": "none"}
        )
    return layers


def draw_points(ax: Axes, xy: list[tuple[float, float]], sym: Symbol, scale: float, zorder: float, gid: str) -> float:
    """The markers; returns their radius in points (for the names beside them)."""
    xs, ys = [p[0] for p in xy], [p[1] for p in xy]
    for i, kwargs in enumerate(_marker_kwargs(sym, scale)):
        (markers,) = ax.plot(xs, ys, zorder=zorder + i * 0.01, **kwargs)
        markers.set_gid(gid if i == 0 else f"{gid}-{i}")
    return _pt(sym.radius, scale) * MARKER_SCALE.get(sym.marker, 1.0) + _pt(1.5, scale)


def legend_handle(sym: Symbol, scale: float) -> Patch | Line2D | tuple:
    """The legend key of a symbol: as drawn on the map (line widths capped to fit the key's height)."""
    if sym.family == "polygon":
        if sym.weight <= 0 and not sym.fill_color:
            return Patch(facecolor="none", edgecolor="none")
        kwargs = polygon_kwargs(sym, scale)
        return Patch(**{k: v for k, v in kwargs.items() if k not in ("joinstyle", "capstyle")})
    if sym.family == "line":
        return Line2D(
            [],
            [],
            color=to_rgba(sym.color, sym.opacity),
            linewidth=min(_pt(sym.weight, scale), _pt(12, scale)),
            linestyle=dashes(sym.dash, scale),
            solid_capstyle="butt",
        )
    layers = _marker_kwargs(sym, scale, halo=False)
    handles = tuple(Line2D([], [], color=sym.color, **kwargs) for kwargs in layers)
    return handles if len(handles) > 1 else handles[0]


def status_handle(status: StatusSymbol, scale: float) -> tuple[Line2D | Patch, ...]:
    """A status's legend key in ink: its line pattern with its point marker in the middle."""
    sym = Symbol(
        "status",
        "point",
        "subject",
        "status",
        INK,
        None,
        0,
        2,
        1,
        4.5,
        "circle",
        status.dash,
        status.marker_fill,
        None,
        None,
        False,
    )
    line = Line2D([], [], color=INK, linewidth=_pt(2, scale), linestyle=dashes(status.dash, scale))
    markers = tuple(Line2D([], [], color=INK, **kwargs) for kwargs in _marker_kwargs(sym, scale, halo=False))
    if not status.hatch:
        return (line, *markers)
    # An area of this status is hatched on the map (reserve): the key shows the hatch behind the pattern, as the web's.
    hatch = Patch(facecolor="none", edgecolor="none", hatch=status.hatch, hatchcolor=to_rgba(INK, 0.6))
    return (hatch, line, *markers)
