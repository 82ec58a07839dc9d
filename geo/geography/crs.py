"""Coordinate reference systems. Data is stored in WGS84 (EPSG:4326); GCJ-02 exists only at the edges:
the AMap basemap (shift our data to GCJ-02 for display) and input from Chinese web maps (shift back).
The datum arithmetic, on whole coordinate arrays, is in geo/geography/datum.py.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.geography import datum

WGS84 = "EPSG:4326"


def wgs84_to_gcj02(geom: BaseGeometry) -> BaseGeometry:
    return _shift(geom, datum.wgs84_to_gcj02)


def gcj02_to_wgs84(geom: BaseGeometry) -> BaseGeometry:
    """Inverse of wgs84_to_gcj02 to well under a metre (fixed-point iteration)."""
    return _shift(geom, datum.gcj02_to_wgs84)


def _shift(geom, convert: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]):
    def apply(xy: np.ndarray) -> np.ndarray:
        lon, lat = convert(xy[:, 0].astype(float), xy[:, 1].astype(float))
        return np.column_stack([lon, lat])

    return shapely.transform(geom, apply)
