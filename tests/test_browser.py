"""The app in a real headless Chromium: painting, filters, search, popups, shared links, offline.

Pages may call nothing but the local server: every test records the requests the page makes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser import (
    MAP_FRAME,
    TIMEOUT_MS,
    click_feature,
    drawn_ids,
    map_frame,
    map_view,
    open_map,
    outside_requests,
    redrawn_ids,
    running_app,
)

ARTIFACTS = Path(__file__).parent / "artifacts"


def test_map_paints_the_features_offline_and_calls_nothing_outside(page, app_url):
    frame = open_map(page, f"{app_url}/?basemap=none&theme=all")
    assert len(drawn_ids(frame)) > 100
    frame.wait_for_timeout(1500)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map-none-basemap.png"))
    assert outside_requests(page) == []
    assert any("/app/static/vendor/" in u and u.endswith("leaflet.js") for u in page.requested)


def test_plan_filter_changes_the_drawn_features(page, app_url):
    frame = open_map(page, f"{app_url}/?basemap=none&theme=all")
    before = drawn_ids(frame)
    # Remove every plan but 产业发展规划 (hq-industry) from the plan filter, as a planner would.
    for title in ("广东省委", "横琴粤澳深度合作区总体发展规划", "珠江口西岸都市圈"):
        page.get_by_role("button", name=re.compile(f"^Remove {title}")).click()
        page.wait_for_timeout(500)
    after = redrawn_ids(page, lambda ids: 0 < len(ids) < len(before))
    assert after < before
    assert "hq-park-gmtcm" in after and "hq-interface-tianmu-centre" not in after  # an hq-master-only feature
    assert "plan=hq-industry" in page.url


def test_search_zooms_to_the_feature_and_opens_its_quote(page, app_url):
    frame = open_map(page, f"{app_url}/?basemap=none")
    zoom_before = map_view(frame)[0]
    page.get_by_label("搜索名称").fill("横琴口岸")
    page.keyboard.press("Enter")
    combo = page.get_by_role("combobox", name="选择要定位的要素")
    combo.click()
    page.keyboard.press("ArrowDown")
    page.get_by_role("option", name="横琴口岸 · Hengqin Port").click()
    frame = map_frame(page, ".pm-popup")
    popup = frame.inner_text(".pm-popup")
    assert "推进横琴口岸“常旅客”计划有序实施" in popup  # the plan's words, verbatim
    assert "第六章 第一节" in popup
    zoom, lat, lon = map_view(frame)
    assert zoom > zoom_before and abs(lat - 22.140) < 0.01 and abs(lon - 113.545) < 0.01
    assert "feature=hq-port-hengqin" in page.url


def test_clicking_a_feature_shows_each_plans_words(page, app_url):
    frame = open_map(page, f"{app_url}/?basemap=none&layer=hq-structure&plan=hq-master")
    click_feature(frame, "hq-zone-vibrant-core")
    frame.wait_for_selector(".pm-popup", timeout=TIMEOUT_MS)
    popup = frame.inner_text(".pm-popup")
    assert "琴澳活力核心区重点打造数字经济、高端服务、国际商贸、现代金融等四大组团" in popup
    assert "规划" in popup and "远期" in popup and "几何来源" in popup


def test_the_card_says_whether_it_is_in_place_and_since_when(page, app_url):
    """新中山港客运码头: not built at prw-metro's date (2023), in place since it opened in November 2024."""
    open_map(page, f"{app_url}/?basemap=none&feature=rg-terminal-zhongshan-new-passenger")
    frame = map_frame(page, ".pm-popup")
    popup = frame.inner_text(".pm-popup")
    assert "建成情况：现状（2024-11起）；2024年11月28日启用" in popup
    assert "未建成 · 在建（据《珠西都市圈规划》，2023-10）" in popup  # at the plan's date: being built
    open_map(page, f"{app_url}/?basemap=none&feature=rg-road-zhongkai-expressway")  # partly open in 2023, whole in 2024
    frame = map_frame(page, ".pm-popup")
    assert "建成情况：现状（2024-06起全部建成）" in frame.inner_text(".pm-popup")


