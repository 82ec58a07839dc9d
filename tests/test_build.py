"""The build is deterministic, writes RFC 7946 output, and --check catches stale committed files."""

from __future__ import annotations

import json
import re

from geo.build import main as build_main
from geo.paths import OUTPUT_DIR
from geo.sources.catalogue import load_catalogue
from geo.sources.outputs import render_outputs
from geo.sources.schema import PROPERTY_ORDER


def test_committed_outputs_are_current():
    assert build_main(["--check"]) == 0, "data/geojson is stale: run python -m geo.build and commit"


def test_two_builds_are_byte_identical():
    first = render_outputs(load_catalogue())
    second = render_outputs(load_catalogue())
    assert first == second


def test_check_names_a_stale_file_and_fails(tmp_path, capsys):
    out = tmp_path / "geojson"
    assert build_main(["--out", str(out)]) == 0
    assert build_main(["--check", "--out", str(out)]) == 0
    victim = out / "hq-base.geojson"
    victim.write_text(victim.read_text(encoding="utf-8").replace("113.5", "113.6", 1), encoding="utf-8")
    (out / "old-layer.geojson").write_text("{}", encoding="utf-8")
    capsys.readouterr()
    assert build_main(["--check", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "hq-base.geojson differs from a fresh build" in err
    assert "old-layer.geojson differs from a fresh build" in err


def test_build_removes_layers_whose_source_is_gone(tmp_path):
    out = tmp_path / "geojson"
    out.mkdir()
    (out / "removed-layer.geojson").write_text("{}", encoding="utf-8")
    assert build_main(["--out", str(out)]) == 0
    assert not (out / "removed-layer.geojson").exists()


def test_output_is_rfc7946_with_the_documented_properties():
    for path in OUTPUT_DIR.glob("*.geojson"):
        collection = json.loads(path.read_text(encoding="utf-8"))
        assert collection["type"] == "FeatureCollection"
        assert "crs" not in collection  # RFC 7946: WGS84 only, no crs member
        for feature in collection["features"]:
            assert list(feature["properties"])[: len(PROPERTY_ORDER)] == list(PROPERTY_ORDER)
            assert feature["properties"]["plans"] and feature["properties"]["phases"]
            decimals = re.findall(r"\d+\.(\d+)", json.dumps(feature["geometry"]))
            assert all(len(d) <= 6 for d in decimals), f"{feature['id']} has more than 6 decimals"


def test_polygons_are_counter_clockwise(built_features, geom):
    for feature_id in built_features:
        shapes = geom(feature_id)
        for polygon in getattr(shapes, "geoms", [shapes]):
            if polygon.geom_type == "Polygon":
                assert polygon.exterior.is_ccw, feature_id
                assert all(not ring.is_ccw for ring in polygon.interiors), feature_id


def test_catalog_lists_layers_with_counts_styles_plans_and_phases(built_features):
    catalog = json.loads((OUTPUT_DIR / "catalog.json").read_text(encoding="utf-8"))
    assert sum(layer["count"] for layer in catalog["layers"]) == len(built_features)
    assert all(layer["style"]["color"].startswith("#") for layer in catalog["layers"])
    assert [p["id"] for p in catalog["plans"]] == ["gba-gd", "prw-metro", "hq-master", "hq-industry"]  # date order
    assert [p["rank"] for p in catalog["plans"]] == [1, 2, 3, 4]
    assert [p["id"] for p in catalog["phases"]] == ["现状", "近期", "中期", "远期", "远景"]
    dashes = {s["id"]: s["dash"] for s in catalog["statuses"]}
    assert dashes["existing"] is None and dashes["planned"] and dashes["study"] != dashes["planned"]


def test_a_feature_is_drawn_with_the_status_of_its_most_recent_plan_by_date(built_features):
    """hq-industry (2025-06) is the latest plan: whatever else names a feature, hq-industry's status is drawn."""
    catalog = json.loads((OUTPUT_DIR / "catalog.json").read_text(encoding="utf-8"))
    rank = {p["id"]: p["rank"] for p in catalog["plans"]}
    for feature_id, feature in built_features.items():
        mentions = feature["properties"]["mentions"]
        latest = max(mentions, key=lambda m: rank[m["plan"]])
        assert feature["properties"]["status"] == latest["status"], feature_id
    assert built_features["hq-platform-tcm-lab"]["properties"]["status"] == "under_construction"  # hq-industry, not prw-metro
    assert built_features["rg-platform-hengqin"]["properties"]["status"] == "existing"


def test_plans_are_ordered_by_date_whatever_the_order_of_plans_yaml(tmp_path):
    from geo.paths import META_DIR, ROOT
    from geo.sources.plans import load_plans

    text = (META_DIR / "plans.yaml").read_text(encoding="utf-8")
    head, body = text.split("plans:\n", 1)
    entries = ["  - id: " + e for e in body.split("  - id: ")[1:]]
    (tmp_path / "plans.yaml").write_text(head + "plans:\n" + "".join(reversed(entries)), encoding="utf-8")
    assert list(load_plans(tmp_path / "plans.yaml", ROOT)) == ["gba-gd", "prw-metro", "hq-master", "hq-industry"]


def test_every_mention_says_where_its_phase_comes_from(built_features):
    catalog = json.loads((OUTPUT_DIR / "catalog.json").read_text(encoding="utf-8"))
    bases = {b["id"] for b in catalog["phase_bases"]}
    assert bases == {"quote", "section", "plan_period", "wording_rule"}
    assert {b["id"] for b in catalog["phase_bases"] if b["stated"]} == {"quote", "section"}
    for feature_id, feature in built_features.items():
        for mention in feature["properties"]["mentions"]:
            assert mention["phase_basis"] in bases, feature_id
            assert ("phase_source" in mention) == (mention["phase_basis"] == "section"), feature_id


def test_a_phase_stated_in_another_section_cites_it():
    """Both Hengqin plans' 2029 targets say the park is completed (落地建成) by 2029: 中期, from the section."""
    layers = load_catalogue()
    park = layers.feature("hq-park-qinao-innovation")
    by_plan = {m.plan: m for m in park.mentions}
    for plan in ("hq-master", "hq-industry"):
        mention = by_plan[plan]
        assert (mention.phase, mention.phase_basis) == ("中期", "section")
        assert "2029年" in mention.phase_source.fragments[0]
