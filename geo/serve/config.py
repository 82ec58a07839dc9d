"""pygeoapi's configuration and OpenAPI document, generated from the catalogue (layers/, via geo.sources.mapdata):
one collection per layer, in the app's order, and `features` holding every layer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from geo.export.layer_metadata import LICENCE
from geo.export.metadata import ACCURACY_NOTE
from geo.export.projections import CRS_CHOICES
from geo.i18n import t
from geo.serve.provider import ALL_LAYERS
from geo.sources.mapdata import MapData

PROVIDER = "geo.serve.provider.CatalogueProvider"
ALL_COLLECTION = "features"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
OUTPUT_CRS = [CRS84, *(f"http://www.opengis.net/def/crs/EPSG/0/{c.id.split(':')[1]}" for c in CRS_CHOICES)]
FILTER_NOTE = (
    "Filter with plan, phase, status (one or more comma-separated values, the app's meaning: a feature "
    "matches when one of its mentions matches them all; its status is that mention's)."
)


def server_config(data: MapData, host: str, port: int) -> dict[str, Any]:
    title = f"{t('title', 'zh')} · {t('title', 'en')}"
    return {
        "server": {
            "bind": {"host": host, "port": port},
            "url": f"http://{host}:{port}",
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "languages": ["zh-CN", "en-US"],
            "limits": {"default_items": 100, "max_items": 1000},
            "map": {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "attribution": "OpenStreetMap"},
            "cors": True,
        },
        "logging": {"level": "WARNING"},
        "metadata": {
            "identification": {
                "title": title,
                "description": f"Plan layers of Hengqin and the Pearl River West Bank, every feature citing its plans. "
                f"{FILTER_NOTE} {ACCURACY_NOTE}",
                "keywords": ["横琴", "Hengqin", "规划", "planning"],
                "keywords_type": "theme",
                "terms_of_service": LICENCE,
                "url": f"http://{host}:{port}",
            },
            "license": {"name": "no open licence declared (see terms of service)", "url": f"http://{host}:{port}"},
            "provider": {"name": "hengqin-plan-map", "url": f"http://{host}:{port}"},
            "contact": {"name": "hengqin-plan-map"},
        },
        "resources": {
            ALL_COLLECTION: _collection(data, "全部图层 · all layers", ALL_LAYERS, data.catalog["layers"]),
            **{
                layer["id"]: _collection(data, f"{layer['title_zh']} · {layer['title_en']}", layer["id"], [layer])
                for layer in data.catalog["layers"]
            },
        },
    }


def _collection(data: MapData, title: str, provider_data: str, layers: list[dict]) -> dict[str, Any]:
    ids = {layer["id"] for layer in layers}
    bounds = [data.geometries[f["properties"]["id"]].bounds for f in data.features if f["properties"]["layer"] in ids]
    bbox = [min(b[0] for b in bounds), min(b[1] for b in bounds), max(b[2] for b in bounds), max(b[3] for b in bounds)]
    return {
        "type": "collection",
        "title": title,
        "description": f"{title}. {FILTER_NOTE}",
        "keywords": sorted({layer.get("theme", "") for layer in layers} - {""}),
        "extents": {"spatial": {"bbox": bbox, "crs": CRS84}},
        "providers": [
            {
                "type": "feature",
                "name": PROVIDER,
                "data": provider_data,
                "id_field": "id",
                "title_field": "name_zh",
                "include_extra_query_parameters": True,  # plan, phase, status reach the provider
                "crs": OUTPUT_CRS,
                "storage_crs": CRS84,
            }
        ],
    }


def write_config(data: MapData, host: str, port: int, folder: Path) -> tuple[Path, Path]:
    """Write the configuration and its OpenAPI document into folder; returns their paths."""
    from pygeoapi.openapi import get_oas  # reads nothing from the environment

    config = server_config(data, host, port)
    config_path, openapi_path = folder / "pygeoapi-config.yml", folder / "pygeoapi-openapi.yml"
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    openapi_path.write_text(yaml.safe_dump(get_oas(config), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config_path, openapi_path
