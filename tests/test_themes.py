"""Thematic maps (geo.style.themes), the symbol system (geo.style.symbols), the base of land and water (geo.geography.base) and
the printed themes: what each names, that its legend is what it draws, and that its classes stay apart
for common colour-vision deficiencies."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import shapely
from colorspacious import cspace_convert, deltaE
from matplotlib.colors import to_rgb
from shapely.geometry import shape

from geo.geography.base import island_area_km2, load_base
from geo.print.base_layers import LAND
from geo.print.legend_model import entry_id, legend_entries
from geo.print.render import main, render_map
from geo.query.selection import Selection, select
from geo.style.symbols import FAMILIES, GEOMETRY_FAMILY, Symbol, classify, load_symbols, themed_style
from geo.style.themes import SCALES, get_theme, load_themes

THEME_IDS = load_themes().ids
VIEWS = ("hengqin", "prw-metro")
SVG = "{http://www.w3.org/2000/svg}"
MIN_DELTA_E = 8.0  # CIEDE2000 between two legend classes that share a shape and pattern, for every vision below
VISIONS = {
    "normal": None,
    "deuteranopia": {"name": "sRGB1+CVD", "cvd_type": "deuteranomaly", "severity": 100},
    "protanopia": {"name": "sRGB1+CVD", "cvd_type": "protanomaly", "severity": 100},
}


@pytest.fixture(scope="module")
def svgs(data, everything) -> dict[tuple[str, str], bytes]:
    return {
        (theme, view): render_map(data, everything, data.view(view), theme=theme, size="slide", fmt="svg")
        for theme in THEME_IDS
        for view in VIEWS
    }


def texts_by_id(svg: bytes) -> dict[str, str]:
    root = ET.fromstring(svg)
    return {g.get("id"): "".join(t.text or "" for t in g.iter(f"{SVG}text")) for g in root.iter(f"{SVG}g") if g.get("id")}


# ---- the data


def test_every_theme_has_a_title_at_every_view_and_lists_only_known_classes_and_layers(data):
    classes = {c.id for c in load_symbols().classes}
    layers = set(data.layers)
    assert set(THEME_IDS) == {"structure", "transport", "ecology", "industry", "utilities", "all"}
    assert load_themes().default == "structure"
    for theme_id in THEME_IDS:
        theme = get_theme(theme_id)
        for view in data.views:
            assert theme.title(view.id, "zh") and theme.title(view.id, "en")
        for scale in SCALES:
            for name in theme.subject[scale] + theme.context[scale]:
                assert name in classes | layers, f"{theme_id}: {name} is neither a class nor a layer"
        assert set(theme.labels) <= classes


def test_the_hengqin_structure_title_is_the_plans_figure_title():
    assert get_theme("structure").title("hengqin", "zh") == "横琴粤澳深度合作区空间结构示意图"


def test_every_plan_feature_but_the_base_falls_into_a_symbol_class(data):
    missing = [
        f["properties"]["id"]
        for f in data.features
        if f["properties"]["layer"] != "hq-base" and classify(f["properties"], GEOMETRY_FAMILY[f["geometry"]["type"]]) is None
    ]
    assert not missing


def test_every_status_has_its_own_line_pattern_and_point_fill():
    statuses = load_symbols().statuses
    assert len({s.dash for s in statuses.values()}) == len(statuses)
    assert len({s.marker_fill for s in statuses.values()}) == len(statuses)


def test_context_is_muted_and_the_subject_strong(data):
    theme = get_theme("transport")
    props = data.by_id["hq-zone-vibrant-core"]["properties"]
    context = themed_style(theme, props, "planned", "polygon", "local")
    subject = themed_style(get_theme("structure"), props, "planned", "polygon", "local")
    assert context.role == "context" and subject.role == "subject"
    assert context.fill_color is None and _saturation(context.color) < 0.05 < _saturation(subject.fill_color)
    assert context.label_rank is None


def test_filters_still_apply_inside_a_theme(data, everything):
    from dataclasses import replace

    planned = replace(everything, statuses=frozenset({"planned"}))
    theme = get_theme("transport")
    shown = [s for s in select(data, planned) if themed_style(theme, s.feature["properties"], "planned", "line", "region")]
    assert shown and all(s.mention["status"] == "planned" for s in shown)


# ---- colour vision


def _saturation(color: str) -> float:
    r, g, b = to_rgb(color)
    return max(r, g, b) - min(r, g, b)


def _key_colour(sym: Symbol) -> np.ndarray:
    """The colour a legend key shows most: an area's fill over land, else the stroke or marker."""
    if sym.family == "polygon" and sym.fill_color:
        a = sym.fill_opacity
        return np.array(to_rgb(sym.fill_color)) * a + np.array(to_rgb(LAND)) * (1 - a)
    return np.array(to_rgb(sym.color)) * sym.opacity + np.array(to_rgb(LAND)) * (1 - sym.opacity)


