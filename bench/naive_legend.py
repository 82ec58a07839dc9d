"""(Baseline map only.) The map legend: only what is on the map, with the line pattern of each status shown."""

from __future__ import annotations

from html import escape

from geo.i18n import status_label, t
from geo.style.styles import FeatureStyle


def legend_html(layers: list[tuple[str, FeatureStyle, set[str]]], statuses: list[tuple[str, str | None]], lang: str) -> str:
    """layers: (title, style, geometry kinds present); statuses: (status id, dash array) present."""
    rows = [f'<div class="pm-legend-title">{escape(t("legend", lang))}</div>']
    for title, style, geometry_kinds in layers:
        rows.append(f'<div class="pm-legend-row">{_swatch(style, geometry_kinds)}<span>{escape(title)}</span></div>')
    if statuses:
        rows.append('<div class="pm-legend-sep"></div>')
    for status, dash in statuses:
        dash_attr = f' stroke-dasharray="{escape(dash)}"' if dash else ""
        line = (
            f'<svg width="34" height="10"><line x1="1" y1="5" x2="33" y2="5" stroke="#333" stroke-width="2.5"{dash_attr}/></svg>'
        )
        rows.append(f'<div class="pm-legend-row">{line}<span>{escape(status_label(status, lang))}</span></div>')
    return f'<div class="pm-legend">{"".join(rows)}</div>'


def _swatch(style: FeatureStyle, geometry_kinds: set[str]) -> str:
    color, fill = escape(style.color), escape(style.fill_color)
    if "polygon" in geometry_kinds:
        shape = (
            f'<rect x="2" y="1" width="30" height="12" fill="{fill}" fill-opacity="{max(style.fill_opacity, 0.25)}"'
            f' stroke="{color}" stroke-width="1.5"/>'
        )
    elif "line" in geometry_kinds:
        shape = f'<line x1="1" y1="7" x2="33" y2="7" stroke="{color}" stroke-width="{min(style.weight, 6)}"/>'
    else:
        shape = f'<circle cx="17" cy="7" r="5" fill="{fill}" stroke="{color}" stroke-width="1.5"/>'
    return f'<svg width="34" height="14">{shape}</svg>'
