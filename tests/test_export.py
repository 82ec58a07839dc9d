"""Exports for GIS staff: each format reads back with the same features, names, CRS and citations, and
bad requests end with a message, a non-zero exit and no file."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from contextlib import closing
from dataclasses import replace
from html import escape
from pathlib import Path

import ezdxf
import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from pyproj import CRS, Transformer
from shapely.geometry import LineString, Point, box

from geo.export import CRS_CHOICES, FORMATS, ExportError, crs_note, export_bytes, export_selection, prepare
from geo.export.__main__ import build_parser, main
from geo.export.dxf import APP_ID
from geo.export.fields import FIELDS, passages_text
from geo.export.gpkg import MENTIONS_TABLE, METADATA_TABLE, PROJECTS_TABLE, STYLES_TABLE
from geo.export.shapefile import DBF_TEXT_BYTES, fit_dbf
from geo.paths import ROOT
from geo.query.cli import run, selection_from_args
from geo.query.selection import Selection, select
from geo.sources.mapdata import load_map_data
from geo.sources.schema import MENTION_FIELDS
from geo.style.basemaps import BASEMAP_IDS
from geo.style.qml import rgba
from geo.style.styles import FeatureStyle, resolve_style
from geo.style.symbols import GEOMETRY_FAMILY
from geo.ui.urlstate import parse_query
from geo.upload import Overlay

PROJECTED = "EPSG:4547"
PORT_ID, PORT_LON, PORT_LAT = "hq-port-hengqin", 113.545, 22.14  # 横琴口岸
METADATA_KEYS = {"source_plans", "build_date", "crs", "selection", "accuracy"}


@pytest.fixture(scope="module")
def data():
    return load_map_data()


@pytest.fixture(scope="module")
def exported(data, tmp_path_factory) -> dict[str, Path]:
    """Everything, exported once per format, asking for EPSG:4547."""
    folder = tmp_path_factory.mktemp("exports")
    paths = {}
    for fmt in FORMATS.values():
        paths[fmt.id] = folder / f"all{fmt.suffix}"
        export_selection(data, Selection.everything(data), fmt.id, PROJECTED, paths[fmt.id])
    return paths


def _layers(path: str) -> gpd.GeoDataFrame:
    names = [name for name, geometry_type in pyogrio.list_layers(path) if geometry_type is not None]
    return pd.concat([pyogrio.read_dataframe(path, layer=name) for name in names], ignore_index=True)


def _zipped(path: Path, name: str) -> str:
    return f"/vsizip/{path}/{name}"


def _html_map(path: Path) -> gpd.GeoDataFrame:
    """The features the HTML map carries inline (context outlines drawn only as background excluded)."""
    page = path.read_text(encoding="utf-8")
    inline = json.loads(re.search(r"window\.PLANMAP_INLINE = (\{.*?\});</script>", page, re.S).group(1).replace("<\\/", "</"))
    features = next(iter(inline.values()))["features"]
    return gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")


def _html_metadata(path: Path) -> dict:
    page = path.read_text(encoding="utf-8")
    return json.loads(re.search(r'<script type="application/json" id="planmap-metadata">(.*?)</script>', page, re.S).group(1))


def _dxf(path: Path) -> gpd.GeoDataFrame:
    """Each feature's first drawn entity, with the id and name its XDATA carry; the CRS from the header."""
    doc = ezdxf.readfile(path)
    rows, seen = [], set()
    for entity in doc.modelspace():
        if entity.dxftype() == "TEXT" or not entity.has_xdata(APP_ID):
            continue
        fid, name, *_ = (value for _, value in entity.get_xdata(APP_ID))
        if fid not in seen:
            seen.add(fid)
            shape = (
                Point(entity.dxf.location.x, entity.dxf.location.y)
                if entity.dxftype() == "POINT"
                else LineString(entity.get_points("xy"))
            )
            rows.append({"id": fid, "name_zh": name, "layer": entity.dxf.layer, "geometry": shape})
    return gpd.GeoDataFrame(rows, crs=doc.header.custom_vars.get("CRS"))


def _tiles(path: Path) -> gpd.GeoDataFrame:
    """Vector tiles cut a feature into one piece per tile: one row per feature id."""
    return pyogrio.read_dataframe(path).drop_duplicates("id").reset_index(drop=True)


