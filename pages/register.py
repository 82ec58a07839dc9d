"""项目登记表 — the register page: every project the plans mention, each plan's status and phase side by side.

Filters (theme, plan, phase, status, search) pick rows by the map's rule and are kept in the URL with the
map's keys; `?select=<id>` (or `feature=<id>`) highlights a row. Selecting a row opens the map page zoomed
to that feature, with the register's filters.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from geo.i18n import bracketed, dated, labelled, phase_label, phase_text, plan_dated, short_phase, status_label, t, theme_label
from geo.query.register import (
    FORMATS,
    Row,
    build_rows,
    dated_state,
    flag_text,
    matches,
    mention_state,
    plan_sequence,
    progression,
    rule_labels,
    timeline_points,
)
from geo.query.selection import Selection
from geo.sources.mapdata import MapData
from geo.sources.schema import PHASES, STATUSES, THEMES
from geo.style.basemaps import BASEMAP_IDS, DEFAULT_BASEMAP
from geo.ui.controls import cached_map_data, choose_many
from geo.ui.markdown import plain
from geo.ui.urlstate import ViewState, parse_query, to_query

_PAGE_LANG = "en" if (st.session_state.get("lang") or st.query_params.get("lang")) == "en" else "zh"
st.set_page_config(page_title="Project register" if _PAGE_LANG == "en" else "项目登记表", page_icon="🗂️", layout="wide")

TEXT: dict[str, tuple[str, str]] = {
    "title": ("项目登记表", "Project register"),
    "intro": (
        "各规划提及的每个项目或地点一行；各列为按日期排列的规划所给状态与阶段，状态后注该规划的日期。点击一行即在地图上定位该要素。",
        "One row per project or place any plan mentions; a column per plan, in date order, with its status (dated "
        "by the plan) and phase. Click a row to see the feature on the map.",
    ),
    "themes": ("主题", "Themes"),
    "plans": ("规划", "Plans"),
    "phases": ("阶段", "Phases"),
    "statuses": ("状态", "Status"),
    "search": ("搜索名称", "Search by name"),
    "flagged_only": ("只看有标记的项目", "Flagged projects only"),
    "multi_only": ("只看多个规划提及的项目", "Projects in several plans only"),
    "quotes": ("表中显示引文", "Show the quotes in the table"),
    "stated": ("只看规划明确的阶段", "Only phases the plans state"),
    "stated_help": (
        "只计阶段出自原文或其章节的引用，不计据规划期或措辞规则推定的阶段。",
        "Count only mentions whose phase the quote or its section states, not phases inferred from the plan period or wording.",
    ),
    "count": ("{n} 个项目，其中 {flagged} 个有标记", "{n} projects, {flagged} flagged"),
    "name": ("名称", "Name"),
    "theme": ("主题", "Theme"),
    "progression": ("进程", "Progression"),
    "flags": ("标记", "Flags"),
    "quote": ("引文", "quote"),
    "download": ("下载 {fmt}", "Download {fmt}"),
    "selected": ("已选项目", "Selected project"),
    "on_map": ("在地图上查看", "Show on the map"),
    "flagged_panel": ("有标记的项目（各规划原文对照）", "Flagged projects (each plan's words side by side)"),
    "none_flagged": ("当前筛选下没有标记。", "Nothing flagged in this selection."),
    "timeline": ("时间线：各项目在各规划中的阶段", "Timeline: each project's phase in each plan"),
    "project": ("项目", "Project"),
    "plan": ("规划", "Plan"),
    "phase": ("阶段", "Phase"),
    "status": ("状态", "Status"),
    "empty": ("当前筛选下没有项目。", "No project in this selection."),
    "chart_limit": (
        "前 {n} 个项目（共 {total} 个）；缩小筛选以查看其余项目。",
        "The first {n} of {total} projects; narrow the filters to see the others.",
    ),
}
FILTER_KEYS = ("reg_themes", "reg_plans", "reg_phases", "reg_statuses", "reg_stated")
MAX_CHART_ROWS = 150  # more rows than this and the chart is unreadable; it asks for a narrower selection


def tr(key: str, lang: str, **values: object) -> str:
    text = TEXT[key][0 if lang == "zh" else 1]
    return text.format(**values) if values else text


@st.cache_resource(show_spinner=False, max_entries=64)
def rows_for(selection: Selection) -> list[Row]:
    return build_rows(cached_map_data(), selection)


def _url_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _init_from_url(data: MapData) -> None:
    """Set the filters from the URL when this page is entered (Streamlit drops a page's widget state on leaving)."""
    if all(key in st.session_state for key in FILTER_KEYS):
        return
    state = parse_query(_url_params(), data, (DEFAULT_BASEMAP, *(b for b in BASEMAP_IDS if b != DEFAULT_BASEMAP)))
    st.session_state.setdefault("reg_basemap", state.basemap)
    layers = data.layers
    st.session_state.reg_themes = [t.id for t in THEMES if any(layers[lid]["theme"] == t.id for lid in state.selection.layers)]
    st.session_state.reg_plans = [p for p in plan_sequence(data.plans) if p in state.selection.plans]
    st.session_state.reg_phases = [p.id for p in PHASES if p.id in state.selection.phases]
    st.session_state.reg_statuses = [s.id for s in STATUSES if s.id in state.selection.statuses]
    st.session_state.reg_stated = state.selection.stated_phases_only


def _lang() -> str:
    """The map page's language while its state lasts, else the link's, else Chinese."""
    lang = st.session_state.get("lang") or st.query_params.get("lang") or "zh"
    return lang if lang in ("zh", "en") else "zh"


def _selection(data: MapData) -> Selection:
    themes = set(st.session_state.reg_themes)
    return Selection(
        plans=frozenset(st.session_state.reg_plans),
        phases=frozenset(st.session_state.reg_phases),
        statuses=frozenset(st.session_state.reg_statuses),
        layers=frozenset(lid for lid, layer in data.layers.items() if layer["theme"] in themes),
        stated_phases_only=st.session_state.reg_stated,
    )


def _keep_map_settings() -> None:
    """Remember the map's basemap, and have the map page set itself up from its URL when it is next shown.

    Streamlit drops a page's widget state when another page runs, and the map page reads its URL only on
    a session's first run (geo.ui.controls.init_session, keyed on "initialised"), so without this a return
    to the map would find its widgets gone.
    """
    if st.session_state.get("basemap"):
        st.session_state.reg_basemap = st.session_state.basemap
    st.session_state.pop("initialised", None)


def _query(data: MapData, selection: Selection, lang: str, feature: str | None = None) -> dict[str, str]:
    basemap = st.session_state.get("reg_basemap", DEFAULT_BASEMAP)
    return to_query(ViewState(selection, basemap, lang, feature=feature), data, DEFAULT_BASEMAP)


def _open_on_map(data: MapData, selection: Selection, lang: str, feature_id: str) -> None:
    st.switch_page("pages/map.py", query_params=_query(data, selection, lang, feature_id))


def _on_select(ids: list[str]) -> None:
    picked = st.session_state.reg_table.selection.rows
    if picked:
        st.session_state.reg_jump = ids[picked[0]]


def _sidebar(data: MapData, lang: str) -> tuple[str, bool, bool, bool]:
    plans = data.plans
    with st.sidebar:
        choose_many(tr("themes", lang), [t.id for t in THEMES], "reg_themes", lambda t: theme_label(t, lang), lang)
        choose_many(
            tr("plans", lang),
            plan_sequence(plans),
            "reg_plans",
            lambda p: bracketed(plans[p]["short_zh"] if lang == "zh" else p, plans[p]["date"], lang),
            lang,
        )
        choose_many(tr("phases", lang), [p.id for p in PHASES], "reg_phases", lambda p: phase_label(p, lang), lang)
        st.checkbox(tr("stated", lang), key="reg_stated", help=tr("stated_help", lang))
        choose_many(tr("statuses", lang), [s.id for s in STATUSES], "reg_statuses", lambda s: status_label(s, lang), lang)
        query = st.text_input(tr("search", lang), key="reg_search")
        flagged_only = st.checkbox(tr("flagged_only", lang), key="reg_flagged")
        multi_only = st.checkbox(tr("multi_only", lang), key="reg_multi")
        quotes = st.checkbox(tr("quotes", lang), key="reg_quotes")
    return query, flagged_only, multi_only, quotes


def _table(rows: list[Row], data: MapData, lang: str, quotes: bool) -> pd.DataFrame:
    plans = data.plans
    records: list[dict[str, Any]] = []
    for row in rows:
        record: dict[str, Any] = {
            tr("name", lang): _name(row, lang),
            tr("theme", lang): theme_label(row.theme, lang),
        }
        for plan in plan_sequence(plans):
            mention = row.mentions.get(plan)
            tag = plan_dated(plans[plan], lang)
            record[tag] = _status_and_phase(mention, plans, lang) if mention else ""
            if quotes:
                record[f"{tag} {tr('quote', lang)}"] = mention["quote"] if mention else ""
        record[tr("progression", lang)] = progression(row, plans, lang)
        record[tr("flags", lang)] = rule_labels(row, lang)
        records.append(record)
    return pd.DataFrame.from_records(records, index=[row.id for row in rows])


def _status_and_phase(mention: dict[str, str], plans: dict[str, Any], lang: str) -> str:
    """现状 · 规划改扩建（2023-12） · 中期（据规划期推定）: the status dated by its plan (named in the column)."""
    return f"{dated_state(mention, plans, lang)} · {phase_text(mention['phase'], mention.get('phase_basis'), lang)}"


def _column_config(frame: pd.DataFrame, lang: str) -> dict[str, Any]:
    """Plan columns wide enough for their whole header (珠西都市圈规划 2023) and the dated status."""
    wide = {tr("name", lang): "medium", tr("progression", lang): "large", tr("flags", lang): "medium"}
    config: dict[str, Any] = {"_index": st.column_config.TextColumn("id", width="medium")}
    for name in frame.columns:
        width = wide.get(name, "large" if name.endswith(tr("quote", lang)) else "medium")
        config[name] = st.column_config.TextColumn(name, width=width)
    return config


def _name(row: Row, lang: str) -> str:
    return row.name_zh if lang == "zh" else f"{row.name_en} · {row.name_zh}"


def _highlight(frame: pd.DataFrame, selected: str | None):
    if selected not in frame.index:
        return frame
    return frame.style.apply(lambda r: ["background-color: #fff3b0" if r.name == selected else "" for _ in r], axis=1)


def _quotes_side_by_side(row: Row, data: MapData, lang: str) -> None:
    plans = data.plans
    for column, (plan, mention) in zip(st.columns(len(row.mentions)), row.mentions.items(), strict=True):
        with column.container(border=True):
            st.markdown(f"**{plain(plan_dated(plans[plan], lang))}**")
            st.caption(plain(mention["section"]))
            st.markdown(f"> {plain(mention['quote'])}")
            state = dated(mention_state(mention, lang), plans[plan], lang)  # 现状 · 在建（据《…》，2023）
            st.markdown(plain(f"{state} · {phase_text(mention['phase'], mention.get('phase_basis'), lang)}"))
            if mention.get("phase_source"):
                st.caption(plain(mention["phase_source"]))
            for passage in mention.get("also", ()):  # the plan's other passages about it
                st.caption(plain(labelled(t("also", lang), passage["section"], lang)))
                st.markdown(f"> {plain(passage['quote'])}")


def _flagged_panel(rows: list[Row], data: MapData, lang: str) -> None:
    flagged = [row for row in rows if row.flags]
    st.subheader(f"{tr('flagged_panel', lang)} · {len(flagged)}")
    if not flagged:
        st.caption(tr("none_flagged", lang))
    for row in flagged:
        with st.expander(f"{_name(row, lang)} · {rule_labels(row, lang)}"):
            for flag in row.flags:
                st.markdown(f"- {plain(flag_text(flag, data.plans, lang))}")
            st.caption(plain(progression(row, data.plans, lang)))
            _quotes_side_by_side(row, data, lang)


def _timeline(rows: list[Row], data: MapData, lang: str) -> None:
    st.subheader(tr("timeline", lang))
    shown = rows[:MAX_CHART_ROWS]
    if len(rows) > len(shown):
        st.caption(tr("chart_limit", lang, n=len(shown), total=len(rows)))
    points = pd.DataFrame(timeline_points(shown, data.plans, lang))
    phase_order = [short_phase(p.id, lang) for p in PHASES]
    status_order = [status_label(s.id, lang) for s in STATUSES]
    plan_order = [plan_dated(data.plans[p], lang) for p in plan_sequence(data.plans)]
    chart = (
        alt.Chart(points)
        .mark_point(filled=True, size=70)
        .encode(
            x=alt.X(
                "phase:N",
                sort=phase_order,
                scale=alt.Scale(domain=phase_order),
                axis=alt.Axis(orient="top", labelAngle=0, labelOverlap=False),
                title=tr("phase", lang),
            ),
            xOffset=alt.XOffset("plan:N", sort=plan_order, scale=alt.Scale(domain=plan_order)),
            y=alt.Y("project:N", sort=None, title=None, axis=alt.Axis(labelLimit=260)),
            color=alt.Color(
                "plan:N", sort=plan_order, scale=alt.Scale(domain=plan_order, scheme="category10"), title=tr("plan", lang)
            ),
            shape=alt.Shape("status:N", sort=status_order, scale=alt.Scale(domain=status_order), title=tr("status", lang)),
            tooltip=[
                alt.Tooltip("project:N", title=tr("project", lang)),
                alt.Tooltip("plan:N", title=tr("plan", lang)),
                alt.Tooltip("status:N", title=tr("status", lang)),
                alt.Tooltip("phase:N", title=tr("phase", lang)),
                alt.Tooltip("quote:N", title=tr("quote", lang)),
            ],
        )
        .properties(height=max(120, 18 * points["project"].nunique()))
    )
    st.altair_chart(chart, width="stretch")


def main() -> None:
    data = cached_map_data()
    lang = _lang()
    _keep_map_settings()
    _init_from_url(data)
    selection = _selection(data)
    jump = st.session_state.pop("reg_jump", None)
    if jump:
        _open_on_map(data, selection, lang, jump)
    query, flagged_only, multi_only, quotes = _sidebar(data, lang)
    selection = _selection(data)
    rows = [
        row
        for row in rows_for(selection)
        if matches(row, query) and (row.flags or not flagged_only) and (row.multi_plan or not multi_only)
    ]
    params = data.by_id.keys() & {st.query_params.get("select"), st.query_params.get("feature")}
    selected = next(iter(params), None)
    wanted = {**_query(data, selection, lang), **({"select": selected} if selected else {})}
    if {key: ",".join(st.query_params.get_all(key)) for key in st.query_params} != wanted:
        st.query_params.from_dict(wanted)

    st.markdown(f"#### {tr('title', lang)}")
    st.caption(tr("intro", lang))
    by_id = {row.id: row for row in rows}
    if selected in by_id:
        row = by_id[selected]
        st.markdown(f"**{tr('selected', lang)}** · {plain(_name(row, lang))}")
        st.caption(plain(progression(row, data.plans, lang)))
        _quotes_side_by_side(row, data, lang)
        if st.button(tr("on_map", lang), key="reg_on_map"):
            _open_on_map(data, selection, lang, selected)
    flagged = sum(1 for row in rows if row.flags)
    st.markdown(f"**{tr('count', lang, n=len(rows), flagged=flagged)}**")
    st.caption(t("status_note", lang))
    if not rows:
        st.info(tr("empty", lang))
        return
    columns = st.columns(len(FORMATS) + 4)
    for column, (fmt_id, fmt) in zip(columns, FORMATS.items(), strict=False):
        column.download_button(
            tr("download", lang, fmt=fmt.label),
            data=lambda fmt=fmt, rows=rows: fmt.write(rows, data.plans, lang),
            file_name=f"register{fmt.suffix}",
            mime=fmt.mime,
            key=f"reg_download_{fmt_id}",
        )
    if selected in by_id:  # the highlighted row first, where it is seen
        rows = [by_id[selected], *(row for row in rows if row.id != selected)]
    frame = _table(rows, data, lang, quotes)
    ids = list(frame.index)
    st.dataframe(
        _highlight(frame, selected),
        key="reg_table",
        on_select=lambda: _on_select(ids),
        selection_mode="single-row",
        selection_default={"selection": {"rows": [0]}} if selected in by_id else None,
        column_config=_column_config(frame, lang),
        height=560,
    )
    _flagged_panel(rows, data, lang)
    _timeline(rows, data, lang)


main()
