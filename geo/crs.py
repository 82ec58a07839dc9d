"""Coordinate reference systems. Data is stored in WGS84 (EPSG:4326); GCJ-02 exists only at the edges:
the AMap basemap (shift our data to GCJ-02 for display) and input from Chinese web maps (shift back).
"""

from __future__ import annotations

import numpy as np
import prcoords
import shapely
from shapely.geometry.base import BaseGeometry

WGS84 = "EPSG:4326"


def wgs84_to_gcj02(geom: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geom, _each_point(prcoords.wgs_gcj))


def gcj02_to_wgs84(geom: BaseGeometry) -> BaseGeometry:
    """Inverse of wgs84_to_gcj02 to well under a metre (prcoords' iterative 'bored' inverse)."""
    return shapely.transform(geom, _each_point(prcoords.gcj_wgs_bored))


def _each_point(convert):
    def apply(xy: np.ndarray) -> np.ndarray:
        # prcoords works on (lat, lon) pairs; shapely hands us (lon, lat) rows.
        return np.array([convert((lat, lon))[::-1] for lon, lat in xy]).reshape(xy.shape)

    return apply
