"""Users' own files on the map: each uploaded overlay as display-ready GeoJSON with escaped popups.

Everything that came from the file (its name, column names, values) is escaped here, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geo.geography.crs import wgs84_to_gcj02
from geo.style.styles import FeatureStyle, resolve_style
from geo.upload.naming import feature_name

PALETTE = ("#e6007e", "#00a0e9", "#f39800", "#009944", "#7f3f98")
USER_LAYER_STYLE = {"fill_opacity": 0.3, "weight": 2, "radius": 4}  # plus the colour from PALETTE
POPUP_ROWS = 25  # columns shown in a popup; the rest are in the file
BROWSER_DECIMALS = 5


def user_style(color: str) -> FeatureStyle:
    """How users' own layers are drawn (map, exports, print): their colour, solid (they have no plan status)."""
    return resolve_style({"color": color, **USER_LAYER_STYLE}, None, "existing")


def layer_color(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


@dataclass(frozen=True)
class UserLayer:
    name: str  # the file name, as given (escaped where shown)
    color: str
    features: tuple[dict[str, Any], ...]  # GeoJSON features with `_tip` and `_popup` (escaped HTML)
    geometry_kinds: frozenset[str]  # polygon / line / point, for the legend swatch


def user_layer(frame: gpd.GeoDataFrame, name: str, index: int, gcj02: bool) -> UserLayer:
    """Popups and GeoJSON for a display-ready frame (geo.upload.display_geometry has simplified it)."""
    geoms = frame.geometry.to_numpy()
    if gcj02:
        geoms = wgs84_to_gcj02(geoms)
    rounded = shapely.set_precision(geoms, 10**-BROWSER_DECIMALS)
    columns = [c for c in frame.columns if c != frame.geometry.name]
    features = []
    kinds: set[str] = set()
    for position, (geom, row) in enumerate(zip(rounded, frame[columns].itertuples(index=False), strict=True)):
        if geom is None or geom.is_empty:
            continue
        kinds |= geometry_kinds(geom)
        values = dict(zip(columns, row, strict=True))
        features.append(
            {
                "type": "Feature",
                "geometry": mapping(geom),
                "properties": {
                    "id": f"user-{index}-{position}",
                    "_tip": escape(_label(values, name)),
                    "_popup": _popup(name, values),
                },
            }
        )
    return UserLayer(name, layer_color(index), tuple(features), frozenset(kinds))


def geometry_kinds(geom: BaseGeometry) -> set[str]:
    """polygon / line / point for the legend swatch; a GeometryCollection is what its parts are."""
    if geom.geom_type == "GeometryCollection":
        return set().union(*(geometry_kinds(part) for part in geom.geoms if not part.is_empty))
    return {"polygon" if "Polygon" in geom.geom_type else "line" if "Line" in geom.geom_type else "point"}


def _label(values: dict[str, Any], fallback: str) -> str:
    return feature_name(values) or fallback


def _popup(name: str, values: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><th>{escape(str(key))}</th><td>{escape('' if value is None else str(value))}</td></tr>"
        for key, value in list(values.items())[:POPUP_ROWS]
    )
    more = f'<div class="pm-sub">… {len(values) - POPUP_ROWS} more</div>' if len(values) > POPUP_ROWS else ""
    return f'<div class="pm-popup"><h4>{escape(name)}</h4><table class="pm-table">{rows}</table>{more}</div>'
