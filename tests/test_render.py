"""Printed maps (geo.print.render): page and pixel sizes, what the page says (SVG text), fonts, layout helpers."""

from __future__ import annotations

import io
import re
import warnings
import xml.etree.ElementTree as ET
from dataclasses import replace

import geopandas as gpd
import numpy as np
import pytest
import shapely
from fontTools.ttLib import TTFont
from matplotlib.backends.backend_agg import RendererAgg
from PIL import Image
from pyproj import Geod
from shapely.geometry import LineString

from geo.i18n import TEXT
from geo.print.fonts import font, font_path, missing_glyphs
from geo.print.geometry import to_print_crs
from geo.print.label_placement import overlaps, place_labels
from geo.print.layout import MM_PER_INCH, NO_LINE_START, SIZE_IDS, SIZES, page_size, wrap
from geo.print.map_furniture import nice_length
from geo.print.mpl_style import dashes
from geo.print.render import main, overlay_title, render_map
from geo.print.text import CRS_NOTE
from geo.query.cli import UsageError
from geo.sources.mapdata import load_views
from geo.sources.schema import KIND_TERMS, PHASES, STATUSES, THEMES
from geo.style.symbols import load_symbols
from geo.upload import Overlay
from geo.upload.user_layers import PALETTE

SMALL_DPI = 24  # enough to check a page's pixel size and that something is drawn, and fast
VIEW_IDS = [view.id for view in load_views()]
YANGJIANG = ((21.75, 111.85), (21.95, 112.1))  # far from Hengqin: no Hengqin layer reaches it
SVG = "{http://www.w3.org/2000/svg}"


def svg_texts(svg: bytes) -> dict[str, str]:
    """The text of every SVG group that has an id of ours (title, legend entries, labels …), lines joined."""
    root = ET.fromstring(svg)
    return {
        group.get("id"): "".join(text.text or "" for text in group.iter(f"{SVG}text"))
        for group in root.iter(f"{SVG}g")
        if re.match(r"(map|legend|label|source|crs)-", group.get("id", ""))
    }


def test_the_issue_s_named_views_exist():
    assert {"hengqin", "qinao", "prw-metro", "gba"} <= set(VIEW_IDS)


def test_sizes_are_the_slide_and_a4_a3_both_ways():
    assert set(SIZE_IDS) == {"slide", "a4-landscape", "a4-portrait", "a3-landscape", "a3-portrait"}
    assert page_size("slide").pixels(150) == (2000, 1125)  # 16:9
    assert page_size("slide").pixels(300) == (4000, 2250)
    assert page_size("a4-portrait").pixels(300) == (2480, 3508)
    assert page_size("a3-landscape").pixels(150) == (2480, 1754)


@pytest.mark.parametrize("size", SIZE_IDS)
@pytest.mark.parametrize("view_id", VIEW_IDS)
def test_each_view_at_each_size_is_a_png_of_the_page_s_pixels_and_not_blank(data, everything, view_id, size):
    png = render_map(data, everything, data.view(view_id), size=size, fmt="png", dpi=SMALL_DPI)
    image = Image.open(io.BytesIO(png))
    assert image.size == page_size(size).pixels(SMALL_DPI)
    grey = np.asarray(image.convert("L"), dtype=float)
    assert grey.var() > 300, "the page looks blank"
    assert (grey < 245).mean() > 0.3, "less than a third of the page is drawn on"


@pytest.mark.parametrize("size", SIZE_IDS)
def test_pdf_pages_have_the_paper_size_and_embed_the_font_as_truetype(data, everything, size):
    pdf = render_map(data, everything, data.view("qinao"), size=size, fmt="pdf")
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert box, "no page size in the PDF"
    width_mm, height_mm = (float(v) / 72 * MM_PER_INCH for v in box.groups())
    page = page_size(size)
    assert (width_mm, height_mm) == pytest.approx((page.width_mm, page.height_mm), abs=0.05)
    assert b"/FontFile2" in pdf and b"NotoSansSC" in pdf, "the font is not embedded as TrueType"
    assert b"/Type3" not in pdf and b"/FontFile3" not in pdf


@pytest.fixture(scope="module")
def hengqin_svg(data, everything) -> bytes:
    return render_map(data, everything, data.view("hengqin"), theme="all", size="slide", fmt="svg")


def test_svg_keeps_title_source_note_and_legend_as_text(data, hengqin_svg):
    texts = svg_texts(hengqin_svg)
    assert texts["map-title"] == "横琴粤澳深度合作区规划要素总图"
    assert texts["legend-title"] == "图例"
    note = texts["source-note"]
    assert note.startswith("资料来源：") and "；示意图；状态为各规划发布时的表述；底图：" in note and "OpenStreetMap" in note
    assert re.search(r"制图日期：\d{4}-\d{2}-\d{2}$", note)
    for plan in data.plans.values():  # every plan has a feature on Hengqin
        assert plan["title_zh"].replace("《", "〈").replace("》", "〉") in note
    assert texts["crs-note"] == CRS_NOTE
    assert b"font-family: 'Noto Sans SC'" in hengqin_svg


