"""What the Hengqin plans state about places, checked on the committed layers."""

from __future__ import annotations

import itertools
import math

import pytest
from shapely.geometry import LineString, Point, Polygon

from geo.geography.admin import admin_boundary
from tests.geodesy import area_km2, distance_m, metres

ZONES = ("hq-zone-vibrant-core", "hq-zone-innovation-industry", "hq-zone-eco-leisure")


def bearing_deg(line: LineString) -> float:
    """Compass bearing of the straight line from a line's first to its last point, in degrees 0-180."""
    (x0, y0), (x1, y1) = line.coords[0], line.coords[-1]
    angle = math.degrees(math.atan2((x1 - x0) * math.cos(math.radians(y0)), y1 - y0))
    return angle % 180


def test_island_is_the_land_of_the_plans_106_km2_zone(geom):
    """前言: the zone is 约106平方公里 between the 一线 and 二线, tidal flats and channel waters included. The island's
    land (OpenStreetMap's coast) is about 90 km², and the plan's figure lies between it and what 香洲区's boundary
    encloses south of 马骝洲水道 (land and half the channels, about 116 km²)."""
    land = area_km2(geom("hq-island"))
    assert 85 < land < 95
    channel = list(geom("hq-water-maliuzhou-channel").coords)  # from 十字门 west to 磨刀门
    south_of_channel = Polygon([*channel, (113.40, channel[-1][1]), (113.40, 22.0), (113.60, 22.0), (113.60, channel[0][1])])
    within_district = area_km2(admin_boundary("district", "香洲区").intersection(south_of_channel))
    assert land < 106 < within_district


def test_island_lies_in_xiangzhou_and_the_university_enclave(geom):
    """Hengqin is part of 香洲区 except the 澳门大学 campus (Macao law): the outline stays on the Zhuhai side of the
    district line in 磨刀门, which runs mid-channel (the earlier hand-drawn coast crossed it by 480 m)."""
    xiangzhou = admin_boundary("district", "香洲区")
    parts = getattr(xiangzhou, "geoms", [xiangzhou])
    enclaves = [Polygon(ring) for part in parts for ring in part.interiors]
    assert len(enclaves) == 1, "the 澳门大学 campus is the one hole in 香洲区"
    outside = geom("hq-island").difference(xiangzhou.union(enclaves[0]))
    assert area_km2(outside) < 0.05


def test_what_the_plans_put_on_the_coast_follows_the_island_s_shore(geom):
    """The named coasts run on the shore; 一环 (环横琴岛生态屏障) rings the island just inside it; 环岛南路 keeps
    to the south coast, a few hundred metres inland; the west-coast wetlands touch 磨刀门's shore."""
    shore = metres(geom("hq-island")).exterior
    for coast in ("hq-coast-mangzhou-erjing-shenjing", "hq-coast-southern-beaches"):
        assert max(shore.distance(Point(c)) for c in metres(geom(coast)).coords) < 30, coast
    ring = metres(geom("hq-eco-ring"))
    assert ring.is_ring and max(shore.distance(Point(c)) for c in ring.coords) < 400
    assert Polygon(ring).area > 0.85 * metres(geom("hq-island")).area, "一环 goes round the island"
    road = metres(geom("hq-road-huandao-south"))
    assert all(150 < shore.distance(Point(c)) < 450 for c in road.coords)
    for wetland in ("hq-park-mangzhou-wetland", "hq-park-erjingwan-wetland"):
        assert metres(geom(wetland)).distance(shore) < 100, wetland


def test_three_areas_lie_on_the_island_cover_it_and_do_not_overlap(geom):
    island = geom("hq-island")
    zones = [geom(z) for z in ZONES]
    for zone_id, zone in zip(ZONES, zones, strict=True):
        assert island.buffer(1e-6).covers(zone), zone_id
    for (a_id, a), (b_id, b) in itertools.combinations(zip(ZONES, zones, strict=True), 2):
        assert area_km2(a.intersection(b)) < 0.001, f"{a_id} overlaps {b_id}"
    covered = sum(area_km2(z) for z in zones)
    assert covered == pytest.approx(area_km2(island), rel=0.001)


def test_each_master_plan_cluster_lies_in_the_area_whose_sentence_names_it(built_features, geom):
    """hq-master names the 组团 of each 片区 in one sentence; the cluster must lie inside that area."""
    zone_quotes = {z: built_features[z]["properties"]["mentions"][0]["quote"] for z in ZONES}
    clusters = [
        f for f in built_features.values() if f["properties"]["kind"] == "cluster" and f["properties"]["layer"] == "hq-structure"
    ]
    assert len(clusters) == 9  # 4 + 3 + 2 组团
    for cluster in clusters:
        short = cluster["properties"]["name_zh"].removesuffix("组团")
        homes = [z for z, quote in zone_quotes.items() if short in quote]
        assert len(homes) == 1, cluster["id"]
        assert geom(homes[0]).buffer(1e-6).covers(geom(cluster["id"])), f"{cluster['id']} outside {homes[0]}"


