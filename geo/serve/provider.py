"""The pygeoapi feature provider: the catalogue's features as the app selects them.

Query parameters `plan`, `phase`, `status` (and `layer` on the `features` collection) take one or more
comma-separated values with the app's meaning (geo.query.selection): a feature is returned when its layer is
selected and one of its mentions matches the plans, phases and statuses together; its `status` is that
mention's. Properties are the exports' flat attributes (geo/export/fields.py), so the service and the
files agree. Stored in WGS 84 (CRS84); pygeoapi reprojects for the `crs` parameter.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Any

import pandas as pd
from pygeoapi.provider.base import BaseProvider, ProviderInvalidQueryError, ProviderItemNotFoundError
from pygeoapi.util import crs_transform
from shapely.geometry import box, mapping

from geo.export.columns import column_types
from geo.export.fields import flat_record
from geo.query.cli import FILTERS
from geo.query.selection import Selection, Shown, select
from geo.sources.mapdata import MapData, load_map_data

ALL_LAYERS = "*"  # the provider data of the `features` collection
JSON_TYPES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean"}


@cache
def catalogue() -> MapData:
    return load_map_data()


class CatalogueProvider(BaseProvider):
    """Provider `data`: a layer id, or '*' for every layer."""

    def __init__(self, provider_def: dict[str, Any]) -> None:
        super().__init__(provider_def)
        self.data_ = catalogue()
        self.layers = frozenset(self.data_.layers) if self.data == ALL_LAYERS else frozenset({self.data})
        self.id_field = "id"
        self.get_fields()

    def get_fields(self) -> dict[str, dict[str, str]]:
        if not self._fields:
            frame = _records_frame(self.data_)
            self._fields = {name: {"type": JSON_TYPES[kind]} for name, kind in column_types(frame).items()}
        return self._fields

    @crs_transform
    def query(
        self,
        offset: int = 0,
        limit: int = 10,
        resulttype: str = "results",
        bbox: list[float] | None = None,
        properties: list[tuple[str, str]] | None = None,
        select_properties: list[str] | None = None,
        skip_geometry: bool = False,
        **kwargs: Any,
    ) -> dict[str, Any]:
        shown = self._select(properties or [])
        if bbox:
            area = box(*bbox[:4])
            shown = [item for item in shown if self.data_.geometries[item.id].intersects(area)]
        page = [] if resulttype == "hits" else shown[offset : offset + limit]
        return {
            "type": "FeatureCollection",
            "features": [self._feature(item, select_properties, skip_geometry) for item in page],
            "numberMatched": len(shown),
            "numberReturned": len(page),
        }

    @crs_transform
    def get(self, identifier: str, **kwargs: Any) -> dict[str, Any]:
        feature = self.data_.by_id.get(identifier)
        if feature is None or feature["properties"]["layer"] not in self.layers:
            raise ProviderItemNotFoundError(f"no feature {identifier!r} in this collection")
        item = next((s for s in select(self.data_, Selection.everything(self.data_)) if s.id == identifier), None)
        return self._feature(item, None, False)

    def _select(self, properties: list[tuple[str, str]]) -> list[Shown]:
        """The app's selection for the query parameters; other property filters must match exactly."""
        everything = Selection.everything(self.data_)
        selection = replace(everything, layers=self.layers)
        exact = []
        for name, raw in properties:
            values = frozenset(v.strip() for v in raw.split(",") if v.strip())
            if name in FILTERS:
                field = FILTERS[name]
                unknown = sorted(values - getattr(everything, field))
                if unknown:
                    raise ProviderInvalidQueryError(user_msg=f"unknown {name}: {', '.join(unknown)}")
                if name == "layer":  # only within this collection's layers
                    values &= selection.layers
                selection = replace(selection, **{field: values})
            elif name in self.get_fields():
                exact.append((name, raw))
            else:
                raise ProviderInvalidQueryError(user_msg=f"unknown query parameter {name!r}")
        shown = select(self.data_, selection)
        return [s for s in shown if all(str(flat_record(self.data_, s)[k]) == v for k, v in exact)]

    def _feature(self, item: Shown, select_properties: list[str] | None, skip_geometry: bool) -> dict[str, Any]:
        record = flat_record(self.data_, item)
        if select_properties:
            record = {k: v for k, v in record.items() if k in select_properties or k == "id"}
        return {
            "type": "Feature",
            "id": item.id,
            "geometry": None if skip_geometry else mapping(self.data_.geometries[item.id]),
            "properties": record,
        }


def _records_frame(data: MapData) -> pd.DataFrame:
    return pd.DataFrame([flat_record(data, item) for item in select(data, Selection.everything(data))])
