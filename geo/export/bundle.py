"""What every exporter writes from: the selected features as flat tables per layer in the chosen CRS,
their mentions and the metadata record."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.export.columns import column_types, typed
from geo.export.fields import FIELDS, MENTION_COLUMNS, flat_record, mention_records
from geo.export.projections import ExportCrs
from geo.geography.crs import WGS84
from geo.query.selection import Selection, Shown
from geo.sources.mapdata import MapData
from geo.style.symbols import GEOMETRY_FAMILY


@dataclass(frozen=True)
class LayerTable:
    layer: dict[str, Any]  # the catalog entry
    frame: gpd.GeoDataFrame  # FIELDS columns and geometry, in the export CRS

    @property
    def id(self) -> str:
        return self.layer["id"]

    @property
    def families(self) -> set[str]:
        """Geometry families present: point, line, polygon."""
        return {GEOMETRY_FAMILY[t] for t in self.frame.geom_type}


@dataclass(frozen=True)
class Bundle:
    data: MapData
    shown: tuple[Shown, ...]  # in layer drawing order
    crs: ExportCrs  # the CRS written (GeoJSON and KML: always WGS84)
    metadata: dict[str, Any]
    selection: Selection | None = None  # the filter that chose `shown` (the HTML map applies it again)

    @cached_property
    def features(self) -> gpd.GeoDataFrame:
        """One row per feature: FIELDS columns (one type each, see columns.py) and geometry in the export CRS."""
        frame = gpd.GeoDataFrame(
            [flat_record(self.data, item) for item in self.shown],
            columns=[field.name for field in FIELDS],
            geometry=[self.data.geometries[item.id] for item in self.shown],
            crs=WGS84,
        )
        frame = typed(frame, column_types(frame))
        return frame if self.crs.id == WGS84 else frame.to_crs(self.crs.id)

    @cached_property
    def layers(self) -> list[LayerTable]:
        """One table per layer, in drawing order (the order of shown)."""
        return [
            LayerTable(self.data.layers[layer_id], frame.reset_index(drop=True))
            for layer_id, frame in self.features.groupby("layer", sort=False)
        ]

    @cached_property
    def mentions(self) -> pd.DataFrame:
        return pd.DataFrame(
            [row for item in self.shown for row in mention_records(item, self.data.plans)], columns=list(MENTION_COLUMNS)
        )
