"""True positions: every located site lies within its stated accuracy of the independent source it names
(tests/reference_sites.yaml), no station, airport or border crossing claims 500 m or better without one,
and every corridor enters each city its quote names (admin boundaries, not a buffer)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from shapely.geometry import Point

from tests.geodesy import distance_m
from tests.test_regional_geography import NAMED_PLACES, city

REFERENCE = yaml.safe_load((Path(__file__).parent / "reference_sites.yaml").read_text(encoding="utf-8"))["sites"]
LOCATED_KINDS = {"station", "airport", "border_crossing"}


@pytest.mark.parametrize("feature_id", sorted(REFERENCE))
def test_a_located_site_lies_within_its_accuracy_of_the_source_it_names(feature_id, geom, built_features):
    site = REFERENCE[feature_id]
    props = built_features[feature_id]["properties"]
    offset = distance_m(geom(feature_id), Point(*site["lonlat"]))
    assert offset <= props["accuracy_m"], f"{feature_id} is {offset:.0f} m from {site['source']}"
    assert site["cite"] in props["geometry_basis_en"], f"{feature_id}: geometry_basis_en does not name {site['cite']}"


def test_no_site_claims_500_m_or_better_without_a_named_source(built_features):
    unsourced = [
        fid
        for fid, f in built_features.items()
        if f["properties"]["kind"] in LOCATED_KINDS and f["properties"]["accuracy_m"] <= 500 and fid not in REFERENCE
    ]
    assert not unsourced, unsourced


def test_zhongshan_north_station_is_where_its_article_puts_it(geom):
    assert distance_m(geom("rg-station-zhongshan-north"), Point(113.3829, 22.5574)) < 100


@pytest.mark.parametrize("feature_id", sorted(f for f in NAMED_PLACES if f.startswith("rg-corridor")))
def test_every_corridor_enters_each_city_its_quote_names(feature_id, geom, built_features):
    quote = " ".join(m["quote"] for m in built_features[feature_id]["properties"]["mentions"])
    named = [place for place in NAMED_PLACES[feature_id] if place in quote]
    assert named
    for place in named:
        assert geom(feature_id).intersects(city(place)), f"{feature_id} does not enter {place}"


def test_the_coastal_corridor_runs_past_yangjiang_on_towards_zhanjiang_and_maoming(geom):
    corridor = geom("rg-corridor-coastal")
    assert corridor.intersects(city("阳江")) and corridor.bounds[0] <= 111.0  # to the frame's west edge