def test_the_card_quotes_every_passage_of_a_plan_about_the_feature(page, app_url):
    """hq-master speaks of 大横琴山 twice in 第二章 第二节: the card quotes both, the second under 同一规划另见."""
    open_map(page, f"{app_url}/?basemap=none&feature=hq-core-big-hengqin-mountain")
    frame = map_frame(page, ".pm-popup")
    popup = frame.inner_text(".pm-popup")
    assert "维育“双核”。大小横琴山实施分区分级保护" in popup
    assert "同一规划另见：第二章 第二节 构建生态安全格局" in popup
    assert "大横琴山划定严格保护区、生态保育区和科普游憩区" in popup


def test_a_card_taller_than_the_map_scrolls_inside_it(page, app_url):
    """港珠澳大桥's card quotes four plans and a dozen passages: it scrolls within the map, not past its foot."""
    open_map(page, f"{app_url}/?basemap=none&feature=rg-bridge-hong-kong-zhuhai-macao")
    frame = map_frame(page, ".pm-popup")
    measure = """() => {
        const content = document.querySelector('.leaflet-popup-content');
        const map = document.querySelector('.leaflet-container').getBoundingClientRect();
        const card = document.querySelector('.leaflet-popup-content-wrapper').getBoundingClientRect();
        return {scrolls: content.scrollHeight > content.clientHeight, top: card.top >= map.top - 1,
                foot: card.bottom <= map.bottom + 1};
    }"""
    # the map pans the card into view with an animation: measure once it has settled (a loaded CI machine is slow)
    frame.wait_for_function(f"(() => {{ const b = ({measure})(); return b.top && b.foot; }})()", timeout=TIMEOUT_MS)
    assert frame.evaluate(measure) == {"scrolls": True, "top": True, "foot": True}


def test_a_copied_link_reopens_the_same_view(browser, page, app_url):
    frame = open_map(page, f"{app_url}/?basemap=none&plan=hq-master&lang=en")
    frame.evaluate("planMap.setView([22.1300, 113.5400], 15, {animate: false})")
    page.wait_for_function("location.hash.indexOf('map=15/22.13') >= 0", timeout=TIMEOUT_MS)
    link = page.url
    assert "plan=hq-master" in link and "lang=en" in link and "#map=15/22.13" in link
    other = browser.new_context(viewport={"width": 1300, "height": 900}).new_page()
    frame2 = open_map(other, link)
    zoom, lat, lon = map_view(frame2)
    assert zoom == 15 and abs(lat - 22.13) < 1e-3 and abs(lon - 113.54) < 1e-3
    assert drawn_ids(frame2) == drawn_ids(frame)
    assert other.get_by_text("Showing").count() >= 1  # English interface kept
    other.context.close()


def test_bad_link_values_show_a_notice_not_an_error_page(page, app_url):
    open_map(page, f"{app_url}/?basemap=none&plan=nonsense&view=%3Cscript%3E")
    page.get_by_text("链接中有无法识别的参数").wait_for(timeout=TIMEOUT_MS)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "nonsense" not in page.url  # the link is cleaned


def test_an_unreadable_map_position_is_ignored_with_a_notice(page, app_url):
    open_map(page, f"{app_url}/?basemap=none#map=99/0/0")
    frame = map_frame(page, ".pm-notice")
    assert "已忽略" in frame.inner_text(".pm-notice")
    assert map_view(frame)[0] < 19


def test_presentation_mode_hides_the_chrome_and_shows_title_legend_scale_and_source(page, app_url):
    title = "横琴全岛 <b>规划</b>"
    frame = open_map(page, f"{app_url}/?basemap=none&view=hengqin&present=1&title={title}")
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    frame = map_frame(page, ".pm-title-band:not([hidden])")
    assert frame.inner_text(".pm-title-band .pm-title") == title  # shown as text, not markup
    assert frame.locator(".pm-legend-title").inner_text() == "图例"
    assert frame.locator(".leaflet-control-scale").is_visible()
    assert "mi" not in frame.inner_text(".leaflet-control-scale")  # metric only
    assert frame.locator(".pm-north-control svg").is_visible()
    assert frame.inner_text(".pm-source").startswith("资料来源：《")
    assert "示意图" in frame.inner_text(".pm-source") and "（2023-12）" in frame.inner_text(".pm-source")  # plans dated
    page.wait_for_timeout(1000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "presentation-hengqin.png"))
    assert "present=1" in page.url


