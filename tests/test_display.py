"""The layer panel's state in the link: checked, kept, and handed to a new map."""

from __future__ import annotations

from geo.sources.mapdata import load_map_data
from geo.web.display import display_state, parse_display


def test_known_layers_and_opacities_are_kept_in_order_and_the_rest_reported():
    data = load_map_data()
    query, notices = parse_display(
        {"layers": "hq-structure,nope,hq-base,hq-structure", "opacity": "hq-base:0.456,hq-base:7,x:1"}, data
    )
    assert query == {"layers": "hq-structure,hq-base", "opacity": "hq-base:0.46"}
    assert len(notices) == 3
    assert display_state(query) == {"layers": ["hq-structure", "hq-base"], "opacity": {"hq-base": 0.46}}
    assert display_state({}) == {"layers": None, "opacity": {}}
    assert parse_display({"layers": ""}, data)[0] == {"layers": ""}  # nothing drawn is a choice too
