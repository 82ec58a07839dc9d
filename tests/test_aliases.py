"""Every name form the plans use: aliases verbatim in their plans, found by search, carried by exports;
and projects whose site the plan leaves open drawn as schematic symbols marked 位置待定."""

from __future__ import annotations

import pytest

from geo.query.search import search
from geo.sources.mapdata import load_map_data
from geo.sources.plans import normalise

DATA = load_map_data()


def test_every_alias_occurs_in_its_plans_text(built_features, plan_texts):
    count = 0
    for feature_id, feature in built_features.items():
        for alias in feature["properties"]["aliases"]:
            assert normalise(alias["name"]) in plan_texts[alias["plan"]], f"{feature_id}: {alias}"
            if "quote" in alias:
                assert normalise(alias["quote"]) in plan_texts[alias["plan"]] and alias["name"] in alias["quote"]
            count += 1
    assert count >= 100


@pytest.mark.parametrize(
    ("alias", "plan", "feature_id"),
    [
        ("深圳机场", "hq-master", "rg-airport-shenzhen"),
        ("珠海横琴新区", "gba-gd", "rg-platform-hengqin"),
        ("黄茅海通道", "gba-gd", "rg-bridge-huangmaohai-link"),
        ("珠海经江门至肇庆", "gba-gd", "hq-rail-zhuhai-zhaoqing-hsr"),
        ("澳门轻轨延伸至横琴", "gba-gd", "hq-rail-macao-lrt-hengqin"),
        ("双核", "hq-master", "hq-core-big-hengqin-mountain"),
        ("多廊", "hq-master", "hq-eco-corridors-mountains-river"),
        ("河套", "hq-master", "rg-platform-hetao"),
        ("深圳前海", "hq-industry", "rg-platform-qianhai"),
        ("莲洲通用机场二期", "prw-metro", "rg-airport-ga-lianzhou"),
    ],
)
def test_the_names_the_plans_use_are_recorded_and_found_by_search(built_features, alias, plan, feature_id):
    assert {"plan": plan, "name": alias} in [
        {"plan": a["plan"], "name": a["name"]} for a in built_features[feature_id]["properties"]["aliases"]
    ]
    assert feature_id in [f["properties"]["id"] for f in search(DATA.features, alias)]


def test_the_hengqin_platform_cites_gba_gds_own_words_for_its_old_name(built_features):
    [alias] = [a for a in built_features["rg-platform-hengqin"]["properties"]["aliases"] if a["name"] == "珠海横琴新区"]
    assert alias["quote"] == "共同推进珠海横琴新区开发建设" and alias["section"].endswith("发挥极点带动作用")


@pytest.mark.parametrize(
    ("feature_id", "name"),
    [
        ("rg-rail-zhuxi-hsr", "珠西高铁"),
        ("rg-airport-jiangmen-regional", "江门支线机场"),
        ("rg-road-gaolan-expressway-north-ext", "高栏港高速公路北延线"),
        ("rg-road-shunde-heshan-link", "顺鹤高快速通道"),
        ("rg-road-yangjiang-port-access", "阳江港疏港公路"),
    ],
)
def test_a_project_whose_site_the_plan_leaves_open_is_drawn_as_a_symbol_marked_undetermined(built_features, feature_id, name):
    props = built_features[feature_id]["properties"]
    assert props["name_zh"] == name and props["site_undetermined"] is True
    assert props["geometry_basis_zh"].startswith("位置待定") and props["geometry_basis_en"].startswith("位置待定")
    assert props["accuracy_m"] >= 15000
    assert any(name in m["quote"] for m in props["mentions"])


def test_the_prd_greenway_network_is_drawn_as_a_symbol(built_features):
    props = built_features["rg-greenway-prd-network"]["properties"]
    assert props["exists"] == "existing" and not props["site_undetermined"] and "schematic symbol" in props["geometry_basis_en"]
    assert props["geometry_basis_zh"].startswith("示意符号")


def test_exports_carry_the_aliases():
    from geo.export.fields import FIELD_BY_NAME
    from geo.query.selection import Shown

    feature = DATA.by_id["rg-airport-shenzhen"]
    shown = Shown(feature, feature["properties"]["mentions"][0])
    assert "深圳机场（hq-master）" in FIELD_BY_NAME["aliases"].value(shown, None)