@pytest.mark.parametrize("size", [(1920, 1080), (1440, 900)])
def test_presentation_mode_is_a_slide_that_fills_the_screen(browser, app_url, size):
    width, height = size
    page = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN").new_page()
    frame = open_map(page, f"{app_url}/?basemap=none&view=hengqin&present=1&title=横琴")
    map_frame(page, ".pm-title-band:not([hidden])")
    page.wait_for_timeout(500)
    box = page.locator(MAP_FRAME).bounding_box()
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, width, height)
    assert page.evaluate("document.scrollingElement.scrollHeight") <= height  # nothing below the slide
    assert frame.locator(".leaflet-control-zoom").count() == 0
    assert page.get_by_role("button").filter(visible=True).count() == 0  # no buttons on the slide
    page.screenshot(path=str(ARTIFACTS / f"presentation-{width}x{height}.png"))
    page.keyboard.press("Escape")  # leaves the mode: the sidebar comes back
    page.locator('[data-testid="stSidebar"]').wait_for(state="visible", timeout=TIMEOUT_MS)
    assert "present=1" not in page.url
    page.context.close()


def test_embed_shows_the_map_alone_filling_the_frame(browser, app_url):
    page = browser.new_context(viewport={"width": 900, "height": 600}, locale="zh-CN").new_page()
    frame = open_map(page, f"{app_url}/?embed=1&view=hengqin&basemap=none")
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    box = page.locator(MAP_FRAME).bounding_box()
    assert (box["width"], box["height"]) == (900, 600)
    assert frame.locator(".leaflet-control-zoom").count() == 1  # a portal's users still pan and zoom
    assert frame.locator(".pm-title-band:not([hidden])").count() == 0
    assert "embed=1" in page.url
    page.context.close()


@pytest.mark.parametrize(
    ("lang", "names", "title"),
    [
        ("zh", ["地图", "项目登记表"], "横琴与珠西规划图"),
        ("en", ["Map", "Project register"], "Hengqin & Pearl River West Bank plan map"),
    ],
)
def test_pages_and_tab_are_named_in_the_readers_language_and_nothing_is_missing(page, app_url, lang, names, title):
    failed: list[str] = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    open_map(page, f"{app_url}/?basemap=none&lang={lang}")
    nav = page.locator('[data-testid="stSidebarNav"]')
    for name in names:
        nav.get_by_text(name, exact=True).wait_for(timeout=TIMEOUT_MS)
    page.wait_for_function(f"document.title === {title!r}", timeout=TIMEOUT_MS)
    page.goto(f"{app_url}/register?basemap=none&lang={lang}")
    page.locator('[data-testid="stDataFrame"]').wait_for(timeout=TIMEOUT_MS)
    # No 404 on either page (e.g. the mini map's icon). Streamlit's client probes /register/_stcore/… to find
    # its server's base path before it tries the root: its own discovery, not a missing file.
    assert [url for url in failed if "/_stcore/" not in url] == []


def test_a_fresh_servers_first_link_to_the_register_lists_the_pages_by_name(page):
    """The first visit a new server gets may be a link straight to the register (a bookmark): its page list is the
    app's, in the reader's language, not Streamlit's file names (navigation, map, register)."""
    with running_app() as url:
        page.goto(f"{url}/register?lang=zh")
        page.locator('[data-testid="stDataFrame"]').wait_for(timeout=TIMEOUT_MS)
        nav = page.locator('[data-testid="stSidebarNav"]')
        nav.get_by_text("项目登记表", exact=True).wait_for(timeout=TIMEOUT_MS)
        assert [name for name in nav.inner_text().split("\n") if name.strip()] == ["地图", "项目登记表"]


def test_an_emptied_filter_asks_in_the_readers_language(page, app_url):
    open_map(page, f"{app_url}/?basemap=none&view=hengqin")
    phases = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').nth(1)
    phases.get_by_role("button", name=re.compile("^Clear all")).click()
    # Streamlit's own placeholder is "Choose options"
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stSidebar] [data-testid=stMultiSelect] input')]"
        ".some(i => i.placeholder === '请选择')",
        timeout=TIMEOUT_MS,
    )
