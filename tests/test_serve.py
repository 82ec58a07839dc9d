"""python -m geo.serve: an OGC API – Features service of the catalogue, with the app's filters."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import replace

import pytest
from pyproj import Transformer

from geo.query.selection import Selection, select
from geo.sources.mapdata import load_map_data

PORT_ID, PORT_LON, PORT_LAT = "hq-port-hengqin", 113.545, 22.14


def get(base: str, path: str, **params: str) -> tuple[dict, dict]:
    query = urllib.parse.urlencode({"f": "json", **params})
    with urllib.request.urlopen(f"{base}{path}?{query}", timeout=60) as response:
        return json.loads(response.read()), dict(response.headers)


@pytest.fixture(scope="module")
def data():
    return load_map_data()


def test_collections_are_the_layers_and_everything(served, data):
    body, _ = get(served, "/collections")
    assert {c["id"] for c in body["collections"]} == set(data.layers) | {"features"}


def test_items_page_with_limit_and_offset(served, data):
    everything = len(data.features)
    first, _ = get(served, "/collections/features/items", limit="100")
    second, _ = get(served, "/collections/features/items", limit="100", offset="100")
    assert first["numberMatched"] == everything and first["numberReturned"] == 100
    assert any(link["rel"] == "next" for link in first["links"])
    assert not {f["id"] for f in first["features"]} & {f["id"] for f in second["features"]}


def test_plan_and_phase_filter_as_the_app_does(served, data):
    body, _ = get(served, "/collections/features/items", plan="hq-master", phase="近期", limit="1000")
    selection = replace(Selection.everything(data), plans=frozenset({"hq-master"}), phases=frozenset({"近期"}))
    expected = select(data, selection)
    assert [f["id"] for f in body["features"]] == [s.id for s in expected]
    assert [f["properties"]["status"] for f in body["features"]] == [s.mention["status"] for s in expected]
    layer, _ = get(served, "/collections/hq-transport/items", plan="hq-master,prw-metro", status="existing")
    assert layer["features"] and {f["properties"]["layer"] for f in layer["features"]} == {"hq-transport"}


def test_an_unknown_filter_value_is_a_bad_request(served):
    with pytest.raises(urllib.error.HTTPError) as error:
        get(served, "/collections/features/items", phase="someday")
    assert error.value.code == 400


def test_the_crs_parameter_reprojects_in_the_crs_axis_order(served):
    crs = "http://www.opengis.net/def/crs/EPSG/0/4547"
    body, headers = get(served, f"/collections/hq-transport/items/{PORT_ID}", crs=crs)
    assert headers["Content-Crs"] == f"<{crs}>"
    northing, easting = Transformer.from_crs("EPSG:4326", "EPSG:4547").transform(PORT_LAT, PORT_LON)
    x, y = body["geometry"]["coordinates"]
    assert abs(x - northing) < 1 and abs(y - easting) < 1  # EPSG:4547 is northing, easting
    plain, _ = get(served, f"/collections/hq-transport/items/{PORT_ID}")
    assert plain["geometry"]["coordinates"] == [PORT_LON, PORT_LAT]