READERS = {  # format -> read every feature back, with the full column names
    "gpkg": lambda path: _layers(str(path)),
    "shp": lambda path: _layers(f"/vsizip/{path}").rename(columns={f.short: f.name for f in FIELDS}),
    "geojson": lambda path: pyogrio.read_dataframe(path),
    "kml": lambda path: _layers(str(path)),
    "csv": lambda path: pyogrio.read_dataframe(_zipped(path, "features.csv")),
    "html": _html_map,
    "qgz": lambda path: _layers(_zipped(path, "all.gpkg")),
    "fgb": lambda path: pyogrio.read_dataframe(path),
    "pmtiles": _tiles,
    "dxf": _dxf,
}


@pytest.fixture(scope="module")
def read_back(exported) -> dict[str, gpd.GeoDataFrame]:
    return {fmt: READERS[fmt](path) for fmt, path in exported.items()}


def test_every_format_has_a_reader_here():
    assert set(READERS) == set(FORMATS)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_round_trip_keeps_ids_chinese_names_and_crs(data, read_back, fmt):
    frame = read_back[fmt]
    assert len(frame) == len(data.features)
    assert sorted(frame["id"]) == sorted(data.by_id)
    names = dict(zip(frame["id"], frame["name_zh"], strict=True))
    assert names == {fid: f["properties"]["name_zh"] for fid, f in data.by_id.items()}
    expected_crs = FORMATS[fmt].fixed_crs or PROJECTED
    assert CRS(frame.crs).equals(CRS(expected_crs))


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_hengqin_port_lands_where_pyproj_puts_it(read_back, fmt):
    expected_crs = FORMATS[fmt].fixed_crs or PROJECTED
    x, y = Transformer.from_crs("EPSG:4326", expected_crs, always_xy=True).transform(PORT_LON, PORT_LAT)
    frame = read_back[fmt]
    port = frame.loc[frame["id"] == PORT_ID, "geometry"].iloc[0]
    # 1 m; vector tiles: their grid (about 2.4 m at zoom 12); in degrees, the stored 6 decimals
    tolerance = {PROJECTED: 1.0, "EPSG:3857": 5.0}.get(expected_crs, 1e-6)
    assert port.distance(Point(x, y)) <= tolerance
    if expected_crs == PROJECTED:
        assert 400_000 < x < 500_000 and 2_400_000 < y < 2_500_000  # CM 114E, no zone prefix


@pytest.mark.parametrize("fmt", ["gpkg", "shp", "csv"])
def test_a_feature_opened_since_its_plan_carries_its_date_and_state_today(read_back, fmt):
    """新中山港客运码头: not built at prw-metro's date (2023), in place since 2024-11."""
    row = read_back[fmt].set_index("id").loc["rg-terminal-zhongshan-new-passenger"]
    assert row["exists"] == "absent"
    assert (row["exists_from"], row["exists_now"]) == ("2024-11", "existing")
    assert row["state_zh"] == "未建成 · 在建"
    chain = read_back[fmt].set_index("id").loc["rg-road-zhongkai-expressway"]  # partly open in 2023, whole in 2024-06
    assert (chain["exists"], chain["complete_from"], chain["exists_now"]) == ("partial", "2024-06", "existing")


@pytest.mark.parametrize("fmt", ["gpkg", "shp", "csv", "kml", "qgz", "fgb", "pmtiles"])
def test_flat_formats_join_lists_and_keep_chinese_values(data, read_back, fmt):
    frame = read_back[fmt].set_index("id")
    port = data.by_id[PORT_ID]["properties"]
    assert frame.loc[PORT_ID, "plans"] == ";".join(port["plans"])
    assert frame.loc[PORT_ID, "phases"] == ";".join(port["phases"])  # 现状;近期
    assert int(frame.loc[PORT_ID, "mention_count"]) == len(port["mentions"])


def test_geojson_is_rfc7946_wgs84_with_lists_and_says_the_crs_was_not_applied(data, exported):
    collection = json.loads(exported["geojson"].read_text(encoding="utf-8"))
    assert "crs" not in collection
    assert collection["metadata"]["crs"].startswith("EPSG:4326")
    assert "RFC 7946" in collection["metadata"]["crs_note"]
    port = next(f for f in collection["features"] if f["id"] == PORT_ID)
    assert port["geometry"] == {"type": "Point", "coordinates": [PORT_LON, PORT_LAT]}
    assert port["properties"]["mentions"] == data.by_id[PORT_ID]["properties"]["mentions"]
    assert crs_note("geojson", PROJECTED) and crs_note("gpkg", PROJECTED) is None


