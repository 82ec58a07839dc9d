"""Themes, symbols and the land-and-water base as the browser map reads them (part of the catalogue file).

The symbol system stays in Python (geo.style.symbols, geo.style.themes): each feature carries its symbol class and,
per theme and scale, its role (subject / context / not shown) and label rank; the browser only looks
these up and draws the class's symbol with the status pattern, as geo.style.symbols.class_symbol does.
"""

from __future__ import annotations

import json
from typing import Any

from geo.geography.base import BASE_DIR
from geo.style.symbols import GEOMETRY_FAMILY, classify, load_symbols
from geo.style.themes import SCALES, load_themes

ROLE_CODES = {"subject": "s", "context": "c", None: ""}
BASE_FILES = ("land-region", "land-local", "water", "admin", "labels")


def feature_theming(props: dict[str, Any], geometry_type: str) -> dict[str, Any]:
    """The feature's symbol class and, per theme, [local role, local rank, region role, region rank]."""
    cls = classify(props, GEOMETRY_FAMILY[geometry_type])
    if cls is None:
        return {"symbol": None, "roles": {}}
    roles: dict[str, list[Any]] = {}
    for theme in load_themes().themes:
        entry: list[Any] = []
        for scale in SCALES:
            role = theme.role(cls.id, props["layer"], scale)
            entry += [ROLE_CODES[role], theme.label_rank(cls.id, role, scale) if role else None]
        roles[theme.id] = entry
    return {"symbol": cls.id, "roles": roles}


def drawn_in_theme(feature: dict[str, Any], theme_id: str, scale: str) -> bool:
    """Whether the browser map draws the feature in the theme at the scale (as planmap.js's themeRole):
    its role there, or, in 全部要素, even a feature no symbol class takes."""
    roles = feature_theming(feature["properties"], feature["geometry"]["type"])["roles"].get(theme_id)
    if not roles:
        return theme_id == "all"
    return bool(roles[2 * SCALES.index(scale)])  # [local role, local rank, region role, region rank]


def shown_in_theme(feature: dict[str, Any], theme_id: str) -> bool:
    """Whether a theme draws the feature at the local scale (where a search result is shown)."""
    return drawn_in_theme(feature, theme_id, "local")


def symbols_table() -> dict[str, Any]:
    system = load_symbols()
    return {
        "groups": [{"id": g, "zh": zh, "en": en} for g, zh, en in system.groups],
        "statuses": {k: {"dash": v.dash, "marker_fill": v.marker_fill, "hatch": v.hatch} for k, v in system.statuses.items()},
        "context": system.context,
        "ranks": {str(k): {"size": v.size, "bold": v.bold} for k, v in system.ranks.items()},
        "classes": {
            c.id: {
                "zh": c.zh,
                "en": c.en,
                "group": c.group,
                "color": c.color,
                "fill": c.fill,
                "fill_opacity": c.fill_opacity,
                "weight": c.weight,
                "opacity": c.opacity,
                "radius": c.radius,
                "marker": c.marker,
                "hatch": c.hatch,
                "status": c.status,
                "label_only": c.label_only,
            }
            for c in system.classes
        },
    }


def themes_table() -> dict[str, Any]:
    themes = load_themes()
    return {
        "default": themes.default,
        "local_max_km": themes.local_max_km,
        "scales": themes.scales,
        "list": [
            {
                "id": t.id,
                "zh": t.zh,
                "en": t.en,
                "titles": t.titles,
                "order": {s: list(t.subject[s] + t.context[s]) for s in SCALES},
            }
            for t in themes.themes
        ],
    }


BASE_PROPERTIES = ("kind", "zh", "en", "scale")  # what the map draws from (ids and sources stay in data/base)


def base_layers() -> dict[str, Any]:
    """Land, water, admin lines and place names for the map without tiles (data/base, see geo.geography.base)."""
    layers = {}
    for name in BASE_FILES:
        collection = json.loads((BASE_DIR / f"{name}.geojson").read_text(encoding="utf-8"))
        features = [
            {
                "type": "Feature",
                "geometry": f["geometry"],
                "properties": {k: v for k, v in f["properties"].items() if k in BASE_PROPERTIES},
            }
            for f in collection["features"]
        ]
        layers[name] = {"type": "FeatureCollection", "features": features}
    return layers
