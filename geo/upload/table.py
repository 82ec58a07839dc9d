"""CSV with coordinates: lon/lat columns under their usual names (English or Chinese), or a WKT column."""

from __future__ import annotations

import csv
import io
import re

import geopandas
import numpy as np
import pandas as pd
import shapely

from geo.upload.coords import parse_coordinate
from geo.upload.limits import Limits
from geo.upload.messages import fail, message
from geo.upload.text import decode
from geo.upload.vector import Read

# Recognised column names (compared lower-cased, without spaces, underscores, brackets and degree signs),
# most specific first: "longitude" wins over "x" when a file has both.
LON_NAMES = ("longitude", "lon", "lng", "long", "经度", "x")
LAT_NAMES = ("latitude", "lat", "纬度", "y")
WKT_NAMES = ("wkt", "geometry", "geom", "the_geom", "shape")
DELIMITERS = (",", ";", "\t", "|")
_IGNORED_IN_NAMES = re.compile(r"[\s_\-()（）\[\]°]")


def read_csv(name: str, data: bytes, layer: str | None, limits: Limits) -> Read:
    text, notes = decode(name, data)
    header, rows, lines = parse_rows(name, text.removeprefix("\ufeff"), limits)
    columns = unique_names(header)
    table = pd.DataFrame(rows, columns=columns, dtype=object)
    geometry, used, dropped = locate(name, table, columns)
    if dropped.size == len(table):
        first = " / ".join(f"“{_cut(table[column].iloc[0])}”" for column in used)
        raise fail("csv_unreadable", name=name, line=lines[0], value=first)
    notes.append(message("csv_columns", name=name, columns=" / ".join(used)))
    if dropped.size:
        notes.append(message("csv_dropped_rows", name=name, count=f"{dropped.size:,}", line=lines[dropped[0]]))
    keep = np.ones(len(table), dtype=bool)
    keep[dropped] = False
    attributes = table.drop(columns=used).loc[keep]  # index: each row's place in the file, for messages
    return geopandas.GeoDataFrame(attributes, geometry=geometry[keep]), notes  # no CRS: see georef


def parse_rows(name: str, text: str, limits: Limits) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, rows and the line each row ends on; every row as long as the header, at most
    limits.max_features rows; blank lines are skipped."""
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]
    delimiter = max(DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        header = next((row for row in reader if row), None)
        if header is None:
            raise fail("no_features", name=name)
        for row in reader:
            if not row:
                continue
            if len(row) != len(header):
                raise fail("csv_ragged", name=name, line=reader.line_num, count=len(row), expected=len(header))
            if len(rows) == limits.max_features:
                raise fail("too_many_features", name=name, limit=f"{limits.max_features:,}")
            rows.append(row)
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise fail("csv_unparsable", name=name, line=reader.line_num, reason=str(exc)) from None
    if not rows:
        raise fail("no_features", name=name)
    return header, rows, lines


def unique_names(header: list[str]) -> list[str]:
    """Column names as given, with blanks named by position and repeats numbered."""
    names: list[str] = []
    for position, raw in enumerate(header, start=1):
        base = raw.strip() or f"column {position}"
        candidate, n = base, 1
        while candidate in names:
            n += 1
            candidate = f"{base} ({n})"
        names.append(candidate)
    return names


def find_column(columns: list[str], wanted: tuple[str, ...]) -> str | None:
    normalised = {column: _IGNORED_IN_NAMES.sub("", column.lower()) for column in columns}
    for name in wanted:
        for column, key in normalised.items():
            if key == _IGNORED_IN_NAMES.sub("", name):
                return column
    return None


def locate(name: str, table: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Geometry of every row (None where unreadable), the columns it came from, and the unreadable rows."""
    wkt = find_column(columns, WKT_NAMES)
    lon, lat = find_column(columns, LON_NAMES), find_column(columns, LAT_NAMES)
    if wkt is None and (lon is None or lat is None):
        raise fail("csv_no_columns", name=name)
    if wkt is not None:
        cells = np.array([v.strip() or None for v in table[wkt]], dtype=object)
        geometry = shapely.force_2d(shapely.from_wkt(cells, on_invalid="ignore"))  # heights dropped, as GDAL's readers do
        unreadable = shapely.is_missing(geometry) | shapely.is_empty(geometry)
        if not unreadable.all() or lon is None or lat is None:  # a "geometry" column of labels: try lon/lat
            return geometry, [wkt], np.flatnonzero(unreadable)
    x = np.array([_as_float(parse_coordinate(v)) for v in table[lon]])
    y = np.array([_as_float(parse_coordinate(v)) for v in table[lat]])
    unreadable = ~(np.isfinite(x) & np.isfinite(y))
    geometry = shapely.points(np.where(unreadable, 0.0, x), np.where(unreadable, 0.0, y))
    geometry[unreadable] = None
    return geometry, [lon, lat], np.flatnonzero(unreadable)


def _cut(cell: str, limit: int = 40) -> str:
    return cell if len(cell) <= limit else cell[:limit] + "…"


def _as_float(value: float | None) -> float:
    return np.nan if value is None else value
