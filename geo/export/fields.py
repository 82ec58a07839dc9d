"""The flat attribute table of every feature: GeoPackage and CSV columns, Shapefile fields, KML data.

Lists become ';'-separated text and mentions move to their own table (GeoPackage `mentions`,
`mentions.csv` in the zips), joined on `id` = `mentions.feature_id`. The style columns are the feature's
resolved style (geo.styles.resolve_style, named after FeatureStyle's fields) for the status it is drawn
with; the QGIS styles read them. `short` is the Shapefile name (DBF: ASCII, at most 10 characters).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from geo.i18n import state_text
from geo.mapdata import MapData
from geo.schema import MENTION_FIELDS
from geo.selection import Shown
from geo.styles import FeatureStyle, resolve_style

Value = Callable[[Shown, FeatureStyle], Any]


@dataclass(frozen=True)
class Field:
    name: str
    short: str
    zh: str
    en: str
    value: Value


def _prop(key: str) -> Value:
    return lambda shown, style: shown.feature["properties"][key]


def _prop_or_none(key: str) -> Value:
    return lambda shown, style: shown.feature["properties"].get(key)


def _state(shown: Shown) -> str | None:
    mention = shown.mention
    return state_text(mention.get("exists"), mention["status"], mention.get("action"), "zh") if mention.get("status") else None


def _aliases(shown: Shown) -> str | None:
    return ";".join(f"{a['name']}（{a['plan']}）" for a in shown.feature["properties"].get("aliases", ())) or None


def _joined(key: str) -> Value:
    return lambda shown, style: ";".join(shown.feature["properties"].get(key, [])) or None


def _style(key: str) -> Value:
    return lambda shown, style: getattr(style, key)


FIELDS: tuple[Field, ...] = (
    Field("id", "id", "要素编号", "feature id; joins mentions.feature_id", _prop("id")),
    Field("name_zh", "name_zh", "中文名称", "Chinese name", _prop("name_zh")),
    Field("name_en", "name_en", "英文名称", "English name", _prop("name_en")),
    Field("aliases", "aliases", "规划用名", "names the plans use, with their plan: 名称（plan）;…", lambda s, _: _aliases(s)),
    Field("layer", "layer", "图层", "layer id", _prop("layer")),
    Field("kind", "kind", "类型", "kind of feature", _prop("kind")),
    Field(
        "status",
        "status",
        "状态",
        "status it is drawn with: its mention in the most recent selected plan (no filter: the feature's own status)",
        lambda shown, style: shown.mention["status"],
    ),
    Field(
        "exists",
        "exists",
        "存在状况",
        "in place at that plan's date? existing, partial, absent, designation (an area the plans designate), unknown",
        lambda shown, style: shown.mention.get("exists"),
    ),
    Field(
        "action",
        "action",
        "规划行动",
        "what that plan's words do to it: new_build, build, expand, rebuild_expand, upgrade, improve, restore, … named",
        lambda shown, style: shown.mention.get("action"),
    ),
    Field("state_zh", "state_zh", "现状与规划", "existence · status and action, e.g. 现状 · 规划改扩建", lambda s, _: _state(s)),
    Field(
        "site_undetermined",
        "site_tbd",
        "位置待定",
        "the plan leaves the site open: drawn as a symbol in the area its words name",
        _prop_or_none("site_undetermined"),
    ),
    Field("exists_from", "exist_from", "建成时间", "when it came into use, if between plan dates", _prop_or_none("exists_from")),
    Field("plans", "plans", "相关规划", "every plan that mentions it, ';'-separated", _joined("plans")),
    Field("phases", "phases", "阶段", "every phase its mentions give, ';'-separated", _joined("phases")),
    Field(
        "mention_count",
        "n_mentions",
        "规划引用数",
        "number of plan mentions (their text is in the mentions table)",
        lambda shown, style: len(shown.feature["properties"]["mentions"]),
    ),
    Field("geometry_basis", "geom_basis", "几何来源", "how the geometry was drawn", _prop("geometry_basis")),
    Field("accuracy_m", "accuracy_m", "位置精度（米）", "how far off the geometry may be, in metres", _prop("accuracy_m")),
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
        "attributes",
        "attributes",
        "上传属性",
        "an uploaded feature's own attributes as JSON; empty for plan features",
        lambda shown, style: shown.feature["properties"].get("attributes"),
    ),
)
FIELD_BY_NAME: dict[str, Field] = {field.name: field for field in FIELDS}

MENTION_COLUMNS: tuple[str, ...] = ("feature_id", "layer", *MENTION_FIELDS)


def feature_style(data: MapData, shown: Shown) -> FeatureStyle:
    properties = shown.feature["properties"]
    return resolve_style(data.layers[properties["layer"]]["style"], properties.get("style"), shown.mention["status"])


def flat_record(data: MapData, shown: Shown) -> dict[str, Any]:
    style = feature_style(data, shown)
    return {field.name: field.value(shown, style) for field in FIELDS}


def mention_records(shown: Shown) -> list[dict[str, Any]]:
    """Every mention of the feature (not only those the selection matched), so no citation is lost."""
    properties = shown.feature["properties"]
    return [
        {"feature_id": shown.id, "layer": properties["layer"], **{k: m.get(k, "") for k in MENTION_FIELDS}}
        for m in properties["mentions"]
    ]
