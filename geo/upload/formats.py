"""The formats users may upload: one entry per file extension, naming its reader and its layer lister.
A new format is one reader module and one line here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from geo.upload.limits import Limits
from geo.upload.shapefile import read_shapefile, shapefile_layers
from geo.upload.table import read_csv
from geo.upload.vector import Read, geopackage_layers, kml_layers, read_geojson, read_geopackage, read_kml


def single_layer(name: str, data: bytes, limits: Limits) -> list[str]:
    return [PurePath(name).stem]


@dataclass(frozen=True)
class Format:
    label: str
    read: Callable[[str, bytes, str | None, Limits], Read]
    layers: Callable[[str, bytes, Limits], list[str]] = single_layer
    text: bool = False  # a text format: binary content is refused up front, saying what it looks like


_GEOJSON = Format("GeoJSON", read_geojson, text=True)
FORMATS: dict[str, Format] = {
    ".geojson": _GEOJSON,
    ".json": _GEOJSON,
    ".kml": Format("KML", read_kml, kml_layers, text=True),
    ".zip": Format("Shapefile", read_shapefile, shapefile_layers),
    ".gpkg": Format("GeoPackage", read_geopackage, geopackage_layers),
    ".csv": Format("CSV", read_csv, text=True),
}
ACCEPTED_EXTENSIONS: tuple[str, ...] = tuple(ext.lstrip(".") for ext in FORMATS)  # for st.file_uploader(type=...)


def format_of(name: str) -> Format | None:
    return FORMATS.get(PurePath(name).suffix.lower())
