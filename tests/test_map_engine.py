"""The browser-side map engine in a real headless Chromium: one map kept across reruns, the selection rule
applied in the browser, popups built from data as text, the catalogue fetched once, links that win."""

from __future__ import annotations

import json
import re

import pytest

from geo.query.selection import select
from geo.sources.mapdata import load_map_data
from geo.style.basemaps import DEFAULT_BASEMAP
from geo.style.symbols import GEOMETRY_FAMILY, classify, themed_style
from geo.style.themes import get_theme
from geo.ui.urlstate import parse_query
from tests.browser import TIMEOUT_MS, click_feature, drawn_ids, map_view, open_map, outside_requests, renders

HOSTILE = "<img src=x onerror=alert(1)>"
CATALOGUE = re.compile(r"/app/static/catalog/(wgs84|cards)-[0-9a-f]+\.json$")
CARDS = re.compile(r"/app/static/catalog/cards-[0-9a-f]+\.json$")
DRAWN_STYLES = """(() => {
  const out = {};
  planMap.eachLayer(l => { if (l.feature && l.feature.properties.id && l.options.color) {
    out[l.feature.properties.id] = [l.options.color, l.options.dashArray || null, l.options.weight]; } });
  return out; })()"""


@pytest.fixture(scope="module")
def data():
    return load_map_data()


def themed(data, shown, theme, scale: str) -> dict:
    """The selected features the theme draws at this scale, with their symbols (geo.style.symbols)."""
    out = {}
    for item in shown:
        props = item.feature["properties"]
        family = GEOMETRY_FAMILY[item.feature["geometry"]["type"]]
        symbol = themed_style(theme, props, item.mention["status"], family, scale)
        if symbol is not None or (theme.id == "all" and classify(props, family) is None):
            out[item.id] = symbol  # 全部要素 also draws, in grey, what no symbol class takes (None here)
    return out


def remove_plan(page, title: str) -> None:
    page.get_by_role("button", name=re.compile(f"^Remove {title}")).click()


def test_a_filter_change_restyles_the_same_map_in_place(page, app_url):
    sent: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: sent.append(len(payload))))
    frame = open_map(page, f"{app_url}/?basemap=none&view=prw-metro")
    frame.evaluate("planMap.pmKept = 'the same map'")
    before, drawn = renders(frame), int(frame.evaluate("document.body.dataset.drawn"))
    page.wait_for_timeout(1000)
    sent.clear()
    remove_plan(page, "珠江口西岸都市圈")
    frame.wait_for_function(f"+document.body.dataset.renders > {before}", timeout=TIMEOUT_MS)
    assert frame.evaluate("planMap.pmKept") == "the same map"  # not re-created
    assert int(frame.evaluate("document.body.dataset.drawn")) < drawn
    page.wait_for_timeout(1000)
    assert sum(sent) < 50_000  # the new state only: no features, quotes or geometry


@pytest.mark.parametrize(
    "query",
    [
        "theme=all&plan=hq-industry",
        "theme=transport&phase=近期&status=planned,under_construction",
        "theme=all&plan=prw-metro&layer=region-rail,region-roads,hq-transport",
        "theme=all&plan=hq-master,hq-industry&status=study,reserve",
    ],
)
def test_the_browser_draws_what_the_selection_rule_selects(page, app_url, data, query):
    frame = open_map(page, f"{app_url}/?basemap=none&{query}")
    params = dict(pair.split("=", 1) for pair in query.split("&"))
    theme = get_theme(params["theme"])
    shown = themed(data, select(data, parse_query(params, data, (DEFAULT_BASEMAP,)).selection), theme, "local")
    assert set(drawn_ids(frame)) == set(shown)
    styles = frame.evaluate(DRAWN_STYLES)
    for feature_id, symbol in shown.items():  # drawn with the status of the most recent matching plan's mention
        if symbol is not None and symbol.family != "point":
            assert styles[feature_id] == [symbol.color, symbol.dash, symbol.weight], feature_id


