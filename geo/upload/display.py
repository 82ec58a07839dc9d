"""A lighter copy of an overlay for the browser: simplified to a tolerance (shared edges kept shared when
the polygons form a coverage) and rounded to the decimals that tolerance needs."""

from __future__ import annotations

import math

import geopandas
import numpy as np
import shapely

from geo.upload.reader import Overlay

_POLYGONAL = (3, 6)  # shapely type ids of Polygon and MultiPolygon


def display_geometry(overlay: Overlay, tolerance_deg: float) -> geopandas.GeoDataFrame:
    """The overlay's features with geometry fit for drawing at this tolerance (e.g. half a screen pixel,
    in degrees, at the most detailed zoom it will be seen at); tolerance 0 returns them unchanged."""
    frame = overlay.frame
    if tolerance_deg <= 0 or frame.empty:
        return frame.copy()
    geoms = frame.geometry.to_numpy()
    if _is_coverage(geoms):
        geoms = shapely.coverage_simplify(geoms, tolerance_deg)
    else:
        geoms = shapely.simplify(geoms, tolerance_deg, preserve_topology=True)
    decimals = max(0, math.ceil(-math.log10(tolerance_deg)))  # rounding moves a point by at most half the tolerance
    geoms = shapely.transform(geoms, lambda xy: np.round(xy, decimals))
    return frame.set_geometry(geoms)


def _is_coverage(geoms: np.ndarray) -> bool:
    """Polygons of which some meet along edges without overlapping (parcels, districts): simplified
    one by one, their shared edges would part; disjoint polygons need no such care."""
    if not np.isin(shapely.get_type_id(geoms), _POLYGONAL).all():
        return False
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    return bool((left != right).any()) and bool(shapely.coverage_is_valid(geoms))
