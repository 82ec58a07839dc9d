"""The sidebar's 我的图层 / My layers: users' own files over the plan layers.

Each file is read once per choice of options (geo.upload does the checking) and kept in the session;
problems are shown as one message each, and the plan layers never change.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from geo.i18n import t
from geo.ui.markdown import plain
from geo.upload import ACCEPTED_EXTENSIONS, Overlay, UploadError, display_geometry, list_layers_isolated, read_upload_isolated
from geo.upload.limits import LIMITS, MB, over_budget
from geo.upload.pool import reader_pool
from geo.upload.user_layers import user_layer, user_style
from geo.web.offline import STATIC_DIR
from geo.web.overlay_files import publish_overlay

DATUMS = ("wgs84", "gcj02", "bd09")


def uploads_panel(lang: str) -> list[Overlay]:
    reader_pool()  # starts the first reader now, so that the first file finds it ready
    with st.sidebar.expander(t("my_layers", lang), expanded=bool(st.session_state.get("uploads"))):
        st.html(_uploader_text_css(lang))
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
        overlays, kept = [], []
        for upload in files or []:
            refused = over_budget(upload.name, upload.size, kept)
            if refused is not None:  # not read: the session already holds as much as it may
                st.error(plain(refused.text(lang)))
                continue
            kept.append(upload.size)
            overlay = _read(upload.name, upload.getvalue(), datum, source_crs, lang)
            if overlay is not None:
                overlays.append(overlay)
        return overlays


def _read(name: str, data: bytes, datum: str, source_crs: str | None, lang: str) -> Overlay | None:
    digest = hashlib.sha256(data).hexdigest()
    waiting = st.empty()  # says so while every reader of the server is busy

    def queued() -> None:
        waiting.info(plain(t("upload_queued", lang, name=name)))

    try:
        layers = _remembered(("layers", digest), lambda: list_layers_isolated(name, data, on_queued=queued))
        layer = st.selectbox(t("upload_layer", lang), layers, key=f"layer-{digest}") if len(layers) > 1 else None
        overlay = _remembered(
            ("overlay", digest, layer, datum, source_crs),
            lambda: read_upload_isolated(name, data, layer=layer, source_crs=source_crs, datum=datum, on_queued=queued),
        )
    except UploadError as exc:
        st.error(plain(exc.text(lang)))
        return None
    finally:
        waiting.empty()
    st.caption(plain(f"{name}: {t('upload_count', lang, n=len(overlay.frame))}"))
    for note in overlay.notes:
        (st.warning if note.level == "warning" else st.caption)(plain(note.text(lang)))
    return overlay


def _remembered(key: tuple, read):
    """A file's reading, kept for the session, failures included: each reading takes a turn of one of the
    server's few reader processes, so a rerun (any widget change) must not repeat it."""
    cache = st.session_state.setdefault("upload_results", {})
    if key not in cache:
        try:
            cache[key] = read()
        except UploadError as exc:
            cache[key] = exc
    if isinstance(cache[key], UploadError):
        raise cache[key]
    return cache[key]


DISPLAY_TOLERANCE_DEG = 0.00005  # about 5 m: the map keeps one copy of an overlay for every zoom


def published_overlays(overlays: list[Overlay], gcj02: bool) -> list[dict]:
    """Each overlay as a static file for the browser map (written once per file and CRS), with its legend entry."""
    cache = st.session_state.setdefault("overlay_files", {})
    entries = []
    for index, overlay in enumerate(overlays):
        key = (id(overlay), index, gcj02)
        if key not in cache:
            layer = user_layer(display_geometry(overlay, DISPLAY_TOLERANCE_DEG), overlay.name, index, gcj02)
            cache[key] = {
                "url": publish_overlay(layer, STATIC_DIR),
                "name": layer.name,
                "style": user_style(layer.color).leaflet(),
                "kinds": sorted(layer.geometry_kinds),
            }
        entries.append(cache[key])
    return entries


def _uploader_text_css(lang: str) -> str:
    """Streamlit's file uploader writes its button and its hint in English, the hint with its own 200 MB limit:
    both are replaced, in the reader's language and with the limit a file is read up to (geo.upload.limits).
    Fixed texts only (no data or user text), each a CSS string without quotes."""
    mb = LIMITS.max_bytes // MB
    button = t("upload_button", lang)
    hint = t("upload_limits", lang, mb=mb)
    button_text = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'
    hint_text = '[data-testid="stFileUploaderDropzoneInstructions"] span'
    return (
        f'<style>{button_text} {{ font-size: 0; }} {button_text}::after {{ content: "{button}"; font-size: 14px; }}'
        f'{hint_text} {{ font-size: 0; }} {hint_text}::after {{ content: "{hint}"; font-size: 12px; }}</style>'
    )
