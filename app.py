"""横琴与珠西规划图 — the Streamlit entry point: wires the sidebar, the cached data and the map."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geo.basemaps import basemap
from geo.controls import cached_map_data, init_session, leave_presentation, sidebar, tianditu_key
from geo.downloads import download_panel
from geo.i18n import t
from geo.offline import localize
from geo.selection import Selection, Shown, select
from geo.uploads_ui import overlay_layers, uploads_panel
from geo.user_layers import UserLayer
from geo.webmap import MapRequest, build_map, simplify_tolerance

# Presentation mode: no sidebar, header or toolbar; the map fills the page.
PRESENTATION_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header, [data-testid="stToolbar"] {display: none;}
.block-container {padding-top: 0.6rem; padding-bottom: 0;}
</style>"""

st.set_page_config(page_title="横琴与珠西规划图", page_icon="🗺️", layout="wide")


@st.cache_resource(show_spinner=False, max_entries=64)
def shown_for(selection: Selection) -> list[Shown]:
    return select(cached_map_data(), selection)


def folium_map(request: MapRequest, selection: Selection, tiles_key: str | None, user_layers: tuple[UserLayer, ...]):
    # Built afresh each run (st_folium renames the map's variables as it renders, so a cached map breaks
    # on its second use); the costly parts, per-feature geometry and popups, are memoised in MapData.
    m = build_map(cached_map_data(), shown_for(selection), request, basemap(request.basemap_id), tiles_key, user_layers)
    base_path = st.get_option("server.baseUrlPath").strip("/")
    localize(m, url_prefix=f"/{base_path}/app/static/" if base_path else "/app/static/")
    return m


data = cached_map_data()
init_session(data)
state, shown, target = sidebar(data, shown_for)
overlays = uploads_panel(state.lang)
download_panel(data, state, target.bounds, overlays)
if state.present:
    st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)  # fixed CSS only: no data or user text in it
    st.button(t("leave_present", state.lang), on_click=leave_presentation)
else:
    st.markdown(f"#### {t('title', state.lang)}")
request = MapRequest(
    shown_ids=tuple(s.id for s in shown),
    lang=state.lang,
    basemap_id=state.basemap,
    bounds=target.bounds,
    view_token=target.token,
    focus_id=target.focus,
    present=state.present,
    title=state.title,
)
user_layers = overlay_layers(overlays, simplify_tolerance(target.bounds), basemap(state.basemap).gcj02)
st_folium(
    folium_map(request, state.selection, tianditu_key(), user_layers),
    key="map",
    height=820 if state.present else 700,
    use_container_width=True,
    returned_objects=[],
)
