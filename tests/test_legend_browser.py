"""The web map's legend is what it draws (issue 12): for each theme at the Hengqin and metro views, in a real
headless Chromium, the legend's entries (swatch colour, fill or hatch, marker shape; the status rows' line
patterns and point fills) are the styles of the features on the map, read back from Leaflet's layers."""

from __future__ import annotations

import pytest

from geo.style.symbols import load_symbols
from geo.style.themes import load_themes
from tests.browser import open_map

VIEWS = ("hengqin", "qinao", "prw-metro", "gba")  # every named view
UNCLASSED = "其他"  # the name of what no symbol class takes, drawn as context in 全部要素

# A style without its status: family|stroke colour|fill (a colour, "none", or "hatch <h> over <fill>")|marker
# shape. The status part is kept apart: a path's dash pattern, a marker's fill (full, half, hollow, dot, cross).
STYLES = """(() => {
  const pattern = (value) => {
    const m = /url\\(#(.+)\\)/.exec(value || "");
    if (!m) return null;
    const p = document.getElementById(m[1]);
    return "hatch " + p.dataset.hatch + " over " + p.dataset.fill;
  };
  const fillOf = (color, opacity) => pattern(color) || (+opacity > 0 ? color : "none");
  const family = (type) => type.includes("Polygon") ? "polygon" : type.includes("LineString") ? "line" : "point";
  const drawn = {}, dashes = {}, fills = {};
  planMap.eachLayer(l => {
    if (!l.feature || !l.feature.properties.id || l.feature.geometry.type.includes("Point") !== !!l.getIcon) return;
    if (l.getIcon) {
      const svg = l.getElement().querySelector("svg.pm-shape");
      if (!svg) return;  // a name without a symbol (北城·南野, bays): the legend leaves it out too
      drawn[["point", svg.dataset.color, "-", svg.dataset.marker].join("|")] = l.feature.properties.id;
      fills[svg.dataset.fill] = l.feature.properties.id;
      return;
    }
    const o = l.options, kind = family(l.feature.geometry.type);
    const fill = kind === "line" ? "-" : fillOf(o.fillColor, o.fillOpacity);
    if (!(o.weight > 0) && fill === "none") return;  // invisible: a label-only area
    drawn[[kind, o.color, fill, "-"].join("|")] = l.feature.properties.id;
    dashes[o.dashArray || ""] = l.feature.properties.id;
  });
  const legend = [], statuses = [];
  document.querySelectorAll(".pm-legend .pm-legend-row").forEach(row => {
    const shape = row.querySelector("svg.pm-shape");
    if (row.dataset.status) {
      const line = row.querySelector("line");
      statuses.push({status: row.dataset.status, dash: line.getAttribute("stroke-dasharray") || "", fill: shape.dataset.fill});
      return;
    }
    const rect = row.querySelector("rect"), line = row.querySelector("line");
    if (shape) legend.push(["point", shape.dataset.color, "-", shape.dataset.marker].join("|"));
    else if (rect) {
      const fill = fillOf(rect.getAttribute("fill"), rect.getAttribute("fill-opacity"));
      legend.push(["polygon", rect.getAttribute("stroke"), fill, "-"].join("|"));
    }
    else legend.push(["line", line.getAttribute("stroke"), "-", "-"].join("|"));
  });
  return {drawn, dashes, fills, legend, statuses};
})()"""


# The legend's text: each row's label with the heading of the group it is listed under.
ROWS = """(() => {
  const rows = []; let group = null;
  document.querySelectorAll(".pm-legend .pm-legend-group, .pm-legend .pm-legend-row").forEach(el => {
    if (el.classList.contains("pm-legend-group")) group = el.textContent;
    else rows.push([group, el.textContent]);
  });
  return rows;
})()"""


