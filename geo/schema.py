"""The one schema: vocabularies, field order and limits that build, app, export and print all read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """A controlled value with its labels and, for statuses, the line pattern it is drawn with."""

    id: str
    zh: str
    en: str
    dash: str | None = None  # SVG/Leaflet dash array; None draws a solid line


STATUSES: tuple[Term, ...] = (
    Term("existing", "现状", "existing", None),
    Term("under_construction", "在建", "under construction", "10 6"),
    Term("planned", "规划", "planned", "10 6"),
    Term("study", "研究", "study", "2 6"),
    Term("reserve", "战略留白", "reserve", "2 6"),
)

PHASES: tuple[Term, ...] = (
    Term("现状", "现状", "existing"),
    Term("近期", "近期（至2025年）", "near term (to 2025)"),
    Term("中期", "中期（至2029-2030年）", "medium term (to 2029-2030)"),
    Term("远期", "远期（至2035年）", "long term (to 2035)"),
    Term("远景", "远景（研究、2035年后或战略留白）", "vision (study, beyond 2035 or reserve)"),
)

# Status strength for choosing the feature-level status from several mentions: the most advanced wins.
STATUS_RANK = {term.id: rank for rank, term in enumerate(reversed(STATUSES))}

KINDS: tuple[str, ...] = (
    "island",
    "water",
    "boundary",
    "mountain",
    "bay",
    "coast",
    "development_axis",
    "zone",
    "cluster",
    "industry_zone",
    "development_area",
    "urban_form",
    "urban_interface",
    "ecological_ring",
    "ecological_core",
    "ecological_corridor",
    "park",
    "wetland",
    "greenway",
    "heritage",
    "industrial_park",
    "platform",
    "campus",
    "hospital",
    "resort",
    "residential",
    "utility",
    "rail_line",
    "station",
    "bridge",
    "road",
    "tunnel",
    "port",
    "terminal",
    "airport",
    "border_crossing",
    "logistics",
    "corridor",
)

THEMES: tuple[Term, ...] = (
    Term("base", "基础地理", "base geography"),
    Term("structure", "空间结构", "spatial structure"),
    Term("ecology", "生态格局", "ecology"),
    Term("parks", "公园与绿道", "parks and greenways"),
    Term("industry", "产业空间", "industrial space"),
    Term("transport", "交通", "transport"),
)

# Properties of every output feature, in output order.
PROPERTY_ORDER: tuple[str, ...] = (
    "id",
    "name_zh",
    "name_en",
    "layer",
    "kind",
    "plans",
    "phases",
    "status",
    "mentions",
    "geometry_basis",
    "accuracy_m",
)
MENTION_FIELDS: tuple[str, ...] = ("plan", "section", "quote", "status", "phase")

GEOMETRY_TYPES: tuple[str, ...] = ("Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon")

# Everything the plans cover lies in this box (Guangdong's Pearl River Delta and west coast).
LON_RANGE = (111.0, 115.0)
LAT_RANGE = (21.0, 23.5)

QUOTE_MAX_CHARS = 200
COORDINATE_DECIMALS = 6

STYLE_KEYS: tuple[str, ...] = ("color", "fill_color", "fill_opacity", "weight", "radius", "label", "dash", "opacity")

STATUS_IDS = frozenset(term.id for term in STATUSES)
PHASE_IDS = frozenset(term.id for term in PHASES)
THEME_IDS = frozenset(term.id for term in THEMES)
