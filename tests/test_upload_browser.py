"""Users' own files in a real headless Chromium: shown as text, never run; a 20,000-polygon file stays usable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.ui.markdown import WORD_JOINER
from tests.browser import TIMEOUT_MS, click_feature, map_frame, open_map, redrawn_ids

HOSTILE = "<img src=x onerror=alert(1)>"
UPLOAD_INPUT = '[data-testid="stFileUploaderDropzoneInput"]'


def upload(page, name: str, content: bytes) -> None:
    page.locator(UPLOAD_INPUT).set_input_files(files=[{"name": name, "mimeType": "application/octet-stream", "buffer": content}])


def user_ids(ids: set[str]) -> set[str]:
    return {i for i in ids if i.startswith("user-")}


def test_hostile_values_in_an_upload_show_as_text_and_run_nothing(page, app_url):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_map(page, f"{app_url}/?basemap=none&view=hengqin&layer=hq-structure")
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": HOSTILE, "备注": "<script>alert(2)</script>"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[113.50, 22.10], [113.52, 22.10], [113.52, 22.12], [113.50, 22.10]]],
                },
            }
        ],
    }
    upload(page, "<b>evil</b>.geojson", json.dumps(collection, ensure_ascii=False).encode())
    redrawn_ids(page, lambda ids: len(user_ids(ids)) == 1)
    frame = map_frame(page, "#map")
    click_feature(frame, "user-0-0", at=(22.105, 113.515))  # inside the triangle
    frame.wait_for_selector(".pm-popup", timeout=TIMEOUT_MS)
    popup = frame.inner_text(".pm-popup")
    assert HOSTILE in popup and "<script>alert(2)</script>" in popup
    assert "<b>evil</b>.geojson" in frame.inner_text(".pm-legend-control")
    assert frame.locator(".pm-popup img").count() == 0 and frame.locator(".pm-legend-control b").count() == 0
    page.wait_for_timeout(1000)
    assert dialogs == []


def test_a_bad_file_gives_one_message_and_the_plan_layers_stay(page, app_url):
    frame = open_map(page, f"{app_url}/?basemap=none&view=hengqin&layer=hq-structure")
    before = redrawn_ids(page, lambda ids: len(ids) > 0)
    upload(page, "broken.geojson", b'{"type": "FeatureCollection", "features": [')
    alert = page.locator('[data-testid="stAlert"]').filter(has_text="broken.geojson")
    alert.first.wait_for(state="attached", timeout=TIMEOUT_MS)
    assert alert.count() == 1
    assert page.locator('[data-testid="stException"]').count() == 0
    assert redrawn_ids(page, lambda ids: len(ids) > 0) == before
    assert frame is not None


@pytest.mark.parametrize("count", [20_000])
def test_a_large_overlay_uploads_and_the_map_stays_interactive(page, app_url, count):
    open_map(page, f"{app_url}/?basemap=none&view=hengqin&layer=hq-structure")
    side = 0.0006
    features = [
        {
            "type": "Feature",
            "properties": {"n": str(i)},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [113.44 + (i % 200) * side, 22.07 + (i // 200) * side],
                        [113.44 + (i % 200) * side + side * 0.8, 22.07 + (i // 200) * side],
                        [113.44 + (i % 200) * side + side * 0.8, 22.07 + (i // 200) * side + side * 0.8],
                        [113.44 + (i % 200) * side, 22.07 + (i // 200) * side + side * 0.8],
                        [113.44 + (i % 200) * side, 22.07 + (i // 200) * side],
                    ]
                ],
            },
        }
        for i in range(count)
    ]
    upload(page, "parcels.geojson", json.dumps({"type": "FeatureCollection", "features": features}).encode())
    redrawn_ids(page, lambda ids: len(user_ids(ids)) == count)
    frame = map_frame(page, "#map")
    started = frame.evaluate("Date.now()")
    frame.evaluate("new Promise(done => { planMap.once('zoomend', done); planMap.zoomIn(1, {animate: false}); })")
    assert frame.evaluate("Date.now()") - started < 10_000  # still answers a zoom within seconds


def test_a_file_name_with_markup_shows_as_written_in_the_message(page, app_url):
    # Streamlit's messages are Markdown: $…$ would be maths, :smile: an emoji, :material/home: an icon.
    page.goto(f"{app_url}/?basemap=none&view=hengqin&layer=hq-structure")
    page.wait_for_selector(UPLOAD_INPUT, state="attached", timeout=TIMEOUT_MS)
    name = "$x^2$ *b* :smile: :material/home: www.a.b.geojson"
    upload(page, name, (Path(__file__).parent / "upload_cases" / "image.geojson").read_bytes())
    alert = page.locator('[data-testid="stAlert"]').filter(has_text="PNG")
    alert.first.wait_for(state="attached", timeout=TIMEOUT_MS)
    shown = alert.first.inner_text().replace(WORD_JOINER, "")
    assert shown.startswith(f"{name}：文件内容不是 GeoJSON 格式（看起来是一张 PNG 图片）")
    assert alert.first.locator(".katex, a, em, [role=img]").count() == 0


@pytest.mark.parametrize(
    ("lang", "button", "hint"), [("zh", "上传", "每个文件不超过 50 MB"), ("en", "Upload", "Up to 50 MB per file")]
)
def test_the_uploader_speaks_the_readers_language_and_states_the_limit_a_file_is_read_to(page, app_url, lang, button, hint):
    """Streamlit writes its uploader's button and hint in English, with its own 200 MB: what a reader sees is
    replaced by the page's language and the 50 MB a file is read up to (geo.upload.limits)."""
    open_map(page, f"{app_url}/?basemap=none&lang={lang}")
    page.locator('[data-testid="stSidebar"] summary').filter(has_text="上传文件" if lang == "zh" else "upload files").click()
    shown = page.locator('[data-testid="stFileUploaderDropzone"]').evaluate(
        """zone => [zone.querySelector('button [data-testid="stMarkdownContainer"] p'),
                    zone.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] span')]
            .map(e => [getComputedStyle(e).fontSize, getComputedStyle(e, '::after').content])"""
    )
    assert shown == [["0px", f'"{button}"'], ["0px", f'"{hint}"']]
