"""What a GIS technician checks in the exports beyond the round trip (issue 15): GeoPackage version and
geometry types, the QGIS project and layer metadata stored inside it, one field type per field name in
the flat formats, nulls in CSV, KML valid against the OGC schema, sidecar styles and metadata, DXF layers
and labels, vector tiles, files GDAL leaves untouched, and clean failures on a full or read-only disk."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from collections import defaultdict
from contextlib import closing
from pathlib import Path

import ezdxf
import pykml
import pyogrio
import pytest
from lxml import etree
from shapely.geometry import shape

from geo.export import FORMATS, crs_note, export_selection
from geo.export.__main__ import main
from geo.export.dxf import APP_ID
from geo.export.gpkg import PROJECTS_TABLE, QGIS_METADATA_URI
from geo.export.qgis_project import MENTIONS_LAYER_ID, PROJECT_NAME
from geo.export.shapefile import SHORT_NAMES
from geo.query.cli import run
from geo.query.selection import Selection
from geo.sources.mapdata import load_map_data

PROJECTED = "EPSG:4547"
KML_SCHEMA = Path(pykml.__file__).parent / "schemas" / "ogckml22.xsd"  # OGC KML 2.2, as pykml ships it


@pytest.fixture(scope="module")
def data():
    return load_map_data()


@pytest.fixture(scope="module")
def exported(data, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("deliverables")
    paths = {}
    for fmt in ("gpkg", "shp", "csv", "kml", "qgz", "fgb", "pmtiles", "dxf"):
        paths[fmt] = folder / f"plan{FORMATS[fmt].suffix}"
        export_selection(data, Selection.everything(data), fmt, PROJECTED, paths[fmt])
    return paths


def test_geopackage_is_version_1_2_and_keeps_single_points_single(data, exported):
    path = exported["gpkg"]
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47  # 'GPKG'
        assert db.execute("PRAGMA user_version").fetchone()[0] == 10200
    for name, declared in pyogrio.list_layers(path):
        if name in data.layers:
            frame = pyogrio.read_dataframe(path, layer=name)
            source = {f["properties"]["id"]: f["geometry"]["type"] for f in data.features if f["properties"]["layer"] == name}
            # as drawn, unless the table is of one multi type because it also holds multi-parts of that kind
            expected = {fid: declared if declared == f"Multi{t}" else t for fid, t in source.items()}
            assert dict(zip(frame["id"], frame.geom_type, strict=True)) == expected
    assert pyogrio.read_info(path, layer="region-rail")["geometry_type"] == "Unknown"  # mixed: points stay Point
    rail = pyogrio.read_dataframe(path, layer="region-rail")
    assert "Point" in set(rail.geom_type) and "MultiPoint" not in set(rail.geom_type)


def test_geopackage_carries_qgis_layer_metadata_for_every_layer(data, exported):
    with closing(sqlite3.connect(exported["gpkg"])) as db:
        rows = db.execute(
            "SELECT r.table_name, m.metadata FROM gpkg_metadata m JOIN gpkg_metadata_reference r ON r.md_file_id = m.id "
            "WHERE m.md_standard_uri = ? AND r.reference_scope = 'table'",
            (QGIS_METADATA_URI,),
        ).fetchall()
    assert sorted(table for table, _ in rows) == sorted(data.layers)
    xml = next(metadata for table, metadata in rows if table == "hq-transport")
    root = ET.fromstring(xml)
    assert root.findtext("title").startswith(data.layers["hq-transport"]["title_zh"])
    assert root.findtext("crs/spatialrefsys/authid") == PROJECTED
    assert "hq-master" in {k.text for k in root.findall("keywords[@vocabulary='plans']/keyword")}
    assert any("Source plan hq-master" in h.text and "sections cited" in h.text for h in root.findall("history"))
    assert root.find("constraints[@type='accuracy']").text.startswith("Positional accuracy")
    assert root.findtext("license") and root.find("extent/spatial").get("crs") == PROJECTED


def _project_xml(gpkg: Path) -> ET.Element:
    with closing(sqlite3.connect(gpkg)) as db:
        content = db.execute(f"SELECT content FROM {PROJECTS_TABLE} WHERE name = ?", (PROJECT_NAME,)).fetchone()[0]
    with zipfile.ZipFile(io.BytesIO(bytes.fromhex(content))) as archive:
        (name,) = archive.namelist()
        return ET.fromstring(archive.read(name))


def test_the_geopackage_holds_a_qgis_project_of_its_own_tables(data, exported):
    root = _project_xml(exported["gpkg"])
    layers = root.findall("projectlayers/maplayer")
    sources = {m.findtext("datasource") for m in layers}
    assert all(s.startswith(f"./{exported['gpkg'].name}|layername=") for s in sources)  # relative: moves with the file
    assert {s.split("layername=")[1].split("|")[0] for s in sources} == set(data.layers) | {"mentions"}
    themes = [g.get("name") for g in root.findall("layer-tree-group/layer-tree-group")]
    assert themes[:-1] == list(dict.fromkeys(f"{t['zh']} · {t['en']}" for t in reversed(data.catalog["themes"])))
    order = [item.text for item in root.findall("layer-tree-group/custom-order/item")]
    families = [item.rsplit("-", 1)[1] for item in order]
    assert families == sorted(families, key=["point", "line", "polygon"].index)  # points over lines over areas
    relations = root.findall("relations/relation")
    assert len(relations) == len(order) and {r.get("referencingLayer") for r in relations} == {MENTIONS_LAYER_ID}
    widgets = {f.get("name") for f in root.iter("field") if f.find("editWidget[@type='ValueMap']") is not None}
    assert {"status", "kind", "phase", "plan"} <= widgets


def test_the_qgis_zip_holds_the_project_beside_its_geopackage(exported):
    archive = zipfile.ZipFile(exported["qgz"])
    assert sorted(archive.namelist()) == ["plan.gpkg", "plan.qgz"]
    with zipfile.ZipFile(io.BytesIO(archive.read("plan.qgz"))) as project:
        xml = project.read(project.namelist()[0]).decode()
    assert "<datasource>./plan.gpkg|layername=hq-transport" in xml


def test_shapefile_and_csv_fields_have_one_type_per_name(exported):
    types: dict[str, set[str]] = defaultdict(set)
    shp = f"/vsizip/{exported['shp']}"
    for name, _ in pyogrio.list_layers(shp):
        info = pyogrio.read_info(shp, layer=name)
        for field, ogr_type in zip(info["fields"], info["ogr_types"], strict=True):
            types[field].add(ogr_type)
    assert all(len(kinds) == 1 for kinds in types.values()), {k: v for k, v in types.items() if len(v) > 1}
    assert types["carriers"] == {"OFTString"} and types["dash"] == {"OFTString"}
    csv = pyogrio.read_info(f"/vsizip/{exported['csv']}/features.csv")
    csv_types = dict(zip(csv["fields"], csv["ogr_types"], strict=True))
    assert {SHORT_NAMES[c]: t for c, t in csv_types.items() if c in SHORT_NAMES} == {k: v.pop() for k, v in types.items()}


def test_csv_empty_values_read_back_as_null(data, exported):
    features = f"/vsizip/{exported['csv']}/features.csv"
    frame = pyogrio.read_dataframe(features, EMPTY_STRING_AS_NULL="YES")  # GDAL's switch; QGIS's CSV reader does the same
    without_carriers = {f["properties"]["id"] for f in data.features if not f["properties"].get("carriers")}
    assert frame.loc[frame["id"].isin(without_carriers), "carriers"].isna().all()
    assert frame["dash"].isna().any() and frame["mention_count"].notna().all()
    header = zipfile.ZipFile(exported["csv"]).read("features.csvt").decode()
    assert "Integer64" in header and "Real" in header and "Integer(Boolean)" in header


def test_kml_is_valid_against_the_ogc_kml_2_2_schema(exported):
    schema = etree.XMLSchema(etree.parse(str(KML_SCHEMA)))
    document = etree.parse(str(exported["kml"]))
    assert schema.validate(document), schema.error_log.last_error
    tags = [etree.QName(e).localname for e in document.getroot()[0]]
    assert tags.index("Style") < tags.index("ExtendedData") < tags.index("Folder")


def test_each_shapefile_has_its_qgis_style_and_metadata_beside_it(exported):
    archive = zipfile.ZipFile(exported["shp"])
    stems = [n.removesuffix(".shp") for n in archive.namelist() if n.endswith(".shp")]
    long_only = {name for name, short in SHORT_NAMES.items() if name != short}
    for stem in stems:
        qml = archive.read(f"{stem}.qml").decode()
        assert ET.fromstring(qml).find("renderer-v2").get("type") == "RuleRenderer"
        assert not any(f'"{name}"' in qml or f"&quot;{name}&quot;" in qml for name in long_only)  # short DBF names only
        qmd = ET.fromstring(archive.read(f"{stem}.qmd"))
        assert qmd.findtext("identifier").endswith(f"{stem}.shp") and qmd.findtext("crs/spatialrefsys/authid") == PROJECTED


def test_dxf_has_a_layer_per_plan_layer_with_text_labels_in_metres(data, exported):
    doc = ezdxf.readfile(exported["dxf"])
    assert {layer.dxf.name for layer in doc.layers} >= set(data.layers)
    assert doc.header["$INSUNITS"] == 6 and doc.header.custom_vars.get("CRS") == PROJECTED
    labels = [e for e in doc.modelspace() if e.dxftype() == "TEXT"]
    assert len(labels) == len(data.features)
    port = next(e for e in labels if e.get_xdata(APP_ID)[0][1] == "hq-port-hengqin")
    assert port.dxf.text == "横琴口岸" and port.dxf.layer == "hq-transport"
    # GDAL reads it too (told that a DXF 2007+ file is UTF-8, as the DXF reference says)
    pyogrio.set_gdal_config_options({"DXF_ENCODING": "UTF-8"})
    try:
        gdal = pyogrio.read_dataframe(exported["dxf"])
    finally:
        pyogrio.set_gdal_config_options({"DXF_ENCODING": None})
    assert set(gdal["Layer"]) >= set(data.layers) and "横琴口岸" in set(gdal["Text"])


def test_dxf_of_a_longitude_latitude_crs_is_drawn_in_gauss_kruger(data, tmp_path):
    bundle = export_selection(data, Selection.everything(data), "dxf", "EPSG:4326", tmp_path / "plan.dxf")
    assert bundle.crs.id == PROJECTED and "EPSG:4547" in crs_note("dxf", "EPSG:4326")
    assert crs_note("dxf", "EPSG:32649") is None


def test_vector_tiles_hold_every_feature_with_its_attributes(data, exported):
    info = pyogrio.read_info(exported["pmtiles"])
    assert info["crs"] == "EPSG:3857"
    tiles = pyogrio.read_dataframe(exported["pmtiles"])
    assert set(tiles["id"]) == set(data.by_id) and set(tiles["layer"]) == set(data.layers)
    port = tiles.loc[tiles["id"] == "hq-port-hengqin"].iloc[0]
    assert port["name_zh"] == "横琴口岸" and port["status"]


def test_flatgeobuf_is_one_indexed_layer_with_every_feature(data, exported):
    info = pyogrio.read_info(exported["fgb"])
    assert info["features"] == len(data.features) and info["capabilities"]["fast_spatial_filter"]
    frame = pyogrio.read_dataframe(exported["fgb"])
    port = shape(data.by_id["hq-port-hengqin"]["geometry"])
    assert frame.loc[frame["id"] == "hq-port-hengqin"].geom_type.iloc[0] == port.geom_type


@pytest.mark.parametrize("fmt", ["gpkg", "shp", "csv", "fgb", "pmtiles", "qgz"])
def test_reading_an_export_writes_nothing_beside_it(data, tmp_path, fmt):
    path = tmp_path / f"plan{FORMATS[fmt].suffix}"
    export_selection(data, Selection.everything(data), fmt, PROJECTED, path)
    source = {"shp": f"/vsizip/{path}", "csv": f"/vsizip/{path}/features.csv", "qgz": f"/vsizip/{path}/plan.gpkg"}.get(
        fmt, str(path)
    )
    before = sorted(p.name for p in path.parent.iterdir())
    for name, _ in pyogrio.list_layers(source):
        pyogrio.read_info(source, layer=name)
        pyogrio.read_dataframe(source, layer=name, max_features=5)
    assert sorted(p.name for p in path.parent.iterdir()) == before  # no .aux.xml


@pytest.fixture(scope="module")
def small_disk(tmp_path_factory):
    """A 128 KiB tmpfs (root only, as CI runs): every export is larger, so each write meets ENOSPC."""
    folder = tmp_path_factory.mktemp("small-disk")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", str(folder)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


def _fails(argv: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as exit_info:
        run(lambda: main(argv))
    assert exit_info.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_a_full_disk_ends_with_an_error_and_leaves_no_file(small_disk, capsys, fmt):
    out = small_disk / f"plan{FORMATS[fmt].suffix}"
    error = _fails(["--format", fmt, "--crs", PROJECTED, "-o", str(out)], capsys)
    assert error.startswith(f"error: cannot write {out}") and "Traceback" not in error
    assert list(small_disk.iterdir()) == []


def test_a_read_only_disk_ends_with_an_error(small_disk, capsys):
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        error = _fails(["--format", "gpkg", "-o", str(small_disk / "plan.gpkg")], capsys)
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    assert error.startswith("error: cannot write") and "Read-only file system" in error
