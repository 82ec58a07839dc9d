"""One type per column across every file of an export: a Shapefile or CSV column is text, integer, real or
boolean in all of them, whatever values one layer's subset happens to hold (an all-empty column would
otherwise be guessed as Real). Empty text is written as null."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import pandas as pd

from geo.export.fields import FIELD_BY_NAME

PANDAS_TYPES = {"int": "Int64", "float": "Float64", "bool": "boolean"}  # nullable, so a missing value stays null


def column_types(frame: pd.DataFrame) -> dict[str, str]:
    """Each attribute column's type: as its Field declares, else inferred from all its values here."""
    columns = [c for c in frame.columns if not isinstance(frame[c].dtype, gpd.array.GeometryDtype)]
    declared = {c: FIELD_BY_NAME[c].type for c in columns if c in FIELD_BY_NAME}
    return {c: declared.get(c) or _inferred(frame[c]) for c in columns}


def _inferred(values: pd.Series) -> str:
    present = [v for v in values if v is not None and not (isinstance(v, float) and pd.isna(v))]
    if present and all(isinstance(v, bool) for v in present):
        return "bool"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "int"
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "float"
    return "str"


def typed(frame: gpd.GeoDataFrame, types: Mapping[str, str]) -> gpd.GeoDataFrame:
    """The frame with each column cast to its type; text as Python str or None (so no writer guesses)."""
    cast = {}
    for column, kind in types.items():
        if kind == "str":
            cast[column] = pd.Series([_text(v) for v in frame[column]], index=frame.index, dtype=object)
        else:
            cast[column] = frame[column].astype(PANDAS_TYPES[kind])
    return frame.assign(**cast)


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    return str(value) or None
