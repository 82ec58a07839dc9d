"""The one symbol system (layers/meta/symbols.yaml): which class a feature falls into and how it is drawn.

`themed_style(theme, properties, status, family, scale)` is the symbol of one feature part (polygon,
line or point) in a theme at a scale of view: the class's own symbol when the class is the theme's
subject, a muted copy when it is context, None when the theme does not show it. The status sets the
line pattern, the point marker's fill and a reserve area's hatch, unless the class is a plan concept
whose status the map does not show (axes, zones). Print and the QGIS styles call this; the web map
mirrors it from the same YAML.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from geo.paths import META_DIR
from geo.sources.yaml_source import read_yaml, without_lines
from geo.style.styles import FeatureStyle

if TYPE_CHECKING:
    from geo.style.themes import Theme

FAMILIES = ("polygon", "line", "point")
GEOMETRY_FAMILY = {
    "Point": "point",
    "MultiPoint": "point",
    "LineString": "line",
    "MultiLineString": "line",
    "Polygon": "polygon",
    "MultiPolygon": "polygon",
}


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list) else (value,)


@dataclass(frozen=True)
class SymbolClass:
    """A class of features drawn alike (one row of symbols.yaml)."""

    id: str
    zh: str
    en: str
    group: str
    layers: tuple[str, ...]
    kinds: tuple[str, ...]
    ids: tuple[str, ...]
    name_has: tuple[str, ...]
    geometry: str | None
    color: str
    fill: str | None  # None: areas drawn as outline only
    fill_opacity: float
    weight: float
    opacity: float
    radius: float
    marker: str
    hatch: str | None  # a class's own area hatch (resorts); a reserve's status hatch wins
    status: bool  # whether the status changes the symbol
    label_only: bool  # named on the map, no symbol (bays)

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def matches(self, props: dict[str, Any], family: str) -> bool:
        return (
            (not self.layers or props["layer"] in self.layers)
            and (not self.kinds or props["kind"] in self.kinds)
            and (not self.ids or props["id"] in self.ids)
            and (not self.name_has or any(word in props["name_zh"] for word in self.name_has))
            and (self.geometry is None or self.geometry == family)
        )


@dataclass(frozen=True)
class StatusSymbol:
    dash: str | None  # SVG dash array in px; None: solid
    marker_fill: str  # full, half, hollow, dot, cross
    hatch: str | None


@dataclass(frozen=True)
class RankType:
    size: float  # points, at slide scale
    bold: bool
    halo: float  # halo width, points


@dataclass(frozen=True)
class SymbolSystem:
    groups: tuple[tuple[str, str, str], ...]  # id, zh, en
    statuses: dict[str, StatusSymbol]
    classes: tuple[SymbolClass, ...]
    context: dict[str, Any]
    ranks: dict[int, RankType]

    def group_label(self, group_id: str, lang: str) -> str:
        row = next(g for g in self.groups if g[0] == group_id)
        return row[1] if lang == "zh" else row[2]

    def by_id(self, class_id: str) -> SymbolClass:
        return next(c for c in self.classes if c.id == class_id)


CLASS_KEYS = frozenset(
    {
        "id",
        "zh",
        "en",
        "group",
        "match",
        "color",
        "fill",
        "fill_opacity",
        "weight",
        "opacity",
        "radius",
        "marker",
        "hatch",
        "status",
        "label_only",
    }
)
MATCH_KEYS = frozenset({"layer", "kind", "ids", "name_has", "geometry"})


def _class(row: dict[str, Any]) -> SymbolClass:
    """One class of symbols.yaml; an unknown key (often an unquoted comma in a flow mapping) is an error."""
    match = row.get("match", {})
    unknown = (set(row) - CLASS_KEYS) | (set(match) - MATCH_KEYS)
    if unknown:
        raise ValueError(f"layers/meta/symbols.yaml: class {row.get('id')!r} has unknown keys {sorted(map(str, unknown))}")
    fill = row.get("fill", row.get("color"))
    return SymbolClass(
        id=row["id"],
        zh=row["zh"],
        en=row["en"],
        group=row["group"],
        layers=_as_tuple(match.get("layer")),
        kinds=_as_tuple(match.get("kind")),
        ids=_as_tuple(match.get("ids")),
        name_has=_as_tuple(match.get("name_has")),
        geometry=match.get("geometry"),
        color=row.get("color", "#555555"),
        fill=None if fill == "none" else fill,
        fill_opacity=float(row.get("fill_opacity", 0.35)),
        weight=float(row.get("weight", 2)),
        opacity=float(row.get("opacity", 1)),
        radius=float(row.get("radius", 5)),
        marker=row.get("marker", "circle"),
        hatch=row.get("hatch"),
        status=bool(row.get("status", True)),
        label_only=bool(row.get("label_only", False)),
    )


@cache
def load_symbols() -> SymbolSystem:
    raw = without_lines(read_yaml(META_DIR / "symbols.yaml", "layers/meta/symbols.yaml"))
    return SymbolSystem(
        groups=tuple((g["id"], g["zh"], g["en"]) for g in raw["groups"]),
        statuses={k: StatusSymbol(v.get("dash"), v["marker_fill"], v.get("hatch")) for k, v in raw["statuses"].items()},
        classes=tuple(_class(row) for row in raw["classes"]),
        context=raw["context"],
        ranks={int(k): RankType(float(v["size"]), bool(v["bold"]), float(v["halo"])) for k, v in raw["label_ranks"].items()},
    )


def classify(props: dict[str, Any], family: str) -> SymbolClass | None:
    """The first class whose match fits the feature (a part of one geometry family)."""
    return next((c for c in load_symbols().classes if c.matches(props, family)), None)


@dataclass(frozen=True)
class Symbol:
    """How one feature part is drawn; sizes in web pixels, as the layer styles."""

    class_id: str
    family: str
    role: str  # subject or context
    group: str
    color: str
    fill_color: str | None  # None: outline only
    fill_opacity: float
    weight: float
    opacity: float
    radius: float
    marker: str
    dash: str | None
    marker_fill: str
    hatch: str | None
    label_rank: int | None
    label_only: bool

    def feature_style(self) -> FeatureStyle:
        """The symbol in the flat style columns of exports (geo.style.styles.FeatureStyle)."""
        return FeatureStyle(
            color=self.color,
            fill_color=self.fill_color or self.color,
            fill_opacity=self.fill_opacity if self.fill_color else 0.0,
            weight=self.weight,
            opacity=self.opacity,
            radius=self.radius,
            label=self.label_rank is not None,
            dash=self.dash,
            marker=self.marker,
            hatch=self.hatch,
        )

    def key(self) -> tuple[Any, ...]:
        """What makes two symbols look alike in a legend (one entry each): a subject class and its geometry;
        context is drawn in one neutral grey, so context symbols differ only by geometry, marker and width."""
        if self.role == "context":
            return ("context", self.family, self.marker if self.family == "point" else f"{self.weight:g}")
        return (self.class_id, self.family)


def class_symbol(cls: SymbolClass, family: str, role: str, status: str, label_rank: int | None) -> Symbol:
    system = load_symbols()
    pattern = system.statuses[status] if cls.status else StatusSymbol(None, "full", None)
    color, fill, fill_opacity, weight, hatch = cls.color, cls.fill, cls.fill_opacity, cls.weight, pattern.hatch or cls.hatch
    if role == "context":  # one neutral grey, areas as outlines: context never competes with the subject
        ctx = system.context
        color, fill, hatch = ctx["color"], None, None
        weight = max(round(weight * float(ctx["weight"]) * 2) / 2, 1.0) if weight > 0 else 0.0
    return Symbol(
        class_id=cls.id,
        family=family,
        role=role,
        group=cls.group,
        color=color,
        fill_color=fill,
        fill_opacity=fill_opacity,
        weight=weight,
        opacity=cls.opacity,
        radius=cls.radius,
        marker=cls.marker,
        dash=pattern.dash,
        marker_fill=pattern.marker_fill,
        hatch=hatch if family == "polygon" else None,
        label_rank=label_rank,
        label_only=cls.label_only,
    )


def class_shape(props: dict[str, Any], family: str, status: str) -> dict[str, Any]:
    """The marker shape and hatch a feature part takes from its symbol class outside a theme (exports without
    --theme keep their layer colours but draw airports as triangles and reserves hatched, as every theme does)."""
    cls = classify(props, family)
    if cls is None:
        return {}
    symbol = class_symbol(cls, family, "subject", status, None)
    return {"marker": symbol.marker, "hatch": symbol.hatch}


def themed_style(theme: Theme, props: dict[str, Any], status: str, family: str, scale: str) -> Symbol | None:
    """The symbol of a feature part in a theme at a scale of view ('local' or 'region'), or None: not shown."""
    cls = classify(props, family)
    if cls is None:
        return None
    role = theme.role(cls.id, props["layer"], scale)
    if role is None:
        return None
    return class_symbol(cls, family, role, status, theme.label_rank(cls.id, role, scale))
