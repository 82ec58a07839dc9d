"""QGIS layer styles (QML) from the one style definition, geo.style.styles.resolve_style.

A layer's QML is a rule-based renderer with one rule per status (legend: 现状, 在建, 规划, 研究, 战略留白),
each drawn with the layer's style resolved for that status, so the line pattern follows the status as on
the web map. A table that mixes points, lines and polygons gets one group of rules per geometry family
(QGIS opens such a table as one sublayer per family, all with this style). Data-defined properties then
draw each feature from the export's style columns (named after FeatureStyle's fields), so per-feature
overrides of colour, width and dash show as in the app. Labels: name_zh in a CJK font, where the style
says so.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from xml.etree.ElementTree import Element, SubElement, tostring

from geo.sources.schema import STATUSES
from geo.style.styles import FeatureStyle, resolve_style
from geo.style.symbols import StatusSymbol, load_symbols

QGIS_VERSION = "3.22.0-Białowieża"  # the oldest QGIS this is written for (geometry_type() in rule filters)
PX_MM = 25.4 / 96  # one CSS pixel of the web map in millimetres, QGIS's print unit
LABEL_FONT = "Noto Sans CJK SC"
LABEL_COLOR = "34,34,34,255"  # the web map's label colour, #222
HEX_COLOR = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"

# Data-defined properties: each feature drawn with its own resolved style (export columns = FeatureStyle fields).
_MM = f"{PX_MM:.6f}"
STROKE_COLOR = 'set_color_part("color", \'alpha\', round(255 * "opacity"))'
FILL_COLOR = 'set_color_part("fill_color", \'alpha\', round(255 * "fill_opacity"))'
STROKE_WIDTH = f'"weight" * {_MM}'
MARKER_SIZE = f'2 * "radius" * {_MM}'
CUSTOM_DASH = (
    "CASE WHEN coalesce(trim(\"dash\"), '') = '' THEN NULL ELSE array_to_string(array_foreach("
    f"string_to_array(regexp_replace(trim(\"dash\"), '[ ,]+', ','), ','), to_real(@element) * {_MM}), ';') END"
)
LINE_EXPRESSIONS = {"outlineColor": STROKE_COLOR, "outlineWidth": STROKE_WIDTH, "customDash": CUSTOM_DASH}
FILL_EXPRESSIONS = {"fillColor": FILL_COLOR}
HATCH_COLOR = "set_color_part(\"color\", 'alpha', 153)"  # print's hatch: the stroke colour at 60 %
HATCH_SPACING_PX = {"////": 6, "xx": 8, "..": 6}
# Point markers: the shape is the feature's `marker` column (its symbol class: airports triangles, ports squares …).
MARKER_OUTLINE_PX = 1.6
MARKER_NAME = "coalesce(\"marker\", 'circle')"
# Half filled (under construction): QGIS has left halves of the circle (a semicircle turned), square and
# triangle; the other shapes get a filled core half their size instead.
HALF_NAME = (  # QGIS's CASE is the searched form only (CASE WHEN … THEN …)
    "CASE WHEN \"marker\" = 'square' THEN 'half_square' WHEN \"marker\" = 'triangle' THEN 'left_half_triangle' "
    "WHEN coalesce(\"marker\", 'circle') = 'circle' THEN 'semi_circle' ELSE \"marker\" END"
)
HALF_ANGLE = "CASE WHEN coalesce(\"marker\", 'circle') = 'circle' THEN 270 ELSE 0 END"
HALF_SIZE = (
    f"CASE WHEN coalesce(\"marker\", 'circle') IN ('circle', 'square', 'triangle') THEN {MARKER_SIZE} ELSE {MARKER_SIZE} / 2 END"
)
LABEL_SHOW_FIELD = "label"


def rgba(hex_color: str, opacity: float) -> str:
    """'#c0392b', 0.9 -> '192,57,43,230' (QGIS colour strings)."""
    if not HEX_COLOR.fullmatch(hex_color):
        raise ValueError(f"not a #rrggbb colour: {hex_color!r}")
    digits = hex_color[1:] if len(hex_color) == 7 else "".join(c * 2 for c in hex_color[1:])
    red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    return f"{red},{green},{blue},{round(255 * opacity)}"


def mm(px: float) -> str:
    return f"{px * PX_MM:.3f}".rstrip("0").rstrip(".")


def dash_mm(dash: str | None) -> str:
    """SVG dash array in px ('14 5') -> QGIS custom dash in mm ('3.704;1.323'); '' for a solid line."""
    if not dash:
        return ""
    return ";".join(mm(float(part)) for part in dash.replace(",", " ").split())


@dataclass(frozen=True)
class SymbolLayer:
    qgis_class: str
    props: dict[str, str]
    expressions: Mapping[str, str]
    sub: tuple[str, SymbolLayer] | None = None  # a pattern fill's own symbol: (symbol type, its one layer)


def _stroke(style: FeatureStyle) -> SymbolLayer:
    dash = dash_mm(style.dash)
    props = {
        "line_color": rgba(style.color, style.opacity),
        "line_width": mm(style.weight),
        "line_width_unit": "MM",
        "line_style": "solid",
        "use_custom_dash": "1" if dash else "0",
        "customdash": dash or "5;2",
        "customdash_unit": "MM",
        "capstyle": "round",  # Leaflet's default line cap, which turns the short study/reserve dashes into dots
        "joinstyle": "round",
    }
    return SymbolLayer("SimpleLine", props, LINE_EXPRESSIONS)


def _hatch_lines(angle: float, hatches: tuple[str, ...], spacing_px: float) -> SymbolLayer:
    """Parallel lines in the stroke colour, on only where the feature's `hatch` column is one of hatches."""
    line = SymbolLayer(
        "SimpleLine",
        {"line_color": "82,82,82,153", "line_width": mm(1), "line_width_unit": "MM", "line_style": "solid"},
        {"outlineColor": HATCH_COLOR},
    )
    props = {"lineangle": f"{angle:g}", "distance": mm(spacing_px), "distance_unit": "MM", "line_width_unit": "MM"}
    return SymbolLayer("LinePatternFill", props, {"enabled": _hatch_is(hatches)}, ("line", line))


