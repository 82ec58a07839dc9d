"""Leaflet and the plugins the browser map uses, served by the app itself (never from a CDN).

The files come from the installed folium-offline package (geo.offline writes them into static/vendor/);
the map loads them, in this order, from the URLs `asset_urls` gives.
"""

from __future__ import annotations

from pathlib import Path

from folium import plugins

from geo.offline import LEAFLET_CSS, LEAFLET_JS, VENDOR_SUBDIR, local_name, vendor_files

# Leaflet first: every plugin extends it.
_SOURCES = [
    (LEAFLET_JS, LEAFLET_CSS),
    *(
        (plugin.default_js, plugin.default_css)
        for plugin in (plugins.Fullscreen, plugins.MeasureControl, plugins.MousePosition, plugins.MiniMap)
    ),
]


def _cdn_urls() -> tuple[list[str], list[str]]:
    js: list[str] = []
    css: list[str] = []
    for scripts, styles in _SOURCES:
        js += [url for _, url in (scripts if isinstance(scripts, list) else [scripts])]
        css += [url for _, url in (styles if isinstance(styles, list) else [styles])]
    return js, css


def publish_assets(static_dir: Path) -> None:
    js, css = _cdn_urls()
    vendor_files(set(js + css), static_dir)


def asset_urls(static_url: str) -> dict[str, list[str]]:
    """{"js": [...], "css": [...]} below the app's static URL (e.g. /app/static/)."""
    base = f"{static_url.rstrip('/')}/{VENDOR_SUBDIR}/"
    js, css = _cdn_urls()
    return {"js": [base + local_name(url) for url in js], "css": [base + local_name(url) for url in css]}
