"""Interface text in Chinese (default) and English. Plan quotes are never translated."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from geo.sources.schema import ACTIONS, EXISTENCE, KIND_TERMS, PHASE_BASES, PHASES, STATUSES, THEMES, Term

TEXT: dict[str, dict[str, str]] = {
    "title": {"zh": "横琴与珠西规划图", "en": "Hengqin & Pearl River West Bank plan map"},
    "plans": {"zh": "规划", "en": "Plans"},
    "page_map": {"zh": "地图", "en": "Map"},
    "compare": {"zh": "对比（左右两图）", "en": "Compare (two maps)"},
    "compare_phase": {"zh": "两个阶段", "en": "Two phases"},
    "compare_plan": {"zh": "两个规划", "en": "Two plans"},
    "compare_left": {"zh": "左图", "en": "Left"},
    "compare_right": {"zh": "右图", "en": "Right"},
    "page_register": {"zh": "项目登记表", "en": "Project register"},
    "theme": {"zh": "专题图", "en": "Thematic map"},
    "stated_only": {"zh": "只看规划明确的阶段", "en": "Only phases the plans state"},
    "stated_only_help": {
        "zh": "只计原文或其章节写明阶段的引文；不计据规划期或措辞规则推定的阶段。",
        "en": "Count only mentions whose words or section state the phase, not phases inferred from the plan period or wording.",
    },
    "phases": {"zh": "阶段", "en": "Phases"},
    "statuses": {"zh": "状态", "en": "Status"},
    "layers": {"zh": "图层", "en": "Layers"},
    "basemap": {"zh": "底图", "en": "Basemap"},
    "search": {"zh": "搜索名称", "en": "Search by name"},
    "search_hint": {"zh": "输入中文或英文名称的一部分", "en": "Part of a Chinese or English name"},
    "search_pick": {"zh": "选择要定位的要素", "en": "Pick a feature to zoom to"},
    "no_match": {"zh": "没有匹配的要素", "en": "No matching feature"},
    "search_hidden": {"zh": "另有 {n} 个匹配要素被当前筛选隐藏", "en": "{n} more matching features are hidden by the filters"},
    "reset": {"zh": "重置筛选", "en": "Reset filters"},
    "views": {"zh": "视图", "en": "Views"},
    "shown": {"zh": "当前显示 {n} 个要素（共 {total} 个）", "en": "Showing {n} of {total} features"},
    "language": {"zh": "语言", "en": "Language"},
    "legend": {"zh": "图例", "en": "Legend"},
    "kind": {"zh": "类型", "en": "Kind"},
    "section": {"zh": "章节", "en": "Section"},
    "also": {"zh": "同一规划另见", "en": "Also in this plan"},
    "status": {"zh": "状态", "en": "Status"},
    "existence": {"zh": "建成情况", "en": "In place"},
    "phase": {"zh": "阶段", "en": "Phase"},
    "geometry_basis": {"zh": "几何来源", "en": "Geometry basis"},
    "accuracy": {"zh": "位置精度约 {m} 米", "en": "Positional accuracy about {m} m"},
    "url_notice": {"zh": "链接中有无法识别的参数，已忽略：", "en": "Ignored unrecognised link parameters:"},
    "tianditu_key_missing": {
        "zh": "天地图需要密钥：在 https://console.tianditu.gov.cn 申请“浏览器端”密钥，"
        '设置环境变量 TIANDITU_KEY 或在 .streamlit/secrets.toml 中写入 TIANDITU_KEY = "…"，然后重启应用。',
        "en": "Tianditu needs a key: request a browser key at https://console.tianditu.gov.cn, set the "
        'TIANDITU_KEY environment variable or put TIANDITU_KEY = "…" in .streamlit/secrets.toml, then restart.',
    },
    "amap_note": {
        "zh": "高德底图使用 GCJ-02 坐标，图层已临时偏移以对齐底图（存储数据仍为 WGS84）。",
        "en": "AMap tiles are in GCJ-02; the layers are shifted for display only (stored data stay WGS84).",
    },
    "none_basemap_note": {
        "zh": "无底图：仅显示数据中的边界，适合离线和截图。",
        "en": "No basemap: boundaries from the data only, for offline use and clean screenshots.",
    },
    "source_note": {
        "zh": "资料来源：{plans}；示意图；状态为各规划发布时的表述",
        "en": "Sources: {plans}; schematic; statuses are the plans' words at their dates",
    },
    "status_note": {
        "zh": "状态为各规划发布时的表述，并非实地调查结果",
        "en": "Statuses are the plans' words at their dates, not surveyed facts",
    },
    "presentation": {"zh": "演示", "en": "Presentation"},
    "user_layer": {"zh": "我的图层", "en": "My layer"},
    "my_layers": {"zh": "我的图层（上传文件）", "en": "My layers (upload files)"},
    "upload": {
        "zh": "上传 GeoJSON、KML、Shapefile（zip）、GeoPackage 或 CSV",
        "en": "Upload GeoJSON, KML, zipped Shapefile, GeoPackage or CSV",
    },
    "upload_help": {
        "zh": "最大 50 MB；CSV 需经纬度列或 WKT 列。文件只在本次会话中使用。",
        "en": "Up to 50 MB; a CSV needs lon/lat or WKT columns. Files are used in this session only.",
    },
    "upload_button": {"zh": "上传", "en": "Upload"},
    "choose": {"zh": "请选择", "en": "Choose"},
    "upload_limits": {"zh": "每个文件不超过 {mb} MB", "en": "Up to {mb} MB per file"},
    "upload_datum": {"zh": "经纬度来源", "en": "Lon/lat datum"},
    "upload_datum_help": {
        "zh": "来自高德、腾讯地图的坐标选 GCJ-02，来自百度地图的选 BD-09；会转换为 WGS84。",
        "en": "GCJ-02 for coordinates from AMap or Tencent, BD-09 for Baidu; converted to WGS84.",
    },
    "upload_crs": {"zh": "无坐标系文件的 EPSG 代码（可选）", "en": "EPSG code for a file without CRS (optional)"},
    "upload_crs_help": {"zh": "例如 EPSG:4547（CGCS2000 3度带 114°E）。", "en": "e.g. EPSG:4547 (CGCS2000 3-degree GK 114°E)."},
    "upload_layer": {"zh": "选择图层", "en": "Choose a layer"},
    "upload_count": {"zh": "{n} 个要素", "en": "{n} features"},
    "upload_queued": {"zh": "{name}：排队读取中…（等待空闲的读取进程）", "en": "{name}: queued, waiting for a free reader…"},
    "downloads": {"zh": "下载当前选择", "en": "Download the current selection"},
    "export_format": {"zh": "GIS 文件格式", "en": "GIS file format"},
    "export_crs": {"zh": "坐标系", "en": "Coordinate reference system"},
    "export_make": {"zh": "生成 GIS 文件", "en": "Make the GIS file"},
    "export_themed": {
        "zh": "按当前专题图（只含其要素，带其符号）",
        "en": "In the current thematic map (its features only, with its symbols)",
    },
    "image_size": {"zh": "图片尺寸", "en": "Image size"},
    "image_format": {"zh": "图片格式", "en": "Image format"},
    "image_make": {"zh": "生成地图图片", "en": "Make the map image"},
    "image_making": {"zh": "正在绘制地图…", "en": "Drawing the map…"},
    "stats_title": {"zh": "查询统计", "en": "Statistics"},
    "stats_view": {"zh": "当前视图", "en": "The view on screen"},
    "stats_drawn": {"zh": "所画范围", "en": "The area drawn"},
    "stats_note": {
        "zh": "按 CGCS2000 3度带（EPSG:4547）以米计算；长度、面积为范围内部分",
        "en": "measured in metres in CGCS2000 3-degree GK (EPSG:4547); lengths and areas of the parts inside",
    },
    "stats_dimension": {"zh": "分类", "en": "by"},
    "stats_value": {"zh": "类别", "en": "value"},
    "stats_features": {"zh": "要素数", "en": "features"},
    "stats_length_km": {"zh": "长度（公里）", "en": "length (km)"},
    "stats_area_km2": {"zh": "面积（平方公里）", "en": "area (km²)"},
    "stats_csv": {"zh": "下载统计表（CSV）", "en": "Download the table (CSV)"},
    "print_title": {"zh": "当前视图的地图图片", "en": "Map image of the view on screen"},
    "print_download": {"zh": "下载图片（PNG，16:9）", "en": "Download the image (PNG, 16:9)"},
    "present_title": {"zh": "演示标题", "en": "Presentation title"},
    "present": {"zh": "演示模式（隐藏侧栏）", "en": "Presentation mode (hides the sidebar)"},
}


def t(key: str, lang: str, **values: object) -> str:
    text = TEXT[key]["zh" if lang == "zh" else "en"]
    return text.format(**values) if values else text


def term_label(terms: tuple[Term, ...], term_id: str, lang: str) -> str:
    term = next((x for x in terms if x.id == term_id), None)
    if term is None:
        return term_id
    return term.zh if lang == "zh" else term.en


def status_label(status: str, lang: str) -> str:
    return term_label(STATUSES, status, lang)


def plan_name(plan: Mapping[str, Any], lang: str) -> str:
    """A plan as a reader names it: its short Chinese title, or its id in English text."""
    return plan["short_zh"] if lang == "zh" else plan["id"]


def plan_dated(plan: Mapping[str, Any], lang: str) -> str:
    """珠西都市圈规划 2023-10 / prw-metro 2023-10: a register column's header, whole."""
    return f"{plan_name(plan, lang)} {plan['date']}"


