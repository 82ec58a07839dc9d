"""Every descriptive text the data carries is there in Chinese and in English, and each reads in its language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from geo.sources.model import BILINGUAL_FEATURE_KEYS, BILINGUAL_MENTION_KEYS

# Three or more words in a row, at least three of them lower-case: an English sentence, not a name such as
# "Zhuhai railway station" or "Aéroport de Zhuhai-Jinwan" (article titles the Chinese text cites).
_ENGLISH_WORDS = re.compile(r"[A-Za-z][\w'’-]*(?:[ ,]+[A-Za-z][\w'’-]*){2,}")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _texts(properties: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    yield from ((key, properties) for key in BILINGUAL_FEATURE_KEYS)
    for mention in properties["mentions"]:
        yield from ((key, mention) for key in BILINGUAL_MENTION_KEYS)


def _english_sentence(text: str) -> str | None:
    for run in _ENGLISH_WORDS.findall(text):
        if sum(word.islower() for word in re.split(r"[ ,]+", run)) >= 3:
            return run
    return None


def test_every_descriptive_text_is_in_both_languages(built_features):
    for feature_id, feature in built_features.items():
        properties = feature["properties"]
        assert properties["geometry_basis_zh"].strip() and properties["geometry_basis_en"].strip(), feature_id
        assert "geometry_basis" not in properties and "exists_basis" not in properties, feature_id
        for key, holder in _texts(properties):
            zh, en = holder.get(f"{key}_zh"), holder.get(f"{key}_en")
            assert (zh is None) == (en is None), f"{feature_id}: {key} in one language only"
            if zh is not None:
                assert zh.strip() and en.strip(), f"{feature_id}: empty {key}"


def test_the_chinese_texts_hold_no_english_sentence_and_the_english_texts_are_english(built_features):
    for feature_id, feature in built_features.items():
        for key, holder in _texts(feature["properties"]):
            zh, en = holder.get(f"{key}_zh"), holder.get(f"{key}_en")
            if zh is None:
                continue
            assert _CJK.search(zh) and _english_sentence(zh) is None, f"{feature_id} {key}_zh: {_english_sentence(zh)}"
            assert "。" not in en and re.search(r"[A-Za-z]{3}", en), f"{feature_id} {key}_en: {en}"


def test_the_schematic_marker_is_translated(built_features):
    for feature_id, feature in built_features.items():
        properties = feature["properties"]
        if properties["geometry_basis_en"].startswith("schematic:"):
            assert properties["geometry_basis_zh"].startswith("示意："), feature_id


def test_a_status_is_dated_by_the_plan_whose_words_it_is():
    from geo.i18n import dated_status
    from geo.sources.mapdata import load_map_data

    plans = load_map_data().plans
    assert dated_status("under_construction", plans["prw-metro"], "zh") == "在建（据《珠西都市圈规划》，2023-10）"
    assert dated_status("under_construction", plans["prw-metro"], "en") == "under construction (prw-metro, 2023-10)"


def test_exports_and_the_source_note_carry_the_dated_status_and_both_languages():
    from geo.export.fields import flat_record, mention_records
    from geo.query.citations import source_note
    from geo.query.selection import Selection, select
    from geo.sources.mapdata import load_map_data

    data = load_map_data()
    shown = {s.id: s for s in select(data, Selection.everything(data))}
    record = flat_record(data, shown["hq-rail-macao-lrt-hengqin"])  # drawn with hq-master's 在建 of 2023-12
    assert record["status_dated_zh"] == "在建（据《合作区总体发展规划》，2023-12）"
    assert record["status_dated_en"] == "under construction (hq-master, 2023-12)"
    assert record["geometry_basis_zh"].startswith("据具名参照点数字化") and record["geometry_basis_en"].startswith("digitised")
    mentions = mention_records(shown["hq-rail-macao-lrt-hengqin"], data.plans)
    assert {m["status_dated_zh"] for m in mentions} == {
        "在建（据《合作区总体发展规划》，2023-12）",
        "规划（据《大湾区实施意见》，2019-07）",
    }
    note = source_note(data, {"prw-metro"}, "zh")
    assert note == "资料来源：《珠江口西岸都市圈发展规划》（2023-10）；示意图；状态为各规划发布时的表述"
