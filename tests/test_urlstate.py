"""The URL query round-trips the view; bad values are ignored with a notice and never raise."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.query.selection import Selection
from geo.sources.mapdata import load_map_data
from geo.style.basemaps import BASEMAP_IDS, DEFAULT_BASEMAP
from geo.ui.urlstate import ViewState, parse_query, to_query

BASEMAPS = (DEFAULT_BASEMAP, *[b for b in BASEMAP_IDS if b != DEFAULT_BASEMAP])
DATA = load_map_data()


def test_empty_query_is_everything_with_defaults():
    state = parse_query({}, DATA, BASEMAPS)
    assert state.selection == Selection.everything(DATA)
    assert (state.basemap, state.lang, state.view, state.feature, state.notices) == (DEFAULT_BASEMAP, "zh", None, None, ())


def test_a_state_round_trips_through_the_query():
    selection = Selection(
        frozenset({"hq-master"}), frozenset({"近期", "中期"}), frozenset({"planned"}), frozenset({"hq-transport"})
    )
    state = ViewState(selection, "none", "en", "qinao", "hq-port-hengqin")
    query = to_query(state, DATA, DEFAULT_BASEMAP)
    assert query == {
        "plan": "hq-master",
        "phase": "近期,中期",
        "status": "planned",
        "layer": "hq-transport",
        "basemap": "none",
        "lang": "en",
        "view": "qinao",
        "feature": "hq-port-hengqin",
    }
    assert parse_query(query, DATA, BASEMAPS) == state


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ({"plan": "hq-master,nope"}, "plan: ignored unknown value(s) 'nope'"),
        ({"phase": "2099"}, "phase: ignored unknown value(s) '2099'"),
        ({"basemap": "google"}, "basemap: ignored unknown value 'google'"),
        ({"lang": "fr"}, "lang: ignored unknown value 'fr'"),
        ({"view": "<script>"}, "view: ignored unknown value '<script>'"),
        ({"feature": "no-such-feature"}, "feature: ignored unknown value 'no-such-feature'"),
        ({"plan": "x" * 5000}, "plan: ignored a value of 5000 characters"),
    ],
)
def test_bad_values_are_ignored_with_a_notice(query, notice):
    state = parse_query(query, DATA, BASEMAPS)
    assert notice in state.notices
    assert state.selection.plans  # never an empty map because of a bad link
    assert state.basemap == DEFAULT_BASEMAP or "basemap" not in query


def test_known_values_survive_next_to_unknown_ones():
    state = parse_query({"plan": ["hq-master", "bogus"]}, DATA, BASEMAPS)
    assert state.selection.plans == frozenset({"hq-master"})


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["plan", "phase", "status", "layer", "basemap", "lang", "view", "feature", "other"]),
        st.one_of(st.text(max_size=60), st.lists(st.text(max_size=20), max_size=4)),
        max_size=6,
    )
)
def test_no_query_raises(query):
    state = parse_query(query, DATA, BASEMAPS)
    assert state.basemap in BASEMAPS and state.lang in ("zh", "en")
