"""PMTiles (.pmtiles): Mapbox vector tiles of every feature in one archive that a web map reads straight
from a static file server (MapLibre with the pmtiles protocol, OpenLayers, QGIS 3.32+), written by GDAL's
PMTiles driver. Tiles are Web Mercator (EPSG:3857) by definition; one tile layer, `features`, whose
`layer` attribute is the plan layer (for filters in a web style). Zoom 4 (the whole delta) to 12 (tile
units of about 10 m, finer than any feature's accuracy of 100 m and more; clients overzoom beyond)."""

from __future__ import annotations

from pathlib import Path

import pyogrio

from geo.export.bundle import Bundle

TILE_LAYER = "features"
MIN_ZOOM, MAX_ZOOM = 4, 12


def write(bundle: Bundle, path: Path) -> None:
    pyogrio.write_dataframe(
        bundle.features,
        path,
        layer=TILE_LAYER,
        driver="PMTiles",
        dataset_options={
            "NAME": bundle.metadata["title"],
            "DESCRIPTION": bundle.metadata["accuracy"],
            "MINZOOM": str(MIN_ZOOM),
            "MAXZOOM": str(MAX_ZOOM),
        },
    )
