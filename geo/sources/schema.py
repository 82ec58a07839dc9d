"""The one schema: vocabularies, field order and limits that build, app, export and print all read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """A controlled value with its labels and, for statuses, the line pattern it is drawn with."""

    id: str
    zh: str
    en: str
    dash: str | None = None  # SVG/Leaflet dash array; None draws a solid line


STATUSES: tuple[Term, ...] = (
    Term("existing", "现状", "existing", None),
    Term("under_construction", "在建", "under construction", "14 5"),
    Term("planned", "规划", "planned", "7 6"),
    Term("study", "研究", "study", "2 6"),
    Term("reserve", "战略留白", "reserve", "2 6"),
)

PHASES: tuple[Term, ...] = (
    Term("现状", "现状", "existing"),
    Term("近期", "近期（至2025年）", "near term (to 2025)"),
    Term("中期", "中期（至2029-2030年）", "medium term (to 2029-2030)"),
    Term("远期", "远期（至2035年）", "long term (to 2035)"),
    Term("远景", "远景（研究、2035年后或战略留白）", "vision (study, beyond 2035 or reserve)"),
)

# Whether a feature is in place at a plan's date, apart from what the plan does to it (its status and
# action). layers/meta/status_rules.yaml gives the default per kind; other features state it.
EXISTENCE: tuple[Term, ...] = (
    Term("existing", "现状", "exists"),
    Term("partial", "部分建成", "partly built"),
    Term("absent", "未建成", "not built"),
    Term("designation", "规划划定", "designated area"),
    Term("unknown", "不详", "not known"),
)

# What a mention's words do to the feature, read from the quote by the action rule (status_rules.yaml).
# The zh label reads after the status: 规划 + 改扩建 = 规划改扩建; `named` (no action stated) adds nothing.
ACTIONS: tuple[Term, ...] = (
    Term("new_build", "新建", "new build"),
    Term("build", "建设", "build"),
    Term("expand", "扩建", "extension"),
    Term("rebuild_expand", "改扩建", "rebuilding and extension"),
    Term("upgrade", "改造", "rebuilding"),
    Term("improve", "提升", "improvement"),
    Term("restore", "修复", "restoration"),
    Term("protect", "保护", "protection"),
    Term("study", "研究", "study"),
    Term("prepare", "谋划", "preparation"),
    Term("reserve", "预留", "reserve"),
    Term("use", "依托", "relied on"),
    Term("named", "", "named only"),
)
# Actions on something already in place: a later plan planning these is new work, not a step back.
WORKS_ON_EXISTING = frozenset({"expand", "rebuild_expand", "upgrade", "improve", "restore", "protect", "use"})

# Where a mention's phase comes from (layers/meta/status_rules.yaml explains each).
PHASE_BASES: tuple[Term, ...] = (
    Term("quote", "据原文", "stated in the quote"),
    Term("section", "据章节", "stated in its section"),
    Term("plan_period", "据规划期推定", "inferred from the plan period"),
    Term("wording_rule", "据措辞规则推定", "inferred by the wording rule"),
)
# The bases under which the plan itself states the phase (the "only phases the plans state" filter).
STATED_PHASE_BASES = frozenset({"quote", "section"})

# Status strength for choosing the feature-level status from several mentions: the most advanced wins.
STATUS_RANK = {term.id: rank for rank, term in enumerate(reversed(STATUSES))}

KIND_TERMS: tuple[Term, ...] = (
    Term("island", "岛屿", "island"),
    Term("water", "水系", "water"),
    Term("boundary", "行政边界", "boundary"),
    Term("mountain", "山体", "mountain"),
    Term("bay", "海湾", "bay"),
    Term("coast", "岸线", "coast"),
    Term("development_axis", "发展轴带", "development axis"),
    Term("zone", "片区", "zone"),
    Term("cluster", "组团", "cluster"),
    Term("industry_zone", "产业片区", "industry zone"),
    Term("development_area", "开发时序片区", "development area"),
    Term("urban_form", "城市意象分区", "urban form"),
    Term("urban_interface", "城市界面", "urban interface"),
    Term("ecological_ring", "生态环", "ecological ring"),
    Term("ecological_core", "生态绿核", "ecological core"),
    Term("ecological_corridor", "生态廊道", "ecological corridor"),
    Term("park", "公园", "park"),
    Term("wetland", "湿地", "wetland"),
    Term("greenway", "绿道·碧道", "greenway"),
    Term("heritage", "文化遗产", "heritage"),
    Term("industrial_park", "产业园区", "industrial park"),
    Term("platform", "平台", "platform"),
    Term("campus", "校区", "campus"),
    Term("hospital", "医院", "hospital"),
    Term("resort", "度假区", "resort"),
    Term("venue", "文化设施", "cultural venue"),
    Term("residential", "居住社区", "residential"),
    Term("utility", "市政设施", "utility"),
    Term("rail_line", "铁路", "rail line"),
    Term("station", "车站·枢纽", "station"),
    Term("bridge", "桥梁·通道", "bridge"),
    Term("road", "道路", "road"),
    Term("tunnel", "隧道", "tunnel"),
    Term("port", "港口·码头", "port"),
    Term("terminal", "码头·航站楼", "terminal"),
    Term("airport", "机场", "airport"),
    Term("border_crossing", "口岸", "border crossing"),
    Term("logistics", "物流", "logistics"),
    Term("corridor", "交通走廊", "corridor"),
)
KINDS: tuple[str, ...] = tuple(term.id for term in KIND_TERMS)

THEMES: tuple[Term, ...] = (
    Term("base", "基础地理", "base geography"),
    Term("structure", "空间结构", "spatial structure"),
    Term("ecology", "生态格局", "ecology"),
    Term("parks", "公园与绿道", "parks and greenways"),
    Term("industry", "产业空间", "industrial space"),
    Term("transport", "交通", "transport"),
    Term("utilities", "能源与水利", "energy and water"),
)

# Properties of every output feature, in output order.
PROPERTY_ORDER: tuple[str, ...] = (
    "id",
    "name_zh",
    "name_en",
    "aliases",
    "layer",
    "kind",
    "plans",
    "phases",
    "status",
    "exists",
    "mentions",
    "geometry_basis_zh",
    "geometry_basis_en",
    "accuracy_m",
)
# Fields of a mention in exports; `phase_source` (the dated words when phase_basis is `section`) is absent
# from the GeoJSON otherwise and empty in the exports' mention tables.
MENTION_FIELDS: tuple[str, ...] = (
    "plan",
    "section",
    "quote",
    "also",
    "exists",
    "status",
    "action",
    "phase",
    "phase_basis",
    "phase_source",
    "status_basis_zh",
    "status_basis_en",
    "action_basis_zh",
    "action_basis_en",
)

GEOMETRY_TYPES: tuple[str, ...] = ("Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon")

# Everything the plans cover lies in this box (Guangdong's Pearl River Delta and west coast).
LON_RANGE = (111.0, 115.0)
LAT_RANGE = (21.0, 23.5)

QUOTE_MAX_CHARS = 200
COORDINATE_DECIMALS = 6

STYLE_KEYS: tuple[str, ...] = ("color", "fill_color", "fill_opacity", "weight", "radius", "label", "dash", "opacity")

STATUS_IDS = frozenset(term.id for term in STATUSES)
PHASE_IDS = frozenset(term.id for term in PHASES)
PHASE_BASIS_IDS = frozenset(term.id for term in PHASE_BASES)
EXISTENCE_IDS = frozenset(term.id for term in EXISTENCE)
ACTION_IDS = frozenset(term.id for term in ACTIONS)
THEME_IDS = frozenset(term.id for term in THEMES)
