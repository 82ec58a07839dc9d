"""Geometry checks and normalisation: GeoJSON dict <-> shapely, bounds, validity, winding, rounding."""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from geo.sources.schema import COORDINATE_DECIMALS, GEOMETRY_TYPES, LAT_RANGE, LON_RANGE


class GeometryProblem(ValueError):
    """A geometry that cannot be used; the message says why in a planner's words."""


def parse_geometry(data: Any) -> BaseGeometry:
    """Turn a GeoJSON geometry mapping into shapely, or raise GeometryProblem."""
    if not isinstance(data, dict) or "type" not in data or "coordinates" not in data:
        raise GeometryProblem("geometry must be a GeoJSON mapping with 'type' and 'coordinates'")
    if data["type"] not in GEOMETRY_TYPES:
        raise GeometryProblem(f"geometry type '{data['type']}' is not one of {', '.join(GEOMETRY_TYPES)}")
    try:
        geom = shape(data)
    except (ValueError, TypeError, IndexError, AttributeError, shapely.errors.GEOSException) as exc:
        raise GeometryProblem(f"malformed {data['type']} coordinates ({exc})") from None
    if geom.is_empty:
        raise GeometryProblem("geometry is empty")
    return geom


def check_bounds(geom: BaseGeometry) -> None:
    """Reject coordinates outside the plans' region, naming swapped lat/lon when that is the cause."""
    coords = shapely.get_coordinates(geom)
    lon, lat = coords[:, 0], coords[:, 1]
    inside = (lon >= LON_RANGE[0]) & (lon <= LON_RANGE[1]) & (lat >= LAT_RANGE[0]) & (lat <= LAT_RANGE[1])
    if inside.all():
        return
    swapped = (lat >= LON_RANGE[0]) & (lat <= LON_RANGE[1]) & (lon >= LAT_RANGE[0]) & (lon <= LAT_RANGE[1])
    x, y = coords[~inside][0]
    if swapped[~inside].all():
        raise GeometryProblem(f"coordinates look swapped: [{x}, {y}] is [lat, lon]; write [lon, lat]")
    raise GeometryProblem(
        f"coordinate [{x}, {y}] lies outside lon {LON_RANGE[0]:g}-{LON_RANGE[1]:g} / lat {LAT_RANGE[0]:g}-{LAT_RANGE[1]:g}"
    )


def check_valid(geom: BaseGeometry) -> None:
    if not geom.is_valid:
        raise GeometryProblem(f"invalid geometry: {shapely.is_valid_reason(geom)}")


def normalise(geom: BaseGeometry) -> BaseGeometry:
    """Round to the output precision and orient polygons as RFC 7946 asks (exterior counter-clockwise)."""
    rounded = shapely.transform(geom, lambda xy: np.round(xy, COORDINATE_DECIMALS))
    return shapely.orient_polygons(rounded, exterior_cw=False)


def union_of(parts: list[BaseGeometry]) -> BaseGeometry:
    """One geometry for several: lines joined end to end where they meet, polygons dissolved."""
    if len(parts) == 1:
        return parts[0]
    union = shapely.union_all(parts)
    if union.geom_type == "MultiLineString":
        union = shapely.line_merge(union)
    return normalise(union)


def simplify(geom: BaseGeometry, tolerance_deg: float) -> BaseGeometry:
    return geom.simplify(tolerance_deg, preserve_topology=True)


def to_geojson(geom: BaseGeometry) -> dict[str, Any]:
    """GeoJSON geometry mapping with lists (not tuples) and plain floats."""
    return _listify(mapping(geom))


def _listify(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_listify(v) for v in value]
    if isinstance(value, dict):
        return {k: _listify(v) for k, v in value.items()}
    if isinstance(value, float):
        return round(value, COORDINATE_DECIMALS)
    return value