def test_the_legend_has_only_classes_of_the_theme_drawn_here(data, everything):
    texts = svg_texts(render_map(data, everything, YANGJIANG, theme="transport", size="slide", fmt="svg"))
    entries = {
        gid for gid in texts if gid.startswith("legend-") and not gid.startswith(("legend-title", "legend-group", "legend-box"))
    }
    transport = {c.id for c in load_symbols().classes if c.group == "transport"}
    classes = {
        gid.removeprefix("legend-").rsplit("-", 1)[0]
        for gid in entries
        if not gid.startswith(("legend-status", "legend-base", "legend-context"))
    }
    assert classes and classes <= transport
    assert "legend-group-transport" in texts and "legend-group-base" in texts


def test_legend_shows_only_the_statuses_drawn_and_filters_reach_the_subtitle(data, everything):
    planned = replace(everything, statuses=frozenset({"planned"}), layers=frozenset({"hq-transport", "region-rail"}))
    texts = svg_texts(render_map(data, planned, data.view("hengqin"), theme="transport", size="a4-portrait", fmt="svg"))
    statuses = {gid for gid in texts if gid.startswith("legend-status-")}
    assert statuses == {"legend-status-planned"}
    assert "状态：规划" in texts["map-subtitle"] and "综合交通" in texts["map-subtitle"]


def test_english_page_uses_english_names_and_custom_title(data, everything):
    texts = svg_texts(render_map(data, everything, data.view("qinao"), size="slide", fmt="svg", lang="en", title="Shizimen"))
    assert texts["map-title"] == "Shizimen"
    assert texts["legend-title"] == "Legend"
    note = texts["source-note"].replace(" ", "")  # lines are joined; a line may break at any space
    assert note.startswith("Sources:") and ";schematic;statusesaretheplans'wordsattheirdates;Base:" in note
    assert "Hengqin–Macao" in texts["map-subtitle"]  # the view's name under a custom title


def test_every_label_character_has_a_glyph_in_the_packaged_font(data):
    """Names, titles and interface text: nothing may fall back to a missing-glyph box."""
    texts = [CRS_NOTE, *(v for entry in TEXT.values() for v in entry.values())]
    for feature in data.features:
        texts += [feature["properties"]["name_zh"], feature["properties"]["name_en"]]
    for layer in data.layers.values():
        texts += [layer["title_zh"], layer["title_en"]]
    for plan in data.plans.values():
        texts += [plan["title_zh"], plan["title_en"], plan["short_zh"]]
    for view in data.views:
        texts += [view.zh, view.en]
    for size in SIZES:
        texts += [size.zh, size.en]
    for term in (*STATUSES, *PHASES, *KIND_TERMS, *THEMES):
        texts += [term.zh, term.en]
    missing = {text: missing_glyphs(text) for text in texts if missing_glyphs(text)}
    assert not missing


def test_the_font_is_the_packaged_full_noto_sans_sc_not_a_system_font():
    path = font_path()
    assert "pylopdf_fonts_zh_cn" in path.parts and path.name == "NotoSansSC-Regular.otf"
    assert font(10).get_file() == str(path)
    assert len(TTFont(path, lazy=True).getBestCmap()) > 20_000, "a subset, not the full font"
    assert missing_glyphs("横琴粤澳深度合作区杧洲滘鲈Ⅰ—“”《》（），、") == ""


def test_rendering_never_misses_a_glyph(data, everything, hengqin_svg):
    texts = svg_texts(hengqin_svg)
    assert missing_glyphs("".join(texts.values())) == ""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for fmt in ("png", "pdf"):
            render_map(data, everything, data.view("gba"), size="a4-landscape", fmt=fmt, dpi=SMALL_DPI, lang="en")
    assert not [w for w in caught if "missing from font" in str(w.message)]


def test_names_on_the_page_do_not_overlap(hengqin_svg):
    """Each placed name's box, measured again from the SVG text (x, y at the baseline, its anchor and size)."""
    renderer = RendererAgg(10, 10, 72)  # SVG user units are points
    boxes = []
    for group in ET.fromstring(hengqin_svg).iter(f"{SVG}g"):
        if not group.get("id", "").startswith("label-"):
            continue
        for text in group.iter(f"{SVG}text"):
            turn = re.search(r"rotate\((-?[\d.]+)", text.get("transform") or "")
            if turn and float(turn.group(1)) % 360:
                continue  # names along lines: placed by the same rule, checked in test_label_placement_*
            style = text.get("style")
            size = float(re.search(r"font-size: ([\d.]+)px", style).group(1))
            anchor = (re.search(r"text-anchor: (\w+)", style) or re.match("(start)", "start")).group(1)
            width = renderer.get_text_width_height_descent(text.text, font(size), ismath=False)[0]
            x0 = float(text.get("x")) - {"start": 0, "middle": width / 2, "end": width}[anchor]
            y = float(text.get("y"))
            boxes.append((x0, y - 0.8 * size, x0 + width, y + 0.1 * size))
    assert len(boxes) >= 5, "too few names placed on Hengqin"
    clashes = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if overlaps(a, b)]
    assert not clashes


