"""GeoJSON, KML and GeoPackage: checked as bytes and text first, then read by GDAL."""

from __future__ import annotations

import codecs
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import geopandas

from geo.upload.gdal import choose_layer, on_disk, read_layer, spatial_layers
from geo.upload.limits import Limits
from geo.upload.messages import Message, UploadError, fail
from geo.upload.text import decode, json_depth, json_problem

Read = tuple[geopandas.GeoDataFrame, list[Message]]

_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']""")
_XML_DECLARED = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])[A-Za-z0-9._-]*""")
_DOCTYPE = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_SQLITE = b"SQLite format 3\x00"
_KML_DRIVERS = frozenset({"KML", "LIBKML"})  # GDAL picks LIBKML when it has it


def read_geojson(name: str, data: bytes, layer: str | None, limits: Limits) -> Read:
    text, notes = decode(name, data)
    utf8 = data if not notes and not data.startswith(codecs.BOM_UTF8) else text.encode("utf-8")
    if json_depth(utf8, stop_above=limits.max_json_depth) > limits.max_json_depth:
        raise fail("too_deep", name=name, limit=limits.max_json_depth)
    if not text.lstrip().startswith("{"):
        raise UploadError(json_problem(name, text))
    with on_disk(utf8, "upload.geojson") as path:
        try:
            return read_layer(name, f"GeoJSON:{path}", "GeoJSON", limits), notes
        except UploadError as exc:
            if exc.key != "unreadable":
                raise
            raise UploadError(json_problem(name, text)) from None


def read_kml(name: str, data: bytes, layer: str | None, limits: Limits) -> Read:
    utf8, notes = _kml_utf8(name, data)
    with on_disk(utf8, "upload.kml") as path:
        chosen = choose_layer(name, spatial_layers(name, str(path), "KML", _KML_DRIVERS), layer)
        return read_layer(name, str(path), "KML", limits, layer=chosen), notes


def kml_layers(name: str, data: bytes, limits: Limits) -> list[str]:
    with on_disk(_kml_utf8(name, data)[0], "upload.kml") as path:
        return spatial_layers(name, str(path), "KML", _KML_DRIVERS)


def _kml_utf8(name: str, data: bytes) -> tuple[bytes, list[Message]]:
    """The KML as UTF-8 (its XML declaration rewritten to match), refusing DTDs and non-XML."""
    declared = _XML_ENCODING.match(data[:200])
    text, notes = decode(name, data, declared.group(1).decode("ascii") if declared else None)
    if _DOCTYPE.search(text):
        raise fail("xml_doctype", name=name)
    if not text.lstrip().startswith("<"):
        raise fail("not_format", name=name, format="KML")
    return _XML_DECLARED.sub(r"\1UTF-8", text, count=1).encode("utf-8"), notes


def read_geopackage(name: str, data: bytes, layer: str | None, limits: Limits) -> Read:
    _check_sqlite(name, data)
    with on_disk(data, "upload.gpkg") as path:
        _check_no_views(name, path)
        chosen = choose_layer(name, spatial_layers(name, f"GPKG:{path}", "GeoPackage"), layer)
        return read_layer(name, f"GPKG:{path}", "GeoPackage", limits, layer=chosen), []


def geopackage_layers(name: str, data: bytes, limits: Limits) -> list[str]:
    _check_sqlite(name, data)
    with on_disk(data, "upload.gpkg") as path:
        _check_no_views(name, path)
        return spatial_layers(name, f"GPKG:{path}", "GeoPackage")


def _check_sqlite(name: str, data: bytes) -> None:
    if not data.startswith(_SQLITE):
        raise fail("not_format", name=name, format="GeoPackage")


def _check_no_views(name: str, path: Path) -> None:
    """Refuse SQL views before GDAL opens the file: reading one runs the file's own SQL, which can be made
    to run for ever (a recursive query). Only the schema is read here, read-only."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)) as db:
            views = db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'view'").fetchone()[0]
    except sqlite3.Error:
        raise fail("unreadable", name=name, format="GeoPackage") from None
    if views:
        raise fail("gpkg_views", name=name)
