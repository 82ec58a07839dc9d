"""The built layers as the app, exports and print read them: data/geojson/*.geojson and catalog.json."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.paths import CATALOG_NAME, META_DIR, OUTPUT_DIR
from geo.sources.plans import in_date_order
from geo.sources.yaml_source import read_yaml, without_lines


@dataclass(frozen=True)
class View:
    id: str
    zh: str
    en: str
    bounds: tuple[tuple[float, float], tuple[float, float]]  # ((south, west), (north, east))

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class MapData:
    catalog: dict[str, Any]
    features: tuple[dict[str, Any], ...]  # GeoJSON features in layer drawing order
    views: tuple[View, ...]
    # Derived values kept for the life of the data (e.g. browser payloads per language and basemap CRS).
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def layers(self) -> dict[str, dict[str, Any]]:
        return {layer["id"]: layer for layer in self.catalog["layers"]}

    @cached_property
    def plans(self) -> dict[str, dict[str, Any]]:
        return {plan["id"]: plan for plan in self.catalog["plans"]}

    @cached_property
    def plan_order(self) -> tuple[str, ...]:
        """Plan ids in date order, the last the most recent (layers/meta/plans.yaml)."""
        return tuple(in_date_order({plan_id: plan["date"] for plan_id, plan in self.plans.items()}))

    @cached_property
    def by_id(self) -> dict[str, dict[str, Any]]:
        return {f["properties"]["id"]: f for f in self.features}

    @cached_property
    def geometries(self) -> dict[str, BaseGeometry]:
        return {f["properties"]["id"]: shape(f["geometry"]) for f in self.features}

    def view(self, view_id: str) -> View | None:
        return next((v for v in self.views if v.id == view_id), None)


def load_views(meta_dir: Path = META_DIR) -> tuple[View, ...]:
    data = without_lines(read_yaml(meta_dir / "views.yaml", "layers/meta/views.yaml"))
    return tuple(View(v["id"], v["zh"], v["en"], (tuple(v["bounds"][0]), tuple(v["bounds"][1]))) for v in data["views"])


def load_map_data(out_dir: Path = OUTPUT_DIR, meta_dir: Path = META_DIR) -> MapData:
    catalog = json.loads((out_dir / CATALOG_NAME).read_text(encoding="utf-8"))
    features: list[dict[str, Any]] = []
    for layer in sorted(catalog["layers"], key=lambda layer: layer["order"]):
        collection = json.loads((out_dir / layer["file"]).read_text(encoding="utf-8"))
        features.extend(collection["features"])
    return MapData(catalog, tuple(features), load_views(meta_dir))
