"""The map as a Streamlit component: one iframe that lives across reruns and takes the state as its argument.

The frontend (frontend/index.html and planmap.js) speaks Streamlit's component protocol itself, so no
JavaScript build step is needed. Panning, zooming and clicking never rerun Python; the map sends an event
only when the user asks for something Python must do (e.g. Esc leaves presentation mode).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st
import streamlit.components.v1 as components

from geo.web.assets import FRONTEND

_plan_map = components.declare_component("plan_map", path=str(FRONTEND))


def plan_map(state: dict[str, Any], on_event: Callable[[dict[str, Any]], None], key: str = "map") -> None:
    """Draw (first run) or update (every later run) the map with this state (see geo.web.state).

    `on_event` gets each event the map sends ({"action": ..., "n": ...}) before the rerun it causes, so it
    may change widget state (e.g. switch presentation mode off)."""
    _plan_map(state=state, key=key, default=None, on_change=lambda: on_event(st.session_state[key] or {}))
