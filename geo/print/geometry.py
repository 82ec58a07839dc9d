"""Geometry on the printed page: WGS84 data projected to a metric CRS, and shapely shapes as matplotlib paths.

Printed maps are drawn in CGCS2000 / 3-degree Gauss-Kruger CM 114E (EPSG:4547), whose central meridian
runs through the Pearl River estuary: its metres are true to 0.1% across the plans' frame, so the scale
bar is true, and grid north is within half a degree of true north (the north arrow shows the difference).
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.patches import PathPatch
from matplotlib.path import Path
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

PRINT_CRS = "EPSG:4547"
Extent = tuple[float, float, float, float]  # xmin, ymin, xmax, ymax in metres
Bounds = tuple[tuple[float, float], tuple[float, float]]  # ((south, west), (north, east)) in WGS84, as views


@cache
def _transformer(inverse: bool = False) -> Transformer:
    source, target = ("EPSG:4326", PRINT_CRS) if not inverse else (PRINT_CRS, "EPSG:4326")
    return Transformer.from_crs(source, target, always_xy=True)


def to_print_crs(geom: BaseGeometry) -> BaseGeometry:
    def project(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(_transformer().transform(xy[:, 0], xy[:, 1]))

    return shapely.transform(geom, project)


def project_bounds(bounds: Bounds) -> Extent:
    """The projected extent of a WGS84 box (its edges densified, as they curve in the projection)."""
    (south, west), (north, east) = bounds
    return to_print_crs(shapely.box(west, south, east, north).segmentize(0.01)).bounds


def fit_extent(extent: Extent, width: float, height: float) -> Extent:
    """The extent widened in one direction, about its centre, to the frame's width:height."""
    x0, y0, x1, y1 = extent
    w, h = x1 - x0, y1 - y0
    if w / h < width / height:
        w = h * width / height
    else:
        h = w * height / width
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def north_rotation(extent: Extent) -> float:
    """Degrees clockwise from grid north (up the page) to true north at the extent's centre."""
    cx, cy = (extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2
    lon, lat = _transformer(inverse=True).transform(cx, cy)
    nx, ny = _transformer().transform(lon, lat + 0.01)
    return math.degrees(math.atan2(nx - cx, ny - cy))


def clip(geom: BaseGeometry, extent: Extent) -> BaseGeometry:
    return shapely.clip_by_rect(geom, *extent)


def geometry_path(geom: BaseGeometry) -> Path:
    """One compound path: polygon rings closed (exteriors anticlockwise, holes clockwise), lines open."""
    vertices: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for part in shapely.get_parts(geom):
        if part.geom_type == "Polygon":
            polygon = orient(part)
            rings = [polygon.exterior, *polygon.interiors]
            closed = True
        elif part.geom_type == "LineString":
            rings = [part]
            closed = False
        else:
            continue
        for ring in rings:
            xy = np.asarray(ring.coords)[:, :2]
            if len(xy) < 2:
                continue
            ring_codes = np.full(len(xy), Path.LINETO, dtype=Path.code_type)
            ring_codes[0] = Path.MOVETO
            if closed:
                ring_codes[-1] = Path.CLOSEPOLY
            vertices.append(xy)
            codes.append(ring_codes)
    if not vertices:
        return Path(np.empty((0, 2)))
    return Path(np.concatenate(vertices), np.concatenate(codes))


def add_geometry(ax: Axes, geom: BaseGeometry, **style: object) -> PathPatch:
    """Draw geom on ax in data coordinates (the axes' limits are set beforehand, so they are not updated)."""
    patch = PathPatch(geometry_path(geom), transform=ax.transData, **style)
    ax.add_artist(patch)
    return patch
