"""Leaflet and the plugins the browser map uses, served by the app itself (never from a CDN).

The files come from the installed folium-offline package (geo.web.offline writes them into static/vendor/);
the map loads them, in this order, from the URLs `asset_urls` gives.
"""

from __future__ import annotations

from pathlib import Path

from folium import plugins

from geo.web.offline import LEAFLET_CSS, LEAFLET_JS, VENDOR_SUBDIR, local_name, vendor_files

FRONTEND = Path(__file__).parent / "frontend"  # the map's own page, script and style

# Leaflet first: every plugin extends it.
_SOURCES = [
    (LEAFLET_JS, LEAFLET_CSS),
    *((plugin.default_js, plugin.default_css) for plugin in (plugins.Fullscreen, plugins.MousePosition, plugins.MiniMap)),
]


def cdn_urls() -> tuple[list[str], list[str]]:
    js: list[str] = []
    css: list[str] = []
    for scripts, styles in _SOURCES:
        js += [url for _, url in (scripts if isinstance(scripts, list) else [scripts])]
        css += [url for _, url in (styles if isinstance(styles, list) else [styles])]
    return js, css


# The mini map's stylesheet draws its toggle button from images/toggle.svg, which the offline package
# does not carry: a plain arrow of our own, so the page has no 404.
MINIMAP_TOGGLE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="18" height="18" viewBox="0 0 18 18">'
    '<path d="M4 4 L14 14 M14 6 V14 H6" fill="none" stroke="#333" stroke-width="2"/></svg>'
)


def publish_assets(static_dir: Path) -> None:
    js, css = cdn_urls()
    vendor_files(set(js + css), static_dir)
    images = static_dir / VENDOR_SUBDIR / "images"
    images.mkdir(exist_ok=True)
    toggle = images / "toggle.svg"
    if not toggle.is_file():
        toggle.write_text(MINIMAP_TOGGLE, encoding="utf-8")


def asset_urls(static_url: str) -> dict[str, list[str]]:
    """{"js": [...], "css": [...]} below the app's static URL (e.g. /app/static/)."""
    base = f"{static_url.rstrip('/')}/{VENDOR_SUBDIR}/"
    js, css = cdn_urls()
    return {"js": [base + local_name(url) for url in js], "css": [base + local_name(url) for url in css]}
