"""The build's outputs as text: one RFC 7946 FeatureCollection per layer and catalog.json.

Byte-for-byte deterministic: fixed key order, 6-decimal coordinates, no timestamps.
"""

from __future__ import annotations

import json
from typing import Any

from geo.geography.geometry import to_geojson
from geo.paths import CATALOG_NAME
from geo.sources.catalogue import Catalogue
from geo.sources.model import Feature, Layer
from geo.sources.schema import ACTIONS, EXISTENCE, PHASE_BASES, PHASES, STATED_PHASE_BASES, STATUSES, THEMES


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def feature_properties(feature: Feature, catalogue: Catalogue) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "id": feature.id,
        "name_zh": feature.name_zh,
        "name_en": feature.name_en,
        "aliases": [alias.as_properties() for alias in feature.aliases],
        "layer": feature.layer,
        "kind": feature.kind,
        "plans": catalogue.plans_of(feature),
        "phases": catalogue.phases_of(feature),
        "status": catalogue.status_of(feature),
        "exists": catalogue.latest(feature).exists,
        "mentions": [m.as_properties() for m in feature.mentions],
        **feature.geometry_basis.as_properties("geometry_basis"),
        "accuracy_m": feature.accuracy_m,
        **(feature.exists_basis.as_properties("exists_basis") if feature.exists_basis else {}),
        "site_undetermined": feature.site_undetermined,
        "related": feature.related,
    }
    # came into use, or was completed, after a plan's date: `exists` is as at the latest plan's date
    if feature.exists_from:
        properties["exists_from"] = feature.exists_from
    if feature.complete_from:
        properties["complete_from"] = feature.complete_from
    if feature.exists_now:
        properties["exists_now"] = feature.exists_now
    if feature.note:
        properties.update(feature.note.as_properties("note"))
    if feature.carriers:
        properties["carriers"] = feature.carriers
    if feature.style:
        properties["style"] = feature.style
    return properties


def layer_geojson(layer: Layer, catalogue: Catalogue) -> str:
    """One feature per line, so a diff of the committed file shows which feature changed."""
    lines = [
        _dumps(
            {
                "type": "Feature",
                "id": f.id,
                "properties": feature_properties(f, catalogue),
                "geometry": to_geojson(catalogue.geometries[f.id]),
            }
        )
        for f in layer.features
    ]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def catalog_json(catalogue: Catalogue) -> str:
    catalog = {
        "layers": [
            {
                "id": layer.id,
                "title_zh": layer.title_zh,
                "title_en": layer.title_en,
                "theme": layer.theme,
                "order": layer.order,
                "file": f"{layer.id}.geojson",
                "count": len(layer.features),
                "style": layer.style,
            }
            for layer in catalogue.layers
        ],
        "plans": [plan.catalog_entry(rank) for rank, plan in enumerate(catalogue.plans.values(), start=1)],
        "phases": [{"id": p.id, "zh": p.zh, "en": p.en} for p in PHASES],
        "phase_bases": [{"id": b.id, "zh": b.zh, "en": b.en, "stated": b.id in STATED_PHASE_BASES} for b in PHASE_BASES],
        "statuses": [{"id": s.id, "zh": s.zh, "en": s.en, "dash": s.dash} for s in STATUSES],
        "existence": [{"id": e.id, "zh": e.zh, "en": e.en} for e in EXISTENCE],
        "actions": [{"id": a.id, "zh": a.zh, "en": a.en} for a in ACTIONS],
        "themes": [{"id": t.id, "zh": t.zh, "en": t.en} for t in THEMES],
    }
    return json.dumps(catalog, ensure_ascii=False, indent=1) + "\n"


def render_outputs(catalogue: Catalogue) -> dict[str, str]:
    """File name -> content for everything the build writes into data/geojson/."""
    outputs = {f"{layer.id}.geojson": layer_geojson(layer, catalogue) for layer in catalogue.layers}
    outputs[CATALOG_NAME] = catalog_json(catalogue)
    return outputs
