"""True positions: every located site lies within its stated accuracy of the independent source it names
(tests/reference_sites.yaml); every station, airport, border crossing, port, pier or terminal that is built
today is listed there, sourced to 500 m or better or marked unsourced with an honest accuracy; built bridges
land where their sources put them or say they are unsourced; built railways redrawn through OpenStreetMap's
station nodes pass each of them; and every corridor enters each city its quote names (admin boundaries, not a
buffer)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from shapely.geometry import Point

from tests.geodesy import distance_m
from tests.test_regional_geography import NAMED_PLACES, city

REFERENCE = yaml.safe_load((Path(__file__).parent / "reference_sites.yaml").read_text(encoding="utf-8"))
SITES = REFERENCE["sites"]
LANDINGS = REFERENCE["landings"]
UNSOURCED = REFERENCE["unsourced"]
LINE_STATIONS = REFERENCE["line_stations"]
SITE_KINDS = {"station", "airport", "border_crossing", "port", "terminal"}
CROSSING_KINDS = {"bridge", "tunnel"}
SOURCED_M = 500
ON_LINE_M = 300  # a station node the line was drawn through; the node marks the station, not the track


def built_today(props: dict) -> bool:
    """In place now: existing or partly built at its latest plan's date, or opened after it (exists_from)."""
    return props["exists"] in ("existing", "partial") or "exists_from" in props


def built(built_features, kinds, geometry_type=None) -> list[str]:
    return sorted(
        fid
        for fid, f in built_features.items()
        if f["properties"]["kind"] in kinds
        and built_today(f["properties"])
        and (geometry_type is None or f["geometry"]["type"] == geometry_type)
    )


@pytest.mark.parametrize("feature_id", sorted(SITES))
def test_a_located_site_lies_within_its_accuracy_of_the_source_it_names(feature_id, geom, built_features):
    site = SITES[feature_id]
    props = built_features[feature_id]["properties"]
    offset = distance_m(geom(feature_id), Point(*site["lonlat"]))
    assert offset <= props["accuracy_m"], f"{feature_id} is {offset:.0f} m from {site['source']}"
    assert site["cite"] in props["geometry_basis_en"], f"{feature_id}: geometry_basis_en does not name {site['cite']}"
    assert "(read)" in site["source"], f"{feature_id}: the source must have been read, not recalled"


def test_no_site_claims_500_m_or_better_without_a_named_source(built_features):
    unsourced = [
        fid
        for fid, f in built_features.items()
        if f["properties"]["kind"] in SITE_KINDS and f["properties"]["accuracy_m"] <= SOURCED_M and fid not in SITES
    ]
    assert not unsourced, unsourced


def test_every_built_site_is_sourced_to_500_m_or_listed_as_unsourced(built_features):
    """A site that exists today is either sourced (within 500 m) or says honestly that it is not."""
    for fid in built(built_features, SITE_KINDS, "Point"):
        accuracy = built_features[fid]["properties"]["accuracy_m"]
        if fid in SITES:
            assert accuracy <= SOURCED_M, f"{fid} is sourced but claims only {accuracy} m"
        else:
            assert fid in UNSOURCED, f"{fid} is built today but neither sourced nor listed as unsourced"


def test_unsourced_sites_and_crossings_claim_no_more_than_they_have(built_features):
    for fid, reason in UNSOURCED.items():
        props = built_features[fid]["properties"]
        assert reason and built_today(props), fid
        assert props["accuracy_m"] > SOURCED_M, f"{fid} is unsourced but claims {props['accuracy_m']} m"
        assert fid not in SITES and fid not in LANDINGS, fid


def test_the_sourced_stations_airports_and_crossings_are_the_ones_moved_to_their_sources(geom):
    """The positions corrected against their sources stay where the sources put them."""
    for fid, metres in {
        "rg-station-zhongshan-north": 100,
        "rg-border-liantang-heung-yuen-wai": 100,
        "rg-border-wenjindu": 100,
        "rg-airport-ga-heshan": 100,
        "rg-terminal-cruise-taiziwan": 100,
    }.items():
        assert distance_m(geom(fid), Point(*SITES[fid]["lonlat"])) < metres, fid


def test_every_built_crossing_lands_at_its_sources_or_says_it_is_unsourced(built_features):
    for fid in built(built_features, CROSSING_KINDS):
        assert fid in LANDINGS or fid in UNSOURCED, f"{fid} is built but has neither sourced landings nor a reason"


def test_a_built_crossing_ends_within_500_m_of_its_landings(built_features):
    """Both ends of each listed crossing's line lie within 500 m of its two sourced landings."""
    for feature_id, listed in LANDINGS.items():
        coords = built_features[feature_id]["geometry"]["coordinates"]
        landings = [Point(*landing["lonlat"]) for landing in listed]
        assert len(landings) == 2 and all("(read)" in landing["source"] for landing in listed), feature_id
        for end in (Point(*coords[0]), Point(*coords[-1])):
            nearest = min(distance_m(end, landing) for landing in landings)
            assert nearest <= SOURCED_M, f"{feature_id}: an end is {nearest:.0f} m from its nearest sourced landing"


@pytest.mark.parametrize("feature_id", sorted(LINE_STATIONS["lines"]))
def test_a_railway_drawn_through_station_nodes_passes_each_of_them(feature_id, geom, built_features):
    line = geom(feature_id)
    assert "OMap-GeoDB" in built_features[feature_id]["properties"]["geometry_basis_en"], feature_id
    for station in LINE_STATIONS["lines"][feature_id]:
        gap = distance_m(Point(*station["lonlat"]), line)
        assert gap <= ON_LINE_M, f"{feature_id} passes {station['name']} at {gap:.0f} m ({LINE_STATIONS['source']})"


def test_the_reference_sites_lie_in_the_city_their_feature_names():
    """A plausibility check of the sources' coordinates against the admin boundaries."""
    for fid, place in {
        "rg-station-zhongshan-north": "中山",
        "rg-station-zhuhai": "珠海",
        "rg-airport-zhuhai": "珠海",
        "rg-airport-macao": "澳门",
        "rg-airport-hong-kong": "香港",
        "rg-airport-shenzhen": "深圳",
        "rg-airport-guangzhou-baiyun": "广州",
        "rg-airport-ga-heshan": "阳江",
        "hq-port-hengqin": "珠海",
        "rg-terminal-cruise-taiziwan": "深圳",
    }.items():
        assert city(place).contains(Point(*SITES[fid]["lonlat"])), f"{fid} is not in {place}"


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