def _signature(sym: Symbol) -> tuple:
    """What tells two keys apart without colour: geometry, marker shape, filled or outline, line width class."""
    if sym.family == "point":
        return ("point", sym.marker)
    if sym.family == "polygon":
        return ("polygon", bool(sym.fill_color), sym.hatch)
    return ("line", sym.weight >= 8)


def _legend_symbols(data, theme_id, view_id):
    theme = get_theme(theme_id)
    scale = load_themes().scales[view_id]
    (south, west), (north, east) = data.view(view_id).bounds
    frame = shapely.box(west, south, east, north)
    drawn, layers = [], {}
    for shown in select(data, Selection.everything(data)):
        props = shown.feature["properties"]
        geom = data.geometries[shown.id]
        if not geom.intersects(frame):
            continue
        for family in {GEOMETRY_FAMILY[p.geom_type] for p in shapely.get_parts(geom)}:
            sym = themed_style(theme, props, shown.mention["status"], family, scale)
            if sym:
                drawn.append(sym)
                layers.setdefault(sym.class_id, props["layer"])
    groups = legend_entries(drawn, set(), set(), theme, scale, "zh", layers)
    return [e.symbol for g in groups for e in g.entries if e.symbol is not None]


@pytest.mark.parametrize("view_id", VIEWS)
@pytest.mark.parametrize("theme_id", [t for t in THEME_IDS if t != "all"])  # `all` is the inventory, not a designed map
def test_legend_classes_shown_together_stay_apart_under_colour_blindness(data, theme_id, view_id):
    symbols = _legend_symbols(data, theme_id, view_id)
    assert symbols
    close = []
    for a, b in itertools.combinations(symbols, 2):
        if _signature(a) != _signature(b):
            continue  # told apart by shape, fill or width
        for vision, space in VISIONS.items():
            ca, cb = _key_colour(a), _key_colour(b)
            if space:
                ca, cb = (np.clip(cspace_convert(c, space, "sRGB1"), 0, 1) for c in (ca, cb))
            distance = deltaE(ca, cb, input_space="sRGB1")
            if distance < MIN_DELTA_E:
                close.append(f"{a.class_id}/{a.role} vs {b.class_id}/{b.role} ({vision}: ΔE00 {distance:.1f})")
    assert not close, "\n".join(close)


# ---- the base


def test_hengqin_is_an_island_in_the_base():
    base = load_base()
    island = next(g for g, source in base.land_local if source == "hand")
    others = shapely.union_all([g for g, source in base.land_local if source != "hand"])
    assert island.distance(others) > 0.001, "the island touches other land: the channels are not water"
    assert 85 < island_area_km2() < 95  # the land of the plan's 约106平方公里 zone (tests/test_hengqin_geography.py)
    channels = {p["zh"] for _, p in base.water if p["kind"] == "channel"}
    assert {"马骝洲水道", "十字门水道"} <= channels


def test_the_sea_is_not_land_and_land_reaches_past_the_gba_page():
    base = load_base()
    land = shapely.union_all([g for g, _ in base.land_region])
    for lon, lat in (
        (113.585, 22.165),
        (113.52, 22.07),
        (113.05, 21.95),
        (113.75, 22.35),
    ):  # Macao's sea, Hengqin's south, 黄茅海, 伶仃洋
        assert not land.contains(shapely.Point(lon, lat)), (lon, lat)
    assert land.contains(shapely.Point(113.3, 24.2)) and land.contains(shapely.Point(110.5, 23.9))  # north of 23.45°N


def test_a_zoomed_in_view_anywhere_has_its_land():
    """The local land (a zoomed-in web map, a local print) has Hengqin in full detail and the regional outline
    elsewhere: 中山, 江门 and 阳江 are land there too, and the pieces meet without a seam across the land."""
    base = load_base()
    local = shapely.union_all([g for g, _ in base.land_local])
    for lon, lat in ((113.377, 22.561), (113.065, 22.491), (111.986, 21.813), (113.43, 22.45)):
        assert local.contains(shapely.Point(lon, lat)), (lon, lat)  # 中山北站, 江门站, 阳江站, 五桂山
    assert not local.contains(shapely.Point(113.75, 22.45))  # 伶仃洋 stays water
    seam = local.boundary.intersection(shapely.box(113.30, 22.3499, 113.75, 22.3501))  # the detail extent's north edge
    assert seam.length < 0.01  # only where the coast itself crosses it


