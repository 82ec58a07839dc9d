"""Shapefile: a zip with one set of files (.shp .shx .dbf .prj .cpg) per layer and geometry family,
named <layer>_<point|line|polygon>, each with the .qml style and .qmd metadata QGIS loads from beside it;
UTF-8 text (.cpg) and ASCII field names of at most 10 characters (fields.csv maps them to the full names),
each field of one type in every file; mentions.csv and metadata.json beside them."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from xml.etree.ElementTree import fromstring, tostring

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.export.bundle import Bundle, LayerTable
from geo.export.fields import FIELDS
from geo.export.files import write_json, zip_folder
from geo.export.layer_metadata import layer_qmd
from geo.style.qml import DOCTYPE, layer_qml
from geo.style.symbols import GEOMETRY_FAMILY

DBF_TEXT_BYTES = 254  # a DBF text field holds at most this many bytes
ELLIPSIS = "…"
SHORT_NAMES = {field.name: field.short for field in FIELDS}
ALIASES = {field.short: field.zh for field in FIELDS}
FIELD_REFERENCE = re.compile(r'"([^"]+)"')  # a field in a QGIS expression


def write(bundle: Bundle, path: Path) -> None:
    with tempfile.TemporaryDirectory(dir=path.parent) as folder:
        staging = Path(folder)
        for table in bundle.layers:
            families = table.frame.geom_type.map(GEOMETRY_FAMILY)
            for family in sorted(set(families)):
                part = table.frame[families == family].reset_index(drop=True)
                stem = staging / f"{table.id}_{family}"
                dbf = _dbf_ready(part)
                pyogrio.write_dataframe(
                    dbf,
                    stem.with_suffix(".shp"),
                    driver="ESRI Shapefile",
                    promote_to_multi=bool(part.geom_type.str.startswith("Multi").any()),
                    layer_options={"ENCODING": "UTF-8"},
                )
                columns = {c: ALIASES.get(c, "") for c in dbf.columns if c != dbf.geometry.name}
                stem.with_suffix(".qml").write_text(short_qml(layer_qml(table.layer, [family], columns)), encoding="utf-8")
                qmd = layer_qmd(bundle, LayerTable(table.layer, part), stem.with_suffix(".shp").name)
                stem.with_suffix(".qmd").write_text(qmd, encoding="utf-8")
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


def short_qml(qml: str) -> str:
    """A style written for the full column names, reading the Shapefile's short names instead."""
    root = fromstring(qml)
    for option in root.iter("Option"):
        if option.get("name") == "expression":
            option.set("value", FIELD_REFERENCE.sub(lambda m: f'"{SHORT_NAMES.get(m[1], m[1])}"', option.get("value", "")))
        elif option.get("name") == "field":
            option.set("value", SHORT_NAMES.get(option.get("value", ""), option.get("value", "")))
    for text in root.iter("text-style"):
        text.set("fieldName", SHORT_NAMES.get(text.get("fieldName", ""), text.get("fieldName", "")))
    return DOCTYPE + "\n" + tostring(root, encoding="unicode") + "\n"
