"""Measure the app against a naive baseline, in one run, in a real headless Chromium.

For each of app.py and bench/naive_app.py (same map, but no caching, full geometry and a Python rerun on
every pan): time from starting the server to the first painted map, time from a plan-filter change to the
repainted map, bytes the server sends for that rerun, and bytes sent after a pan. Medians of --runs.

    python bench/app_speed.py [--runs 3] [--view prw-metro]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser import CHROMIUM_ARGS, chromium_executable, running_app  # noqa: E402

FRAME = 'iframe[title="streamlit_folium.st_folium"]'
PAINTED = "window.map_div && document.querySelectorAll('.leaflet-interactive').length > 0"
COUNT = "(() => { let n = 0; map_div.eachLayer(l => { if (l.feature) n++; }); return n; })()"


def map_frame(page, timeout_s: float = 120):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            element = page.query_selector(FRAME)
            frame = element.content_frame() if element else None
            if frame and frame.evaluate(PAINTED):
                return frame
        except Exception:  # replaced while looking: try again
            pass
        time.sleep(0.05)
    raise TimeoutError("the map never painted")


def drawn(page) -> int:
    return map_frame(page).evaluate(COUNT)


def measure(script: Path, view: str, browser) -> dict[str, float]:
    started = time.monotonic()
    with running_app(script=script) as url:
        page = browser.new_context(viewport={"width": 1500, "height": 950}).new_page()
        received: list[int] = []
        page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(len(payload))))
        page.goto(f"{url}/?basemap=none&view={view}")
        map_frame(page)
        first_paint = time.monotonic() - started
        before = drawn(page)
        received.clear()
        clicked = time.monotonic()
        page.get_by_role("button", name="Remove 珠江口西岸都市圈发展规划（2023）").click()
        while True:
            try:
                if drawn(page) != before:
                    break
            except Exception:
                pass
            time.sleep(0.05)
        repaint = time.monotonic() - clicked
        page.wait_for_timeout(1000)
        filter_bytes = sum(received)
        received.clear()
        map_frame(page).evaluate("map_div.panBy([200, 120], {animate: false})")
        page.wait_for_timeout(3000)
        pan_bytes = sum(received)
        page.context.close()
    return {"first_paint_s": first_paint, "filter_repaint_s": repaint, "filter_bytes": filter_bytes, "pan_bytes": pan_bytes}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--view", default="prw-metro", help="named view the page opens at (hengqin, qinao, prw-metro, gba)")
    args = parser.parse_args()
    apps = {"app.py": ROOT / "app.py", "naive baseline": ROOT / "bench" / "naive_app.py"}
    results: dict[str, list[dict[str, float]]] = {name: [] for name in apps}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        for _ in range(args.runs):
            for name, script in apps.items():  # interleaved, so both see the same machine load
                results[name].append(measure(script, args.view, browser))
        browser.close()
    medians = {name: {k: statistics.median(r[k] for r in runs) for k in runs[0]} for name, runs in results.items()}
    app, naive = medians["app.py"], medians["naive baseline"]
    print(f"view {args.view}, {args.runs} runs each, medians\n")
    print("| measure | app.py | naive baseline | app / naive |")
    print("| --- | --- | --- | --- |")
    rows = [
        ("server start to first painted map", "first_paint_s", "{:.2f} s"),
        ("plan filter change to repainted map", "filter_repaint_s", "{:.2f} s"),
        ("bytes sent for the filter-change rerun", "filter_bytes", "{:,.0f}"),
        ("bytes sent after a pan", "pan_bytes", "{:,.0f}"),
    ]
    for label, key, fmt in rows:
        ratio = app[key] / naive[key] if naive[key] else float("nan")
        print(f"| {label} | {fmt.format(app[key])} | {fmt.format(naive[key])} | {ratio:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
