"""The one style definition (geo.style.styles.resolve_style) in matplotlib's terms, for printed maps.

Widths, radii and dash arrays are web pixels (1/96 in); printed, one pixel is 0.75 pt times the page's
scale, so a slide shows lines as the browser does. Dash lengths are absolute (rcParams
lines.scale_dashes False), as SVG dash arrays are.
"""

from __future__ import annotations

from typing import Any

from matplotlib.colors import to_rgba

from geo.style.styles import FeatureStyle

PT_PER_PX = 0.75
INK = "#222222"  # text and map furniture


def dashes(dash: str | None, scale: float) -> str | tuple[float, tuple[float, ...]]:
    """An SVG dash array ("7 6") as a matplotlib line style in points; None is a solid line."""
    if not dash:
        return "solid"
    return (0.0, tuple(float(v) * PT_PER_PX * scale for v in dash.replace(",", " ").split()))


def line_width(style: FeatureStyle, scale: float) -> float:
    return style.weight * PT_PER_PX * scale


def polygon_kwargs(style: FeatureStyle, scale: float) -> dict[str, Any]:
    return {
        "facecolor": to_rgba(style.fill_color, style.fill_opacity),
        "edgecolor": to_rgba(style.color, style.opacity),
        "linewidth": line_width(style, scale),
        "linestyle": dashes(style.dash, scale),
        "joinstyle": "round",
        "capstyle": "butt" if style.dash else "round",
    }


def line_kwargs(style: FeatureStyle, scale: float) -> dict[str, Any]:
    return {**polygon_kwargs(style, scale), "facecolor": "none", "fill": False}


def point_kwargs(style: FeatureStyle, scale: float) -> dict[str, Any]:
    """For a CircleCollection: sizes are the circles' areas in pt², from the radius."""
    return {
        "sizes": [(2 * style.radius * PT_PER_PX * scale) ** 2],
        "facecolors": [to_rgba(style.fill_color, style.fill_opacity)],
        "edgecolors": [to_rgba(style.color, style.opacity)],
        "linewidths": line_width(style, scale),
        "linestyles": dashes(style.dash, scale),
    }
