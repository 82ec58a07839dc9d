"""Sidebar downloads of the current selection: GIS files (geo.export) and print-quality images (geo.print.render).

Files are made only when asked for (a button), not on every rerun, and kept for the session until the
selection or the options change.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from geo.export import CRS_CHOICES, FORMATS, ExportError, crs_note, export_bytes
from geo.i18n import t
from geo.print.layout import SIZE_IDS, page_size
from geo.print.render import FORMATS as IMAGE_FORMATS
from geo.print.render import render_map
from geo.query.selection import Selection
from geo.sources.mapdata import MapData
from geo.ui.markdown import plain
from geo.ui.urlstate import ViewState
from geo.upload import Overlay

IMAGE_DPI = (150, 300)


def overlay_key(overlays: Sequence[Overlay]) -> tuple:
    """Which uploads a made file includes (each read is kept per session, so its identity is stable)."""
    return tuple((o.name, len(o.frame), id(o)) for o in overlays)


def download_panel(data: MapData, state: ViewState, bounds, overlays: Sequence[Overlay] = ()) -> None:
    lang = state.lang
    with st.sidebar.expander(t("downloads", lang)):
        _gis_files(data, state.selection, state.theme, lang, overlays)
        st.divider()
        _image(data, state, bounds, lang, overlays)


def _gis_files(data: MapData, selection: Selection, theme: str, lang: str, overlays: Sequence[Overlay]) -> None:
    fmt = st.selectbox(t("export_format", lang), list(FORMATS), format_func=lambda f: FORMATS[f].label(lang), key="export_fmt")
    crs = st.selectbox(
        t("export_crs", lang),
        [c.id for c in CRS_CHOICES],
        key="export_crs",
        format_func=lambda c: next(x for x in CRS_CHOICES if x.id == c).label(lang),
    )
    note = crs_note(fmt, crs)
    if note:
        st.caption(plain(note))
    # Off by default: a GIS file holds the whole selection; on, it is what the thematic map shows, as styled there.
    export_theme = theme if st.checkbox(t("export_themed", lang), key="export_themed") else None
    request = ("gis", selection, fmt, crs, overlay_key(overlays), export_theme)
    if st.button(t("export_make", lang), key="export_make"):
        try:
            st.session_state.gis_file = (request, *export_bytes(data, selection, fmt, crs, overlays, export_theme))
        except ExportError as exc:
            st.session_state.gis_file = None
            st.error(plain(str(exc)))
    made = st.session_state.get("gis_file")
    if made and made[0] == request:
        _, content, name, mime = made
        st.download_button(f"⬇ {name}", content, file_name=name, mime=mime, key="export_download")


def _image(data: MapData, state: ViewState, bounds, lang: str, overlays: Sequence[Overlay]) -> None:
    size = st.selectbox(t("image_size", lang), SIZE_IDS, key="image_size", format_func=lambda s: page_size(s).label(lang))
    fmt = st.selectbox(t("image_format", lang), list(IMAGE_FORMATS), key="image_fmt", format_func=str.upper)
    dpi = st.selectbox("DPI", IMAGE_DPI, key="image_dpi") if fmt == "png" else 150
    area = data.view(state.view) if state.view else bounds
    uploaded = overlay_key(overlays)
    request = ("image", state.selection, size, fmt, dpi, state.title, lang, area, uploaded, state.theme)
    if st.button(t("image_make", lang), key="image_make"):
        with st.spinner(t("image_making", lang)):
            content = render_map(
                data,
                state.selection,
                area,
                size=size,
                fmt=fmt,
                dpi=dpi,
                title=state.title or None,
                lang=lang,
                overlays=overlays,
                theme=state.theme,
            )
        st.session_state.image_file = (request, content, f"hengqin-plan-map_{size}.{fmt}", IMAGE_FORMATS[fmt])
    made = st.session_state.get("image_file")
    if made and made[0] == request:
        _, content, name, mime = made
        st.download_button(f"⬇ {name}", content, file_name=name, mime=mime, key="image_download")