def test_data_values_reach_the_card_and_legend_as_text(page, app_url):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    def hostile_catalogue(route):
        catalogue = json.loads(route.fetch().text())
        if CARDS.search(route.request.url):  # the card text, fetched when the card opens
            card = catalogue["hq-port-hengqin"]
            card.update(geometry_basis_zh=HOSTILE, note_zh=HOSTILE, aliases=[{"name": HOSTILE, "plan": HOSTILE}])
            card["mentions"][0].update(quote=HOSTILE, section=HOSTILE, state_zh=HOSTILE)
        else:
            for feature in catalogue["features"]:
                if feature["properties"]["id"] == "hq-port-hengqin":
                    feature["properties"].update(name_zh=HOSTILE, name_en=HOSTILE)
            for symbol in catalogue["symbols"]["classes"].values():
                symbol["zh"] = HOSTILE
        route.fulfill(body=json.dumps(catalogue, ensure_ascii=False), content_type="application/json")

    page.route(CATALOGUE, hostile_catalogue)
    frame = open_map(page, f"{app_url}/?basemap=none&layer=hq-transport&theme=transport")
    click_feature(frame, "hq-port-hengqin")
    frame.wait_for_selector(".pm-popup", timeout=TIMEOUT_MS)
    assert frame.inner_text(".pm-popup h4") == HOSTILE
    assert frame.inner_text(".pm-quote") == HOSTILE
    assert HOSTILE in frame.inner_text(".pm-note") and HOSTILE in frame.inner_text(".pm-aliases")
    assert HOSTILE in frame.inner_text(".pm-legend-control")
    assert frame.locator(".pm-popup img, .pm-legend-control img, .pm-label img").count() == 0
    page.wait_for_timeout(500)
    assert dialogs == []


def test_the_catalogue_is_fetched_once_and_then_comes_from_the_browser_cache(page, app_url):
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    catalogue_requests: dict[str, str] = {}
    network_bytes: dict[str, int] = {}
    cdp.on(
        "Network.requestWillBeSent",
        lambda e: (
            catalogue_requests.__setitem__(e["requestId"], e["request"]["url"]) if CATALOGUE.search(e["request"]["url"]) else None
        ),
    )
    cdp.on("Network.loadingFinished", lambda e: network_bytes.__setitem__(e["requestId"], e["encodedDataLength"]))
    cdp.on("Network.requestServedFromCache", lambda e: network_bytes.__setitem__(e["requestId"], 0))
    frame = open_map(page, f"{app_url}/?basemap=none&layer=hq-transport&theme=transport")
    first = sum(network_bytes.get(r, 0) for r in catalogue_requests)
    assert first > 50_000  # the whole catalogue, once
    assert not any(CARDS.search(url) for url in catalogue_requests.values())  # no card text until a card opens
    for _ in range(2):  # the first card fetches the cards file, the second reads it from memory
        click_feature(frame, "hq-port-hengqin")
        frame.wait_for_selector(".pm-popup .pm-quote", timeout=TIMEOUT_MS)
        frame.evaluate("planMap.closePopup()")
        frame.wait_for_selector(".leaflet-popup", state="detached", timeout=TIMEOUT_MS)
    assert sum(bool(CARDS.search(url)) for url in catalogue_requests.values()) == 1
    catalogue_requests.clear()
    open_map(page, f"{app_url}/?basemap=none&view=gba")  # reopening the app in the same browser
    assert sum(network_bytes.get(r, 0) for r in catalogue_requests) < 1_000  # nothing but headers, if anything
    assert outside_requests(page) == []


def test_a_links_view_wins_over_what_the_tab_showed_before(page, app_url, data):
    frame = open_map(page, f"{app_url}/?basemap=none&view=hengqin")
    hengqin_zoom = map_view(frame)[0]
    frame = open_map(page, f"{app_url}/?basemap=none&view=gba")
    (south, west), (north, east) = data.view("gba").bounds
    zoom, lat, lon = map_view(frame)
    assert zoom < hengqin_zoom
    assert south < lat < north and west < lon < east


