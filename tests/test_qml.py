"""QGIS styles come from the one style definition: colours per layer, line pattern and point fill per status,
marker shapes and hatches from the export's columns, Chinese labels."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from geo.export.fields import FIELDS
from geo.sources.mapdata import load_map_data
from geo.sources.schema import STATUSES
from geo.style.qml import FAMILIES, HALF_NAME, LABEL_FONT, dash_mm, layer_qml, mm, rgba
from geo.style.styles import resolve_style

COLUMNS = {field.name: field.zh for field in FIELDS}


@pytest.fixture(scope="module")
def data():
    return load_map_data()


def parse(qml: str) -> ET.Element:
    assert qml.startswith("<!DOCTYPE qgis")
    return ET.fromstring(qml)


def options(layer: ET.Element) -> dict[str, str]:
    return {o.get("name"): o.get("value") for o in layer.find("Option").findall("Option")}


def status_symbols(root: ET.Element, family: str | None = None) -> dict[str, ET.Element]:
    """status id -> symbol element, for one geometry family's rules (or the only ones)."""
    symbols = {s.get("name"): s for s in root.find("renderer-v2/symbols")}
    rules = root.find("renderer-v2/rules")
    if family:
        rules = next(r for r in rules.findall("rule") if FAMILIES[family].qgis_type in r.get("filter"))
    return {r.get("filter").split("'")[1]: symbols[r.get("symbol")] for r in rules.findall("rule")}


@pytest.mark.parametrize(
    ("hex_color", "opacity", "expected"),
    [("#c0392b", 0.9, "192,57,43,230"), ("#fff", 1, "255,255,255,255"), ("#000000", 0, "0,0,0,0")],
)
def test_rgba_is_qgis_colour_string(hex_color, opacity, expected):
    assert rgba(hex_color, opacity) == expected


def test_rgba_rejects_what_is_not_a_hex_colour():
    with pytest.raises(ValueError, match="not a #rrggbb"):
        rgba("red", 1)


@pytest.mark.parametrize(("dash", "expected"), [(None, ""), ("14 5", f"{mm(14)};{mm(5)}"), ("2,6", f"{mm(2)};{mm(6)}")])
def test_svg_dash_in_pixels_becomes_qgis_dash_in_mm(dash, expected):
    assert dash_mm(dash) == expected


def test_each_status_rule_draws_the_layer_colour_with_the_status_dash(data):
    layer = data.layers["region-roads"]  # lines only
    root = parse(layer_qml(layer, {"line"}, COLUMNS))
    assert root.find("renderer-v2").get("type") == "RuleRenderer"
    symbols = status_symbols(root)
    assert list(symbols) == [s.id for s in STATUSES]
    for status in STATUSES:
        style = resolve_style(layer["style"], None, status.id)
        (line,) = symbols[status.id].findall("layer")
        props = options(line)
        assert symbols[status.id].get("type") == "line" and line.get("class") == "SimpleLine"
        assert props["line_color"] == rgba(style.color, style.opacity)
        assert props["line_width"] == mm(style.weight)
        assert props["use_custom_dash"] == ("1" if status.dash else "0")
        if status.dash:
            assert props["customdash"] == dash_mm(status.dash)
        assert {p.get("k"): p.get("v") for p in line.findall("prop")} == props  # the same, for older QGIS


def test_polygons_fill_with_the_fill_colour_and_dash_their_outline(data):
    layer = data.layers["hq-structure"]
    root = parse(layer_qml(layer, {"polygon", "line"}, COLUMNS))
    planned = status_symbols(root, "polygon")["planned"]
    fill, *_, outline = planned.findall("layer")
    style = resolve_style(layer["style"], None, "planned")
    assert planned.get("type") == "fill"
    assert options(fill)["color"] == rgba(style.fill_color, style.fill_opacity)
    assert options(outline)["customdash"] == dash_mm(style.dash)


def data_defined(layer: ET.Element) -> dict[str, str]:
    properties = layer.find("data_defined_properties/Option/Option[@name='properties']")
    return {p.get("name"): p.find("Option[@name='expression']").get("value") for p in properties}


