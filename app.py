"""横琴与珠西规划图 — the entry point: `streamlit run app.py` serves the app.

Streamlit's own server, running navigation.py (the page list) for every page view, with static files sent
compressed, each compressed once (geo.web.compressed_static): a first open transfers about a third as much; and
its page preloading the map's frontend code (geo.web.preload), so the map's frame starts sooner.
"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware
from streamlit.runtime.pages_manager import PagesManager

from geo.web.compressed_static import CompressedStatic
from geo.web.preload import PreloadComponentCode

# The pages are listed by st.navigation in navigation.py. Streamlit would otherwise take the pages/ folder for an
# old-style multipage app until some session had run navigation.py: a fresh server's first links straight to
# /register ran pages/register.py alone, with the page list named after the files (navigation, map, register).
PagesManager.uses_pages_directory = False

app = st.App("navigation.py", middleware=[Middleware(CompressedStatic), Middleware(PreloadComponentCode)])
