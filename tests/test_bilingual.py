"""Every descriptive text the data carries is there in Chinese and in English, and each reads in its language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from geo.model import BILINGUAL_FEATURE_KEYS, BILINGUAL_MENTION_KEYS

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
