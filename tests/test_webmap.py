"""The browser map, checked on its rendered HTML: escaping, legend, offline assets, GCJ-02 shift."""

from __future__ import annotations

import copy
import re
from dataclasses import replace

import pytest

from geo.basemaps import basemap
from geo.legend import legend_html
from geo.mapdata import MapData, load_map_data
from geo.offline import localize
from geo.selection import Selection, select
from geo.styles import resolve_style
from geo.webmap import DEFAULT_BOUNDS, MapRequest, build_map

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def data() -> MapData:
    return load_map_data()


def render(data: MapData, selection: Selection, basemap_id: str = "none", lang: str = "zh", tmp_static=None) -> str:
    """The page's HTML with JSON's \\uXXXX escapes decoded, so assertions read as the browser will."""
    shown = select(data, selection)
    request = MapRequest(tuple(s.id for s in shown), lang, basemap_id, DEFAULT_BOUNDS, "0")
    m = build_map(data, shown, request, basemap(basemap_id))
    if tmp_static is not None:
        localize(m, static_dir=tmp_static)
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda u: chr(int(u.group(1), 16)), m.get_root().render())


def test_hostile_values_from_data_reach_the_page_as_text(data):
    feature = copy.deepcopy(data.by_id["hq-port-hengqin"])
    feature["properties"].update(name_zh=HOSTILE, name_en=HOSTILE, geometry_basis=HOSTILE)
    feature["properties"]["mentions"][0]["quote"] = HOSTILE
    hostile = replace(data, features=(feature,))
    html = render(hostile, Selection.everything(data))
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert HOSTILE not in html


def test_legend_lists_only_the_layers_and_statuses_on_the_map(data):
    one_layer = replace(Selection.everything(data), layers=frozenset({"hq-transport"}), statuses=frozenset({"planned"}))
    html = render(data, one_layer)
    legend = re.search(r'pm-legend-title.*?";', html)
    assert legend and "横琴交通" in legend.group(0)
    for other in ("横琴生态格局", "横琴产业空间", "横琴基础地理"):
        assert other not in legend.group(0)
    assert "规划" in legend.group(0) and "在建" not in legend.group(0)


def test_legend_draws_status_line_patterns():
    style = resolve_style({"color": "#c0392b"}, None, "planned")
    html = legend_html([("横琴交通", style, {"line"})], [("existing", None), ("planned", "7 6"), ("study", "2 6")], "zh")
    assert html.count("stroke-dasharray") == 2 and 'stroke-dasharray="7 6"' in html


def test_status_sets_the_line_pattern():
    assert resolve_style({}, None, "existing").dash is None
    assert resolve_style({}, None, "planned").dash != resolve_style({}, None, "study").dash
    assert resolve_style({}, {"dash": "4 4"}, "existing").dash == "4 4"


def test_offline_map_loads_nothing_from_outside(data, tmp_path):
    html = render(data, Selection.everything(data), "none", tmp_static=tmp_path)
    urls = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', html)
    assert urls and all(u.startswith("/app/static/vendor/") for u in urls), urls
    assert "L.tileLayer(" not in html
    for url in urls:
        assert (tmp_path / "vendor" / url.rsplit("/", 1)[1]).stat().st_size > 0


def test_none_basemap_draws_the_boundaries_from_the_data(data):
    without_base = replace(Selection.everything(data), layers=frozenset({"hq-transport"}))
    html = render(data, without_base, "none")
    context = re.search(r'"coordinates": \[\[\[113\.5[^"]*"type": "Polygon"\}, "id": "\d+", "properties": \{\}', html)
    assert context, "the island outline should be drawn, without properties, as a background"


def port_coordinates(data: MapData, basemap_id: str) -> tuple[float, float]:
    """Where the map draws 横琴口岸, read from the GeoJSON the map sends to the browser."""
    only = replace(Selection.everything(data), layers=frozenset({"hq-transport"}))
    shown = select(data, only)
    m = build_map(data, shown, MapRequest(tuple(s.id for s in shown), "zh", basemap_id, DEFAULT_BOUNDS, "0"), basemap(basemap_id))
    for child in m._children.values():
        for feature in getattr(child, "data", {}).get("features", []):
            if feature["properties"].get("id") == "hq-port-hengqin":
                return tuple(feature["geometry"]["coordinates"])
    raise AssertionError("横琴口岸 is not on the map")


def test_amap_basemap_shifts_the_data_to_gcj02(data):
    (x0, y0), (x1, y1) = port_coordinates(data, "osm"), port_coordinates(data, "amap")
    assert (x0, y0) == pytest.approx((113.545, 22.14), abs=1e-5)
    assert 0.004 < x1 - x0 < 0.006 and -0.004 < y1 - y0 < -0.002  # ~500 m: GCJ-02's offset near Zhuhai