def test_the_amap_basemap_draws_the_layers_shifted_to_gcj02(page, app_url):
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"), lambda route: route.abort())  # no tiles from outside
    frame = open_map(page, f"{app_url}/?basemap=amap&layer=hq-transport&theme=transport")
    lon, lat = frame.evaluate(
        "(() => { let at = null; planMap.eachLayer(l => { if (l.feature && l.feature.properties.id === 'hq-port-hengqin')"
        " at = [l.getLatLng().lng, l.getLatLng().lat]; }); return at; })()"
    )
    assert 0.004 < lon - 113.545 < 0.006 and -0.004 < lat - 22.14 < -0.002  # GCJ-02's offset, for these tiles only


def test_a_click_lists_every_feature_under_it(page, app_url):
    frame = open_map(page, f"{app_url}/?basemap=none&view=hengqin&theme=all")
    frame.evaluate("planMap.setView([22.14, 113.545], 15, {animate: false})")  # 横琴口岸
    box = page.locator('iframe[title*="plan_map"]').bounding_box()
    point = frame.evaluate("(() => { const p = planMap.latLngToContainerPoint([22.14, 113.545]); return [p.x, p.y]; })()")
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])  # a real click at the port
    frame.wait_for_selector(".pm-identify", timeout=TIMEOUT_MS)
    names = frame.locator(".pm-identify li a").all_inner_texts()
    assert len(names) >= 3 and "横琴口岸" in names
    assert names[0] == "横琴口岸"  # the point first, then the lines and areas around it, from every layer
    assert "澳门轻轨延伸横琴线" in names and "琴澳活力核心区" in names
    frame.locator(".pm-identify a", has_text="横琴口岸").first.click()
    frame.wait_for_selector(".pm-popup", timeout=TIMEOUT_MS)
    assert "推进横琴口岸“常旅客”计划有序实施" in frame.inner_text(".pm-popup")


def test_the_layer_panel_hides_fades_and_orders_layers_and_keeps_them_in_the_link(browser, page, app_url):
    frame = open_map(page, f"{app_url}/?basemap=none&view=hengqin&theme=all")
    assert "hq-port-hengqin" in drawn_ids(frame)
    frame.locator(".pm-panel-title").click()
    row = frame.locator('.pm-panel-row[data-layer="hq-transport"]')
    row.locator(".pm-panel-on").uncheck()
    assert "hq-port-hengqin" not in drawn_ids(frame)
    row.locator(".pm-panel-opacity").fill("40")
    frame.locator('.pm-panel-row[data-layer="hq-structure"] .pm-panel-up').click()
    assert frame.evaluate("planMap.getPane('pm-layer-hq-transport').style.opacity") == "0.4"
    assert int(frame.evaluate("planMap.getPane('pm-layer-hq-structure').style.zIndex")) > int(
        frame.evaluate("planMap.getPane('pm-layer-hq-ecology').style.zIndex")  # one step up: above 横琴生态格局
    )
    page.wait_for_function("location.search.indexOf('opacity=hq-transport') >= 0", timeout=TIMEOUT_MS)
    link = page.url
    assert "layers=" in link and "hq-transport," not in link.split("layers=")[1].split("&")[0] + ","
    other = browser.new_context(viewport={"width": 1300, "height": 900}).new_page()
    frame2 = open_map(other, link)
    assert "hq-port-hengqin" not in drawn_ids(frame2) and "hq-zone-vibrant-core" in drawn_ids(frame2)
    assert frame2.evaluate("planMap.getPane('pm-layer-hq-transport').style.opacity") == "0.4"
    other.context.close()


