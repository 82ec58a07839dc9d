"""The sidebar's 我的图层 / My layers: users' own files over the plan layers.

Each file is read once per choice of options (geo.upload does the checking) and kept in the session;
problems are shown as one message each, and the plan layers never change.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from geo.i18n import t
from geo.markdown import plain
from geo.upload import ACCEPTED_EXTENSIONS, Overlay, UploadError, display_geometry, list_layers_isolated, read_upload_isolated
from geo.user_layers import UserLayer, user_layer

DATUMS = ("wgs84", "gcj02", "bd09")


def uploads_panel(lang: str) -> list[Overlay]:
    with st.sidebar.expander(t("my_layers", lang), expanded=bool(st.session_state.get("uploads"))):
        files = st.file_uploader(
            t("upload", lang),
            type=[e.lstrip(".") for e in ACCEPTED_EXTENSIONS],
            accept_multiple_files=True,
            key="uploads",
            help=t("upload_help", lang),
        )
        datum = st.radio(
            t("upload_datum", lang),
            DATUMS,
            horizontal=True,
            key="upload_datum",
            format_func=lambda d: {"wgs84": "WGS84", "gcj02": "GCJ-02", "bd09": "BD-09"}[d],
            help=t("upload_datum_help", lang),
        )
        source_crs = (
            st.text_input(
                t("upload_crs", lang), key="upload_crs", placeholder="EPSG:4547", help=t("upload_crs_help", lang)
            ).strip()
            or None
        )
        overlays = []
        for upload in files or []:
            overlay = _read(upload.name, upload.getvalue(), datum, source_crs, lang)
            if overlay is not None:
                overlays.append(overlay)
        return overlays


def _read(name: str, data: bytes, datum: str, source_crs: str | None, lang: str) -> Overlay | None:
    digest = hashlib.sha256(data).hexdigest()
    try:
        layers = _remembered(("layers", digest), lambda: list_layers_isolated(name, data))
        layer = st.selectbox(t("upload_layer", lang), layers, key=f"layer-{digest}") if len(layers) > 1 else None
        overlay = _remembered(
            ("overlay", digest, layer, datum, source_crs),
            lambda: read_upload_isolated(name, data, layer=layer, source_crs=source_crs, datum=datum),
        )
    except UploadError as exc:
        st.error(plain(exc.text(lang)))
        return None
    st.caption(plain(f"{name}: {t('upload_count', lang, n=len(overlay.frame))}"))
    for note in overlay.notes:
        (st.warning if note.level == "warning" else st.caption)(plain(note.text(lang)))
    return overlay


def _remembered(key: tuple, read):
    """A file's reading, kept for the session, failures included: each reading costs a child process,
    so a rerun (any widget change) must not repeat it."""
    cache = st.session_state.setdefault("upload_results", {})
    if key not in cache:
        try:
            cache[key] = read()
        except UploadError as exc:
            cache[key] = exc
    if isinstance(cache[key], UploadError):
        raise cache[key]
    return cache[key]


def overlay_layers(overlays: list[Overlay], tolerance_deg: float, gcj02: bool) -> tuple[UserLayer, ...]:
    """Display-ready layers, memoised per file, detail and CRS (a 20,000-polygon file is not redone per rerun)."""
    cache = st.session_state.setdefault("overlay_layers", {})
    layers = []
    for index, overlay in enumerate(overlays):
        key = (id(overlay), index, tolerance_deg, gcj02)
        if key not in cache:
            cache[key] = user_layer(display_geometry(overlay, tolerance_deg), overlay.name, index, gcj02)
        layers.append(cache[key])
    return tuple(layers)
