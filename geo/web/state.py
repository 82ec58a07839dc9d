"""The small state object the browser map receives on each rerun: what to show, how, and where to look.

Everything bulky (features, quotes, geometry, overlays) is in static files the browser fetches once;
this object only names them, so a filter change sends a few hundred bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from shapely.geometry.base import BaseGeometry

from geo.query.selection import Selection
from geo.style.basemaps import Basemap, Tiles

Bounds = tuple[tuple[float, float], tuple[float, float]]  # ((south, west), (north, east))
DEFAULT_BOUNDS: Bounds = ((22.060, 113.430), (22.172, 113.565))  # Hengqin


def feature_bounds(geom: BaseGeometry, pad_deg: float = 0.004) -> Bounds:
    """The view that shows a feature with a little room around it."""
    minx, miny, maxx, maxy = geom.bounds
    return ((miny - pad_deg, minx - pad_deg), (maxy + pad_deg, maxx + pad_deg))


@dataclass(frozen=True)
class MapView:
    """Where the map should look: a new token means the user asked for a new view (view button, search)."""

    bounds: Bounds
    token: str
    focus: str | None = None


def _tiles(tiles: Sequence[Tiles]) -> list[dict[str, Any]]:
    return [
        {"url": t.url, "attribution": t.attribution, "subdomains": t.subdomains, "max_zoom": t.max_zoom, "overlay": t.overlay}
        for t in tiles
    ]


def map_state(
    *,
    static_url: str,
    catalogue_path: str,
    assets: dict[str, list[str]],
    selection: Selection,
    lang: str,
    theme: str | None,
    basemap: Basemap,
    tiles: Sequence[Tiles],
    view: MapView,
    present: bool,
    title: str,
    source_note: str,
    overlays: Sequence[dict[str, Any]] = (),
    display: dict[str, Any] | None = None,
    side_label: str = "",
    height: int = 700,
) -> dict[str, Any]:
    base = static_url.rstrip("/") + "/"
    return {
        "catalogue": base + catalogue_path,
        "assets": assets,
        "selection": {
            "plans": sorted(selection.plans),
            "phases": sorted(selection.phases),
            "statuses": sorted(selection.statuses),
            "layers": sorted(selection.layers),
            "stated_phases_only": selection.stated_phases_only,
        },
        "lang": lang,
        "theme": theme,
        "basemap": {"id": basemap.id, "tiles": _tiles(tiles)},
        "view": {"bounds": [list(view.bounds[0]), list(view.bounds[1])], "token": view.token, "focus": view.focus},
        "present": present,
        "title": title,
        "source_note": source_note,
        "overlays": [{**o, "url": base + o["url"]} for o in overlays],
        "display": display or {"layers": None, "opacity": {}},
        "side_label": side_label,  # one half of a comparison: what it shows
        "height": height,
    }