def test_the_phase_timeline_steps_through_the_phases_cumulatively(page, app_url, data):
    from dataclasses import replace

    from geo.query.selection import Selection

    frame = open_map(page, f"{app_url}/?basemap=none&view=hengqin&theme=all")
    frame.locator(".pm-timeline-start").click()
    phases = [p["id"] for p in data.catalog["phases"]]
    assert frame.locator(".pm-timeline-step").get_attribute("max") == str(len(phases) - 1)
    counts = []
    for step in range(len(phases)):
        frame.locator(".pm-timeline-step").fill(str(step))
        frame.wait_for_function(f"document.body.dataset.timelineStep === '{step}'", timeout=TIMEOUT_MS)
        everything_by_then = replace(Selection.everything(data), phases=frozenset(phases[: step + 1]))
        expected = themed(data, select(data, everything_by_then), get_theme("all"), "local")
        assert int(frame.evaluate("document.body.dataset.drawn")) == len(expected), phases[step]
        assert phases[step] in frame.inner_text(".pm-timeline-label")
        counts.append(len(expected))
    everything = themed(data, select(data, Selection.everything(data)), get_theme("all"), "local")
    assert counts == sorted(counts) and counts[-1] == len(everything)  # each step adds, the last shows all
    frame.locator(".pm-timeline-close").click()
    frame.wait_for_function("document.body.dataset.timelineStep === ''", timeout=TIMEOUT_MS)


def test_the_html_map_opens_from_disk_with_no_request_at_all(browser, data, tmp_path):
    from geo.export.api import export_selection
    from geo.query.selection import Selection

    path = tmp_path / "map.html"
    selection = parse_query({"plan": "hq-industry"}, data, (DEFAULT_BASEMAP,)).selection
    bundle = export_selection(data, selection, "html", "EPSG:4326", path)
    page = browser.new_context(viewport={"width": 1300, "height": 850}).new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(path.as_uri())
    page.wait_for_function("+document.body.dataset.drawn > 0", timeout=TIMEOUT_MS)
    assert int(page.evaluate("document.body.dataset.drawn")) == len(bundle.shown) < len(data.features)
    assert requested == [path.as_uri()]  # the file itself, nothing else
    click_feature(page.main_frame, "hq-park-gmtcm")
    page.wait_for_selector(".pm-popup", timeout=TIMEOUT_MS)
    assert "横琴粤澳深度合作区产业发展规划" in page.inner_text(".pm-popup")
    quote = data.by_id["hq-park-gmtcm"]["properties"]["mentions"][0]["quote"]
    assert quote in page.inner_text(".pm-popup .pm-quote")  # the card text travels inline in the file
    assert page.locator(".pm-register").count() == 0  # no server to open the register
    assert selection != Selection.everything(data)
    page.context.close()


def test_statistics_of_a_drawn_area_equal_a_geopandas_computation(page, app_url, data):
    from shapely.geometry import Polygon

    from geo.query.statistics import area_statistics

    frame = open_map(page, f"{app_url}/?basemap=none&view=hengqin&plan=hq-master")
    box = page.locator('iframe[title*="plan_map"]').bounding_box()
    corners = [(300, 200), (620, 210), (640, 480), (320, 470)]  # container pixels: the draw tool's clicks
    lonlats = [
        frame.evaluate(f"(() => {{ const l = planMap.containerPointToLatLng([{x}, {y}]); return [l.lng, l.lat]; }})()")
        for x, y in corners
    ]
    frame.locator(".pm-ask-draw").click()
    for x, y in corners[:-1]:
        page.mouse.click(box["x"] + x, box["y"] + y)
    page.mouse.dblclick(box["x"] + corners[-1][0], box["y"] + corners[-1][1])
    table = page.locator('[data-testid="stTable"]')
    table.wait_for(timeout=TIMEOUT_MS)
    page.get_by_text("所画范围").wait_for(timeout=TIMEOUT_MS)
    rows = [[cell.strip() for cell in row.locator("th, td").all_inner_texts()] for row in table.locator("tbody tr").all()]
    km = [[float(cell.replace(",", "")) for cell in r[-2:]] for r in rows]  # shown as 1,154.22
    shown_rows = {(r[-5], r[-4]): (int(r[-3]), *k) for r, k in zip(rows, km, strict=True)}
    selection = parse_query({"plan": "hq-master"}, data, (DEFAULT_BASEMAP,)).selection
    expected = area_statistics(data, selection, select(data, selection), Polygon(lonlats), "zh")
    assert len(shown_rows) == len(expected) > 4
    for row in expected.itertuples(index=False):
        count, length, area = shown_rows[(row.dimension, row.value)]
        assert count == row.features
        assert length == pytest.approx(row.length_km, abs=0.02) and area == pytest.approx(row.area_km2, abs=0.02)
    page.get_by_role("button", name="下载统计表（CSV）").wait_for(timeout=TIMEOUT_MS)


