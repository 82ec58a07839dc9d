"""The sidebar: filters, views, search and basemap, kept in step with the URL query.

Widget values live in st.session_state under the keys below; the URL is read once per session to set
them, and written after every run from them, so a copied link reopens the same selection.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import streamlit as st

from geo.i18n import bracketed, phase_label, status_label, t, theme_label
from geo.query.compare import KINDS, choices, parse_comparison
from geo.query.search import search
from geo.query.selection import Selection, Shown
from geo.sources.mapdata import MapData, load_map_data
from geo.style.basemaps import BASEMAP_IDS, DEFAULT_BASEMAP, TIANDITU_KEY_NAME, basemap
from geo.style.themes import load_themes
from geo.ui.markdown import plain
from geo.ui.urlstate import MAX_TITLE_CHARS, ViewState, parse_query, to_query
from geo.web.display import parse_display
from geo.web.state import DEFAULT_BOUNDS, feature_bounds
from geo.web.themes_data import shown_in_theme

KEYS = ("plans", "phases", "statuses", "layers")


@dataclass(frozen=True)
class MapTarget:
    bounds: tuple[tuple[float, float], tuple[float, float]]
    token: str
    focus: str | None


@st.cache_resource(show_spinner=False)
def cached_map_data() -> MapData:
    """The built layers, read once per server and shared by every page and session."""
    return load_map_data()


def tianditu_key() -> str | None:
    key = os.environ.get(TIANDITU_KEY_NAME)
    if key:
        return key
    try:
        return st.secrets.get(TIANDITU_KEY_NAME)
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return None


def init_session(data: MapData) -> None:
    """First run of a session: set every widget from the URL (unknown values become notices)."""
    if "initialised" in st.session_state and "lang" in st.session_state:
        return  # (another page's run drops this page's widget state: then read the URL again)
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    state = parse_query(params, data, _default_first())
    _apply(state, data)
    st.session_state.notices = list(state.notices) + parse_display(params, data)[1]
    st.session_state.token = 0
    if state.feature:
        _target_feature(data, state.feature, bump=False)
        if not shown_in_theme(data.by_id[state.feature], st.session_state.theme):
            st.session_state.theme = "all"  # a link to a feature shows it, whatever the default theme hides
    elif state.view:
        _target_view(data, state.view, bump=False)
    else:
        st.session_state.bounds, st.session_state.focus = DEFAULT_BOUNDS, None
    st.session_state.initialised = True


def _default_first() -> tuple[str, ...]:
    return (DEFAULT_BASEMAP, *[b for b in BASEMAP_IDS if b != DEFAULT_BASEMAP])


def _apply(state: ViewState, data: MapData) -> None:
    order = _orders(data)
    st.session_state.plans = [p for p in order["plans"] if p in state.selection.plans]
    st.session_state.phases = [p for p in order["phases"] if p in state.selection.phases]
    st.session_state.statuses = [s for s in order["statuses"] if s in state.selection.statuses]
    st.session_state.layers = [layer for layer in order["layers"] if layer in state.selection.layers]
    st.session_state.basemap = state.basemap
    st.session_state.lang = state.lang
    st.session_state.view = state.view
    st.session_state.feature = state.feature
    st.session_state.present = state.present
    st.session_state.title = state.title
    st.session_state.stated = state.selection.stated_phases_only
    st.session_state.theme = state.theme or load_themes().default
    comparison = parse_comparison(state.compare, data) if state.compare else None
    st.session_state.compare_by = comparison.by if comparison else None
    if comparison:
        st.session_state.compare_left, st.session_state.compare_right = comparison.left, comparison.right


def _orders(data: MapData) -> dict[str, list[str]]:
    return {
        "plans": list(data.plan_order),
        "phases": [p["id"] for p in data.catalog["phases"]],
        "statuses": [s["id"] for s in data.catalog["statuses"]],
        "layers": [layer["id"] for layer in sorted(data.catalog["layers"], key=lambda layer: layer["order"])],
    }


def _target_view(data: MapData, view_id: str, bump: bool = True) -> None:
    view = data.view(view_id)
    st.session_state.bounds = view.bounds if view else DEFAULT_BOUNDS
    st.session_state.view, st.session_state.feature, st.session_state.focus = view_id, None, None
    if bump:
        st.session_state.token += 1


def _target_feature(data: MapData, feature_id: str, bump: bool = True) -> None:
    st.session_state.bounds = feature_bounds(data.geometries[feature_id])
    st.session_state.feature, st.session_state.focus, st.session_state.view = feature_id, feature_id, None
    if bump:
        st.session_state.token += 1


def leave_presentation() -> None:
    st.session_state.present = False


def _reset(data: MapData) -> None:
    everything = Selection.everything(data)
    _apply(ViewState(everything, st.session_state.basemap, st.session_state.lang, theme=st.session_state.theme), data)
    st.session_state.notices = []


def _on_pick(data: MapData) -> None:
    picked = st.session_state.get("search_pick")
    if picked:
        _target_feature(data, picked)
        if not shown_in_theme(data.by_id[picked], st.session_state.theme):
            st.session_state.theme = "all"  # the theme would hide what was asked for


def current_state() -> ViewState:
    selection = Selection(
        *(frozenset(st.session_state[key]) for key in KEYS), stated_phases_only=st.session_state.get("stated", False)
    )
    return ViewState(
        selection,
        st.session_state.basemap,
        st.session_state.lang,
        st.session_state.view,
        st.session_state.feature,
        st.session_state.present,
        st.session_state.title.strip(),
        st.session_state.get("theme") or load_themes().default,
        _comparison_query(),
    )


def _comparison_query() -> str:
    by = st.session_state.get("compare_by")
    if not by or "compare_left" not in st.session_state:
        return ""
    return f"{by}:{st.session_state.compare_left},{st.session_state.compare_right}"


def _compare_choice(data: MapData, lang: str) -> None:
    """对比 / Compare: two phases or two plans side by side, the rest of the selection as set."""
    by = st.segmented_control(
        t("compare", lang), list(KINDS), key="compare_by", format_func=lambda k: t(f"compare_{k}", lang), selection_mode="single"
    )
    if not by:
        return
    options = choices(data, by)
    if st.session_state.get("compare_left") not in options:  # switched between phases and plans
        st.session_state.compare_left, st.session_state.compare_right = options[0], options[-1]
    label = (lambda v: phase_label(v, lang)) if by == "phase" else (lambda v: data.plans[v]["short_zh" if lang == "zh" else "id"])
    left, right = st.columns(2)
    left.selectbox(t("compare_left", lang), options, key="compare_left", format_func=label)
    right.selectbox(t("compare_right", lang), options, key="compare_right", format_func=label)


def sidebar(data: MapData, shown_for) -> tuple[ViewState, list[Shown], MapTarget]:
    """Draw the sidebar; returns the state, what it selects, and where the map should look."""
    lang = st.session_state.lang
    with st.sidebar:
        st.segmented_control(
            t("language", lang),
            ["zh", "en"],
            key="lang",
            format_func=lambda v: "中文" if v == "zh" else "English",
            selection_mode="single",
        )
        if st.session_state.lang is None:  # a segmented control can be clicked off; keep a language
            st.session_state.lang = lang
        lang = st.session_state.lang
        if st.session_state.notices:
            st.warning(t("url_notice", lang) + " " + plain("; ".join(st.session_state.notices)))
        st.caption(t("views", lang))
        columns = st.columns(2)
        for index, view in enumerate(data.views):
            columns[index % 2].button(
                view.label(lang), key=f"view-{view.id}", on_click=_target_view, args=(data, view.id), width="stretch"
            )
        _theme_choice(lang)
        _filters(data, lang)
        state = current_state()
        shown = shown_for(state.selection)
        st.markdown(f"**{t('shown', lang, n=len(shown), total=len(data.features))}**")
        st.button(t("reset", lang), on_click=_reset, args=(data,))
        _search(data, shown, lang)
        _compare_choice(data, lang)
        _basemap_choice(lang)
        st.caption(t("presentation", lang))
        st.text_input(t("present_title", lang), key="title", max_chars=MAX_TITLE_CHARS, placeholder=t("title", lang))
        st.toggle(t("present", lang), key="present")
    wanted = to_query(current_state(), data, DEFAULT_BASEMAP)
    current = {key: ",".join(st.query_params.get_all(key)) for key in st.query_params}
    display, _ = parse_display(current, data)  # the map's layer panel wrote these: keep them
    wanted.update(display)
    st.session_state.display = display
    if current != wanted:
        # Only when it changed: Streamlit rewrites the whole URL, which drops the #map= view fragment.
        st.query_params.from_dict(wanted)
    target = MapTarget(st.session_state.bounds, str(st.session_state.token), st.session_state.focus)
    return current_state(), shown, target


def _theme_choice(lang: str) -> None:
    themes = load_themes()
    st.selectbox(t("theme", lang), themes.ids, key="theme", format_func=lambda tid: themes.get(tid).label(lang))


def choose_many(label: str, options: Sequence[str], key: str, label_of: Callable[[str], str], lang: str) -> None:
    """A filter's multiselect, its empty state asking in the reader's language (Streamlit's own: Choose options)."""
    st.multiselect(label, list(options), key=key, placeholder=t("choose", lang), format_func=label_of)


def _filters(data: MapData, lang: str) -> None:
    plans, layers = data.plans, data.layers
    choose_many(
        t("plans", lang),
        data.plan_order,
        "plans",
        lambda p: bracketed(plans[p]["title_zh" if lang == "zh" else "title_en"], plans[p]["date"], lang),
        lang,
    )
    choose_many(t("phases", lang), [p["id"] for p in data.catalog["phases"]], "phases", lambda p: phase_label(p, lang), lang)
    st.checkbox(t("stated_only", lang), key="stated", help=t("stated_only_help", lang))
    choose_many(
        t("statuses", lang), [s["id"] for s in data.catalog["statuses"]], "statuses", lambda s: status_label(s, lang), lang
    )
    choose_many(
        t("layers", lang),
        _orders(data)["layers"],
        "layers",
        lambda lid: f"{theme_label(layers[lid]['theme'], lang)} · {layers[lid]['title_zh' if lang == 'zh' else 'title_en']}",
        lang,
    )


def _search(data: MapData, shown: list[Shown], lang: str) -> None:
    query = st.text_input(t("search", lang), key="search", placeholder=t("search_hint", lang))
    if not query:
        return
    matches = search([s.feature for s in shown], query)
    hidden = len(search(data.features, query)) - len(matches)
    if not matches:
        st.caption(t("no_match", lang))
    else:
        names = {f["properties"]["id"]: f["properties"] for f in matches}
        st.selectbox(
            t("search_pick", lang),
            list(names),
            index=None,
            key="search_pick",
            on_change=_on_pick,
            args=(data,),
            format_func=lambda fid: f"{names[fid]['name_zh']} · {names[fid]['name_en']}",
        )
    if hidden > 0:
        st.caption(t("search_hidden", lang, n=hidden))


def _basemap_choice(lang: str) -> None:
    has_key = bool(tianditu_key())

    def label(basemap_id: str) -> str:
        choice = basemap(basemap_id)
        suffix = "" if has_key or not choice.needs_key else ("（需密钥）" if lang == "zh" else " (needs a key)")
        return choice.label(lang) + suffix

    st.selectbox(t("basemap", lang), _default_first(), key="basemap", format_func=label)
    chosen = basemap(st.session_state.basemap)
    if chosen.needs_key and not has_key:
        st.info(t("tianditu_key_missing", lang))
    elif chosen.gcj02:
        st.caption(t("amap_note", lang))
    elif chosen.id == "none":
        st.caption(t("none_basemap_note", lang))
