"""What the app writes into its static folder at start, and the URLs the browser map reads it from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from geo.sources.mapdata import MapData
from geo.web.assets import asset_urls, publish_assets
from geo.web.catalogue_file import write_cards, write_catalogue
from geo.web.offline import STATIC_DIR


@dataclass(frozen=True)
class Published:
    wgs84: str  # catalogue paths below the static folder
    gcj02: str
    assets: dict[str, list[str]]  # Leaflet and plugin URLs

    def catalogue(self, gcj02: bool) -> str:
        return self.gcj02 if gcj02 else self.wgs84


def static_url(base_url_path: str) -> str:
    """Where Streamlit serves ./static/, under the server's base URL path."""
    base = base_url_path.strip("/")
    return f"/{base}/app/static/" if base else "/app/static/"


def publish(data: MapData, base_url_path: str = "", static_dir: Path = STATIC_DIR) -> Published:
    publish_assets(static_dir)
    cards = write_cards(data, static_dir)  # one cards file for both coordinate systems
    return Published(
        wgs84=write_catalogue(data, static_dir, gcj02=False, cards=cards),
        gcj02=write_catalogue(data, static_dir, gcj02=True, cards=cards),
        assets=asset_urls(static_url(base_url_path)),
    )
