"""Keep the server's long-lived heap out of the garbage collection Streamlit runs after every script run.

Streamlit collects all generations after each run (`runner.postScriptGC`), which walks every tracked object in
the process: the imported libraries (geopandas, shapely, matplotlib ...) and the cached layers. Measured with
py-spy, that walk was about two thirds of the server CPU of a filter change. After the first run has loaded
them, those objects live as long as the server, so they are moved to the collector's permanent generation
(`gc.freeze`): later collections walk only what was made since, and still free a rerun's own garbage.
"""

from __future__ import annotations

import gc

import streamlit as st


@st.cache_resource(show_spinner=False)
def freeze_long_lived() -> bool:
    """Once per server, after a first run: collect what is garbage now, then freeze the rest."""
    gc.collect()
    gc.freeze()
    return True
