"""The layer panel's state in the link: which layers the map shows, in which drawing order, how opaque.

`layers=` lists the layers drawn, top first (absent: every selected layer in the catalogue's order);
`opacity=` gives layer:value pairs (0-1). The panel on the map owns this state and writes it into the
address itself; Python only checks it, keeps it when it rewrites the address, and hands it to a new map.
"""

from __future__ import annotations

from collections.abc import Mapping

from geo.sources.mapdata import MapData

DISPLAY_KEYS = ("layers", "opacity")


def _raw(params: Mapping[str, str | list[str]], key: str) -> str:
    value = params.get(key)
    return ",".join(value) if isinstance(value, list) else (value or "")


def parse_display(params: Mapping[str, str | list[str]], data: MapData) -> tuple[dict[str, str], list[str]]:
    """The valid part of `layers=` and `opacity=` as query values, and a notice per value dropped."""
    notices: list[str] = []
    query: dict[str, str] = {}
    if "layers" in params:
        order = []
        for layer_id in (v.strip() for v in _raw(params, "layers").split(",") if v.strip()):
            if layer_id not in data.layers:
                notices.append(f"layers: ignored unknown value {layer_id[:40]!r}")
            elif layer_id not in order:
                order.append(layer_id)
        query["layers"] = ",".join(order)
    pairs = []
    for item in (v.strip() for v in _raw(params, "opacity").split(",") if v.strip()):
        layer_id, _, value = item.partition(":")
        try:
            opacity = float(value)
        except ValueError:
            opacity = -1.0
        if layer_id in data.layers and 0 <= opacity <= 1:
            pairs.append(f"{layer_id}:{round(opacity, 2):g}")
        else:
            notices.append(f"opacity: ignored {item[:40]!r}")
    if pairs:
        query["opacity"] = ",".join(pairs)
    return query, notices


def display_state(query: Mapping[str, str]) -> dict[str, object]:
    """What the map's layer panel starts from."""
    layers = query.get("layers")
    opacity = {}
    for pair in filter(None, query.get("opacity", "").split(",")):
        layer_id, _, value = pair.partition(":")
        opacity[layer_id] = float(value)
    return {"layers": None if layers is None else [v for v in layers.split(",") if v], "opacity": opacity}
