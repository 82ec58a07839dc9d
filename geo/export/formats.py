"""The export formats, one table that the command line and the app's download buttons both read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from geo.export import csv_wkt, dxf, flatgeobuf, geojson, gpkg, html, kml, pmtiles, qgis_bundle, shapefile
from geo.export.bundle import Bundle
from geo.geography.crs import WGS84


@dataclass(frozen=True)
class Format:
    id: str
    zh: str
    en: str
    suffix: str  # how the file name ends
    mime: str
    write: Callable[[Bundle, Path], None]
    fixed_crs: str | None = None  # the only CRS the format's specification allows
    projected_crs: str | None = None  # written instead of a longitude/latitude CRS (formats drawn in metres)
    crs_rule: str = ""  # why, for the note shown when another CRS is asked for

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


FORMATS: dict[str, Format] = {
    fmt.id: fmt
    for fmt in (
        Format(
            "gpkg",
            "GeoPackage（含QGIS样式）",
            "GeoPackage (with QGIS styles)",
            ".gpkg",
            "application/geopackage+sqlite3",
            gpkg.write,
        ),
        Format("shp", "Shapefile（zip）", "Shapefile (zip)", "_shp.zip", "application/zip", shapefile.write),
        Format(
            "geojson",
            "GeoJSON（WGS84）",
            "GeoJSON (WGS84)",
            ".geojson",
            "application/geo+json",
            geojson.write,
            fixed_crs=WGS84,
            crs_rule="GeoJSON is always WGS84 longitude/latitude (RFC 7946 allows no other CRS)",
        ),
        Format(
            "kml",
            "KML（WGS84）",
            "KML (WGS84)",
            ".kml",
            "application/vnd.google-earth.kml+xml",
            kml.write,
            fixed_crs=WGS84,
            crs_rule="KML is always WGS84 longitude/latitude (OGC KML 2.2)",
        ),
        Format("csv", "CSV + WKT（zip）", "CSV with WKT (zip)", "_csv.zip", "application/zip", csv_wkt.write),
        Format(
            "qgz",
            "QGIS 工程 + GeoPackage（zip）",
            "QGIS project + GeoPackage (zip)",
            qgis_bundle.SUFFIX,
            "application/zip",
            qgis_bundle.write,
        ),
        Format("fgb", "FlatGeobuf", "FlatGeobuf", ".fgb", "application/flatgeobuf", flatgeobuf.write),
        Format(
            "pmtiles",
            "PMTiles 矢量瓦片",
            "PMTiles vector tiles",
            ".pmtiles",
            "application/vnd.pmtiles",
            pmtiles.write,
            fixed_crs="EPSG:3857",
            crs_rule="vector tiles are always Web Mercator (EPSG:3857)",
        ),
        Format(
            "dxf",
            "DXF（CAD，投影坐标）",
            "DXF (CAD, projected)",
            ".dxf",
            "image/vnd.dxf",
            dxf.write,
            projected_crs="EPSG:4547",
            crs_rule="DXF is drawn in metres, so a longitude/latitude CRS is replaced by EPSG:4547",
        ),
        Format(
            "html",
            "网页地图（HTML，离线可开）",
            "Web map (HTML, opens offline)",
            ".html",
            "text/html",
            html.write,
            fixed_crs=WGS84,
            crs_rule="The HTML map draws WGS84 longitude/latitude (as the web map does)",
        ),
    )
}
