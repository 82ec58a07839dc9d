"""Screenshots of the map's tools for the planners' guide, taken in a real headless Chromium.

    python docs/screenshots.py            # writes docs/tool-measure.png, tool-print-view.png, tool-html-map.png,
                                          # tool-english.png

The app is started on a free local port with the offline 无底图 basemap, as the browser tests do.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import Page, sync_playwright

from geo.export.api import export_selection
from geo.sources.mapdata import load_map_data
from geo.ui.urlstate import parse_query
from tests.browser import CHROMIUM_ARGS, TIMEOUT_MS, chromium_executable, click_feature, open_map, running_app

DOCS = Path(__file__).resolve().parent
VIEWPORT = {"width": 1400, "height": 900}


def measure(page: Page, url: str) -> None:
    frame = open_map(page, f"{url}/?basemap=none&view=hengqin&theme=structure")
    box = page.locator('iframe[title*="plan_map"]').bounding_box()
    frame.locator(".pm-ask-measure").click()
    for x, y in ((260, 420), (520, 300), (700, 470)):
        page.mouse.click(box["x"] + x, box["y"] + y)
    page.mouse.dblclick(box["x"] + 560, box["y"] + 600)
    frame.locator(".pm-measure").last.wait_for(timeout=TIMEOUT_MS)
    page.screenshot(path=DOCS / "tool-measure.png")


def print_view(page: Page, url: str) -> None:
    frame = open_map(page, f"{url}/?basemap=none&view=hengqin&theme=transport")
    frame.evaluate("planMap.setView([22.165, 113.535], 14, {animate: false})")
    frame.locator(".pm-ask-print").click()
    page.locator('[data-testid="stImage"] img').first.wait_for(timeout=TIMEOUT_MS)
    page.get_by_role("button", name="下载图片（PNG，16:9）").wait_for(timeout=TIMEOUT_MS)
    page.locator('[data-testid="stImage"]').first.scroll_into_view_if_needed()
    page.screenshot(path=DOCS / "tool-print-view.png")


def html_map(page: Page) -> None:
    data = load_map_data()
    selection = parse_query({"plan": "hq-master", "theme": "structure"}, data, ("none",)).selection
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "map.html"
        export_selection(data, selection, "html", "EPSG:4326", path)
        page.goto(path.as_uri())
        page.wait_for_function("+document.body.dataset.drawn > 0", timeout=TIMEOUT_MS)
        click_feature(page.main_frame, "hq-axis-qinao-river")
        page.wait_for_selector(".pm-popup", timeout=TIMEOUT_MS)
        page.wait_for_timeout(800)  # the popup fades in
        page.screenshot(path=DOCS / "tool-html-map.png")


def english(page: Page, url: str) -> None:
    frame = open_map(page, f"{url}/?basemap=none&view=hengqin&lang=en&feature=hq-port-hengqin")
    frame.wait_for_selector(".pm-popup", timeout=TIMEOUT_MS)
    page.wait_for_timeout(800)  # the popup fades in
    page.screenshot(path=DOCS / "tool-english.png")


def main() -> None:
    with running_app() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        for shoot in (lambda pg: measure(pg, url), lambda pg: print_view(pg, url), html_map, lambda pg: english(pg, url)):
            page = browser.new_context(viewport=VIEWPORT).new_page()
            shoot(page)
            page.context.close()
        browser.close()
    print("wrote", ", ".join(f"docs/tool-{n}.png" for n in ("measure", "print-view", "html-map", "english")))


if __name__ == "__main__":
    main()