def test_geopackage_holds_one_table_per_layer_and_every_mention(data, exported):
    path = exported["gpkg"]
    tables = {name for name, geometry_type in pyogrio.list_layers(path) if geometry_type is not None}
    assert tables == set(data.layers)
    mentions = pyogrio.read_dataframe(path, layer=MENTIONS_TABLE, read_geometry=False)
    every = [(f["properties"]["id"], m) for f in data.features for m in f["properties"]["mentions"]]
    cell = {"also": passages_text}  # further passages of the plan: one line each
    expected = sorted(
        (feature_id, *(cell[k](m) if k in cell else m.get(k, "") for k in MENTION_FIELDS)) for feature_id, m in every
    )
    assert sorted(mentions[["feature_id", *MENTION_FIELDS]].itertuples(index=False, name=None)) == expected
    layer = pyogrio.read_dataframe(path, layer="hq-transport", read_geometry=False)
    assert set(mentions.merge(layer, left_on="feature_id", right_on="id")["feature_id"]) == set(layer["id"])  # joinable by id


def test_geopackage_styles_are_valid_qml_for_the_right_tables(data, exported):
    path = exported["gpkg"]
    with closing(sqlite3.connect(path)) as db:
        rows = db.execute(
            f"SELECT f_table_schema, f_table_name, f_geometry_column, useAsDefault, styleQML FROM {STYLES_TABLE}"
        ).fetchall()
    assert sorted(r[1] for r in rows) == sorted(data.layers)
    for schema, table, geometry_column, default, qml in rows:
        assert schema == "" and default == 1
        assert geometry_column == pyogrio.read_info(path, layer=table)["geometry_name"]
        root = ET.fromstring(qml)
        assert root.find("renderer-v2").get("type") == "RuleRenderer"
        layer = data.layers[table]
        existing = resolve_style(layer["style"], None, "existing")
        colors = {o.get("value") for o in root.iter("Option") if o.get("name") in ("line_color", "outline_color")}
        assert rgba(existing.color, existing.opacity) in colors
        dashes = {o.get("value") for o in root.iter("Option") if o.get("name") == "use_custom_dash"}
        assert dashes == {"0", "1"}  # solid for existing, dashed for the others
        assert {t.get("fieldName") for t in root.iter("text-style")} == {"name_zh"}


def test_shapefile_zip_has_one_set_per_layer_and_geometry_family(data, exported):
    names = zipfile.ZipFile(exported["shp"]).namelist()
    stems = {n.rsplit(".", 1)[0] for n in names if n.endswith(".shp")}
    expected = {f"{f['properties']['layer']}_{GEOMETRY_FAMILY[f['geometry']['type']]}" for f in data.features}
    assert stems == expected
    archive = zipfile.ZipFile(exported["shp"])
    for stem in stems:
        assert archive.read(f"{stem}.cpg").decode().strip() == "UTF-8"
        assert f"EPSG:{CRS(archive.read(f'{stem}.prj').decode()).to_epsg()}" == PROJECTED
    assert {"fields.csv", "mentions.csv", "metadata.json"} <= set(names)
    mapping = pd.read_csv(archive.open("fields.csv"), encoding="utf-8-sig")
    assert list(mapping["name"]) == [f.name for f in FIELDS]
    assert len(pd.read_csv(archive.open("mentions.csv"), encoding="utf-8-sig")) == sum(
        len(f["properties"]["mentions"]) for f in data.features
    )


def test_shapefile_field_names_are_ascii_and_fit_the_dbf():
    shorts = [f.short for f in FIELDS]
    assert len(set(shorts)) == len(shorts)
    assert all(s.isascii() and len(s) <= 10 for s in shorts)


def test_long_text_is_cut_to_the_dbf_limit_between_characters():
    text = "横琴" * 200
    cut = fit_dbf(text)
    assert len(cut.encode("utf-8")) <= DBF_TEXT_BYTES and cut.endswith("…") and text.startswith(cut[:-1])
    assert fit_dbf("短") == "短"