@dataclass(frozen=True)
class Punctuation:
    """Chinese text takes full-width marks, English the plain ones with their spaces."""

    open: str
    close: str
    enum: str
    colon: str
    semicolon: str
    arrow: str


PUNCTUATION = {
    "zh": Punctuation("（", "）", "、", "：", "；", "→ "),
    "en": Punctuation(" (", ")", ", ", ": ", "; ", " → "),
}


def punctuation(lang: str) -> Punctuation:
    return PUNCTUATION.get(lang, PUNCTUATION["en"])


def labelled(label: str, text: str, lang: str) -> str:
    """章节：… / Section: …"""
    return f"{label}{punctuation(lang).colon}{text}"


def bracketed(text: str, note: str, lang: str) -> str:
    """现状（…） / existing (…)."""
    p = punctuation(lang)
    return f"{text}{p.open}{note}{p.close}"


def dated(text: str, plan: Mapping[str, Any], lang: str) -> str:
    """A status text (or 现状 · 在建改扩建) as the words of a plan at its date, never as today's state."""
    source = f"据《{plan_name(plan, lang)}》，{plan['date']}" if lang == "zh" else f"{plan_name(plan, lang)}, {plan['date']}"
    return bracketed(text, source, lang)


def dated_status(status: str, plan: Mapping[str, Any], lang: str) -> str:
    """在建（据《珠西都市圈规划》，2023-10） / under construction (prw-metro, 2023-10)."""
    return dated(status_label(status, lang), plan, lang)


