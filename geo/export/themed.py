"""A selection seen through a thematic map, for exports: only the features the theme shows, each with the
symbol the print draws (geo.style.symbols) as its style, so the style columns and the QGIS styles that read
them carry the theme's colours, widths and dash patterns (context muted to grey)."""

from __future__ import annotations

import shapely

from geo.query.selection import Shown
from geo.sources.mapdata import MapData
from geo.style.symbols import GEOMETRY_FAMILY, themed_style
from geo.style.themes import SCALES, Theme

_FAMILY_ORDER = ("polygon", "line", "point")


def themed(data: MapData, shown: list[Shown], theme: Theme) -> list[Shown]:
    """The features the theme shows at either scale of view, with their themed symbol as their style."""
    out = []
    for item in shown:
        props = item.feature["properties"]
        families = {GEOMETRY_FAMILY[p.geom_type] for p in shapely.get_parts(data.geometries[item.id])}
        family = next(f for f in _FAMILY_ORDER if f in families)
        symbol = next((s for scale in SCALES if (s := themed_style(theme, props, item.mention["status"], family, scale))), None)
        if symbol is None:
            continue
        style = symbol.feature_style()
        feature = {**item.feature, "properties": {**props, "style": {k: getattr(style, k) for k in style.__dataclass_fields__}}}
        out.append(Shown(feature, item.mention))
    return out
