"""The benchmark baseline's map: the folium map the app drew before the browser-side engine (geo/web).

Every rerun builds the whole map in Python (all popups, all geometry) and sends it again; kept only so
bench/app_speed.py can measure the app against it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import Any

import folium
import folium.template
import shapely
from branca.element import MacroElement
from folium import plugins
from folium.utilities import JsCode
from jinja2 import Template
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from bench.naive_controls import NORTH_ARROW, HtmlControl
from bench.naive_legend import legend_html
from bench.naive_popup import popup_html, tooltip_html
from geo.geography.crs import wgs84_to_gcj02
from geo.i18n import t
from geo.query.citations import source_note
from geo.query.selection import Shown
from geo.sources.mapdata import MapData
from geo.sources.schema import STATUSES
from geo.style.basemaps import Basemap, map_tiles
from geo.style.styles import FeatureStyle, resolve_style
from geo.upload.user_layers import UserLayer, user_style
from geo.web.catalogue_file import label_min_zoom, label_priority

# Chinese text as UTF-8 in the page, not as \uXXXX escapes (half the bytes); "<", ">", "&" and "'" stay
# escaped by the template's JSON filter, so data still cannot close a <script>.
folium.template.Template("").environment.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}

BROWSER_DECIMALS = 5  # about 1 m: finer than any feature's accuracy, and fewer bytes per rerun
MAP_PIXELS = (1000, 700)  # the map's size on a typical screen, for the zoom a view opens at
DETAIL_ZOOMS = 2  # geometry keeps the detail of two zoom levels closer than the view opens at
DEFAULT_BOUNDS = ((22.060, 113.430), (22.172, 113.565))  # Hengqin

PAGE_CSS = """
.leaflet-container { background: #f4f2ec; font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; }
.pm-popup { max-width: 420px; font-size: 13px; line-height: 1.45; }
.pm-popup h4 { margin: 0 0 2px; font-size: 15px; }
.pm-sub { color: #555; margin-bottom: 6px; }
.pm-mention { border-top: 1px solid #ddd; padding-top: 5px; margin-top: 5px; }
.pm-plan { font-weight: 600; }
.pm-section { color: #555; }
.pm-quote { margin: 4px 0; padding: 4px 8px; border-left: 3px solid #c0392b; background: #faf7f2; }
.pm-basis { color: #666; font-size: 12px; border-top: 1px solid #ddd; margin-top: 6px; padding-top: 4px; }
.pm-legend-control { background: rgba(255,255,255,0.92); padding: 6px 9px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); font-size: 12px; max-height: 50vh; overflow-y: auto; }
.pm-legend-title { font-weight: 700; margin-bottom: 3px; }
.pm-legend-row { display: flex; align-items: center; gap: 6px; white-space: nowrap; }
.pm-legend-sep { border-top: 1px solid #ccc; margin: 4px 0; }
.pm-label { display: inline-block; font-size: 12px; color: #222; white-space: nowrap;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff; transform: translate(-50%, -50%); pointer-events: none; }
.pm-title-control { background: rgba(255,255,255,0.92); padding: 6px 14px; border-radius: 4px; font-size: 22px;
  font-weight: 700; box-shadow: 0 1px 4px rgba(0,0,0,0.3); }
.pm-north-control { background: rgba(255,255,255,0.85); padding: 3px 5px; border-radius: 4px; }
.pm-source-control { background: rgba(255,255,255,0.9); padding: 3px 8px; font-size: 11px; max-width: 60vw; }
.pm-table th { text-align: left; padding-right: 8px; color: #555; vertical-align: top; }
.pm-notice { background: #fff3cd; border: 1px solid #e0c36a; padding: 4px 8px; font-size: 12px; border-radius: 3px; }
"""


@dataclass(frozen=True)
class MapRequest:
    """Everything the map depends on."""

    shown_ids: tuple[str, ...]
    lang: str
    basemap_id: str
    bounds: tuple[tuple[float, float], tuple[float, float]]
    view_token: str  # changes when the user asks for a new view (view button, search result)
    focus_id: str | None = None
    present: bool = False  # presentation mode: title, north arrow and source note instead of the tools
    title: str = ""
    simplify: bool = True  # False sends full geometry (the benchmark's naive baseline)


def feature_bounds(geom: BaseGeometry, pad_deg: float = 0.004) -> tuple[tuple[float, float], tuple[float, float]]:
    minx, miny, maxx, maxy = geom.bounds
    return ((miny - pad_deg, minx - pad_deg), (maxy + pad_deg, maxx + pad_deg))


def fit_zoom(bounds: tuple[tuple[float, float], tuple[float, float]]) -> int:
    """The zoom at which Leaflet shows these bounds on a MAP_PIXELS map."""
    (south, west), (north, east) = bounds
    span_lon = max(east - west, 1e-6)
    span_lat = max((north - south) / math.cos(math.radians((north + south) / 2)), 1e-6)
    return max(3, min(18, math.floor(math.log2(min(MAP_PIXELS[0] / span_lon, MAP_PIXELS[1] / span_lat) * 360 / 256))))


def simplify_tolerance(bounds: tuple[tuple[float, float], tuple[float, float]]) -> float:
    """Half a screen pixel, in degrees, DETAIL_ZOOMS levels closer than the view opens at."""
    return 360 / (256 * 2 ** (fit_zoom(bounds) + DETAIL_ZOOMS)) / 2


def _browser_geometry(geom: BaseGeometry, gcj02: bool, tolerance: float) -> dict[str, Any]:
    if gcj02:
        geom = wgs84_to_gcj02(geom)
    if geom.geom_type not in ("Point", "MultiPoint"):
        geom = geom.simplify(tolerance, preserve_topology=True)
    return mapping(shapely.set_precision(geom, 10**-BROWSER_DECIMALS))


def _payload(data: MapData, feature_id: str, lang: str, gcj02: bool, tolerance: float) -> tuple[dict[str, Any], str, str]:
    """Browser geometry, tooltip and popup of one feature, computed once per language, CRS and detail."""
    key = ("payload", feature_id, lang, gcj02, tolerance)
    if key not in data.memo:
        props = data.by_id[feature_id]["properties"]
        data.memo[key] = (
            _browser_geometry(data.geometries[feature_id], gcj02, tolerance),
            tooltip_html(props, lang),
            popup_html(props, data.plans, lang),
        )
    return data.memo[key]


def build_map(
    data: MapData,
    shown: list[Shown],
    request: MapRequest,
    basemap: Basemap,
    tiles_key: str | None = None,
    user_layers: tuple[UserLayer, ...] = (),
) -> folium.Map:
    lang = request.lang
    tolerance = simplify_tolerance(request.bounds) if request.simplify else 0.0
    m = folium.Map(location=None, tiles=None, control_scale=True, prefer_canvas=False, zoom_control=True)
    m.fit_bounds([list(request.bounds[0]), list(request.bounds[1])])
    _add_tiles(m, basemap, tiles_key)
    m.get_root().header.add_child(folium.Element(f"<style>{PAGE_CSS}</style>"))
    layer_styles: dict[str, dict[str, Any]] = {layer_id: layer["style"] for layer_id, layer in data.layers.items()}
    legend_layers: dict[str, tuple[str, FeatureStyle, set[str]]] = {}
    statuses_present: set[str] = set()
    labels = folium.FeatureGroup(name="labels", control=False)
    by_layer: dict[str, list[dict[str, Any]]] = {}
    styles: dict[str, dict[str, Any]] = {}  # by feature id; folium turns them into one style table per layer
    for item in shown:
        props = item.feature["properties"]
        style = resolve_style(layer_styles[props["layer"]], props.get("style"), item.mention["status"])
        geom = data.geometries[item.id]
        geometry, tip, popup = _payload(data, item.id, lang, basemap.gcj02, tolerance)
        styles[item.id] = style.leaflet()
        properties = {"id": item.id, "_tip": tip, "_popup": popup}
        # Leaflet draws a MultiPoint as a group that cannot take a marker style or tooltip: send its points.
        parts = (
            [{"type": "Point", "coordinates": c} for c in geometry["coordinates"]]
            if geometry["type"] == "MultiPoint"
            else [geometry]
        )
        by_layer.setdefault(props["layer"], []).extend(
            {"type": "Feature", "geometry": part, "properties": properties} for part in parts
        )
        kind = "polygon" if "Polygon" in geom.geom_type else "line" if "LineString" in geom.geom_type else "point"
        layer = data.layers[props["layer"]]
        title = layer["title_zh"] if lang == "zh" else layer["title_en"]
        entry = legend_layers.setdefault(props["layer"], (title, resolve_style(layer["style"], None, "existing"), set()))
        entry[2].add(kind)
        statuses_present.add(item.mention["status"])
        if style.label:
            anchor = wgs84_to_gcj02(geom.representative_point()) if basemap.gcj02 else geom.representative_point()
            name = props["name_zh"] if lang == "zh" else props["name_en"]
            folium.Marker(
                [anchor.y, anchor.x],
                icon=folium.DivIcon(
                    html=f'<div class="pm-label" data-minzoom="{label_min_zoom(geom)}" data-priority="{label_priority(geom)}">'
                    f"{escape(name)}</div>",
                    icon_size=(0, 0),
                ),
                interactive=False,
            ).add_to(labels)
    if not map_tiles(basemap, tiles_key):
        _add_context(m, data, {s.id for s in shown}, basemap.gcj02, tolerance)
    for layer_id in sorted(by_layer, key=lambda lid: data.layers[lid]["order"]):
        _add_layer(m, layer_id, by_layer[layer_id], styles)
    labels.add_to(m)
    for user in user_layers:
        _add_user_layer(m, user)
    ordered_status = [(s.id, s.dash) for s in STATUSES if s.id in statuses_present]
    ordered_layers = [legend_layers[lid] for lid in sorted(legend_layers, key=lambda lid: data.layers[lid]["order"])]
    ordered_layers += [(f"{t('user_layer', lang)}：{u.name}", user_style(u.color), set(u.geometry_kinds)) for u in user_layers]
    m.add_child(HtmlControl(legend_html(ordered_layers, ordered_status, lang), "bottomright", "pm-legend-control"))
    if request.present:
        _add_presentation(m, data, shown, request)
    else:
        _add_tools(m, basemap, lang, tiles_key)
    m.add_child(ViewKeeper(request.view_token, request.focus_id))
    return m


def _add_tiles(m: folium.Map, basemap: Basemap, key: str | None) -> None:
    for spec in map_tiles(basemap, key):
        folium.TileLayer(
            tiles=spec.url,
            attr=spec.attribution,
            name=basemap.id,
            subdomains=spec.subdomains,
            max_zoom=spec.max_zoom,
            max_native_zoom=spec.max_zoom,
            overlay=spec.overlay,
            control=False,
        ).add_to(m)


CONTEXT_KINDS = ("island", "boundary")


def _add_context(m: folium.Map, data: MapData, shown_ids: set[str], gcj02: bool, tolerance: float) -> None:
    """Without tiles, draw the admin boundaries and the Hengqin outline from the data, as a plain background."""
    features = [
        {"type": "Feature", "geometry": _browser_geometry(data.geometries[fid], gcj02, tolerance), "properties": {}}
        for fid, feature in data.by_id.items()
        if feature["properties"]["kind"] in CONTEXT_KINDS and fid not in shown_ids
    ]
    if features:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            name="context",
            style_function=lambda _: {"color": "#9a9a9a", "weight": 1, "fillColor": "#ffffff", "fillOpacity": 0.6},
            interactive=False,
            control=False,
        ).add_to(m)


def _add_layer(m: folium.Map, layer_id: str, features: list[dict[str, Any]], styles: dict[str, dict[str, Any]]) -> None:
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=layer_id,
        style_function=lambda feature: styles[feature["properties"]["id"]],
        highlight_function=lambda feature: {"weight": styles[feature["properties"]["id"]]["weight"] + 2, "fillOpacity": 0.35},
        marker=folium.CircleMarker(radius=6, fill=True),
        tooltip=folium.GeoJsonTooltip(fields=["_tip"], labels=False, sticky=True, localize=False),
        popup=folium.GeoJsonPopup(fields=["_popup"], labels=False, localize=False, max_width=440),
        popup_keep_highlighted=True,
        zoom_on_click=False,
        embed=True,
    ).add_to(m)


def _add_user_layer(m: folium.Map, user: UserLayer) -> None:
    # One style for the whole layer (a style_function would write one switch case per feature) and a canvas
    # renderer: a 20,000-polygon file stays interactive where SVG would add 20,000 DOM nodes.
    folium.GeoJson(
        {"type": "FeatureCollection", "features": list(user.features)},
        name=f"user:{user.name}",
        style=user_style(user.color).leaflet(),
        renderer=JsCode("L.canvas({padding: 0.5})"),
        marker=folium.CircleMarker(radius=4, fill=True),
        tooltip=folium.GeoJsonTooltip(fields=["_tip"], labels=False, sticky=True, localize=False),
        popup=folium.GeoJsonPopup(fields=["_popup"], labels=False, localize=False, max_width=440),
        zoom_on_click=False,
        embed=True,
    ).add_to(m)


def _add_presentation(m: folium.Map, data: MapData, shown: list[Shown], request: MapRequest) -> None:
    title = request.title or t("title", request.lang)
    m.add_child(HtmlControl(f'<div class="pm-title">{escape(title)}</div>', "topright", "pm-title-control"))
    m.add_child(HtmlControl(NORTH_ARROW, "topleft", "pm-north-control"))
    m.add_child(
        HtmlControl(
            f'<div class="pm-source">{escape(source_note(data, {s.mention["plan"] for s in shown}, request.lang))}</div>',
            "bottomleft",
            "pm-source-control",
        )
    )


def _add_tools(m: folium.Map, basemap: Basemap, lang: str, key: str | None) -> None:
    plugins.Fullscreen(
        position="topleft",
        title="全屏" if lang == "zh" else "Full screen",
        title_cancel="退出全屏" if lang == "zh" else "Exit full screen",
    ).add_to(m)
    plugins.MeasureControl(
        position="topleft",
        primary_length_unit="meters",
        secondary_length_unit="kilometers",
        primary_area_unit="sqmeters",
        secondary_area_unit="hectares",
    ).add_to(m)
    plugins.MousePosition(
        position="bottomleft", separator=" , ", num_digits=5, prefix="经纬度" if lang == "zh" else "lon/lat", lng_first=True
    ).add_to(m)
    base = next((spec for spec in map_tiles(basemap, key) if not spec.overlay), None)
    if base is not None:  # the mini map needs tiles: none with the offline basemap
        plugins.MiniMap(
            tile_layer=folium.TileLayer(tiles=base.url, attr=base.attribution, subdomains=base.subdomains),
            position="bottomleft",
            toggle_display=True,
            zoom_level_offset=-5,
        ).add_to(m)


class ViewKeeper(MacroElement):
    """Keeps the map's centre and zoom in the page URL (#map=zoom/lat/lon) without a Python rerun.

    On load it restores the view from the URL fragment (a shared link) or, after a filter change
    re-created the map, from the tab's session storage; a new view asked for in Python (view button,
    search result: a new token) wins. Names show only from the zoom where they fit (data-minzoom).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var token = {{ this.token|tojson }}, focus = {{ this.focus|tojson }};
            var top = window;
            try { if (window.parent && window.parent.location.href) { top = window.parent; } } catch (e) { top = window; }
            var store = null;
            try { store = top.sessionStorage; } catch (e) { store = null; }
            function parse(hash) {
                var m = /map=(\\d{1,2})\\/(-?\\d+(?:\\.\\d+)?)\\/(-?\\d+(?:\\.\\d+)?)/.exec(hash || "");
                if (!m) { return hash && hash.indexOf("map=") >= 0 ? "bad" : null; }
                var z = +m[1], lat = +m[2], lon = +m[3];
                if (z < 3 || z > 19 || lat < 18 || lat > 26 || lon < 108 || lon > 118) { return "bad"; }
                return {z: z, lat: lat, lon: lon};
            }
            var fromUrl = parse(top.location.hash);
            if (fromUrl === "bad") {
                var note = L.control({position: "topright"});
                note.onAdd = function () {
                    var d = L.DomUtil.create("div", "pm-notice");
                    d.textContent = {{ this.bad_view_text|tojson }};
                    return d;
                };
                note.addTo(map);
                fromUrl = null;
            }
            var applied = store ? store.getItem("pm.token") : null;
            var last = null;
            try { last = JSON.parse(store ? store.getItem("pm.view") : "null"); } catch (e) { last = null; }
            var newRequest = applied !== null && applied !== token;
            if (!newRequest) {
                var target = fromUrl || (applied !== null ? last : null);
                if (target) { map.setView([target.lat, target.lon], target.z, {animate: false}); }
            }
            if (store) { store.setItem("pm.token", token); }
            function remember() {
                var c = map.getCenter(), z = map.getZoom();
                var hash = "#map=" + z + "/" + c.lat.toFixed(5) + "/" + c.lng.toFixed(5);
                try {
                    top.history.replaceState(top.history.state, "", top.location.pathname + top.location.search + hash);
                } catch (e) {}
                if (store) { store.setItem("pm.view", JSON.stringify({z: z, lat: c.lat, lon: c.lng})); }
            }
            function labels() {
                // Show a name from the zoom where it fits; where names collide, the larger feature's wins.
                var z = map.getZoom(), placed = [];
                var nodes = Array.prototype.slice.call(map.getContainer().querySelectorAll(".pm-label"));
                nodes.sort(function (a, b) { return +b.getAttribute("data-priority") - +a.getAttribute("data-priority"); });
                nodes.forEach(function (node) {
                    if (z < +node.getAttribute("data-minzoom")) { node.style.display = "none"; return; }
                    node.style.display = "";
                    var r = node.getBoundingClientRect();
                    var hit = placed.some(function (p) {
                        return !(r.right < p.left || r.left > p.right || r.bottom < p.top || r.top > p.bottom);
                    });
                    if (hit) { node.style.display = "none"; } else { placed.push(r); }
                });
            }
            map.on("moveend", remember);
            map.on("zoomend", labels);
            map.whenReady(function () {
                remember();
                labels();
                if (focus && (newRequest || applied === null)) {
                    map.eachLayer(function (layer) {
                        // Popups are bound to each layer's group: open one as a click on the feature would.
                        var props = layer.feature && layer.feature.properties;
                        if (props && props.id === focus) {
                            var at = layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter();
                            layer.fire("click", {latlng: at}, true);
                        }
                    });
                }
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, token: str, focus: str | None):
        super().__init__()
        self._name = "ViewKeeper"
        self.token = token
        self.focus = focus
        self.bad_view_text = "地址中的地图位置无法识别，已忽略 / Ignored an unreadable map position in the link"
