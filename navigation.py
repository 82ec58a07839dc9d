"""横琴与珠西规划图 — the script Streamlit runs for every page view and rerun (app.py serves it): the map and the
project register, named in the reader's language."""

from __future__ import annotations

import streamlit as st

from geo.i18n import t
from geo.ui.heap import freeze_long_lived
from geo.ui.session_end import watch_session_end

# The language chosen in the sidebar, or the link's (?lang=en) on a first visit.
lang = st.session_state.get("lang") or ("en" if st.query_params.get("lang") == "en" else "zh")
pages = [
    st.Page("pages/map.py", title=t("page_map", lang), default=True),
    st.Page("pages/register.py", title=t("page_register", lang), url_path="register"),
]
watch_session_end()  # a left session's uploads and files are freed (not kept for the server's life)
st.navigation(pages).run()
freeze_long_lived()  # once, after the first run has loaded the libraries and layers
