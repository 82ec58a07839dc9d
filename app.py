"""横琴与珠西规划图 — the entry point: `streamlit run app.py` serves the app.

Streamlit's own server, running navigation.py (the page list) for every page view, with static files sent
compressed, each compressed once (geo.web.compressed_static): a first open transfers about a third as much.
"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware

from geo.web.compressed_static import CompressedStatic

app = st.App("navigation.py", middleware=[Middleware(CompressedStatic)])