def _hatch_dots(spacing_px: float) -> SymbolLayer:
    dot = SymbolLayer(
        "SimpleMarker",
        {"name": "circle", "color": "82,82,82,153", "outline_style": "no", "size": mm(1.6), "size_unit": "MM"},
        {"fillColor": HATCH_COLOR},
    )
    props = {"distance_x": mm(spacing_px), "distance_y": mm(spacing_px), "distance_x_unit": "MM", "distance_y_unit": "MM"}
    return SymbolLayer("PointPatternFill", props, {"enabled": _hatch_is(("..",))}, ("marker", dot))


def _hatch_is(hatches: tuple[str, ...]) -> str:
    # coalesce: a NULL test would leave the layer on (QGIS reads an undecided "enabled" as true)
    return "coalesce(\"hatch\", '') IN (" + ", ".join(f"'{h}'" for h in hatches) + ")"


# The hatches of geo.style.symbols (matplotlib's notation, as print draws them), as the web map draws them:
# "////" lines rising to the right, "xx" both diagonals, ".." dots; spacing in web pixels.
HATCH_LAYERS = (
    lambda: _hatch_lines(45, ("////", "xx"), HATCH_SPACING_PX["////"]),
    lambda: _hatch_lines(135, ("xx",), HATCH_SPACING_PX["xx"]),
    lambda: _hatch_dots(HATCH_SPACING_PX[".."]),
)


def _fill(style: FeatureStyle, status: StatusSymbol) -> list[SymbolLayer]:
    area = SymbolLayer(
        "SimpleFill",
        {"color": rgba(style.fill_color, style.fill_opacity), "style": "solid", "outline_style": "no"},
        FILL_EXPRESSIONS,
    )
    hatches = [make() for make in HATCH_LAYERS]
    return [area, *hatches, _stroke(style)]  # the outline as a line layer, so it can take the status dash pattern


def _line(style: FeatureStyle, status: StatusSymbol) -> list[SymbolLayer]:
    return [_stroke(style)]


