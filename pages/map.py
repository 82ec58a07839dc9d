"""The map page: wires the sidebar, the cached data and the map (app.py names it in the page list).

The map is one browser-side component (geo.web): a rerun sends it a small state object, never the map.
"""

from __future__ import annotations

import streamlit as st

from geo.i18n import labelled, t
from geo.query.citations import source_note
from geo.query.compare import parse_comparison
from geo.query.selection import Selection, Shown, select
from geo.style.basemaps import basemap, map_tiles
from geo.style.themes import get_theme
from geo.ui.controls import cached_map_data, init_session, leave_presentation, sidebar, tianditu_key
from geo.ui.downloads import download_panel
from geo.ui.uploads import published_overlays, uploads_panel
from geo.ui.view_tools import remember_request, view_tools_panel
from geo.web.component import plan_map
from geo.web.display import display_state
from geo.web.publish import Published, publish, static_url
from geo.web.state import MapView, map_state

# Presentation mode: no sidebar, header or toolbar; the map's frame covers the whole viewport.
FULL_PAGE_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header, [data-testid="stToolbar"] {display: none;}
iframe[title*="plan_map"] {position: fixed; inset: 0; width: 100vw !important; height: 100vh !important; z-index: 999990;}
html, body {overflow: hidden;}
</style>"""


@st.cache_resource(show_spinner=False, max_entries=64)
def shown_for(selection: Selection) -> list[Shown]:
    return select(cached_map_data(), selection)


@st.cache_resource(show_spinner=False)
def published_files(base_url_path: str) -> Published:
    """The catalogue and Leaflet files, written once per server into ./static/."""
    return publish(cached_map_data(), base_url_path)


def map_event(event: dict) -> None:
    if event.get("action") == "leave_present":  # Esc on the slide
        leave_presentation()
    remember_request(event)  # statistics or a map image of the view, shown below the map


data = cached_map_data()
base_url_path = st.get_option("server.baseUrlPath")
files = published_files(base_url_path)
init_session(data)
st.set_page_config(
    page_title=t("title", st.session_state.lang), page_icon="🗺️", layout="wide"
)  # the tab, in the reader's language
state, shown, target = sidebar(data, shown_for)
overlays = uploads_panel(state.lang)
if state.present:  # a slide (?embed=1, the map alone for a portal, is done by the map itself: see planmap.js)
    st.markdown(FULL_PAGE_CSS, unsafe_allow_html=True)  # fixed CSS only: no data or user text in it
else:
    st.markdown(f"#### {t('title', state.lang)}")
chosen = basemap(state.basemap)


def draw_map(selection: Selection, key: str, side_label: str = "", height: int = 700) -> None:
    """One map of a selection (both halves of a comparison are one each, following each other's view)."""
    side_shown = shown if selection == state.selection else shown_for(selection)
    plan_map(
        map_state(
            static_url=static_url(base_url_path),
            catalogue_path=files.catalogue(chosen.gcj02),
            assets=files.assets,
            selection=selection,
            lang=state.lang,
            theme=state.theme,
            basemap=chosen,
            tiles=map_tiles(chosen, tianditu_key()),
            view=MapView(target.bounds, target.token, target.focus),
            present=state.present,
            title=state.title or get_theme(state.theme).title(state.view, state.lang) or t("title", state.lang),
            source_note=source_note(data, {s.mention["plan"] for s in side_shown}, state.lang),
            overlays=published_overlays(overlays, chosen.gcj02),
            display=display_state(st.session_state.display),
            side_label=side_label,
            height=height,
        ),
        on_event=map_event,
        key=key,
    )


comparison = parse_comparison(state.compare, data) if state.compare and not state.present else None
if comparison:
    for column, value, side in zip(st.columns(2), (comparison.left, comparison.right), ("left", "right"), strict=True):
        with column:
            label = labelled(t("compare_" + side, state.lang), comparison.label(data, value, state.lang), state.lang)
            draw_map(comparison.side(state.selection, value), f"map-{side}", label, height=640)
else:
    draw_map(state.selection, "map")
# After the map, so the map reaches the browser first; in the sidebar it still comes after the uploads.
download_panel(data, state, target.bounds, overlays)
view_tools_panel(data, state, shown, chosen.gcj02)