def test_the_map_image_follows_the_current_pan_in_the_theme_on_screen(page, app_url):
    frame = open_map(page, f"{app_url}/?basemap=none&view=hengqin&theme=transport")
    frame.evaluate("planMap.setView([22.20, 113.40], 13, {animate: false})")  # panned away from the view
    south, west, north, east = frame.evaluate(
        "(() => { const b = planMap.getBounds(); return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]; })()"
    )
    frame.locator(".pm-ask-print").click()
    page.get_by_text("当前视图的地图图片").wait_for(timeout=TIMEOUT_MS)
    page.locator('[data-testid="stImage"] img').first.wait_for(timeout=TIMEOUT_MS)
    assert page.get_by_text(f"综合交通 · {south:.4f}–{north:.4f}°N, {west:.4f}–{east:.4f}°E").count() == 1
    page.get_by_role("button", name="下载图片（PNG，16:9）").wait_for(timeout=TIMEOUT_MS)  # drawn just after the image


def test_the_card_says_what_exists_what_the_plan_does_and_where_the_phase_comes_from(page, app_url):
    frame = open_map(page, f"{app_url}/?basemap=none&feature=rg-airport-guangzhou-baiyun")
    frame.wait_for_selector(".pm-popup", timeout=TIMEOUT_MS)
    card = frame.inner_text(".pm-popup")
    assert "现状 · 在建改扩建（据《大湾区实施意见》，2019-07）" in card  # it exists; gba-gd's words of 2019 extend it
    assert "近期（据措辞规则推定）" in card


def test_only_phases_the_plans_state(page, app_url, data):
    from dataclasses import replace

    from geo.query.selection import Selection

    frame = open_map(page, f"{app_url}/?basemap=none&theme=all&stated=1")
    stated = replace(Selection.everything(data), stated_phases_only=True)
    expected = themed(data, select(data, stated), get_theme("all"), "local")
    assert drawn_ids(frame) == set(expected) and 0 < len(expected) < 20


def test_the_measure_tool_gives_kilometres_in_the_readers_language(page, app_url):
    frame = open_map(page, f"{app_url}/?basemap=none&view=hengqin")
    box = page.locator('iframe[title*="plan_map"]').bounding_box()
    (x0, y0), (x1, y1) = (300, 300), (600, 320)
    km = frame.evaluate(
        f"planMap.distance(planMap.containerPointToLatLng([{x0}, {y0}]), planMap.containerPointToLatLng([{x1}, {y1}])) / 1000"
    )
    frame.locator(".pm-ask-measure").click()
    page.mouse.click(box["x"] + x0, box["y"] + y0)
    page.mouse.dblclick(box["x"] + x1, box["y"] + y1)
    readout = frame.locator(".pm-measure").last.inner_text()
    assert readout == (f"长度 {km:.2f} 公里" if km < 10 else f"长度 {km:.1f} 公里")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_map_controls_speak_the_readers_language(page, app_url, lang):
    import re as regex

    frame = open_map(page, f"{app_url}/?basemap=none&lang={lang}")
    words = frame.evaluate(
        "Array.from(document.querySelectorAll('.leaflet-control [title], .leaflet-control [aria-label], .leaflet-control button,"
        " .leaflet-control summary')).map(n => n.getAttribute('title') || n.getAttribute('aria-label') || n.innerText)"
    )
    words = [w.strip() for w in words if w and w.strip() and not regex.fullmatch(r"[▲▼✎Σ✕▶❚\\s]+", w.strip())]
    assert words
    has_cjk = [bool(regex.search(r"[\u4e00-\u9fff]", w)) for w in words]
    if lang == "zh":
        assert all(has_cjk), [w for w, c in zip(words, has_cjk, strict=True) if not c]
    else:
        assert not any(has_cjk), [w for w, c in zip(words, has_cjk, strict=True) if c]
    assert "Unavailable" not in frame.inner_text(".leaflet-control-container")


