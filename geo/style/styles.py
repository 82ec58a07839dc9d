"""How a feature is drawn, from its layer's style, its own override and the status it is shown with.

The one style definition: the web map, the QGIS styles and the print renderer all call this.
Planning-map convention: existing solid, under construction and planned dashed, study and reserve
dotted (the dash arrays are in geo/sources/schema.py STATUSES).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from geo.sources.schema import STATUSES

_DASH = {s.id: s.dash for s in STATUSES}
DEFAULTS: dict[str, Any] = {
    "color": "#555555",
    "fill_color": None,  # None: the stroke colour
    "fill_opacity": 0.2,
    "weight": 2,
    "opacity": 0.9,
    "radius": 5,
    "label": False,
    "dash": None,
    "marker": "circle",  # point marker shape (geo.style.symbols: the symbol class's)
    "hatch": None,  # area hatch ("////", "xx", ".."; geo.style.symbols: the class's or a reserve's)
}


@dataclass(frozen=True)
class FeatureStyle:
    color: str
    fill_color: str
    fill_opacity: float
    weight: float
    opacity: float
    radius: float
    label: bool
    dash: str | None  # SVG dash array, None for a solid line
    marker: str = "circle"
    hatch: str | None = None

    def leaflet(self) -> dict[str, Any]:
        """Leaflet path options."""
        options = {
            "color": self.color,
            "weight": self.weight,
            "opacity": self.opacity,
            "fillColor": self.fill_color,
            "fillOpacity": self.fill_opacity,
            "radius": self.radius,
        }
        if self.dash:
            options["dashArray"] = self.dash
        return options


def resolve_style(layer_style: dict[str, Any], feature_style: dict[str, Any] | None, status: str) -> FeatureStyle:
    """Layer style, then the feature's override; the status sets the dash unless the feature fixes one (a
    themed symbol fixes it even as None: solid, for plan concepts whose status the map does not show)."""
    merged = {**DEFAULTS, **layer_style, **(feature_style or {})}
    dash = merged["dash"] if "dash" in (feature_style or {}) else _DASH.get(status)
    return FeatureStyle(
        color=merged["color"],
        fill_color=merged["fill_color"] or merged["color"],
        fill_opacity=float(merged["fill_opacity"]),
        weight=float(merged["weight"]),
        opacity=float(merged["opacity"]),
        radius=float(merged["radius"]),
        label=bool(merged["label"]),
        dash=dash,
        marker=str(merged["marker"]),
        hatch=merged["hatch"] or None,
    )