def test_airports_and_ports_on_reclaimed_land_stand_on_land(built_features):
    """GSHHG's coast predates the reclamations: where OpenStreetMap's land replaces it, the airports and the
    高栏港 port island are land in both land files, and the estuary beside 珠海机场 stays water."""
    base = load_base()
    for land in (base.land_local, base.land_region):
        union = shapely.union_all([g for g, _ in land])
        for fid in ("rg-airport-hong-kong", "rg-airport-shenzhen", "rg-airport-zhuhai", "rg-terminal-cruise-taiziwan"):
            site = shape(built_features[fid]["geometry"])
            assert union.distance(site) < 0.002, fid  # on land, or within about 200 m of it at the regional outline
        assert union.contains(shapely.Point(113.235, 21.975)), "高栏港's port island"
        assert not union.contains(shapely.Point(113.42, 22.14)), "磨刀门's mouth stays water"


def test_admin_boundaries_are_lines_never_areas():
    assert {g.geom_type for g, _ in load_base().admin} <= {"LineString", "MultiLineString"}


# ---- the printed themes


def test_hengqin_structure_names_the_axes_areas_and_channels(svgs):
    words = "".join(texts_by_id(svgs[("structure", "hengqin")]).values())
    for name in (
        "天沐河城市中心发展轴带",
        "琴澳一河两岸合作轴带",
        "琴澳活力核心区",
        "创新智造产城区",
        "生态健康休闲区",
        "十字门水道",
        "马骝洲水道",
    ):
        assert name in words, name


def test_metro_structure_names_the_four_cities_the_core_and_the_poles(svgs):
    labels = {k: v for k, v in texts_by_id(svgs[("structure", "prw-metro")]).items() if k.startswith("label-")}
    words = "".join(labels.values())
    for name in ("珠海", "中山", "江门", "阳江", "核心", "增长极"):
        assert name in words, name


@pytest.mark.parametrize("view_id", VIEWS)
@pytest.mark.parametrize("theme_id", THEME_IDS)
def test_every_image_has_a_legend_and_its_entries_are_the_symbols_drawn(data, svgs, theme_id, view_id):
    svg = svgs[(theme_id, view_id)]
    texts = texts_by_id(svg)
    assert texts["legend-title"] == "图例"
    theme = get_theme(theme_id)
    scale = load_themes().scales[view_id]
    drawn_ids = {m.groups() for m in re.finditer(rb'id="feature-(.+?)-(polygon|line|point)"', svg)}
    expected = set()
    for feature_id, family in drawn_ids:
        props = data.by_id[feature_id.decode()]["properties"]
        statuses = {m["status"] for m in props["mentions"]}
        sym = next(themed_style(theme, props, s, family.decode(), scale) for s in statuses)
        expected.add(f"legend-{entry_id(sym)}")
    shown = {k for k in texts if re.match(r"legend-(?!title|group|box|status|base|user)", k)}
    assert shown == expected
    assert drawn_ids, "nothing drawn"


def test_every_theme_renders_as_png_too(data, everything, tmp_path):
    for theme_id in THEME_IDS:
        out = tmp_path / f"{theme_id}.png"
        assert main(["--view", "hengqin", "--theme", theme_id, "--dpi", "50", "-o", str(out)]) == 0
        assert out.stat().st_size > 10_000


def test_print_symbols_cover_every_family():
    assert set(FAMILIES) == {"polygon", "line", "point"}


def test_a_themed_export_holds_the_theme_s_features_with_its_symbols(data, everything, tmp_path):
    from geo.export.__main__ import main as export_main
    from geo.export.api import prepare

    _, bundle = prepare(data, everything, "gpkg", "EPSG:4326", theme="structure")
    rows = bundle.features.set_index("id")
    assert {"hq-axis-tianmu-river", "rg-core-zhuhai"} <= set(rows.index)
    assert not set(rows["layer"]) & {"region-roads", "hq-transport"}
    axis = rows.loc["hq-axis-tianmu-river"]
    assert axis["color"] == load_symbols().by_id("hq-axis").color and not isinstance(axis["dash"], str)  # planned, drawn solid
    assert rows.loc["hq-eco-ring", "color"] == load_symbols().context["color"]
    out = tmp_path / "structure.gpkg"
    assert export_main(["--format", "gpkg", "--theme", "structure", "-o", str(out)]) == 0 and out.stat().st_size > 0
