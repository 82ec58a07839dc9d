"""The register page in a real headless Chromium: a clicked row opens the map zoomed to its feature."""

from __future__ import annotations

from geo.sources.mapdata import load_map_data
from tests.browser import TIMEOUT_MS, map_frame, outside_requests

GRID = '[data-testid="stDataFrame"]'
HEADER_PX, ROW_PX = 35, 35  # st.dataframe's header and row heights


def map_state(page) -> dict:
    """Zoom, centre and open card of the map, once the map page shows a card."""
    frame = map_frame(page, ".pm-popup")
    return frame.evaluate(
        "({zoom: planMap.getZoom(), lat: planMap.getCenter().lat, lon: planMap.getCenter().lng,"
        " card: document.querySelector('.pm-popup').innerText})"
    )


def test_clicking_a_register_row_zooms_the_map_to_the_feature(page, app_url):
    feature_id = "hq-station-hengqin-hsr"
    lon, lat = load_map_data().by_id[feature_id]["geometry"]["coordinates"]
    page.goto(f"{app_url}/register?basemap=none")
    page.wait_for_selector(GRID, timeout=TIMEOUT_MS)
    page.get_by_label("搜索名称").fill("横琴高铁站")
    page.keyboard.press("Enter")
    page.get_by_text("1 个项目，其中 1 个有标记").wait_for(timeout=TIMEOUT_MS)
    page.wait_for_timeout(500)  # the grid repaints its one row
    box = page.locator(GRID).bounding_box()
    page.mouse.click(box["x"] + 16, box["y"] + HEADER_PX + ROW_PX / 2)  # the first row's selection box

    state = map_state(page)
    assert state["zoom"] >= 14
    assert abs(state["lat"] - lat) < 0.01 and abs(state["lon"] - lon) < 0.01
    assert "加快建设横琴高铁站综合交通枢纽" in state["card"]
    assert f"feature={feature_id}" in page.url and "basemap=none" in page.url
    assert outside_requests(page) == []


def test_a_register_link_selects_the_row_and_shows_each_plans_words(page, app_url):
    page.goto(f"{app_url}/register?select=hq-rail-zhuhai-zhaoqing-hsr")
    page.wait_for_selector(GRID, timeout=TIMEOUT_MS)
    page.get_by_text("已选项目").wait_for(timeout=TIMEOUT_MS)
    for words in ("珠海经江门至肇庆", "珠海至肇庆高铁建设", "珠肇高铁"):
        assert page.get_by_text(words).count() >= 1
    assert page.locator('[data-testid="stException"]').count() == 0


def test_the_register_quotes_a_plans_other_passages_about_the_feature(page, app_url):
    page.goto(f"{app_url}/register?select=hq-core-big-hengqin-mountain")
    page.wait_for_selector(GRID, timeout=TIMEOUT_MS)
    page.get_by_text("已选项目").wait_for(timeout=TIMEOUT_MS)
    assert page.get_by_text("同一规划另见：第二章 第二节 构建生态安全格局").count() >= 1
    assert page.get_by_text("大横琴山划定严格保护区、生态保育区和科普游憩区").count() >= 1
    assert page.locator('[data-testid="stException"]').count() == 0