def test_compare_shows_two_synced_maps_each_with_its_selection_and_label(page, app_url, data):
    from geo.query.compare import parse_comparison

    page.goto(f"{app_url}/?basemap=none&view=hengqin&theme=all&compare=phase:近期,远期")
    frames = []
    for index in range(2):
        handle = page.locator('iframe[title*="plan_map"]').nth(index)
        handle.wait_for(timeout=TIMEOUT_MS)
        frame = handle.element_handle().content_frame()
        frame.wait_for_function("+document.body.dataset.drawn > 0", timeout=TIMEOUT_MS)
        frames.append(frame)
    comparison = parse_comparison("phase:近期,远期", data)
    everything = parse_query({}, data, (DEFAULT_BASEMAP,)).selection
    for frame, value, label in zip(frames, ("近期", "远期"), ("左图：近期", "右图：远期"), strict=True):
        expected = themed(data, select(data, comparison.side(everything, value)), get_theme("all"), "local")
        assert drawn_ids(frame) == set(expected)
        assert frame.inner_text(".pm-side-label").startswith(label)
    frames[0].evaluate("planMap.setView([22.15, 113.52], 14, {animate: false})")
    frames[1].wait_for_function(
        "planMap.getZoom() === 14 && Math.abs(planMap.getCenter().lat - 22.15) < 1e-6", timeout=TIMEOUT_MS
    )
    assert "compare=phase" in page.url


@pytest.mark.parametrize("feature_id", ["hq-island", "hq-port-hengqin", "rg-rail-zhuxi-hsr", "hq-zone-vibrant-core"])
def test_each_card_is_in_the_readers_language(browser, app_url, feature_id):
    import re as regex

    cards = {}
    for lang in ("zh", "en"):
        page = browser.new_context(viewport={"width": 1300, "height": 900}).new_page()
        frame = open_map(page, f"{app_url}/?basemap=none&theme=all&lang={lang}&feature={feature_id}")
        frame.wait_for_selector(".pm-popup", timeout=TIMEOUT_MS)
        cards[lang] = {
            "basis": frame.inner_text(".pm-basis"),
            "states": frame.locator(".pm-status").all_inner_texts(),
        }
        page.context.close()
    assert not regex.search(r"[A-Za-z]{3,} [A-Za-z]{2,} [A-Za-z]{3,}", cards["zh"]["basis"])  # no English sentence
    assert not regex.search(r"[，。；：]", cards["en"]["basis"])  # no Chinese sentence (Chinese names may stay)
    assert all("（据《" in s for s in cards["zh"]["states"]) and all(
        regex.search(r"\(\S+, \d{4}", s) for s in cards["en"]["states"]
    )


def test_the_legend_folds_and_line_names_run_along_their_lines(page, app_url):
    frame = open_map(page, f"{app_url}/?basemap=none&view=hengqin")
    legend = frame.locator(".pm-legend")
    assert legend.evaluate("d => d.open") and frame.locator(".pm-legend-row").first.is_visible()
    frame.locator(".pm-legend-title").click()
    assert not legend.evaluate("d => d.open") and not frame.locator(".pm-legend-row").first.is_visible()
    axis = frame.locator(".pm-label", has_text="琴澳一河两岸合作轴带")  # runs north-south along 十字门水道
    angle = float(re.search(r"rotate\((-?[\d.]+)deg\)", axis.get_attribute("style")).group(1))
    assert 80 <= abs(angle) <= 90  # along the line, upright
