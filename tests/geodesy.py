"""Distances and areas on the WGS84 ellipsoid, for tests that state metres and square kilometres."""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import Geod, Transformer
from shapely.geometry.base import BaseGeometry

_GEOD = Geod(ellps="WGS84")
# CGCS2000 3-degree Gauss-Kruger zone, central meridian 114E: metres on the ground around Hengqin.
_TO_METRES = Transformer.from_crs("EPSG:4326", "EPSG:4547", always_xy=True).transform


def area_km2(geom: BaseGeometry) -> float:
    return abs(_GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def metres(geom: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geom, lambda xy: np.column_stack(_TO_METRES(xy[:, 0], xy[:, 1])))


def distance_m(a: BaseGeometry, b: BaseGeometry) -> float:
    return metres(a).distance(metres(b))
