"""Below the map: what the map's own tools ask Python for — statistics of the view or of an area drawn on the
map (查询统计), and a map image of exactly the view on screen.

The map sends a request (geo.web.component's event) only when a tool is pressed; its coordinates are those
drawn, so with the AMap basemap (GCJ-02) they are shifted back to WGS84 first.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from shapely.geometry import box, shape
from shapely.geometry.base import BaseGeometry

from geo.geography.crs import gcj02_to_wgs84
from geo.i18n import labelled, t
from geo.print.render import render_map
from geo.query.selection import Shown
from geo.query.statistics import area_statistics
from geo.sources.mapdata import MapData
from geo.style.themes import get_theme
from geo.ui.urlstate import ViewState

TOOL_ACTIONS = ("stats", "print_view")


def remember_request(event: dict[str, Any]) -> None:
    """Keep a tool's request for this and later reruns (until another replaces it)."""
    if event.get("action") in TOOL_ACTIONS:
        st.session_state.map_tool_request = event


def _bounds_text(area: BaseGeometry) -> str:
    west, south, east, north = area.bounds
    return f"{south:.4f}–{north:.4f}°N, {west:.4f}–{east:.4f}°E"


def _area(geometry: BaseGeometry, gcj02: bool) -> BaseGeometry:
    return gcj02_to_wgs84(geometry) if gcj02 else geometry


def view_tools_panel(data: MapData, state: ViewState, shown: list[Shown], gcj02: bool) -> None:
    request = st.session_state.get("map_tool_request")
    if not request or state.present:
        return
    lang = state.lang
    if request["action"] == "stats":
        area = _area(shape(request["area"]), gcj02)
        st.markdown(f"##### {t('stats_title', lang)}")
        scope = t("stats_drawn" if request.get("scope") == "drawn" else "stats_view", lang)
        st.caption(f"{labelled(scope, _bounds_text(area), lang)} · {t('stats_note', lang)}")
        table = area_statistics(data, state.selection, shown, area, lang)
        shown_table = table.set_axis([t(f"stats_{column}", lang) for column in table.columns], axis=1)
        km = {t("stats_length_km", lang): "{:,.2f}", t("stats_area_km2", lang): "{:,.2f}"}  # as rounded, 1,154.22
        st.table(shown_table.style.format(km).hide(axis="index"))
        csv = shown_table.to_csv(index=False).encode("utf-8-sig")
        st.download_button(t("stats_csv", lang), csv, file_name="statistics.csv", mime="text/csv", key="stats_csv")
    else:
        (south, west), (north, east) = request["bounds"]
        area = _area(box(west, south, east, north), gcj02)
        west, south, east, north = area.bounds
        theme = get_theme(state.theme)  # the theme on screen, as the sidebar's image
        st.markdown(f"##### {t('print_title', lang)}")
        st.caption(f"{theme.label(lang)} · {_bounds_text(area)}")
        key = ("print", request["n"], state.selection, lang, theme.id)
        if st.session_state.get("print_image", (None,))[0] != key:
            with st.spinner(t("image_making", lang)):
                bounds = ((south, west), (north, east))
                image = render_map(data, state.selection, bounds, theme=theme.id, size="slide", fmt="png", lang=lang)
            st.session_state.print_image = (key, image)
        image = st.session_state.print_image[1]
        st.image(image, width=480)
        st.download_button(t("print_download", lang), image, file_name="map-view.png", mime="image/png", key="print_png")
