"""Basemaps as data: a registry the sidebar, the map and the URL parser all read.

Tile URLs come from xyzservices where it has the provider. AMap/Gaode tiles are in GCJ-02: the map
shifts the data for that basemap only (`gcj02=True`). "none" draws no tiles at all, so the page
needs nothing from outside the server.
"""

from __future__ import annotations

from dataclasses import dataclass

import xyzservices.providers as xyz

TIANDITU_KEY_NAME = "TIANDITU_KEY"
_TIANDITU = (
    "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}"
    "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"
)
_TIANDITU_ATTRIBUTION = '&copy; <a href="https://www.tianditu.gov.cn/">天地图</a> 国家地理信息公共服务平台'


@dataclass(frozen=True)
class Tiles:
    url: str
    attribution: str
    subdomains: str = "abc"
    max_zoom: int = 19
    overlay: bool = False  # a label layer drawn over the base tiles


@dataclass(frozen=True)
class Basemap:
    id: str
    zh: str
    en: str
    tiles: tuple[Tiles, ...]
    gcj02: bool = False
    needs_key: bool = False

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def with_key(self, key: str) -> tuple[Tiles, ...]:
        return tuple(Tiles(t.url.replace("{key}", key), t.attribution, t.subdomains, t.max_zoom, t.overlay) for t in self.tiles)


def _xyz(provider) -> Tiles:
    url = provider["url"].replace("{r}", "").format_map(_KeepBraces(variant=provider.get("variant", "")))
    return Tiles(url, provider.html_attribution, "".join(provider.get("subdomains", "abc")), int(provider.get("max_zoom", 19)))


class _KeepBraces(dict):
    """Fill a provider's own placeholders (e.g. {variant}) and keep Leaflet's ({s}, {z}, {x}, {y})."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _tianditu(layer: str, overlay: bool) -> Tiles:
    url = _TIANDITU.replace("{layer}", layer)
    return Tiles(url, _TIANDITU_ATTRIBUTION, "01234567", 18, overlay)


BASEMAPS: tuple[Basemap, ...] = (
    Basemap("osm", "OpenStreetMap", "OpenStreetMap", (_xyz(xyz.OpenStreetMap.Mapnik),)),
    Basemap("light", "浅色底图（Esri 灰色）", "Light canvas (Esri World Gray)", (_xyz(xyz.Esri.WorldGrayCanvas),)),
    Basemap("esri-imagery", "卫星影像（Esri）", "Satellite imagery (Esri)", (_xyz(xyz.Esri.WorldImagery),)),
    Basemap("tianditu-vec", "天地图 矢量", "Tianditu vector", (_tianditu("vec", False), _tianditu("cva", True)), needs_key=True),
    Basemap("tianditu-img", "天地图 影像", "Tianditu imagery", (_tianditu("img", False), _tianditu("cia", True)), needs_key=True),
    Basemap(
        "amap",
        "高德地图（GCJ-02）",
        "AMap / Gaode (GCJ-02)",
        (
            Tiles(
                xyz.Gaode.Normal.url.replace("http://webrd01", "https://webrd0{s}"), xyz.Gaode.Normal.html_attribution, "1234", 18
            ),
        ),
        gcj02=True,
    ),
    Basemap("none", "无底图（离线）", "None (offline)", ()),
)
BASEMAP_IDS: tuple[str, ...] = tuple(b.id for b in BASEMAPS)
DEFAULT_BASEMAP = "osm"


def map_tiles(chosen: Basemap, key: str | None) -> tuple[Tiles, ...]:
    """The basemap's tiles; none for a basemap that needs a key we do not have (the sidebar says how to get one)."""
    if chosen.needs_key:
        return chosen.with_key(key) if key else ()
    return chosen.tiles


def basemap(basemap_id: str) -> Basemap:
    return next(b for b in BASEMAPS if b.id == basemap_id)
