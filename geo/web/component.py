"""The map as a Streamlit component: one iframe that lives across reruns and takes the state as its argument.

The frontend (frontend/index.html and planmap.js) speaks Streamlit's component protocol itself, so no
JavaScript build step is needed. It returns nothing: panning, zooming and clicking never rerun Python.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit.components.v1 as components

FRONTEND = Path(__file__).parent / "frontend"
_plan_map = components.declare_component("plan_map", path=str(FRONTEND))


def plan_map(state: dict[str, Any], key: str = "map") -> None:
    """Draw (first run) or update (every later run) the map with this state; see geo.web.state."""
    _plan_map(state=state, key=key, default=None)
