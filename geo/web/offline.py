"""Serve Leaflet and every plugin's JS/CSS from this server, never from a public CDN.

folium points each element's `default_js` / `default_css` at CDN URLs; an intranet without internet
would get a blank map. The files themselves come from the installed folium-offline package (the same
folium release with every asset embedded); `vendor_files` writes them into the app's static folder,
which Streamlit serves at /app/static/ (server.enableStaticServing), and `localize` rewrites a map's
elements to point there.

    python -m geo.web.offline [STATIC_DIR]

writes every asset the package carries before any app runs (an image build, a web server or CDN that
serves static/ itself).
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import folium
from branca.element import Element

from geo.paths import ROOT

STATIC_DIR = ROOT / "static"
VENDOR_SUBDIR = "vendor"
# Map-level assets we use: Leaflet only (folium's jQuery, Bootstrap and Font Awesome serve markers we don't draw).
LEAFLET_JS = ("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js")
LEAFLET_CSS = ("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css")


class MissingAsset(RuntimeError):
    """An element wants a CDN file the offline package does not carry."""


@cache
def _embedded() -> dict[str, str]:
    from offlinefolium.elements import _res  # the package's table of CDN URL -> file content

    return _res


def asset_content(url: str) -> str:
    """The offline copy of a CDN file (Leaflet or a plugin)."""
    content = _embedded().get(url)
    if content is None:
        raise MissingAsset(f"no offline copy of {url}; pin folium and folium-offline to the same release")
    return content


def local_name(url: str) -> str:
    stem = url.rstrip("/").split("/")[-1].split("?")[0] or "asset"
    return f"{hashlib.sha256(url.encode()).hexdigest()[:8]}-{stem}"


def vendor_files(urls: set[str], static_dir: Path = STATIC_DIR) -> None:
    """Write each URL's content into static/vendor/ (only when missing or different)."""
    target = static_dir / VENDOR_SUBDIR
    target.mkdir(parents=True, exist_ok=True)
    for url in sorted(urls):
        content = asset_content(url)
        path = target / local_name(url)
        data = content.encode("utf-8")
        if not path.is_file() or path.read_bytes() != data:
            # A temporary name of its own: replicas sharing one checkout may write the same file at once.
            with tempfile.NamedTemporaryFile(dir=target, prefix=f".{path.name}.", delete=False) as tmp:
                tmp.write(data)
            Path(tmp.name).chmod(0o644)  # readable by a web server serving static/ itself
            Path(tmp.name).replace(path)


def _assets(element: Element) -> Iterator[Element]:
    if isinstance(element, folium.elements.JSCSSMixin):
        yield element
    for child in element._children.values():
        yield from _assets(child)


def localize(m: folium.Map, url_prefix: str = "/app/static/", static_dir: Path = STATIC_DIR) -> set[str]:
    """Point every asset of the map at our static files; returns the CDN URLs it replaced."""
    m.default_js = [LEAFLET_JS]
    m.default_css = [LEAFLET_CSS]
    replaced: set[str] = set()
    base = f"{url_prefix.rstrip('/')}/{VENDOR_SUBDIR}/"
    for element in _assets(m):
        for attr in ("default_js", "default_css"):
            pairs = getattr(element, attr)
            replaced.update(url for _, url in pairs if url.startswith(("http://", "https://")))
            setattr(
                element,
                attr,
                [(name, base + local_name(url) if url.startswith(("http://", "https://")) else url) for name, url in pairs],
            )
    vendor_files(replaced, static_dir)
    return replaced


def main(argv: list[str]) -> int:
    """Write everything the app serves from static/ (Leaflet and plugins, the browser catalogue) ahead of
    time, e.g. for a web server in front of the replicas; the app writes the same at start."""
    from geo.sources.mapdata import load_map_data
    from geo.web.publish import publish  # the web map's files (it imports this module)

    static_dir = Path(argv[0]) if argv else STATIC_DIR
    files = publish(load_map_data(), static_dir=static_dir)
    print(f"wrote the Leaflet files and the catalogue ({files.wgs84}, {files.gcj02}) to {static_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
