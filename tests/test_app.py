"""The Streamlit app with AppTest: filter combinations give the expected counts; bad links give notices."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from geo.paths import ROOT
from geo.sources.mapdata import load_map_data

DATA = load_map_data()
TOTAL = len(DATA.features)


def count_of(features) -> int:
    return len(list(features))


def run_app(**query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "navigation.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def shown_count(at: AppTest) -> int:
    for md in at.sidebar.markdown:
        found = re.search(r"当前显示 (\d+) 个要素|Showing (\d+) of", md.value)
        if found:
            return int(found.group(1) or found.group(2))
    raise AssertionError("no feature count in the sidebar")


def test_default_shows_everything():
    assert shown_count(run_app()) == TOTAL


def test_plan_filter_from_the_sidebar_changes_the_count():
    at = run_app()
    at.multiselect(key="plans").set_value(["hq-industry"]).run()
    expected = count_of(f for f in DATA.features if "hq-industry" in f["properties"]["plans"])
    assert shown_count(at) == expected < TOTAL
    assert at.query_params["plan"] in ("hq-industry", ["hq-industry"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"plan": "hq-master", "phase": "近期"}, lambda ms: any(m["plan"] == "hq-master" and m["phase"] == "近期" for m in ms)),
        ({"status": "reserve"}, lambda ms: any(m["status"] == "reserve" for m in ms)),
        (
            {"plan": "hq-industry", "status": "existing,under_construction"},
            lambda ms: any(m["plan"] == "hq-industry" and m["status"] in ("existing", "under_construction") for m in ms),
        ),
    ],
)
def test_filter_combinations_from_a_link(query, expected):
    want = count_of(f for f in DATA.features if expected(f["properties"]["mentions"]))
    assert shown_count(run_app(**query)) == want


def test_layer_filter_from_a_link():
    assert shown_count(run_app(layer="hq-base")) == next(
        layer["count"] for layer in DATA.catalog["layers"] if layer["id"] == "hq-base"
    )


def test_bad_link_values_are_ignored_with_a_visible_notice():
    at = run_app(plan="hq-master,not-a-plan", basemap="google", lang="xx")
    warning = " ".join(w.value for w in at.sidebar.warning).replace("\\", "")  # shown as Markdown-escaped text
    assert "not-a-plan" in warning and "google" in warning and "xx" in warning
    assert shown_count(at) == count_of(f for f in DATA.features if "hq-master" in f["properties"]["plans"])


def test_reset_brings_back_everything():
    at = run_app(plan="hq-industry")
    next(b for b in at.sidebar.button if b.label in ("重置筛选", "Reset filters")).click().run()
    assert shown_count(at) == TOTAL


def test_english_interface():
    at = run_app(lang="en")
    assert any("Showing" in md.value for md in at.sidebar.markdown)
    assert [m.label for m in at.sidebar.multiselect] == ["Plans", "Phases", "Status", "Layers"]


def test_the_sidebar_makes_a_gis_file_of_the_current_selection():
    at = run_app(plan="hq-industry", layer="hq-industry")
    at.selectbox(key="export_fmt").set_value("geojson").run()
    at.button(key="export_make").click().run()
    assert not at.exception
    _, content, name, mime = at.session_state["gis_file"]
    assert name.endswith(".geojson") and mime == "application/geo+json"
    collection = json.loads(content)
    ids = {f["properties"]["id"] for f in collection["features"]}
    assert ids == {
        f["properties"]["id"]
        for f in DATA.features
        if f["properties"]["layer"] == "hq-industry" and "hq-industry" in f["properties"]["plans"]
    }


def test_the_sidebar_makes_a_gis_file_in_the_current_thematic_map_when_asked():
    from dataclasses import replace

    from geo.export.themed import themed
    from geo.query.selection import Selection, select
    from geo.style.themes import get_theme

    at = run_app(theme="transport", layer="region-ports-airports")
    at.selectbox(key="export_fmt").set_value("geojson").run()
    at.checkbox(key="export_themed").check().run()
    at.button(key="export_make").click().run()
    assert not at.exception
    features = json.loads(at.session_state["gis_file"][1])["features"]
    selection = replace(Selection.everything(DATA), layers=frozenset({"region-ports-airports"}))
    drawn = themed(DATA, select(DATA, selection), get_theme("transport"))
    expected = {item.id: item.feature["properties"]["style"] for item in drawn}
    assert {f["properties"]["id"] for f in features} == set(expected)
    airport = next(f["properties"] for f in features if f["properties"]["id"] == "rg-airport-zhuhai")
    assert airport["style"] == expected["rg-airport-zhuhai"] and airport["style"]["marker"] == "triangle"


def test_the_sidebar_makes_a_map_image_of_the_current_view():
    at = run_app(view="hengqin", layer="hq-structure")
    at.selectbox(key="image_fmt").set_value("svg").run()
    at.button(key="image_make").click().run()
    assert not at.exception
    _, content, name, _ = at.session_state["image_file"]
    title = "横琴粤澳深度合作区空间结构示意图"  # the default theme's figure title at this view
    assert name.endswith(".svg") and b"<svg" in content[:2000] and title.encode() in content