@pytest.mark.parametrize("view_id", VIEW_IDS)
def test_the_print_crs_measures_true_metres_across_each_view(data, view_id):
    """The scale bar is drawn in projected metres: they agree with the ellipsoid across every view."""
    (south, west), (north, east) = data.view(view_id).bounds
    lat = (south + north) / 2
    across = LineString([(west, lat), (east, lat)]).segmentize(0.01)
    assert to_print_crs(across).length == pytest.approx(Geod(ellps="GRS80").geometry_length(across), rel=0.002)


def test_label_placement_skips_collisions_and_tries_the_next_spot():
    frame = (0, 0, 100, 100)
    first = [(10, 10, 30, 20)]
    clashing = [(20, 12, 40, 22), (20, 30, 40, 40)]  # the first spot overlaps the first label, the second is free
    hopeless = [(15, 15, 25, 18)]
    outside = [(95, 95, 110, 105)]
    assert place_labels([first, clashing, hopeless, outside], frame) == [0, 1, None, None]


def test_label_placement_respects_blocked_boxes_and_avoids_symbols_where_it_can():
    frame = (0, 0, 100, 100)
    assert place_labels([[(0, 0, 10, 10)]], frame, blocked=[(5, 5, 20, 20)]) == [None]
    spots = [(0, 0, 10, 10), (50, 50, 60, 60)]
    assert place_labels([spots], frame, avoid=[(5, 5, 8, 8)]) == [1]
    assert place_labels([[(0, 0, 10, 10)]], frame, avoid=[(5, 5, 8, 8)]) == [0]  # no better spot: over the symbol


def test_wrap_keeps_lines_in_width_and_never_starts_one_with_closing_punctuation():
    text = "资料来源：《横琴粤澳深度合作区总体发展规划》、《横琴粤澳深度合作区产业发展规划（2025-2029年）》；示意图"
    for width in range(6, 30):
        lines = wrap(text, width, len).split("\n")
        assert "".join(lines) == text
        assert all(len(line.rstrip(NO_LINE_START)) <= width for line in lines)
        assert not any(line[0] in NO_LINE_START for line in lines[1:])
    assert wrap("Sources: Master Development Plan of the Hengqin Zone", 30, len).split("\n")[0] == "Sources: Master Development"
    assert wrap("Zone (2025-2029), Development Plan", 17, len) == "Zone (2025-2029),\nDevelopment Plan"  # no leading space


@pytest.mark.parametrize(
    ("dash", "expected"),
    [(None, "solid"), ("7 6", (0.0, (5.25, 4.5))), ("14 5", (0.0, (10.5, 3.75))), ("2,6", (0.0, (1.5, 4.5)))],
)
def test_svg_dash_arrays_become_matplotlib_dashes_in_points(dash, expected):
    assert dashes(dash, 1.0) == expected


@pytest.mark.parametrize(("longest", "bar"), [(4800, 2000), (5000, 5000), (999, 500), (25_000, 20_000), (130_000, 100_000)])
def test_scale_bar_length_is_a_round_number_of_metres(longest, bar):
    assert nice_length(longest) == bar


def test_command_writes_the_image_named_by_its_suffix(tmp_path, capsys):
    out = tmp_path / "hengqin.png"
    assert main(["--view", "hengqin", "--size", "slide", "--dpi", "50", "-o", str(out), "--layer", "hq-transport"]) == 0
    assert Image.open(out).size == (667, 375)
    assert "hengqin.png" in capsys.readouterr().out
    svg = tmp_path / "box.svg"
    assert main(["--bounds", "22.10,113.50,22.16,113.58", "--no-inset", "--no-background", "-o", str(svg)]) == 0
    assert svg_texts(svg.read_bytes())["map-title"] == "横琴与珠西规划图"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--view", "nowhere", "-o", "x.png"], "unknown --view nowhere"),
        (["-o", "x.jpg"], "cannot tell the format"),
        (["--bounds", "22,113", "-o", "x.png"], "--bounds wants"),
        (["--bounds", "23,113,22,114", "-o", "x.png"], "--bounds must be"),
        (["--dpi", "5000", "-o", "x.png"], "--dpi must be"),
        (["--status", "built", "-o", "x.png"], "unknown --status built"),
    ],
)
def test_command_rejects_bad_requests_with_a_message(args, message):
    with pytest.raises(UsageError, match=re.escape(message)):
        main(args)


