"""Users' uploaded layers in an export: each becomes a layer of its own (`user-1`, `user-2`, …) beside the
plan layers, so every format writes it the same way. Its features carry no plan mention; their file's
attributes are kept as one JSON text (`attributes`), since each file has columns of its own.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from shapely.geometry import mapping

from geo.query.selection import Shown
from geo.sources.mapdata import MapData
from geo.upload import Overlay
from geo.upload.user_layers import USER_LAYER_STYLE, layer_color

NO_MENTION = {"plan": "", "section": "", "quote": "", "status": "", "phase": ""}
LABEL_COLUMNS = ("name", "名称", "NAME", "Name", "title", "标题")


def with_overlays(data: MapData, shown: Sequence[Shown], overlays: Sequence[Overlay]) -> tuple[MapData, tuple[Shown, ...]]:
    """The data and selection, extended by one layer per overlay (unchanged when there are none)."""
    if not overlays:
        return data, tuple(shown)
    layers, features = [], []
    for index, overlay in enumerate(overlays):
        layer_id = f"user-{index + 1}"
        layers.append(
            {
                "id": layer_id,
                "title_zh": f"我的图层：{overlay.name}",
                "title_en": f"My layer: {overlay.name}",
                "theme": "user",
                "order": 10_000 + index,
                "file": "",
                "count": len(overlay.frame),
                "style": {"color": layer_color(index), "label": False, **USER_LAYER_STYLE},
            }
        )
        features.extend(_features(overlay, layer_id))
    catalog = {**data.catalog, "layers": [*data.catalog["layers"], *layers]}
    extended = replace(data, catalog=catalog, features=(*data.features, *features), memo={})
    return extended, (*shown, *(Shown(feature, NO_MENTION) for feature in features))


def _features(overlay: Overlay, layer_id: str) -> list[dict[str, Any]]:
    columns = [c for c in overlay.frame.columns if c != overlay.frame.geometry.name]
    features = []
    for position, (geom, row) in enumerate(zip(overlay.frame.geometry, overlay.frame[columns].to_dict("records"), strict=True)):
        if geom is None or geom.is_empty:
            continue
        label = next((str(row[c]) for c in LABEL_COLUMNS if row.get(c) not in (None, "")), f"{overlay.name} #{position + 1}")
        features.append(
            {
                "type": "Feature",
                "id": f"{layer_id}-{position + 1}",
                "properties": {
                    "id": f"{layer_id}-{position + 1}",
                    "name_zh": label,
                    "name_en": label,
                    "layer": layer_id,
                    "kind": "user",
                    "plans": [],
                    "phases": [],
                    "status": "",
                    "mentions": [],
                    "geometry_basis_zh": f"用户上传：{overlay.name}（{overlay.source_format}）",
                    "geometry_basis_en": f"uploaded by the user: {overlay.name} ({overlay.source_format})",
                    "accuracy_m": None,
                    "attributes": json.dumps(row, ensure_ascii=False),
                },
                "geometry": mapping(geom),
            }
        )
    return features
