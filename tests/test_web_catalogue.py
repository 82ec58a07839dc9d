"""The catalogue file the browser map reads, and the state object each rerun sends it."""

from __future__ import annotations

import json
import os

import pytest

from geo.query.selection import Selection
from geo.sources.mapdata import MapData, load_map_data
from geo.style.basemaps import basemap
from geo.web.catalogue_file import IMMUTABLE_MTIME, browser_catalogue, card_texts, write_catalogue
from geo.web.publish import publish, static_url
from geo.web.state import DEFAULT_BOUNDS, MapView, map_state


@pytest.fixture(scope="module")
def data() -> MapData:
    return load_map_data()


def port(catalogue: dict) -> list[float]:
    return next(f["geometry"]["coordinates"] for f in catalogue["features"] if f["properties"]["id"] == "hq-port-hengqin")


def test_the_catalogue_holds_every_feature_and_the_cards_every_quote(data):
    catalogue = browser_catalogue(data)
    assert len(catalogue["features"]) == len(data.features) > 435
    cards = card_texts(data)
    for feature in data.features:
        props = feature["properties"]
        card = cards[props["id"]]
        assert [m["quote"] for m in card["mentions"]] == [m["quote"] for m in props["mentions"]]
        assert [m.get("also", []) for m in card["mentions"]] == [m.get("also", []) for m in props["mentions"]]
        assert card["geometry_basis_zh"] and card["existence_zh"]
    assert [p["id"] for p in catalogue["plans"]] == list(data.plan_order)
    assert {"zh", "en"} <= set(catalogue["text"]["legend"])


def test_a_first_open_reads_no_card_text(data, tmp_path):
    """The map file carries what the selection and the drawing read; quotes wait in the cards file."""
    path = tmp_path / write_catalogue(data, tmp_path)
    catalogue = json.loads(path.read_text(encoding="utf-8"))
    cards_file = path.parent / catalogue["cards"]
    assert catalogue["cards"].startswith("cards-") and cards_file.is_file()
    quote = data.by_id["hq-port-hengqin"]["properties"]["mentions"][0]["quote"]
    assert quote not in path.read_text(encoding="utf-8") and quote in cards_file.read_text(encoding="utf-8")
    mention = catalogue["features"][0]["properties"]["mentions"][0]
    assert {"plan", "phase", "status"} <= set(mention) <= {"plan", "phase", "phase_basis", "status"}
    assert path.stat().st_size < 0.75 * (path.stat().st_size + cards_file.stat().st_size)
    # both coordinate systems name the same cards file: a switch to AMap tiles fetches no card text again
    amap = json.loads((tmp_path / write_catalogue(data, tmp_path, gcj02=True)).read_text(encoding="utf-8"))
    assert amap["cards"] == catalogue["cards"]


def test_the_file_name_follows_the_content_and_is_cacheable(data, tmp_path):
    first = write_catalogue(data, tmp_path)
    assert write_catalogue(data, tmp_path) == first  # same content, same name
    path = tmp_path / first
    assert os.stat(path).st_mtime == IMMUTABLE_MTIME
    assert json.loads(path.read_text(encoding="utf-8"))["crs"] == "WGS84"
    builds = [write_catalogue(MapData(data.catalog, data.features[:-n], data.views), tmp_path) for n in (1, 2, 3)]
    assert len({first, *builds}) == 4 and (tmp_path / builds[-1]).is_file()
    # A replica not yet restarted after a data update still serves the previous builds' files; older ones go.
    kept = sorted(f"catalog/{f.name}" for f in (tmp_path / "catalog").glob("wgs84-*.json"))
    assert kept == sorted(builds) and not path.exists()


def test_the_amap_catalogue_is_shifted_to_gcj02(data):
    (x0, y0), (x1, y1) = port(browser_catalogue(data)), port(browser_catalogue(data, gcj02=True))
    assert (x0, y0) == pytest.approx((113.545, 22.14), abs=1e-5)
    assert 0.004 < x1 - x0 < 0.006 and -0.004 < y1 - y0 < -0.002  # ~500 m: GCJ-02's offset near Zhuhai


def test_a_rerun_sends_a_small_state_not_the_map(data, tmp_path):
    files = publish(data, "", tmp_path)
    state = map_state(
        static_url=static_url(""),
        catalogue_path=files.catalogue(False),
        assets=files.assets,
        selection=Selection.everything(data),
        lang="zh",
        theme="structure",
        basemap=basemap("none"),
        tiles=(),
        view=MapView(DEFAULT_BOUNDS, "0"),
        present=False,
        title="",
        source_note="资料来源：…",
    )
    assert len(json.dumps(state, ensure_ascii=False).encode()) < 4_000
    assert state["catalogue"].startswith("/app/static/catalog/wgs84-")
    assert all(url.startswith("/app/static/vendor/") for url in state["assets"]["js"])
    assert (tmp_path / files.catalogue(True)).is_file() and (tmp_path / "vendor").is_dir()
    assert static_url("/maps/") == "/maps/app/static/"
