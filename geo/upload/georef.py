"""Putting an upload's coordinates in WGS84: the file's CRS or the one the user gives, projected values
without a CRS caught, swapped lat/lon set right, GCJ-02/BD-09 converted, the plans' region checked."""

from __future__ import annotations

import re

import geopandas
import numpy as np
import pyproj
import shapely

from geo.geography.crs import WGS84
from geo.geography.datum import LABELS, TO_WGS84
from geo.upload import coords
from geo.upload.messages import Message, fail, message
from geo.upload.naming import describe_feature

_EPSG = re.compile(r"^(?:EPSG:)?(\d{4,6})$", re.IGNORECASE)
_WGS84 = pyproj.CRS.from_user_input(WGS84)


def parse_crs(name: str, source_crs: str | int | None) -> pyproj.CRS | None:
    """The CRS a user names, as an EPSG code ("EPSG:4547" or 4547) and nothing else."""
    if source_crs is None or source_crs == "":
        return None
    code = _EPSG.match(str(source_crs).strip())
    try:
        if code is None:
            raise pyproj.exceptions.CRSError(source_crs)
        return pyproj.CRS.from_epsg(int(code.group(1)))
    except pyproj.exceptions.CRSError:
        raise fail("bad_crs", name=name, crs=str(source_crs)[:40]) from None


def check_datum(name: str, datum: str) -> str:
    if datum not in TO_WGS84:
        raise fail("bad_datum", name=name, datum=str(datum)[:40])
    return datum


def to_wgs84(
    name: str, frame: geopandas.GeoDataFrame, given: pyproj.CRS | None, datum: str
) -> tuple[geopandas.GeoDataFrame, list[Message]]:
    notes: list[Message] = []
    # Heights are dropped on reading, so only the horizontal CRS counts: a 3D file's EPSG:4979 is WGS84.
    given, file_crs = _horizontal(given), _horizontal(frame.crs)
    crs = given if given is not None else file_crs
    if given is not None and file_crs is not None and not given.equals(file_crs, ignore_axis_order=True):
        notes.append(message("crs_replaced", name=name, crs=label(given), file_crs=label(file_crs)))
    geoms = frame.geometry.to_numpy()
    if crs is None or crs.is_geographic:
        xy = shapely.get_coordinates(geoms)
        kind = coords.classify(xy)
        if kind == "projected":
            codes = coords.suggest_crs(xy)
            raise fail("projected_hint", name=name, codes=", ".join(codes)) if codes else fail("projected", name=name)
        if kind == "out_of_range":
            x, y = coords.first_outlier(xy)
            raise fail("out_of_range", name=name, point=f"[{x:g}, {y:g}]")
        if crs is None:
            notes.append(message("assumed_wgs84", name=name))
            crs = _WGS84
        if kind == "swapped":
            geoms = shapely.transform(geoms, coords.swap)
            notes.append(message("swapped", name=name))
    placed = geopandas.GeoDataFrame(frame.drop(columns=frame.geometry.name), geometry=geoms, crs=crs)
    if not crs.equals(_WGS84, ignore_axis_order=True):
        placed = placed.to_crs(WGS84)
        if not np.isfinite(shapely.get_coordinates(placed.geometry.to_numpy())).all():
            raise fail("reprojection_failed", name=name, crs=label(crs))
        notes.append(message("reprojected", name=name, crs=label(crs)))
    convert = TO_WGS84[datum]
    if convert is not None:
        placed = placed.set_geometry(
            shapely.transform(placed.geometry.to_numpy(), lambda xy: np.column_stack(convert(xy[:, 0], xy[:, 1])))
        )
        notes.append(message("datum_converted", name=name, datum=LABELS[datum]))
    return placed, notes


def _horizontal(crs: pyproj.CRS | None) -> pyproj.CRS | None:
    return None if crs is None else crs.to_2d()


def check_antimeridian(name: str, frame: geopandas.GeoDataFrame) -> None:
    """Refuse a feature wider than half the globe: in lon/lat that is one crossing the 180° meridian (its
    edges would be drawn the long way round), which no feature of a map of southern China does."""
    bounds = shapely.bounds(frame.geometry.to_numpy())
    wide = np.flatnonzero(bounds[:, 2] - bounds[:, 0] > 180)
    if wide.size:
        raise fail("antimeridian", name=name, feature=describe_feature(frame, frame.index[wide[0]]))


def region_notes(name: str, frame: geopandas.GeoDataFrame) -> list[Message]:
    """A warning when some or all features lie outside the plans' region (they are still shown)."""
    bounds = shapely.bounds(frame.geometry.to_numpy())
    outside = coords.outside_region(bounds[:, 0], bounds[:, 1], bounds[:, 2], bounds[:, 3])
    if outside.all():
        return [message("outside_region", name=name)]
    if outside.any():
        return [message("partly_outside", name=name, count=f"{int(outside.sum()):,}", total=f"{len(outside):,}")]
    return []


def label(crs: pyproj.CRS) -> str:
    code = crs.to_epsg()
    return f"EPSG:{code}" if code else crs.name