def _marker(style: FeatureStyle, status: StatusSymbol) -> list[SymbolLayer]:
    """The web map's marker (planmap.js markerSvg): the class's shape on a white halo, filled as the status
    says (full; half; hollow; hollow with a centre dot; hollow with a cross), outline 1.6 px."""
    shape = {"size": mm(2 * style.radius), "size_unit": "MM", "scale_method": "diameter", "outline_width_unit": "MM"}
    shaped = {"name": MARKER_NAME, "size": MARKER_SIZE}
    halo = SymbolLayer(
        "SimpleMarker",
        {**shape, "name": style.marker, "color": "0,0,0,0", "outline_color": "255,255,255,255", "outline_width": mm(3.5)},
        shaped,
    )
    filled = status.marker_fill == "full"
    body = SymbolLayer(
        "SimpleMarker",
        {
            **shape,
            "name": style.marker,
            "color": rgba(style.color, style.opacity) if filled else "255,255,255,255",
            "outline_color": rgba(style.color, style.opacity),
            "outline_width": mm(MARKER_OUTLINE_PX),
        },
        {**shaped, "outlineColor": STROKE_COLOR, **({"fillColor": STROKE_COLOR} if filled else {})},
    )
    layers = [halo, body]
    stroked = {"outlineColor": STROKE_COLOR}
    mark = {"outline_color": rgba(style.color, style.opacity), "outline_width": mm(MARKER_OUTLINE_PX)}
    if status.marker_fill == "half":
        layers.append(
            SymbolLayer(
                "SimpleMarker",
                {**shape, **mark, "name": style.marker, "color": rgba(style.color, style.opacity)},
                {"name": HALF_NAME, "size": HALF_SIZE, "angle": HALF_ANGLE, "fillColor": STROKE_COLOR, **stroked},
            )
        )
    elif status.marker_fill == "dot":
        layers.append(
            SymbolLayer(
                "SimpleMarker",
                {**shape, "name": "circle", "color": rgba(style.color, style.opacity), "outline_style": "no"},
                {"size": f"{MARKER_SIZE} / 3", "fillColor": STROKE_COLOR},
            )
        )
    elif status.marker_fill == "cross":
        layers.append(
            SymbolLayer(
                "SimpleMarker",
                {**shape, **mark, "name": "cross2", "outline_width": mm(1.3)},
                {"size": f"{MARKER_SIZE} / 2", "outlineColor": STROKE_COLOR},
            )
        )
    return layers


@dataclass(frozen=True)
class Family:
    """Points, lines or polygons: how QGIS names them, draws them and places their labels."""

    id: str
    zh: str
    qgis_type: str  # what geometry_type($geometry) returns in QGIS expressions
    symbol_type: str
    symbol_layers: Callable[[FeatureStyle, StatusSymbol], list[SymbolLayer]]
    label_placement: dict[str, str]
    label_obstacle: bool  # whether other labels avoid these features (areas and lines overlap too much here)


FAMILIES: dict[str, Family] = {
    family.id: family
    for family in (
        # Drawing order: areas first, points on top.
        Family("polygon", "面", "Polygon", "fill", _fill, {"placement": "1", "centroidInside": "1"}, False),
        Family("line", "线", "Line", "line", _line, {"placement": "4"}, False),  # horizontal, as the app
        Family("point", "点", "Point", "marker", _marker, {"placement": "6", "dist": "1", "distUnits": "MM"}, True),
    )
}


def layer_qml(layer: Mapping, families: Iterable[str], columns: Mapping[str, str]) -> str:
    """The QML of one exported layer: its catalog entry, the geometry families its table holds and its
    columns in table order (after the fid), each with the Chinese alias QGIS shows as its header."""
    present = [FAMILIES[f] for f in FAMILIES if f in set(families)]
    if not present:
        raise ValueError(f"layer {layer['id']}: no geometry family to style")
    labels = resolve_style(layer["style"], None, STATUSES[0].id).label
    root = Element("qgis", version=QGIS_VERSION, styleCategories="Symbology|Labeling|Fields", labelsEnabled=str(int(labels)))
    root.append(_renderer(layer, present))
    if labels:
        root.append(_labeling(layer["id"], present))
    root.append(_aliases(columns))
    SubElement(root, "previewExpression").text = '"name_zh"'
    return DOCTYPE + "\n" + tostring(root, encoding="unicode") + "\n"


def _key(*parts: str) -> str:
    return "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "hengqin-plan-map/" + "/".join(parts))) + "}"


def _family_filter(family: Family) -> str:
    return f"geometry_type($geometry) = '{family.qgis_type}'"


