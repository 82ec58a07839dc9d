"""The shareable part of the app's state in the URL query: filters, basemap, language, view, feature.

The map's centre and zoom live in the URL fragment (`#map=zoom/lat/lon`, as on openstreetmap.org),
kept by the map page itself so panning never reruns Python (see geo/webmap.py).

Parsing never raises: unknown or malformed values are dropped and reported as notices for the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from geo.query.compare import parse_comparison
from geo.query.selection import Selection
from geo.sources.mapdata import MapData
from geo.style.themes import load_themes

LANGS = ("zh", "en")
FILTER_KEYS = ("plan", "phase", "status", "layer")
_MAX_PARAM_CHARS = 2000
MAX_TITLE_CHARS = 80  # longer values are not a link anyone made by hand or by this app


@dataclass(frozen=True)
class ViewState:
    selection: Selection
    basemap: str
    lang: str = "zh"
    view: str | None = None
    feature: str | None = None
    present: bool = False  # presentation mode: no sidebar, title, legend, scale, north arrow, source note
    title: str = ""  # the presentation title; empty means the default
    theme: str = ""  # the thematic map (geo.style.themes); empty: the default theme
    compare: str = ""  # two maps side by side (geo.query.compare), e.g. "phase:近期,远期"; empty: one map
    notices: tuple[str, ...] = field(default=(), compare=False)


def parse_query(params: Mapping[str, str | list[str]], data: MapData, basemaps: tuple[str, ...]) -> ViewState:
    """Read the query; anything unknown is ignored with a notice naming the parameter and value."""
    notices: list[str] = []
    everything = Selection.everything(data)
    chosen: dict[str, frozenset[str]] = {}
    for key, allowed in zip(
        FILTER_KEYS, (everything.plans, everything.phases, everything.statuses, everything.layers), strict=True
    ):
        values = _values(params, key, notices)
        if values is None:
            continue
        unknown = [v for v in values if v not in allowed]
        if unknown:
            notices.append(f"{key}: ignored unknown value(s) {', '.join(repr(v) for v in unknown)}")
        known = frozenset(v for v in values if v in allowed)
        if known or not values:  # an empty parameter (?plan=) deliberately selects nothing
            chosen[key] = known
    selection = Selection(
        plans=chosen.get("plan", everything.plans),
        phases=chosen.get("phase", everything.phases),
        statuses=chosen.get("status", everything.statuses),
        layers=chosen.get("layer", everything.layers),
        stated_phases_only=_one_of(params, "stated", ("1", "0"), "0", notices) == "1",
    )
    state = ViewState(selection, basemaps[0])
    state = replace(state, basemap=_one_of(params, "basemap", basemaps, basemaps[0], notices))
    state = replace(state, lang=_one_of(params, "lang", LANGS, "zh", notices))
    view_ids = tuple(v.id for v in data.views)
    view = _one_of(params, "view", view_ids, "", notices)
    feature = _one_of(params, "feature", tuple(data.by_id), "", notices)
    present = _one_of(params, "present", ("1", "0"), "0", notices) == "1"
    theme = _one_of(params, "theme", load_themes().ids, "", notices)
    compare = _raw(params, "compare") or ""
    if compare and parse_comparison(compare, data) is None:
        notices.append(f"compare: ignored {compare[:40]!r} (e.g. phase:近期,远期 or plan:hq-master,hq-industry)")
        compare = ""
    title = (_raw(params, "title") or "").strip()
    if len(title) > MAX_TITLE_CHARS:
        notices.append(f"title: cut to {MAX_TITLE_CHARS} characters")
        title = title[:MAX_TITLE_CHARS]
    return replace(
        state,
        view=view or None,
        feature=feature or None,
        present=present,
        title=title,
        theme=theme,
        compare=compare,
        notices=tuple(notices),
    )


def to_query(state: ViewState, data: MapData, default_basemap: str) -> dict[str, str]:
    """The query for a state, leaving out what equals the default so links stay short."""
    everything = Selection.everything(data)
    query: dict[str, str] = {}
    ordered = {
        "plan": list(data.plan_order),
        "phase": [p["id"] for p in data.catalog["phases"]],
        "status": [s["id"] for s in data.catalog["statuses"]],
        "layer": [layer["id"] for layer in data.catalog["layers"]],
    }
    for key, current, full in zip(
        FILTER_KEYS,
        (state.selection.plans, state.selection.phases, state.selection.statuses, state.selection.layers),
        (everything.plans, everything.phases, everything.statuses, everything.layers),
        strict=True,
    ):
        if current != full:
            query[key] = ",".join(v for v in ordered[key] if v in current)
    if state.selection.stated_phases_only:
        query["stated"] = "1"
    if state.basemap != default_basemap:
        query["basemap"] = state.basemap
    if state.lang != "zh":
        query["lang"] = state.lang
    if state.view:
        query["view"] = state.view
    if state.feature:
        query["feature"] = state.feature
    if state.present:
        query["present"] = "1"
    if state.title:
        query["title"] = state.title
    if state.theme and state.theme != load_themes().default:
        query["theme"] = state.theme
    if state.compare:
        query["compare"] = state.compare
    return query


def _raw(params: Mapping[str, str | list[str]], key: str) -> str | None:
    value = params.get(key)
    if value is None:
        return None
    if isinstance(value, list):
        value = ",".join(value)
    return str(value)


def _values(params: Mapping[str, str | list[str]], key: str, notices: list[str]) -> list[str] | None:
    raw = _raw(params, key)
    if raw is None:
        return None
    if len(raw) > _MAX_PARAM_CHARS:
        notices.append(f"{key}: ignored a value of {len(raw)} characters")
        return None
    return [v.strip() for v in raw.split(",") if v.strip()]


def _one_of(params: Mapping[str, str | list[str]], key: str, allowed: tuple[str, ...], default: str, notices: list[str]) -> str:
    raw = _raw(params, key)
    if raw is None or raw == "":
        return default
    if raw in allowed:
        return raw
    shown = raw if len(raw) <= 40 else raw[:40] + "…"
    notices.append(f"{key}: ignored unknown value {shown!r}")
    return default