def _overlay(polygons, name: str) -> Overlay:
    frame = gpd.GeoDataFrame({"name": [f"p{i}" for i in range(len(polygons))]}, geometry=polygons, crs="EPSG:4326")
    return Overlay(name=name, frame=frame, notes=[], source_format="GeoJSON")


def test_an_uploaded_overlay_is_drawn_in_its_web_colour_and_named_in_the_legend(data, everything):
    mine = _overlay([shapely.box(113.50, 22.10, 113.52, 22.12)], "<b>mine</b>.geojson")
    # one theme, so the legend keeps one column and the name one line (the all-features legend takes two and wraps)
    svg = render_map(
        data, everything, data.view("hengqin"), theme="ecology", size="slide", fmt="svg", dpi=SMALL_DPI, overlays=[mine]
    )
    texts = svg_texts(svg)
    assert texts["legend-user-0"] == "我的图层：<b>mine</b>.geojson"
    assert b"&lt;b&gt;mine&lt;/b&gt;.geojson" in svg  # text, escaped by the SVG writer
    assert PALETTE[0].encode() in svg
    assert PALETTE[0].encode() not in render_map(data, everything, data.view("hengqin"), size="slide", fmt="svg", dpi=SMALL_DPI)


def test_overlay_legend_names_lose_control_characters_and_are_cut_to_length():
    assert overlay_title("a\x00b\x1b[31m\u202ec\nd.kml", "zh") == "我的图层：ab[31mc d.kml"
    assert overlay_title("x" * 60, "en") == "My layer: " + "x" * 40 + "…"


def test_a_large_overlay_renders(data, everything):
    cells = [
        shapely.box(113.48 + 0.002 * i, 22.08 + 0.002 * j, 113.4815 + 0.002 * i, 22.0815 + 0.002 * j)
        for i in range(50)
        for j in range(40)
    ]
    png = render_map(
        data, everything, data.view("hengqin"), size="slide", fmt="png", dpi=SMALL_DPI, overlays=[_overlay(cells, "grid.shp")]
    )
    assert Image.open(io.BytesIO(png)).size == page_size("slide").pixels(SMALL_DPI)


@pytest.mark.parametrize("fmt", ["png", "pdf", "svg"])
def test_dollar_signs_in_a_title_or_file_name_are_text_not_maths(data, everything, fmt):
    # matplotlib reads text between two $ as maths: "$x^{$" would stop the render, "$5 to $" print in italics.
    mine = _overlay([shapely.box(113.50, 22.10, 113.52, 22.12)], "cost $5 to $6.geojson")
    title = "Budget $x^{$ \\alpha"
    image = render_map(
        data,
        everything,
        data.view("hengqin"),
        theme="ecology",
        size="slide",
        fmt=fmt,
        dpi=SMALL_DPI,
        title=title,
        overlays=[mine],
    )
    if fmt == "svg":
        texts = svg_texts(image)
        assert texts["map-title"] == title
        assert texts["legend-user-0"] == "我的图层：cost $5 to $6.geojson"


def test_the_legend_key_of_a_hatched_status_shows_its_hatch():
    from matplotlib.patches import Patch

    from geo.print.symbols import status_handle
    from geo.style.symbols import load_symbols

    statuses = load_symbols().statuses
    hatched = [key for key in status_handle(statuses["reserve"], 1.0) if isinstance(key, Patch)]
    assert [p.get_hatch() for p in hatched] == [statuses["reserve"].hatch]  # as the reserve areas are drawn
    assert not any(isinstance(key, Patch) for key in status_handle(statuses["planned"], 1.0))


def test_a_legend_too_long_for_one_column_takes_two_rather_than_running_off_the_panel():
    """A map of every theme has some 50 classes: at the smallest type one column runs past the panel's foot (over
    the source note), so the legend goes to two columns."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    from geo.print.map_furniture import legend

    fig = Figure(figsize=(11.0, 6.2), dpi=100)
    renderer = FigureCanvasAgg(fig).get_renderer()
    rows = [(Line2D([], [], color="#336699"), f"第{i}类要素名称", f"legend-{i}") for i in range(14)]
    groups = [(f"组{g}", f"g{g}", rows) for g in range(4)]  # 56 rows
    panel = fig.add_axes((0.76, 0.1, 0.22, 0.78))
    panel.set_axis_off()
    lowest = legend(panel, "图例", groups, 1.0, 1, renderer) + 0.03
    assert lowest >= 0, "the legend runs past the foot of its panel"
    boxes = [a for a in panel.artists if hasattr(a, "_ncols")]
    assert {box._ncols for box in boxes} == {2}