def test_kml_names_describe_with_citations_and_style_by_layer(data, exported):
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    root = ET.parse(exported["kml"]).getroot()
    folders = root.findall("k:Document/k:Folder", ns)
    assert [f.findtext("k:name", namespaces=ns) for f in folders] == [layer["title_zh"] for layer in data.catalog["layers"]]
    styles = {s.get("id") for s in root.findall("k:Document/k:Style", ns)}
    assert set(data.layers) <= styles
    port = next(p for p in root.iter(f"{{{ns['k']}}}Placemark") if p.findtext("k:name", namespaces=ns) == "横琴口岸")
    description = port.findtext("k:description", namespaces=ns)
    for mention in data.by_id[PORT_ID]["properties"]["mentions"]:
        assert escape(mention["quote"]) in description
    assert port.findtext("k:styleUrl", namespaces=ns) == "#hq-transport"
    mountain = next(p for p in root.iter(f"{{{ns['k']}}}Placemark") if p.findtext("k:name", namespaces=ns) == "大横琴山")
    passages = mountain.findtext("k:description", namespaces=ns)
    assert "同一规划另见：第二章 第二节 构建生态安全格局" in passages and "大横琴山划定严格保护区" in passages


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "pmtiles"])
def test_every_export_carries_the_metadata_record(exported, fmt):
    path = exported[fmt]
    if fmt in ("gpkg", "qgz"):
        source = str(path) if fmt == "gpkg" else _zipped(path, "all.gpkg")
        rows = pyogrio.read_dataframe(source, layer=METADATA_TABLE, read_geometry=False)
        record = dict(zip(rows["key"], rows["value"], strict=True))
    elif fmt == "fgb":
        description = pyogrio.read_info(path)["layer_metadata"]["DESCRIPTION"]
        record = dict(line.split(": ", 1) for line in description.splitlines())
    elif fmt == "dxf":
        record = dict(ezdxf.readfile(path).header.custom_vars)
    elif fmt == "geojson":
        record = json.loads(path.read_text(encoding="utf-8"))["metadata"]
    elif fmt == "html":
        record = _html_metadata(path)
    elif fmt == "kml":
        ns = {"k": "http://www.opengis.net/kml/2.2"}
        document = ET.parse(path).getroot().find("k:Document", ns)
        record = {d.get("name"): d.findtext("k:value", namespaces=ns) for d in document.findall("k:ExtendedData/k:Data", ns)}
    else:
        record = json.loads(zipfile.ZipFile(path).read("metadata.json"))
    assert set(record) >= METADATA_KEYS
    assert str(record["crs"]).startswith(FORMATS[fmt].fixed_crs or PROJECTED)
    assert "hq-master" in str(record["source_plans"])


def test_export_bytes_gives_the_download_file(data):
    selection = replace(Selection.everything(data), layers=frozenset({"hq-transport"}))
    content, name, mime = export_bytes(data, selection, "geojson", "EPSG:4326")
    assert name == "hengqin-plan-map_epsg4326.geojson" and mime == "application/geo+json"
    assert [f["id"] for f in json.loads(content)["features"]] == [s.id for s in select(data, selection)]


@pytest.mark.parametrize(
    "query",
    [
        {"plan": "hq-master"},
        {"plan": "hq-industry,prw-metro", "phase": "中期", "layer": "hq-industry,region-platforms"},
        {"status": "study,reserve"},
        {"layer": "hq-transport", "status": "existing"},
    ],
)
def test_filters_select_what_the_app_selects_for_the_same_url(data, query, tmp_path):
    app = parse_query(query, data, BASEMAP_IDS).selection
    argv = ["--format", "csv", *[arg for key, value in query.items() for arg in (f"--{key}", value)]]
    cli = selection_from_args(build_parser().parse_args(argv), data)
    assert cli == app
    _, bundle = prepare(data, cli, "csv", PROJECTED)
    assert [s.id for s in bundle.shown] == [s.id for s in select(data, app)]
    assert [s.mention["status"] for s in bundle.shown] == list(bundle.features["status"])  # drawn status, as the app


def test_the_command_line_writes_the_file(data, tmp_path, capsys):
    out = tmp_path / "transport.gpkg"
    assert main(["--format", "gpkg", "--crs", "4547", "--layer", "hq-transport", "-o", str(out)]) == 0
    assert f"{data.layers['hq-transport']['count']} features in 1 layers" in capsys.readouterr().out
    assert [name for name, _ in pyogrio.list_layers(out)] == ["hq-transport", MENTIONS_TABLE, METADATA_TABLE, STYLES_TABLE]
    with closing(sqlite3.connect(out)) as db:
        assert db.execute(f"SELECT name FROM {PROJECTS_TABLE}").fetchall() == [("hengqin-plan-map",)]


