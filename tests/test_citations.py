"""Every feature cites at least one plan, in words found verbatim in that plan's text."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.sources.catalogue import load_catalogue
from geo.sources.plans import normalise
from geo.sources.schema import QUOTE_MAX_CHARS

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture(scope="module")
def plans():
    return load_catalogue().plans


def test_every_built_feature_has_a_verbatim_quote(built_features, plans):
    assert built_features
    for feature_id, feature in built_features.items():
        mentions = feature["properties"]["mentions"]
        assert mentions, f"{feature_id} cites no plan"
        for mention in mentions:
            assert len(mention["quote"]) <= QUOTE_MAX_CHARS
            assert normalise(mention["quote"]) in plans[mention["plan"]].normalised_text, (feature_id, mention["quote"])


def test_one_mention_per_plan_per_feature(built_features):
    for feature_id, feature in built_features.items():
        named = [m["plan"] for m in feature["properties"]["mentions"]]
        assert len(named) == len(set(named)), f"{feature_id} cites a plan twice: merge the mentions"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside this checkout")
def test_committed_plan_texts_are_the_seed_texts(plans):
    for plan in plans.values():
        assert plan.text_path.read_bytes() == (SEEDS / plan.seed).read_bytes(), plan.id


RAIL_PROGRAMME = "第三章 第一节 协同建设一体化综合交通体系 二、打造轨道上的都市圈"


def test_prw_metro_rail_programme_sets_a_lines_stage(built_features):
    """prw-metro stages each line in its rail programme; its chapter 10 lists some again with another stage
    (加快推进广珠（澳）高铁、中南虎城际等建设, 规划建设深中城际).
    The programme's passage is the quote, the other is under `also`."""
    for feature_id, feature in built_features.items():
        if feature["properties"]["kind"] != "rail_line":
            continue
        for mention in feature["properties"]["mentions"]:
            if mention["plan"] == "prw-metro" and any(a["section"] == RAIL_PROGRAMME for a in mention.get("also", [])):
                assert mention["section"] == RAIL_PROGRAMME, feature_id
    for feature_id in (
        "hq-rail-guangzhou-zhuhai-macao-hsr",
        "rg-rail-zhongshan-nansha-humen-intercity",
        "rg-rail-shenzhen-zhongshan-intercity",
    ):
        (prw,) = [m for m in built_features[feature_id]["properties"]["mentions"] if m["plan"] == "prw-metro"]
        assert prw["status"] == "study", feature_id
        assert any(a["section"].startswith("第十章") for a in prw["also"]), feature_id
