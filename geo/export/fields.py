"""The flat attribute table of every feature: GeoPackage and CSV columns, Shapefile fields, KML data.

Lists become ';'-separated text and mentions move to their own table (GeoPackage `mentions`,
`mentions.csv` in the zips), joined on `id` = `mentions.feature_id`. The style columns are the feature's
resolved style (geo.style.styles.resolve_style, named after FeatureStyle's fields) for the status it is drawn
with; the QGIS styles read them. `short` is the Shapefile name (DBF: ASCII, at most 10 characters).
Descriptive texts come in both languages (`_zh`, `_en`); a status also comes dated, as the words of its
plan at the plan's date (geo.i18n.dated_status), never as today's state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from geo.i18n import dated_status, state_text
from geo.query.selection import Shown
from geo.sources.mapdata import MapData
from geo.sources.schema import MENTION_FIELDS
from geo.style.styles import FeatureStyle, resolve_style
from geo.style.symbols import GEOMETRY_FAMILY, class_shape

Plans = dict[str, dict[str, Any]]  # the catalogue's plans by id
Value = Callable[[Shown, FeatureStyle, Plans], Any]


@dataclass(frozen=True)
class Field:
    name: str
    short: str
    zh: str
    en: str
    value: Value
    type: str | None = None  # "str", "int", "float" or "bool"; None: inferred from the whole export's values


def _prop(key: str) -> Value:
    return lambda shown, *_: shown.feature["properties"][key]


def _prop_or_none(key: str) -> Value:
    return lambda shown, *_: shown.feature["properties"].get(key)


def _state(shown: Shown) -> str | None:
    mention = shown.mention
    return state_text(mention.get("exists"), mention["status"], mention.get("action"), "zh") if mention.get("status") else None


def _status_dated(mention: dict[str, Any], plans: Plans, lang: str) -> str | None:
    """在建（据《珠西都市圈规划》，2023-10）: the status as its plan's words at the plan's date."""
    plan = plans.get(mention.get("plan", ""))
    return dated_status(mention["status"], plan, lang) if plan and mention.get("status") else None


def _dated(lang: str) -> Value:
    return lambda shown, style, plans: _status_dated(shown.mention, plans, lang)


def _aliases(shown: Shown) -> str | None:
    return ";".join(f"{a['name']}（{a['plan']}）" for a in shown.feature["properties"].get("aliases", ())) or None


def _joined(key: str) -> Value:
    return lambda shown, *_: ";".join(shown.feature["properties"].get(key, [])) or None


def _style(key: str) -> Value:
    return lambda shown, style, _: getattr(style, key)


FIELDS: tuple[Field, ...] = (
    Field("id", "id", "要素编号", "feature id; joins mentions.feature_id", _prop("id")),
    Field("name_zh", "name_zh", "中文名称", "Chinese name", _prop("name_zh")),
    Field("name_en", "name_en", "英文名称", "English name", _prop("name_en")),
    Field("aliases", "aliases", "规划用名", "names the plans use, with their plan: 名称（plan）;…", lambda s, *_: _aliases(s)),
    Field("layer", "layer", "图层", "layer id", _prop("layer")),
    Field("kind", "kind", "类型", "kind of feature", _prop("kind")),
    Field(
        "status",
        "status",
        "状态",
        "status it is drawn with: its mention in the most recent selected plan (no filter: the feature's own status)",
        lambda shown, *_: shown.mention["status"],
    ),
    Field(
        "exists",
        "exists",
        "存在状况",
        "in place at that plan's date? existing, partial, absent, designation (an area the plans designate), unknown",
        lambda shown, *_: shown.mention.get("exists"),
    ),
    Field(
        "action",
        "action",
        "规划行动",
        "what that plan's words do to it: new_build, build, expand, rebuild_expand, upgrade, improve, restore, … named",
        lambda shown, *_: shown.mention.get("action"),
    ),
    Field(
        "status_dated_zh",
        "stat_dt_zh",
        "状态（规划及日期）",
        "the status as its plan's words at the plan's date, in Chinese: 在建（据《珠西都市圈规划》，2023-10）",
        _dated("zh"),
    ),
    Field(
        "status_dated_en",
        "stat_dt_en",
        "状态（规划及日期，英文）",
        "the same in English: under construction (prw-metro, 2023-10)",
        _dated("en"),
    ),
    Field("state_zh", "state_zh", "现状与规划", "existence · status and action, e.g. 现状 · 规划改扩建", lambda s, *_: _state(s)),
    Field(
        "site_undetermined",
        "site_tbd",
        "位置待定",
        "the plan leaves the site open: drawn as a symbol in the area its words name",
        _prop_or_none("site_undetermined"),
    ),
    Field("exists_from", "exist_from", "建成时间", "when it came into use, if between plan dates", _prop_or_none("exists_from")),
    Field(
        "complete_from",
        "cmplt_from",
        "全部建成时间",
        "when a feature partly built at a plan's date was complete",
        _prop_or_none("complete_from"),
    ),
    Field(
        "exists_now",
        "exist_now",
        "现今存在状况",
        "in place since exists_from or complete since complete_from; empty where exists already says it",
        _prop_or_none("exists_now"),
    ),
    Field(
        "exists_basis_zh",
        "exst_bs_zh",
        "存在状况依据",
        "where the existence comes from, in Chinese",
        _prop_or_none("exists_basis_zh"),
    ),
    Field("exists_basis_en", "exst_bs_en", "存在状况依据（英文）", "the same in English", _prop_or_none("exists_basis_en")),
    Field("plans", "plans", "相关规划", "every plan that mentions it, ';'-separated", _joined("plans")),
    Field("phases", "phases", "阶段", "every phase its mentions give, ';'-separated", _joined("phases")),
    Field(
        "mention_count",
        "n_mentions",
        "规划引用数",
        "number of plan mentions (their text is in the mentions table)",
        lambda shown, *_: len(shown.feature["properties"]["mentions"]),
    ),
    Field("geometry_basis_zh", "geom_bs_zh", "几何来源", "how the geometry was drawn, in Chinese", _prop("geometry_basis_zh")),
    Field(
        "geometry_basis_en",
        "geom_bs_en",
        "几何来源（英文）",
        "how the geometry was drawn, in English",
        _prop("geometry_basis_en"),
    ),
    Field("note_zh", "note_zh", "备注", "a note on the feature, in Chinese", _prop_or_none("note_zh")),
    Field("note_en", "note_en", "备注（英文）", "the same in English", _prop_or_none("note_en")),
    Field("accuracy_m", "accuracy_m", "位置精度（米）", "how far off the geometry may be, in metres", _prop("accuracy_m"), "int"),
    Field("carriers", "carriers", "组成线路", "lines a corridor or chain is made of, ';'-separated", _joined("carriers")),
    Field("color", "color", "线色", "stroke colour", _style("color")),
    Field("fill_color", "fill_color", "填充色", "fill colour", _style("fill_color")),
    Field("fill_opacity", "fill_opac", "填充不透明度", "fill opacity, 0-1", _style("fill_opacity")),
    Field("weight", "weight", "线宽（像素）", "stroke width, screen pixels", _style("weight")),
    Field("opacity", "opacity", "线不透明度", "stroke opacity, 0-1", _style("opacity")),
    Field("radius", "radius", "点半径（像素）", "point symbol radius, screen pixels", _style("radius")),
    Field("label", "label", "显示名称", "whether the map labels it", _style("label")),
    Field("dash", "dash", "虚线", "dash pattern in pixels (SVG dasharray); empty: solid", _style("dash")),
    Field(
        "marker",
        "marker",
        "点符号形状",
        "point marker shape: circle, square, diamond, triangle, star or hexagon",
        _style("marker"),
        "str",
    ),
    Field(
        "hatch",
        "hatch",
        "面填充纹理",
        "area hatch: //// diagonal lines, xx cross-hatch, .. dots; empty: none",
        _style("hatch"),
        "str",
    ),
    Field(
        "attributes",
        "attributes",
        "上传属性",
        "an uploaded feature's own attributes as JSON; empty for plan features",
        lambda shown, *_: shown.feature["properties"].get("attributes"),
    ),
)
FIELD_BY_NAME: dict[str, Field] = {field.name: field for field in FIELDS}

MENTION_COLUMNS: tuple[str, ...] = ("feature_id", "layer", *MENTION_FIELDS, "status_dated_zh", "status_dated_en")


def feature_style(data: MapData, shown: Shown) -> FeatureStyle:
    properties = shown.feature["properties"]
    status = shown.mention["status"]
    family = GEOMETRY_FAMILY.get(shown.feature["geometry"]["type"])
    shape = class_shape(properties, family, status) if family else {}  # a themed style (geo.export.themed) wins
    return resolve_style(data.layers[properties["layer"]]["style"], {**shape, **(properties.get("style") or {})}, status)


def flat_record(data: MapData, shown: Shown) -> dict[str, Any]:
    style = feature_style(data, shown)
    return {field.name: field.value(shown, style, data.plans) for field in FIELDS}


def passages_text(mention: dict[str, Any]) -> str:
    """A mention's further passages of its plan as one cell: 章节：原文, one per line."""
    return "\n".join(f"{p['section']}：{p['quote']}" for p in mention.get("also", ()))


def mention_records(shown: Shown, plans: Plans) -> list[dict[str, Any]]:
    """Every mention of the feature (not only those the selection matched), so no citation is lost."""
    properties = shown.feature["properties"]
    return [
        {
            "feature_id": shown.id,
            "layer": properties["layer"],
            **{k: passages_text(m) if k == "also" else m.get(k, "") for k in MENTION_FIELDS},
            "status_dated_zh": _status_dated(m, plans, "zh"),
            "status_dated_en": _status_dated(m, plans, "en"),
        }
        for m in properties["mentions"]
    ]