def _renderer(layer: Mapping, families: list[Family]) -> Element:
    renderer = Element("renderer-v2", type="RuleRenderer", symbollevels="0", forceraster="0", enableorderby="0")
    rules = SubElement(renderer, "rules", key=_key(layer["id"], "rules"))
    symbols = Element("symbols")
    for family in families:
        parent = rules
        if len(families) > 1:
            parent = SubElement(rules, "rule", key=_key(layer["id"], family.id), filter=_family_filter(family), label=family.zh)
        for status in STATUSES:
            name = str(len(symbols))
            SubElement(
                parent,
                "rule",
                key=_key(layer["id"], family.id, status.id),
                filter=f"\"status\" = '{status.id}'",
                symbol=name,
                label=status.zh,
            )
            style = resolve_style(layer["style"], None, status.id)
            symbols.append(_symbol(name, family.symbol_type, family.symbol_layers(style, load_symbols().statuses[status.id])))
    renderer.append(symbols)
    return renderer


def _symbol(name: str, symbol_type: str, layers: list[SymbolLayer]) -> Element:
    symbol = Element("symbol", type=symbol_type, name=name, alpha="1", clip_to_extent="1", force_rhr="0")
    for index, symbol_layer in enumerate(layers):
        element = SubElement(symbol, "layer", {"class": symbol_layer.qgis_class, "enabled": "1", "locked": "0", "pass": "0"})
        options = SubElement(element, "Option", type="Map")
        for key, value in symbol_layer.props.items():
            SubElement(options, "Option", type="QString", name=key, value=value)
        for key, value in symbol_layer.props.items():  # the pre-3.26 form, read by older QGIS
            SubElement(element, "prop", k=key, v=value)
        element.append(_data_defined("data_defined_properties", symbol_layer.expressions))
        if symbol_layer.sub:  # a pattern fill's line or marker, named as QGIS names sub-symbols
            sub_type, sub_layer = symbol_layer.sub
            element.append(_symbol(f"@{name}@{index}", sub_type, [sub_layer]))
    return symbol


def _data_defined(tag: str, expressions: Mapping[str, str], fields: Mapping[str, str] | None = None) -> Element:
    """QGIS property collection: expressions (type 3) and plain field references (type 2)."""
    element = Element(tag)
    collection = SubElement(element, "Option", type="Map")
    SubElement(collection, "Option", type="QString", name="name", value="")
    properties = SubElement(collection, "Option", type="Map", name="properties")
    bindings = [(name, "expression", value, "3") for name, value in expressions.items()]
    bindings += [(name, "field", value, "2") for name, value in (fields or {}).items()]
    for name, kind, value, property_type in bindings:
        prop = SubElement(properties, "Option", type="Map", name=name)
        SubElement(prop, "Option", type="bool", name="active", value="true")
        SubElement(prop, "Option", type="QString", name=kind, value=value)
        SubElement(prop, "Option", type="int", name="type", value=property_type)
    SubElement(collection, "Option", type="QString", name="type", value="collection")
    return element


def _labeling(layer_id: str, families: list[Family]) -> Element:
    labeling = Element("labeling", type="rule-based")
    rules = SubElement(labeling, "rules", key=_key(layer_id, "labels"))
    for family in families:
        rule = SubElement(rules, "rule", key=_key(layer_id, "labels", family.id), description=family.zh)
        if len(families) > 1:
            rule.set("filter", _family_filter(family))
        settings = SubElement(rule, "settings", calloutType="simple")
        text = SubElement(
            settings,
            "text-style",
            fieldName="name_zh",
            isExpression="0",
            fontFamily=LABEL_FONT,
            namedStyle="Regular",
            fontSize="9",  # the web map's 12 px
            fontSizeUnit="Point",
            fontWeight="50",
            textColor=LABEL_COLOR,
            textOpacity="1",
        )
        SubElement(
            text,
            "text-buffer",
            bufferDraw="1",
            bufferSize="0.8",
            bufferSizeUnits="MM",
            bufferColor="255,255,255,255",
            bufferOpacity="0.9",
            bufferNoFill="1",
            bufferJoinStyle="128",
        )
        SubElement(settings, "placement", family.label_placement)
        SubElement(settings, "rendering", drawLabels="1", obstacle=str(int(family.label_obstacle)), fontLimitPixelSize="0")
        settings.append(_data_defined("dd_properties", {}, {"Show": LABEL_SHOW_FIELD}))
    return labeling


def _aliases(columns: Mapping[str, str]) -> Element:
    element = Element("aliases")
    for index, (field, alias) in enumerate(columns.items(), start=1):  # index 0 is the GeoPackage fid
        SubElement(element, "alias", field=field, index=str(index), name=alias)
    return element
