"""FlatGeobuf (.fgb): every feature in one file with a spatial index, in the export CRS, with the flat
attributes (one type per column) and the layer id as `layer`; streamed by web maps (flatgeobuf.js,
OpenLayers, MapLibre plugins) and opened by QGIS and GDAL. The metadata record is its description."""

from __future__ import annotations

from pathlib import Path

import pyogrio

from geo.export.bundle import Bundle
from geo.export.metadata import metadata_items

LAYER_NAME = "hengqin-plan-map"


def write(bundle: Bundle, path: Path) -> None:
    pyogrio.write_dataframe(
        bundle.features,
        path,
        layer=LAYER_NAME,
        driver="FlatGeobuf",
        layer_options={
            "SPATIAL_INDEX": "YES",
            "TITLE": bundle.metadata["title"],
            "DESCRIPTION": "\n".join(f"{key}: {value}" for key, value in metadata_items(bundle.metadata)),
        },
    )
