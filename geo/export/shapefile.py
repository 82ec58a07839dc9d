"""Shapefile: a zip with one set of files (.shp .shx .dbf .prj .cpg) per layer and geometry family,
named <layer>_<point|line|polygon>; UTF-8 text (.cpg) and ASCII field names of at most 10 characters
(fields.csv maps them to the full names); mentions.csv and metadata.json beside them."""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.export.bundle import Bundle
from geo.export.fields import FIELDS
from geo.export.files import write_json, zip_folder
from geo.qml import GEOMETRY_FAMILIES

DBF_TEXT_BYTES = 254  # a DBF text field holds at most this many bytes
ELLIPSIS = "…"
SHORT_NAMES = {field.name: field.short for field in FIELDS}


def write(bundle: Bundle, path: Path) -> None:
    with tempfile.TemporaryDirectory(dir=path.parent) as folder:
        staging = Path(folder)
        for table in bundle.layers:
            families = table.frame.geom_type.map(GEOMETRY_FAMILIES)
            for family in sorted(set(families)):
                part = table.frame[families == family]
                pyogrio.write_dataframe(
                    _dbf_ready(part),
                    staging / f"{table.id}_{family}.shp",
                    driver="ESRI Shapefile",
                    promote_to_multi=bool(part.geom_type.str.startswith("Multi").any()),
                    layer_options={"ENCODING": "UTF-8"},
                )
        fields = pd.DataFrame([(f.short, f.name, f.zh, f.en) for f in FIELDS], columns=["shapefile", "name", "zh", "en"])
        fields.to_csv(staging / "fields.csv", index=False, encoding="utf-8-sig")
        bundle.mentions.to_csv(staging / "mentions.csv", index=False, encoding="utf-8-sig")
        write_json(staging / "metadata.json", bundle.metadata)
        zip_folder(staging, path)


def fit_dbf(text: str) -> str:
    """Cut text to the DBF limit at a character boundary, marking the cut with '…'."""
    if len(text.encode("utf-8")) <= DBF_TEXT_BYTES:
        return text
    room = DBF_TEXT_BYTES - len(ELLIPSIS.encode("utf-8"))
    return text.encode("utf-8")[:room].decode("utf-8", errors="ignore") + ELLIPSIS


def _dbf_ready(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Short field names, and text cut to what a DBF field holds."""
    attributes = [c for c in frame.columns if c != frame.geometry.name]
    frame = frame.assign(**{c: frame[c].map(lambda v: fit_dbf(v) if isinstance(v, str) else v) for c in attributes})
    return frame.rename(columns=SHORT_NAMES)