def test_each_industry_plan_cluster_lies_in_the_zone_whose_sentence_names_it(built_features, geom):
    """hq-industry 九（一） lists each 片区 with its 组团 in brackets; the cluster must lie inside that 片区."""
    zones = {
        fid: f["properties"]["mentions"][0]["quote"]
        for fid, f in built_features.items()
        if f["properties"]["kind"] == "industry_zone" and f["properties"]["layer"] == "hq-industry"
    }
    clusters = [
        fid
        for fid, f in built_features.items()
        if f["properties"]["kind"] == "cluster" and f["properties"]["layer"] == "hq-industry"
    ]
    assert len(zones) == 4 and len(clusters) == 11  # 四大片区十一个产业功能组团
    for cluster in clusters:
        name = built_features[cluster]["properties"]["name_zh"]
        homes = [z for z, quote in zones.items() if name in quote]
        assert len(homes) == 1, cluster
        assert geom(homes[0]).buffer(1e-6).covers(geom(cluster)), f"{cluster} outside {homes[0]}"


def test_the_macao_brand_industry_cluster_holds_its_parks_as_both_plans_place_them(geom):
    """hq-master's 澳门品牌工业组团 is where the Macao-brand parks stand (粤澳合作中医药科技产业园, 琴澳创新产业园, built
    "为澳门品牌工业提供生产空间"), as hq-industry's 中医药等澳门品牌工业片区; its 高端制造组团 is hq-industry's, on 天沐河西段."""
    brand, manufacturing = geom("hq-cluster-macao-brand-industry"), geom("hq-cluster-high-end-manufacturing")
    for park in ("hq-park-gmtcm", "hq-park-qinao-innovation"):
        assert brand.covers(geom(park)), park
    assert area_km2(brand.intersection(geom("hq-industry-zone-tcm-brand"))) > 0.9 * area_km2(geom("hq-industry-zone-tcm-brand"))
    advanced = geom("hq-industry-cluster-advanced-manufacturing")
    assert area_km2(manufacturing.intersection(advanced)) > 0.5 * area_km2(advanced)


def test_clusters_do_not_overlap(built_features, geom):
    clusters = [fid for fid, f in built_features.items() if f["properties"]["kind"] == "cluster"]
    by_layer = itertools.groupby(
        sorted(clusters, key=lambda c: built_features[c]["properties"]["layer"]),
        key=lambda c: built_features[c]["properties"]["layer"],
    )
    for _, ids in by_layer:
        for a, b in itertools.combinations(list(ids), 2):
            assert area_km2(geom(a).intersection(geom(b))) < 0.001, f"{a} overlaps {b}"


def test_tianmu_axis_runs_east_west_along_the_river_and_meets_shizimen(geom):
    axis, river, channel = geom("hq-axis-tianmu-river"), geom("hq-water-tianmu-river"), geom("hq-water-shizimen-channel")
    assert 70 < bearing_deg(axis) < 110, "the axis should run east-west"
    assert 70 < bearing_deg(river) < 110, "天沐河 should run east-west"
    assert max(distance_m(axis, p) for p in map(Point, river.coords)) < 100, "the axis leaves the river"
    assert distance_m(river, channel) < 100, "天沐河 should flow into 十字门水道"
    assert axis.intersects(channel), "the axis should cross 十字门水道 towards Macao"
    assert axis.intersects(geom("hq-macao")), "the axis should reach Macao"


def test_qinao_axis_runs_north_south_along_shizimen(geom):
    axis, channel = geom("hq-axis-qinao-river"), geom("hq-water-shizimen-channel")
    assert bearing_deg(axis) < 30 or bearing_deg(axis) > 150, "the axis should run north-south"
    # along the channel from 横琴码头 north (the channel itself runs on south of the pier)
    assert max(distance_m(channel, Point(c)) for c in axis.coords) < 300


def test_north_city_holds_small_hengqin_mountain_and_south_wilds_the_big_one(geom):
    north, south = geom("hq-form-north-city"), geom("hq-form-south-wild")
    small, big = geom("hq-core-small-hengqin-mountain"), geom("hq-core-big-hengqin-mountain")
    assert north.covers(small)
    assert area_km2(big.intersection(south)) / area_km2(big) > 0.95
    assert area_km2(north.intersection(south)) < 0.001


def test_interfaces_follow_the_waters_they_are_named_for(geom):
    waterfront = geom("hq-interface-maliuzhou-waterfront")
    assert max(distance_m(Point(c), geom("hq-water-maliuzhou-channel")) for c in waterfront.coords) < 600
    gateway = geom("hq-interface-shizimen-gateway")
    assert max(distance_m(Point(c), geom("hq-water-shizimen-channel")) for c in gateway.coords) < 600
    centre = geom("hq-interface-tianmu-centre")
    assert max(distance_m(Point(c), geom("hq-water-tianmu-river")) for c in centre.coords) < 100


