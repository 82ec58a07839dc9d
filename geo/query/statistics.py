"""查询统计: what the selected features put in an area — counts, lengths and areas, by layer, status, phase
and plan — measured in metres in CGCS2000 / 3-degree Gauss-Krüger CM 114°E (EPSG:4547).

A feature counts in an area when it meets it; lengths and areas are of its part inside the area. A feature
counts once per plan (and per phase) of the mentions that selected it, so the plan and phase rows may add
up to more than the features.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

from geo.geography.crs import WGS84
from geo.i18n import phase_label, status_label
from geo.query.selection import Selection, Shown, matching_mentions
from geo.sources.mapdata import MapData

MEASURE_CRS = "EPSG:4547"
COLUMNS = ("dimension", "value", "features", "length_km", "area_km2")
_DIMENSIONS = {"layer": ("图层", "layer"), "status": ("状态", "status"), "phase": ("阶段", "phase"), "plan": ("规划", "plan")}


def area_statistics(data: MapData, selection: Selection, shown: Sequence[Shown], area: BaseGeometry, lang: str) -> pd.DataFrame:
    """One row per layer, status, phase and plan found in `area` (WGS84): feature count, km and km²."""
    if not shown:
        return pd.DataFrame(columns=list(COLUMNS))
    frame = gpd.GeoDataFrame(
        {
            "layer": [s.feature["properties"]["layer"] for s in shown],
            "status": [s.mention["status"] for s in shown],
            "phase": [sorted({m["phase"] for m in matching_mentions(s.feature["properties"], selection)}) for s in shown],
            "plan": [sorted({m["plan"] for m in matching_mentions(s.feature["properties"], selection)}) for s in shown],
        },
        geometry=[data.geometries[s.id] for s in shown],
        crs=WGS84,
    ).to_crs(MEASURE_CRS)
    zone = gpd.GeoSeries([area], crs=WGS84).to_crs(MEASURE_CRS).iloc[0]
    frame = frame[frame.intersects(zone)].copy()
    inside = frame.geometry.intersection(zone)
    lines = inside.geom_type.str.contains("LineString")
    polygons = inside.geom_type.str.contains("Polygon")
    frame["length_km"] = inside.length.where(lines, 0.0) / 1000
    frame["area_km2"] = inside.area.where(polygons, 0.0) / 1e6
    frame["features"] = 1
    rows = []
    for dimension in _DIMENSIONS:
        grouped = frame.explode(dimension).groupby(dimension, sort=False)[["features", "length_km", "area_km2"]].sum()
        rank = _order(data, dimension)
        for value, sums in sorted(grouped.iterrows(), key=lambda pair: rank.index(pair[0])):
            rows.append((_dimension_label(dimension, lang), _value_label(data, dimension, value, lang), *sums.tolist()))
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    table["features"] = table["features"].astype(int)
    return table.round({"length_km": 2, "area_km2": 2})


def _order(data: MapData, dimension: str) -> list[str]:
    """Rows in the catalogue's order: layers as drawn, statuses and phases as listed, plans by date."""
    if dimension == "layer":
        return [layer["id"] for layer in sorted(data.catalog["layers"], key=lambda layer: layer["order"])]
    if dimension == "plan":
        return list(data.plan_order)
    return [term["id"] for term in data.catalog["statuses" if dimension == "status" else "phases"]]


def _dimension_label(dimension: str, lang: str) -> str:
    zh, en = _DIMENSIONS[dimension]
    return zh if lang == "zh" else en


def _value_label(data: MapData, dimension: str, value: str, lang: str) -> str:
    if dimension == "layer":
        return data.layers[value]["title_zh" if lang == "zh" else "title_en"]
    if dimension == "status":
        return status_label(value, lang)
    if dimension == "phase":
        return phase_label(value, lang)
    plan = data.plans[value]
    return plan["short_zh"] if lang == "zh" else plan["id"]
