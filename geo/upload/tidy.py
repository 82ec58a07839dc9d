"""Attributes as text within the limits, and geometries that can be drawn: coordinates that are not numbers
and unusable geometries dropped, invalid ones repaired, each change counted in a note."""

from __future__ import annotations

import geopandas
import numpy as np
import pandas as pd
import shapely

from geo.upload.limits import Limits
from geo.upload.messages import Message, fail, message
from geo.upload.naming import describe_feature

GEOMETRY = "geometry"


def tidy_attributes(name: str, frame: geopandas.GeoDataFrame, limits: Limits) -> tuple[geopandas.GeoDataFrame, list[Message]]:
    """Every attribute as a string ("" where missing), values as given except those cut at the limit."""
    notes: list[Message] = []
    columns = [c for c in frame.columns if c != frame.geometry.name]
    if len(columns) > limits.max_columns:
        notes.append(message("columns_capped", name=name, limit=limits.max_columns, count=len(columns)))
        columns = columns[: limits.max_columns]
    table: dict[str, pd.Series] = {}
    shortened = 0
    for column in columns:
        text = as_text(frame[column])
        long = text.str.len() > limits.max_value_chars
        if long.any():
            shortened += int(long.sum())
            text = text.where(~long, text.str.slice(0, limits.max_value_chars) + "…")
        label = str(column)
        table[f"{label} (attribute)" if label == GEOMETRY else label] = text
    if shortened:
        notes.append(message("values_capped", name=name, count=f"{shortened:,}", limit=f"{limits.max_value_chars:,}"))
    tidy = geopandas.GeoDataFrame(table, index=frame.index, geometry=frame.geometry.to_numpy(), crs=frame.crs)
    return tidy, notes


def as_text(column: pd.Series) -> pd.Series:
    present = column.notna().to_numpy()
    if column.dtype == object:
        column = column.map(lambda v: f"<{len(v)} bytes>" if isinstance(v, bytes | bytearray) else v)
    return pd.Series(np.where(present, column.astype(str), ""), index=column.index, dtype=str)


def finite_coordinates(name: str, frame: geopandas.GeoDataFrame) -> tuple[geopandas.GeoDataFrame, list[Message]]:
    """Features with a NaN or infinite coordinate dropped, the first one named; before any reprojection,
    which would blame the CRS for them. The frame keeps its index (the feature's place in the file)."""
    geoms = frame.geometry.to_numpy()
    coords, owners = shapely.get_coordinates(geoms, return_index=True)
    bad = np.zeros(len(geoms), dtype=bool)
    bad[owners[~np.isfinite(coords).all(axis=1)]] = True
    if not bad.any():
        return frame, []
    first = describe_feature(frame, frame.index[np.flatnonzero(bad)[0]])
    if (bad | shapely.is_missing(geoms) | shapely.is_empty(geoms)).all():
        raise fail("not_numbers_all", name=name, feature=first)
    return frame[~bad], [message("not_numbers", name=name, count=f"{int(bad.sum()):,}", feature=first)]


def usable_geometries(name: str, frame: geopandas.GeoDataFrame) -> tuple[geopandas.GeoDataFrame, list[Message]]:
    """Invalid geometries repaired (shapely.make_valid, keeping each one's dimension); missing, empty
    and collapsed ones dropped."""
    geoms = frame.geometry.to_numpy().copy()
    invalid = ~shapely.is_missing(geoms) & ~shapely.is_valid(geoms)
    geoms[invalid] = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
    unusable = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if unusable.all():
        raise fail("no_geometry", name=name)
    notes = []
    repaired = int((invalid & ~unusable).sum())
    if repaired:
        notes.append(message("repaired", name=name, count=f"{repaired:,}"))
    if unusable.any():
        notes.append(message("dropped_no_geometry", name=name, count=f"{int(unusable.sum()):,}"))
    kept = frame.set_geometry(geoms)[~unusable].reset_index(drop=True)
    return kept, notes