def test_areas_are_hatched_as_their_hatch_column_says(data):
    """Diagonal lines for ////, both diagonals for xx, dots for ..; each pattern on only for its hatch."""
    root = parse(layer_qml(data.layers["hq-industry"], {"polygon", "point"}, COLUMNS))
    layers = status_symbols(root, "polygon")["reserve"].findall("layer")
    patterns = [(layer.get("class"), options(layer).get("lineangle"), data_defined(layer)["enabled"]) for layer in layers[1:-1]]
    assert patterns == [
        ("LinePatternFill", "45", "coalesce(\"hatch\", '') IN ('////', 'xx')"),
        ("LinePatternFill", "135", "coalesce(\"hatch\", '') IN ('xx')"),
        ("PointPatternFill", None, "coalesce(\"hatch\", '') IN ('..')"),
    ]
    line = layers[1].find("symbol/layer")  # the pattern's own line, in the feature's colour
    assert line.get("class") == "SimpleLine" and '"color"' in data_defined(line)["outlineColor"]


@pytest.mark.parametrize(
    ("status", "layers"),
    [
        ("existing", ["halo", "filled"]),
        ("under_construction", ["halo", "white", "half"]),
        ("planned", ["halo", "white"]),
        ("study", ["halo", "white", "dot"]),
        ("reserve", ["halo", "white", "cross"]),
    ],
)
def test_points_take_their_shape_from_the_marker_column_and_their_fill_from_the_status(data, status, layers):
    root = parse(layer_qml(data.layers["region-ports-airports"], {"point", "line", "polygon"}, COLUMNS))
    markers = status_symbols(root, "point")[status].findall("layer")
    assert {m.get("class") for m in markers} == {"SimpleMarker"}
    halo, body, *marks = markers
    assert options(halo)["outline_color"] == "255,255,255,255"
    for marker in (halo, body):
        assert data_defined(marker)["name"] == "coalesce(\"marker\", 'circle')" and '"radius"' in data_defined(marker)["size"]
    filled = layers[1] == "filled"
    assert ("fillColor" in data_defined(body)) == filled and (options(body)["color"] == "255,255,255,255") != filled
    shapes = {"half": lambda m: data_defined(m)["name"] == HALF_NAME, "dot": lambda m: options(m)["name"] == "circle"}
    shapes["cross"] = lambda m: options(m)["name"] == "cross2"  # an x, as the web map's
    assert len(marks) == len(layers) - 2 and all(shapes[kind](m) for kind, m in zip(layers[2:], marks, strict=True))


def test_a_mixed_table_gets_one_rule_group_per_geometry_family_areas_first(data):
    root = parse(layer_qml(data.layers["region-parks"], {"point", "polygon", "line"}, COLUMNS))
    groups = root.find("renderer-v2/rules").findall("rule")
    assert [g.get("label") for g in groups] == ["面", "线", "点"]
    assert [g.get("filter") for g in groups] == [f"geometry_type($geometry) = '{t}'" for t in ("Polygon", "Line", "Point")]
    symbol_types = {family: {status_symbols(root, family)[s.id].get("type") for s in STATUSES} for family in FAMILIES}
    assert symbol_types == {"polygon": {"fill"}, "line": {"line"}, "point": {"marker"}}


def test_per_feature_styles_are_read_from_the_export_columns(data):
    """Data-defined properties name only columns the export writes."""
    qml = layer_qml(data.layers["hq-transport"], {"point", "line", "polygon"}, COLUMNS)
    root = parse(qml)
    expressions = [o.get("value") for o in root.iter("Option") if o.get("name") == "expression"]
    fields = {o.get("value") for o in root.iter("Option") if o.get("name") == "field"}
    referenced = {part for e in expressions for part in e.split('"')[1::2]} | fields
    assert referenced <= set(COLUMNS)
    styled = {"color", "fill_color", "weight", "dash", "radius", "opacity", "fill_opacity", "label", "marker", "hatch"}
    assert styled <= referenced


def test_labels_show_the_chinese_name_in_a_cjk_font(data):
    root = parse(layer_qml(data.layers["hq-transport"], {"point", "line"}, COLUMNS))
    assert root.get("labelsEnabled") == "1"
    styles = root.findall("labeling/rules/rule/settings/text-style")
    assert len(styles) == 2
    assert {(s.get("fieldName"), s.get("fontFamily")) for s in styles} == {("name_zh", LABEL_FONT)}


def test_columns_get_chinese_aliases_in_table_order(data):
    root = parse(layer_qml(data.layers["hq-base"], {"polygon"}, COLUMNS))
    aliases = [(a.get("field"), a.get("name"), a.get("index")) for a in root.find("aliases")]
    assert aliases[:2] == [("id", "要素编号", "1"), ("name_zh", "中文名称", "2")]


def test_a_layer_without_geometry_cannot_be_styled(data):
    with pytest.raises(ValueError, match="no geometry family"):
        layer_qml(data.layers["hq-base"], set(), COLUMNS)