@pytest.fixture(scope="module")
def legends(browser, app_url) -> dict[tuple[str, str], dict]:
    """What each theme draws and lists at each view: one page per theme, moved between the two views."""
    found = {}
    context = browser.new_context(viewport={"width": 1500, "height": 950}, locale="zh-CN")
    page = context.new_page()
    for theme in load_themes().ids:
        for view in VIEWS:
            frame = open_map(page, f"{app_url}/?basemap=none&theme={theme}&view={view}")
            frame.wait_for_selector(".pm-legend .pm-legend-row", timeout=60_000)
            found[(theme, view)] = frame.evaluate(STYLES) | {"rows": frame.evaluate(ROWS)}
    context.close()
    return found


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("theme", load_themes().ids)
def test_the_legend_lists_every_symbol_drawn_and_only_those(legends, theme, view):
    found = legends[(theme, view)]
    legend = found["legend"]
    assert legend, "no legend entry"
    missing = {style: feature for style, feature in found["drawn"].items() if style not in legend}
    assert not missing, f"drawn without a legend entry (style: a feature drawn so): {missing}"
    assert set(legend) <= set(found["drawn"]), f"listed but not drawn: {set(legend) - set(found['drawn'])}"


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("theme", load_themes().ids)
def test_the_status_rows_are_the_patterns_drawn(legends, theme, view):
    """Every line pattern and point fill drawn has its status row (solid and filled need none: plan concepts
    such as axes are drawn so whatever their status), and every status row's pattern is drawn."""
    found = legends[(theme, view)]
    rows = found["statuses"]
    dashes, fills = {r["dash"] for r in rows}, {r["fill"] for r in rows}
    assert set(found["dashes"]) - {""} <= dashes, {d: f for d, f in found["dashes"].items() if d not in dashes}
    assert set(found["fills"]) - {"full"} <= fills, {d: f for d, f in found["fills"].items() if d not in fills}
    for row in rows:
        assert row["dash"] in found["dashes"] or row["fill"] in found["fills"], f"{row['status']} listed, not drawn"


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("theme", load_themes().ids)
def test_context_rows_name_their_classes_under_their_group(legends, theme, view):
    """As the printed legend: a context row names the classes it stands for ("重大平台与创新平台（背景）") and is
    listed under their group, after that group's subject rows."""
    rows = legends[(theme, view)]["rows"]
    system = load_symbols()
    for index, (group, label) in enumerate(rows):
        if not label.endswith("（背景）"):
            continue
        names = label.removesuffix("（背景）").split("、")
        groups = {system.group_label(c.group, "zh") for c in system.classes if c.zh in names}
        groups |= {system.group_label("base", "zh")} if UNCLASSED in names else set()  # 全部要素: what no class takes
        assert len([c for c in system.classes if c.zh in names]) + (UNCLASSED in names) == len(names), label
        assert groups == {group}, f"{label} is listed under {group}"
        later = [lab for g, lab in rows[index + 1 :] if g == group]
        assert all(lab.endswith("（背景）") for lab in later), f"{label} comes before a subject row of {group}"


def test_the_structure_map_of_the_metro_area_shows_the_platforms_as_context(legends):
    rows = [tuple(row) for row in legends[("structure", "prw-metro")]["rows"]]
    assert ("产业", "重大平台与创新平台（背景）") in rows
    assert not any("其他要素" in label for _, label in rows)


def test_a_long_legend_label_wraps_instead_of_widening_the_legend(browser, app_url):
    """At Hengqin the transport map's context row names three zones (about 95 characters in English): the row
    wraps and the legend stays narrow, leaving the map visible."""
    context = browser.new_context(viewport={"width": 1500, "height": 950}, locale="en-US")
    page = context.new_page()
    frame = open_map(page, f"{app_url}/?basemap=none&theme=transport&view=hengqin&lang=en")
    frame.wait_for_selector(".pm-legend .pm-legend-row", timeout=60_000)
    box = frame.locator(".pm-legend-control").bounding_box()
    row = frame.locator(".pm-legend-row", has_text="(context)").first.bounding_box()
    plain = frame.locator(".pm-legend-row", has_text="High-speed rail").first.bounding_box()
    context.close()
    assert box["width"] <= 340, f"the legend is {box['width']:.0f} px wide"
    assert row["height"] > 1.5 * plain["height"], "the long context label did not wrap"


SUBJECT_GROUP = {"structure": "结构", "transport": "交通", "ecology": "生态", "industry": "产业"}


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("theme", sorted(SUBJECT_GROUP))
def test_the_theme_s_own_group_comes_first_and_the_statuses_last(legends, theme, view):
    """As the printed legend: a thematic map's legend opens with its subject (交通 on the transport map), not
    with the context drawn under it; the base and the statuses (when drawn) close it."""
    order = list(dict.fromkeys(group for group, _ in legends[(theme, view)]["rows"]))
    assert order[0] == SUBJECT_GROUP[theme], order
    assert "状态" not in order or order[-1] == "状态", order
    assert "基础地理" not in order or order.index("基础地理") >= len(order) - 2, order
