"""Filters select features by any matching mention; the shown status follows that mention."""

from __future__ import annotations

from dataclasses import replace

import pytest

from geo.query.selection import Selection, matching_mention, select
from geo.sources.mapdata import load_map_data


@pytest.fixture(scope="module")
def data():
    return load_map_data()


def test_everything_selects_every_feature(data):
    assert len(select(data, Selection.everything(data))) == len(data.features)


def test_one_plan_shows_exactly_the_features_it_mentions(data):
    only = replace(Selection.everything(data), plans=frozenset({"hq-industry"}))
    shown = {s.id for s in select(data, only)}
    expected = {f["properties"]["id"] for f in data.features if "hq-industry" in f["properties"]["plans"]}
    assert shown == expected and shown
    assert all(s.mention["plan"] == "hq-industry" for s in select(data, only))


def test_plan_and_phase_must_match_in_the_same_mention(data):
    """A feature that hq-master calls 远期 and hq-industry calls 中期 is not shown for hq-master + 中期."""
    selection = replace(Selection.everything(data), plans=frozenset({"hq-master"}), phases=frozenset({"中期"}))
    for shown in select(data, selection):
        assert shown.mention["plan"] == "hq-master" and shown.mention["phase"] == "中期"


def test_the_drawn_status_is_the_latest_matching_plans(data):
    feature = data.by_id["hq-terminal-macao-airport-hengqin"]["properties"]  # hq-master planned, hq-industry study
    everything = Selection.everything(data)
    assert matching_mention(feature, everything, data.plan_order)["status"] == "study"
    master_only = replace(everything, plans=frozenset({"hq-master"}))
    assert matching_mention(feature, master_only, data.plan_order)["status"] == "planned"


def test_layer_and_status_filters(data):
    transport_planned = replace(Selection.everything(data), layers=frozenset({"hq-transport"}), statuses=frozenset({"planned"}))
    shown = select(data, transport_planned)
    assert shown and all(s.feature["properties"]["layer"] == "hq-transport" and s.mention["status"] == "planned" for s in shown)


def test_nothing_selected_shows_nothing(data):
    assert select(data, replace(Selection.everything(data), plans=frozenset())) == []


def test_only_phases_the_plans_state(data):
    stated = replace(Selection.everything(data), stated_phases_only=True)
    shown = select(data, stated)
    assert shown and all(s.mention["phase_basis"] in {"quote", "section"} for s in shown)
    assert {"hq-seq-tianmu-middle", "hq-park-qinao-innovation"} <= {s.id for s in shown}
    assert len(shown) < len(data.features)


def test_the_command_line_and_the_link_carry_only_stated_phases(data):
    import argparse

    from geo.query.cli import add_filter_arguments, selection_from_args
    from geo.ui.urlstate import parse_query, to_query

    parser = argparse.ArgumentParser()
    add_filter_arguments(parser)
    selection = selection_from_args(parser.parse_args(["--stated-phases-only", "--plan", "hq-industry"]), data)
    assert selection.stated_phases_only and selection.plans == {"hq-industry"}
    state = parse_query({"stated": "1"}, data, ("osm",))
    assert state.selection.stated_phases_only and to_query(state, data, "osm") == {"stated": "1"}
