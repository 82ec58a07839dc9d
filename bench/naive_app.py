"""The benchmark's naive baseline: the same map and sidebar as app.py, but the way a first version
would be written: data re-read on every run, full geometry sent, and every pan or zoom reruns Python.
Run by bench/app_speed.py; not part of the product.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from bench.naive_map import MapRequest, build_map
from geo.query.selection import select
from geo.sources.mapdata import load_map_data
from geo.style.basemaps import basemap
from geo.ui.controls import init_session, sidebar, tianditu_key
from geo.web.offline import localize

st.set_page_config(page_title="naive baseline", layout="wide")
data = load_map_data()  # no cache: every rerun reads the files again
init_session(data)
state, shown, target = sidebar(data, lambda selection: select(data, selection))
request = MapRequest(
    tuple(s.id for s in shown), state.lang, state.basemap, target.bounds, target.token, target.focus, simplify=False
)
m = build_map(data, shown, request, basemap(state.basemap), tianditu_key())
localize(m, static_dir=Path(__file__).parent / "static")  # Streamlit serves ./static beside the script
st_folium(m, key="map", height=700, use_container_width=True)  # default: returns pan/zoom/clicks, so each reruns
