"""What exists versus what the plan does to it: every feature says whether it is in place at each plan's
date, every mention what its words do (action), and the text everyone reads joins them (现状 · 规划改扩建)."""

from __future__ import annotations

import json
import re

import pytest

from geo.i18n import existence_text, state_text
from geo.paths import OUTPUT_DIR
from geo.sources.model import Bilingual, Feature
from geo.sources.schema import ACTION_IDS, EXISTENCE_IDS

CATALOG = json.loads((OUTPUT_DIR / "catalog.json").read_text(encoding="utf-8"))


def test_the_catalog_labels_existence_and_actions_in_both_languages():
    assert {e["id"] for e in CATALOG["existence"]} == EXISTENCE_IDS
    assert {a["id"] for a in CATALOG["actions"]} == ACTION_IDS
    assert all(e["zh"] and e["en"] for e in CATALOG["existence"])


def test_every_feature_and_mention_has_an_existence_and_every_mention_an_action(built_features):
    for feature_id, feature in built_features.items():
        props = feature["properties"]
        assert props["exists"] in EXISTENCE_IDS and props["exists_basis_zh"] and props["exists_basis_en"], feature_id
        for mention in props["mentions"]:
            assert mention["exists"] in EXISTENCE_IDS and mention["action"] in ACTION_IDS, feature_id


def mention(built_features, feature_id: str, plan: str) -> dict:
    return next(m for m in built_features[feature_id]["properties"]["mentions"] if m["plan"] == plan)


@pytest.mark.parametrize(
    ("feature_id", "plan", "text"),
    [
        ("rg-airport-guangzhou-baiyun", "gba-gd", "现状 · 在建改扩建"),  # 加快推进…机场改扩建: the airport exists
        ("rg-airport-huizhou", "gba-gd", "现状 · 在建改扩建"),
        ("hq-island", "prw-metro", "现状 · 规划修复"),  # 海岛保护和修复工程: the island exists
        ("hq-zone-international-leisure-island", "hq-industry", "规划划定 · 规划建设"),  # 高水平建设, not a policy line
        ("rg-bridge-shenzhen-zhongshan-link", "hq-master", "未建成 · 在建依托"),  # being built in 2023-12; opened 2024-06
        ("rg-bridge-shenzhen-zhongshan-link", "prw-metro", "未建成 · 在建"),
    ],
)
def test_existence_and_action_read_together(built_features, feature_id, plan, text):
    m = mention(built_features, feature_id, plan)
    assert state_text(m["exists"], m["status"], m["action"], "zh") == text


def test_existence_follows_the_plan_date_for_a_feature_that_opened_between_them(built_features):
    props = built_features["rg-bridge-hong-kong-zhuhai-macao"]["properties"]
    assert props["exists_from"] == "2018-10" and {m["exists"] for m in props["mentions"]} == {"existing"}
    lrt = "hq-rail-macao-lrt-hengqin"
    assert built_features[lrt]["properties"]["exists_from"] == "2024-12"
    assert mention(built_features, lrt, "hq-master")["exists"] == "absent"  # opened after hq-master's date


def test_a_plan_dated_to_the_year_does_not_say_whether_something_opened_that_year_was_there():
    basis = Bilingual("示意", "schematic")
    road = Feature("x", "路", "road", "layer", "road", basis, 1000, [], exists="existing", exists_from="2023-01")
    assert road.exists_at("2023") == "unknown"  # neither before nor after January 2023
    assert road.exists_at("2022-12") == "absent" and road.exists_at("2023-10") == "existing"


def test_existence_at_a_plan_dated_to_the_month(built_features):
    # prw-metro was issued on 2023-10-25 (粤府〔2023〕92号): 中山西环高速, opened in January 2023, was there
    props = built_features["rg-road-zhongshan-west-ring"]["properties"]
    assert props["exists_from"] == "2023-01"
    assert mention(built_features, "rg-road-zhongshan-west-ring", "prw-metro")["exists"] == "existing"
    # hq-master (2023-12) is dated to the month: 澳门新街坊, on sale from 2023-11, was there
    assert mention(built_features, "hq-residential-macao-new-neighbourhood", "hq-master")["exists"] == "existing"


def test_english_state_text():
    assert state_text("existing", "planned", "rebuild_expand", "en") == "exists · planned, rebuilding and extension"
    assert state_text(None, "study", "study", "zh") == "研究"


def test_words_an_existence_basis_quotes_are_in_the_plan_it_names(built_features):
    """'(its words: 「加快建设」)' must quote the mention, not a status label such as 在建."""
    for feature_id, feature in built_features.items():
        props = feature["properties"]
        basis = props["exists_basis_en"]
        match = re.search(r"at (\S+)'s date \(its words: 「([^」]+)」\)", basis)
        if not match:
            assert "its words: 在建" not in basis, feature_id
            continue
        plan, words = match.groups()
        quotes = [m["quote"] for m in props["mentions"] if m["plan"] == plan]
        pattern = ".*?".join(re.escape(part) for part in re.split("…+", words))
        assert any(re.search(pattern, quote) for quote in quotes), (feature_id, words)


@pytest.mark.parametrize(
    ("feature_id", "at_plans", "exists_from", "complete_from", "now"),
    [
        ("rg-road-h1-guangzhongjiang-shiziyang", "partial", None, None, "partial"),  # 狮子洋通道 still building
        ("rg-road-hegang-expressway", "partial", None, "2023-12", "existing"),  # phase 2 opened 2023-12-09
        ("rg-road-zhongkai-expressway", "partial", None, "2024-06", "existing"),  # 江门 section open 2023-01
        ("rg-rail-zhuhai-airport-intercity", "partial", None, "2024-02", "existing"),  # airport section 2024-02
        ("rg-road-jinhai-expressway", "absent", "2024-02", None, "partial"),  # phase 1 after prw-metro; phase 2 not built
        ("rg-terminal-zhongshan-new-passenger", "absent", "2024-11", None, "existing"),  # opened after prw-metro's date
    ],
)
def test_lines_open_in_part_and_terminals_opened_since_say_so(
    built_features, feature_id, at_plans, exists_from, complete_from, now
):
    """Each mention carries the existence at its plan's date; the feature says when it opened or was completed
    since, and what stands today."""
    props = built_features[feature_id]["properties"]
    assert (props.get("exists_from"), props.get("complete_from")) == (exists_from, complete_from)
    assert props.get("exists_now", props["exists"]) == now
    assert {m["exists"] for m in props["mentions"]} == {at_plans}


def test_existence_reads_with_its_date_and_basis():
    props = {"exists": "absent", "exists_now": "existing", "exists_from": "2024-11", "exists_basis_zh": "2024年11月启用"}
    assert existence_text(props, "zh") == "现状（2024-11起）；2024年11月启用"
    completed = {"exists": "partial", "exists_now": "existing", "complete_from": "2024-06", "exists_basis_en": "a chain"}
    assert existence_text(completed, "en") == "exists (complete since 2024-06); a chain"
    assert existence_text({"exists": "existing", "exists_basis_en": "a port"}, "en") == "exists; a port"
    assert existence_text({}, "en") == ""


def test_a_default_existence_reads_as_a_reason_not_a_file_name(built_features):
    island = built_features["hq-island"]["properties"]
    assert island["exists_basis_zh"] == "按要素类型（岛屿）：自然或行政要素，视为现状"
    assert not [f for f, feat in built_features.items() if ".yaml" in feat["properties"]["exists_basis_en"]]
