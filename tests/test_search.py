"""Search finds features by part of a Chinese or English name, best matches first."""

from __future__ import annotations

from geo.query.search import search
from geo.sources.mapdata import load_map_data

FEATURES = load_map_data().features


def ids(query: str) -> list[str]:
    return [f["properties"]["id"] for f in search(FEATURES, query)]


def test_partial_chinese_name():
    assert "hq-port-hengqin" in ids("口岸")


def test_english_name_any_case():
    assert ids("HENGQIN PORT")[0] == "hq-port-hengqin"


def test_exact_and_prefix_matches_come_first():
    assert ids("天沐河")[0] == "hq-water-tianmu-river"


def test_blank_query_finds_nothing():
    assert ids("   ") == []