def test_macao_bays_lie_in_macao_and_hengqin_bays_on_the_island(geom):
    for bay in ("mo-bay-cheoc-van", "mo-bay-hac-sa"):
        assert geom("hq-macao").covers(geom(bay)), bay
    for bay in ("hq-bay-hengqin", "hq-bay-dadong", "hq-bay-changlan"):
        assert geom("hq-island").covers(geom(bay)), bay


def test_hengqin_port_faces_macao_across_shizimen(geom):
    port, channel, macao = geom("hq-port-hengqin"), geom("hq-water-shizimen-channel"), geom("hq-macao")
    cotai = Point(geom("hq-rail-macao-lrt-hengqin").coords[0])  # the LRT's Macao end, at the Cotai frontier post
    assert geom("hq-island").covers(port)
    assert macao.covers(cotai) and not macao.covers(port)
    assert LineString([port, cotai]).intersects(channel), "十字门水道 should lie between the port and Macao"
    assert distance_m(port, channel) < 600


def test_qinao_axis_strings_together_the_places_it_names(geom):
    """沿十字门水道，串联横琴口岸、澳门大学、横琴码头、金融岛."""
    axis = geom("hq-axis-qinao-river")
    for place in ("hq-port-hengqin", "hq-campus-um", "hq-pier-hengqin", "hq-seq-financial-island"):
        assert distance_m(axis, geom(place)) < 600, place


def test_development_sequencing_areas_are_where_the_plan_says(geom):
    island = geom("hq-island").centroid
    river = geom("hq-water-tianmu-river")
    middle, west = geom("hq-seq-tianmu-middle"), geom("hq-seq-tianmu-west")
    assert middle.intersects(river) and west.intersects(river)
    assert west.centroid.x < middle.centroid.x, "天沐河西段 should lie west of the 中段"
    northwest = geom("hq-seq-northwest").centroid
    assert northwest.x < island.x and northwest.y > island.y, "横琴岛西北角 should be in the north-west"
    big = geom("hq-core-big-hengqin-mountain")
    southwest = geom("hq-seq-dahengqin-southwest")
    assert southwest.intersects(big)
    assert southwest.centroid.x < big.centroid.x and southwest.centroid.y < big.bounds[3], "west/south-west of the mountain"
    assert distance_m(geom("hq-seq-reserve-erjingwan"), geom("hq-coast-mangzhou-erjing-shenjing")) < 500
    hills = geom("hq-seq-reserve-hills")
    assert hills.intersects(big) and hills.intersects(geom("hq-core-small-hengqin-mountain"))
    assert geom("hq-seq-financial-island").distance(geom("hq-cluster-modern-finance")) == 0
    assert (
        geom("hq-seq-port-area").covers(geom("hq-port-hengqin"))
        or distance_m(geom("hq-seq-port-area"), geom("hq-port-hengqin")) < 300
    )


def test_features_in_hengqin_lie_on_the_island(built_features, geom):
    """Everything of the Hengqin layers is on the island, except what the plans place beyond it."""
    beyond = {
        "hq-macao",
        "mo-bay-cheoc-van",
        "mo-bay-hac-sa",
        "hq-water-shizimen-channel",
        "hq-water-maliuzhou-channel",
        "hq-axis-tianmu-river",
        "hq-axis-qinao-river",
        "hq-water-tianmu-river",
        "hq-rail-macao-lrt-hengqin",
        "hq-rail-guangzhou-zhuhai-macao-hsr",
        "hq-rail-zhuhai-zhaoqing-hsr",
        "hq-bridge-jinhai",
        "hq-link-macao-new-channel",
        "hq-eco-waterbird-corridor",
        "hq-greenway-shizimen",
    }
    island = geom("hq-island").buffer(0.0005)  # ~50 m: shore-side sites and the hand-drawn coast
    for feature_id, feature in built_features.items():
        if feature["properties"]["layer"].startswith("hq-") and feature_id not in beyond:
            assert island.covers(geom(feature_id)), feature_id


def test_the_plans_yacht_and_passenger_piers_are_three_features_linked_to_each_other(built_features):
    """hq-master's pier with direct service to Macao is prw-metro's 粤港澳国际游艇码头及客运码头; prw-metro's yacht
    club and the Hengqin plans' tourism 游艇码头 are other things; each names the others as related."""
    piers = {"hq-pier-yacht-passenger", "hq-pier-yacht-club", "hq-pier-yacht-tourism"}
    plans = {fid: {m["plan"] for m in built_features[fid]["properties"]["mentions"]} for fid in piers}
    assert plans == {
        "hq-pier-yacht-passenger": {"hq-master", "prw-metro"},
        "hq-pier-yacht-club": {"prw-metro"},
        "hq-pier-yacht-tourism": {"hq-master", "hq-industry"},
    }
    for fid in piers:
        assert set(built_features[fid]["properties"]["related"]) == piers - {fid}
        assert built_features[fid]["properties"]["site_undetermined"]
    direct = built_features["hq-pier-yacht-passenger"]["properties"]
    assert all("游艇及客运码头" in m["quote"] or "游艇码头及客运码头" in m["quote"] for m in direct["mentions"])