def localised(properties: Mapping[str, Any], key: str, lang: str) -> str:
    """A descriptive text the data holds in both languages (<key>_zh, <key>_en), in the reader's."""
    return properties.get(f"{key}_{'zh' if lang == 'zh' else 'en'}") or ""


def phase_label(phase: str, lang: str) -> str:
    return term_label(PHASES, phase, lang)


def short_phase(phase: str, lang: str) -> str:
    """近期 rather than 近期（至2025年）, for narrow cells, chart axes and phase-with-basis text."""
    return phase if lang == "zh" else phase_label(phase, lang).split(" (")[0]


def phase_basis_label(basis: str, lang: str) -> str:
    return term_label(PHASE_BASES, basis, lang)


def phase_text(phase: str, basis: str | None, lang: str) -> str:
    """The phase with where it comes from: 中期（据规划期推定） / medium term (inferred from the plan period)."""
    if not basis:
        return short_phase(phase, lang)
    label = phase_basis_label(basis, lang)
    return f"{phase}（{label}）" if lang == "zh" else f"{short_phase(phase, lang)} ({label})"


def existence_label(exists: str, lang: str) -> str:
    return term_label(EXISTENCE, exists, lang)


def existence_text(properties: Mapping[str, Any], lang: str) -> str:
    """Whether it is in place, as of today where it came into use between plan dates, then why:
    现状（2024-11起）；2024年11月28日启用… / exists (since 2024-11); opened on …. Empty without an existence."""
    exists = properties.get("exists_now") or properties.get("exists")
    if not exists:
        return ""
    label = existence_label(exists, lang)
    if complete := properties.get("complete_from"):
        label = bracketed(label, f"{complete}起全部建成" if lang == "zh" else f"complete since {complete}", lang)
    elif since := properties.get("exists_from"):
        label = bracketed(label, f"{since}起" if lang == "zh" else f"since {since}", lang)
    basis = localised(properties, "exists_basis", lang)
    return f"{label}{punctuation(lang).semicolon}{basis}" if basis else label


def action_label(action: str, lang: str) -> str:
    return term_label(ACTIONS, action, lang)


# An action that only restates the status is not repeated: 研究, 战略留白, 现状 (relied on), 在建 (建设).
_RESTATED = {("study", "study"), ("reserve", "reserve"), ("existing", "use"), ("under_construction", "build")}


def state_text(exists: str | None, status: str, action: str | None, lang: str) -> str:
    """What exists and what the plan does to it: 现状 · 在建改扩建 / exists · under construction, rebuilding
    and extension. Without an existence (uploaded or constructed data) only the status and action."""
    status_text = status_label(status, lang)
    label = action_label(action, lang) if action and (status, action) not in _RESTATED else ""
    if label:
        status_text = f"{status_text}{label}" if lang == "zh" else f"{status_text}, {label}"
    return f"{existence_label(exists, lang)} · {status_text}" if exists else status_text


def kind_label(kind: str, lang: str) -> str:
    return term_label(KIND_TERMS, kind, lang)


def theme_label(theme: str, lang: str) -> str:
    """基础地理 / Base geography: a heading, an option or a cell of its own, so capitalised in English."""
    label = term_label(THEMES, theme, lang)
    return label[:1].upper() + label[1:]