def _fails(argv: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as exit_info:
        run(lambda: main(argv))
    assert exit_info.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--crs", "EPSG:3857"], "unknown CRS 'EPSG:3857'"),
        (["--layer", "hq-nowhere"], "unknown --layer hq-nowhere"),
        (["--plan", "hq-master", "--layer", "region-corridors"], "the selection is empty"),
    ],
)
def test_bad_requests_fail_clearly_and_write_nothing(tmp_path, capsys, args, message):
    out = tmp_path / "out.gpkg"
    error = _fails(["--format", "gpkg", "-o", str(out), *args], capsys)
    assert error.startswith("error: ") and message in error
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["missing/out.gpkg", "."])
def test_an_unwritable_path_fails_clearly(tmp_path, capsys, where):
    error = _fails(["--format", "gpkg", "-o", str(tmp_path / where)], capsys)
    assert "cannot write" in error
    assert list(tmp_path.iterdir()) == []


def test_a_failing_writer_leaves_no_half_written_file_and_keeps_the_old_one(data, tmp_path, monkeypatch):
    out = tmp_path / "out.geojson"
    out.write_text("old", encoding="utf-8")

    def broken(bundle, path):
        path.write_text('{"type": "FeatureCollection", "feat', encoding="utf-8")
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(FORMATS, "geojson", replace(FORMATS["geojson"], write=broken))
    with pytest.raises(ExportError, match="No space left"):
        export_selection(data, Selection.everything(data), "geojson", "EPSG:4326", out)
    assert [p.name for p in tmp_path.iterdir()] == ["out.geojson"] and out.read_text(encoding="utf-8") == "old"


def test_python_m_geo_export_runs(tmp_path):
    out = tmp_path / "rail.kml"
    done = subprocess.run(
        [sys.executable, "-m", "geo.export", "--format", "kml", "--crs", "EPSG:4547", "--layer", "region-rail", "-o", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "KML is always WGS84" in done.stderr and out.exists()


def test_crs_choices_are_the_epsg_definitions():
    assert {c.id for c in CRS_CHOICES} >= {"EPSG:4326", "EPSG:4490", "EPSG:4547", "EPSG:4546", "EPSG:32649"}
    for choice in CRS_CHOICES:
        assert CRS(choice.id).name == choice.en


def test_style_columns_are_the_resolved_style():
    style_fields = {f.name for f in FIELDS} & set(FeatureStyle.__dataclass_fields__)
    assert style_fields == set(FeatureStyle.__dataclass_fields__)


def test_docs_show_every_format_and_the_shapefile_field_names():
    docs = (ROOT / "docs" / "gis-guide.md").read_text(encoding="utf-8")
    for fmt in FORMATS:
        assert f"--format {fmt}" in docs, f"README has no export example for {fmt}"
    for field in FIELDS:
        assert f"| `{field.short}` | `{field.name}` |" in docs, f"README does not map {field.short}"


def test_an_empty_selection_is_refused_by_the_library_too(data):
    nothing = replace(Selection.everything(data), plans=frozenset())
    with pytest.raises(ExportError, match="selection is empty"):
        export_bytes(data, nothing, "csv", PROJECTED)


def test_uploaded_overlays_are_exported_beside_the_plan_layers(data, tmp_path):
    frame = gpd.GeoDataFrame(
        {"名称": ["地块一"], "用途": ["<b>商业</b>"]}, geometry=[box(113.50, 22.10, 113.52, 22.12)], crs="EPSG:4326"
    )
    overlay = Overlay(name="parcels.geojson", frame=frame, notes=[], source_format="GeoJSON")
    only_base = replace(Selection.everything(data), layers=frozenset({"hq-base"}))
    content, _, _ = export_bytes(data, only_base, "geojson", "EPSG:4326", overlays=[overlay])
    features = json.loads(content)["features"]
    user = [f for f in features if f["properties"]["layer"] == "user-1"]
    assert len(user) == 1 and len(features) == 1 + len([f for f in data.features if f["properties"]["layer"] == "hq-base"])
    assert user[0]["properties"]["name_zh"] == "地块一"
    assert json.loads(user[0]["properties"]["attributes"]) == {"名称": "地块一", "用途": "<b>商业</b>"}
    gpkg, _, _ = export_bytes(data, only_base, "gpkg", PROJECTED, overlays=[overlay])
    path = tmp_path / "with-overlay.gpkg"
    path.write_bytes(gpkg)
    assert "user-1" in [name for name, _ in pyogrio.list_layers(path)]
    table = gpd.read_file(path, layer="user-1")
    assert table.crs.to_epsg() == 4547 and list(table["name_zh"]) == ["地块一"]
