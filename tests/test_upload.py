"""Reading users' own files (geo.upload): every bad file is refused with its exact message, awkward ones
are read with notes, coordinates land in WGS84, and nothing but UploadError ever escapes."""

from __future__ import annotations

import io
import json
import re
import socket
import sqlite3
import threading
import time
import zipfile
from contextlib import closing
from pathlib import Path

import geopandas
import numpy as np
import prcoords
import pyogrio
import pyproj
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.geography.datum import bd09_to_wgs84, gcj02_to_wgs84
from geo.paths import ROOT
from geo.upload import LIMITS, MESSAGES, Limits, Overlay, UploadError, display_geometry, list_layers, read_upload
from geo.upload.archive import extract, open_zip
from geo.upload.coords import CANDIDATE_CRS, classify, parse_coordinate, suggest_crs
from geo.upload.limits import MB
from geo.upload.table import read_csv
from geo.upload.text import json_depth
from geo.upload.user_layers import user_layer
from tests.upload_cases.make_cases import CASES as GENERATED_CASES
from tests.upload_cases.make_cases import shapefile, zipped

CASES = Path(__file__).parent / "upload_cases"
TO_GAUSS_KRUGER_114E = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:4547", always_xy=True)


def read_case(filename: str, **options) -> Overlay:
    return read_upload(filename, (CASES / filename).read_bytes(), **options)


def refusal(filename: str, data: bytes, **options) -> UploadError:
    with pytest.raises(UploadError) as caught:
        read_upload(filename, data, **options)
    return caught.value


def texts(overlay: Overlay) -> list[str]:
    return [note.en for note in overlay.notes]


# --- the corpus ------------------------------------------------------------------------------------------

BAD_FILES = [
    ("empty.geojson", {}, "empty.geojson: the file is empty."),
    ("notes.txt", {}, "notes.txt: this type of file cannot be read; upload GeoJSON, KML, a zipped Shapefile, GeoPackage or CSV."),
    ("truncated.geojson", {}, "truncated.geojson: the JSON is malformed at line 13, column 11 (Expecting ',' delimiter)."),
    ("html.geojson", {}, "html.geojson: the JSON is malformed at line 1, column 1 (Expecting value)."),
    ("deep.geojson", {}, "deep.geojson: the JSON is nested more than 64 levels deep."),
    ("not_geojson.json", {}, "not_geojson.json: the JSON is not GeoJSON (a FeatureCollection, Feature or geometry)."),
    ("empty_collection.geojson", {}, "empty_collection.geojson: it holds no features."),
    ("all_null_geometry.geojson", {}, "all_null_geometry.geojson: no feature has a usable geometry."),
    (
        "projected.geojson",
        {},
        "projected.geojson: the coordinates look projected (e.g. metres) and the file has no CRS; give its EPSG code "
        "(EPSG:4547, EPSG:4546 would place them in the plans' region).",
    ),
    ("doctype.kml", {}, "doctype.kml: KML with a DOCTYPE or entity declaration is refused; remove the <!DOCTYPE …> part."),
    ("gpx.kml", {}, "gpx.kml: the content is not KML, although the file name says so."),
    ("text.kml", {}, "text.kml: the content is not KML, although the file name says so."),
    ("text.gpkg", {}, "text.gpkg: the content is not GeoPackage, although the file name says so."),
    ("damaged.gpkg", {}, "damaged.gpkg: the file could not be read as GeoPackage; it may be damaged."),
    ("text.zip", {}, "text.zip: it is not a valid zip archive."),
    ("no_shp.zip", {}, "no_shp.zip: the zip holds no Shapefile (.shp)."),
    ("no_dbf.zip", {}, "no_dbf.zip: roads.shp lacks .dbf; zip the .shp, .shx and .dbf files together."),
    (
        "traversal.zip",
        {},
        "traversal.zip: the zip holds ../roads.shp, a link or a path leading outside the zip's folder, so it was refused.",
    ),
    (
        "absolute.zip",
        {},
        "absolute.zip: the zip holds /tmp/roads.shp, a link or a path leading outside the zip's folder, so it was refused.",
    ),
    (
        "symlink.zip",
        {},
        "symlink.zip: the zip holds roads.prj, a link or a path leading outside the zip's folder, so it was refused.",
    ),
    ("encrypted.zip", {}, "encrypted.zip: the zip is password-protected; zip it again without a password."),
    ("two_shapefiles.zip", {}, "two_shapefiles.zip: it holds several layers (roads, parks); choose one."),
    ("two_shapefiles.zip", {"layer": "lakes"}, "two_shapefiles.zip: it has no layer named lakes; choose one of roads, parks."),
    ("ragged.csv", {}, "ragged.csv: line 3 has a different number of fields (4) from the header (3)."),
    (
        "no_coordinates.csv",
        {},
        "no_coordinates.csv: no coordinate columns found; name them lon and lat (or 经度 and 纬度), or wkt.",
    ),
    ("header_only.csv", {}, "header_only.csv: it holds no features."),
    (
        "projected.csv",
        {},
        "projected.csv: the coordinates look projected (e.g. metres) and the file has no CRS; give its EPSG code "
        "(EPSG:4547, EPSG:4546 would place them in the plans' region).",
    ),
    (
        "out_of_range.csv",
        {},
        "out_of_range.csv: coordinates such as [200, 95] lie beyond ±180° longitude or ±90° latitude; "
        "check the CRS and the lon/lat order.",
    ),
    ("bad_encoding.csv", {}, "bad_encoding.csv: the text is neither UTF-8 nor GB18030 (GBK); save it as UTF-8."),
    (
        "projected.csv",
        {"source_crs": "EPSG:999999"},
        "projected.csv: EPSG:999999 is not a known EPSG code; give one such as EPSG:4547.",
    ),
    (
        "projected.csv",
        {"source_crs": "+proj=merc"},
        "projected.csv: +proj=merc is not a known EPSG code; give one such as EPSG:4547.",
    ),
    ("wkt.csv", {"datum": "itrf"}, "wkt.csv: the datum itrf is unknown; use wgs84, gcj02 or bd09."),
    (
        "image.geojson",
        {},
        "image.geojson: the content is not GeoJSON (it looks like a PNG image), although the file name says so.",
    ),
    ("image.csv", {}, "image.csv: the content is not CSV (it looks like a PNG image), although the file name says so."),
    (
        "spreadsheet.csv",
        {},
        "spreadsheet.csv: the content is not CSV (it looks like a zip archive, such as KMZ or XLSX), "
        "although the file name says so.",
    ),
    (
        "binary.kml",
        {},
        "binary.kml: the content is not KML (it looks like binary data, not text), although the file name says so.",
    ),
    (
        "infinity.geojson",
        {},
        "infinity.geojson: no feature has usable coordinates; those of feature 1 are not numbers (NaN or infinity).",
    ),
    (
        "infinity.csv",
        {},
        "infinity.csv: no row has coordinates that can be read (numbers, or WKT); line 2 has “Infinity” / “22.12”.",
    ),
    (
        "antimeridian.geojson",
        {},
        "antimeridian.geojson: feature 2 (“斐济”) crosses the 180° meridian, far from this map of southern China; "
        "check its coordinates.",
    ),
]


@pytest.mark.parametrize(("filename", "options", "expected"), BAD_FILES, ids=[f"{c[0]}{c[1] or ''}" for c in BAD_FILES])
def test_bad_file_is_refused_with_its_exact_message(filename, options, expected):
    error = refusal(filename, (CASES / filename).read_bytes(), **options)
    assert error.en == expected
    assert str(error) == f"{error.zh} / {error.en}"
    assert error.zh.startswith(f"{filename}：")


def test_chinese_message_is_the_same_sentence():
    error = refusal("ragged.csv", (CASES / "ragged.csv").read_bytes())
    assert error.zh == "ragged.csv：第 3 行有 4 个字段，而表头有 3 个。"
    assert error.text("zh") == error.zh and error.text("en") == error.en


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("image.geojson", "image.geojson：文件内容不是 GeoJSON 格式（看起来是一张 PNG 图片），与文件扩展名不符。"),
        ("binary.kml", "binary.kml：文件内容不是 KML 格式（看起来是二进制数据而非文本），与文件扩展名不符。"),
        ("infinity.geojson", "infinity.geojson：没有要素具有可用的坐标；第 1 个要素的坐标不是数字（NaN 或无穷大）。"),
        (
            "antimeridian.geojson",
            "antimeridian.geojson：第 2 个要素（“斐济”）跨越 180° 经线，远离本图所示的华南地区；请检查其坐标。",
        ),
    ],
)
def test_values_that_read_differently_are_in_each_language(filename, expected):
    assert refusal(filename, (CASES / filename).read_bytes()).zh == expected


AWKWARD_FILES = [
    ("gbk.geojson", {}, ["gbk.geojson: the text is not UTF-8; decoded it as GB18030."]),
    ("some_null_geometry.geojson", {}, ["some_null_geometry.geojson: features without a usable geometry dropped: 1."]),
    ("bowtie.geojson", {}, ["bowtie.geojson: invalid geometries repaired: 1."]),
    ("swapped.geojson", {}, ["swapped.geojson: the coordinates were in lat, lon order; swapped them to lon, lat."]),
    (
        "beijing.geojson",
        {},
        [
            "beijing.geojson: no feature lies in the plans' region (lon 111–115°, lat 21–23.5°); check the CRS and the datum.",
        ],
    ),
    (
        "gbk_no_cpg.zip",
        {},
        [
            "gbk_no_cpg.zip: the text is not UTF-8; decoded it as GB18030.",
            "gbk_no_cpg.zip: the file has no CRS; read it as WGS84 (EPSG:4326).",
        ],
    ),
    ("two_shapefiles.zip", {"layer": "parks"}, ["two_shapefiles.zip: the file has no CRS; read it as WGS84 (EPSG:4326)."]),
    (
        "chinese_columns_gbk.csv",
        {},
        [
            "chinese_columns_gbk.csv: the text is not UTF-8; decoded it as GB18030.",
            "chinese_columns_gbk.csv: read the coordinates from 经度 / 纬度.",
            "chinese_columns_gbk.csv: rows with missing or unreadable coordinates dropped: 1 (the first on line 4).",
            "chinese_columns_gbk.csv: the file has no CRS; read it as WGS84 (EPSG:4326).",
        ],
    ),
    (
        "wkt.csv",
        {},
        [
            "wkt.csv: read the coordinates from wkt.",
            "wkt.csv: rows with missing or unreadable coordinates dropped: 1 (the first on line 3).",
            "wkt.csv: the file has no CRS; read it as WGS84 (EPSG:4326).",
        ],
    ),
    (
        "projected.csv",
        {"source_crs": "EPSG:4547"},
        ["projected.csv: read the coordinates from x / y.", "projected.csv: reprojected from EPSG:4547 to WGS84."],
    ),
    (
        "nan.geojson",
        {},
        [
            "nan.geojson: features whose coordinates are not numbers (NaN or infinity) dropped: 1 "
            "(the first is feature 2 (“横琴口岸”)).",
        ],
    ),
    ("heights.geojson", {}, []),  # heights dropped, and the file's EPSG:4979 (WGS84 3D) is WGS84: nothing to say
    (
        "heights.csv",
        {},
        ["heights.csv: read the coordinates from wkt.", "heights.csv: the file has no CRS; read it as WGS84 (EPSG:4326)."],
    ),
    ("collection.geojson", {}, []),
    (
        "projected.geojson",
        {"source_crs": 4547},
        [
            "projected.geojson: used EPSG:4547 as given instead of the file's CRS (EPSG:4326).",
            "projected.geojson: reprojected from EPSG:4547 to WGS84.",
        ],
    ),
]


@pytest.mark.parametrize(("filename", "options", "expected"), AWKWARD_FILES, ids=[f"{c[0]}{c[1] or ''}" for c in AWKWARD_FILES])
def test_awkward_file_is_read_with_exactly_these_notes(filename, options, expected):
    overlay = read_case(filename, **options)
    assert texts(overlay) == expected
    assert overlay.frame.crs == "EPSG:4326"
    assert len(overlay.frame) > 0


def test_heights_are_dropped_and_collections_keep_their_parts_kinds():
    assert not read_case("heights.csv").frame.geometry.has_z.any()
    assert not read_case("heights.geojson").frame.geometry.has_z.any()
    layer = user_layer(read_case("collection.geojson").frame, "collection.geojson", 0, gcj02=False)
    assert layer.geometry_kinds == {"line", "polygon"}  # its legend swatch is a polygon, not a point


def test_corpus_files_are_what_make_cases_writes():
    for filename, data in GENERATED_CASES.items():
        assert (CASES / filename).read_bytes() == data, f"run python -m tests.upload_cases.make_cases ({filename})"


# --- reading what users upload -------------------------------------------------------------------------


def test_geojson_keeps_attributes_as_strings_unescaped():
    data = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": "<b>横琴</b>", "n": 3, "x": None},
                    "geometry": {"type": "Point", "coordinates": [113.54, 22.12]},
                }
            ],
        }
    ).encode()
    overlay = read_upload("a.geojson", data)
    assert overlay.source_format == "GeoJSON" and overlay.name == "a.geojson" and overlay.notes == []
    row = overlay.frame.iloc[0]
    assert (row["name"], row["n"], row["x"]) == ("<b>横琴</b>", "3", "")
    assert all(overlay.frame[c].map(type).eq(str).all() for c in ("name", "n", "x"))


def test_gbk_shapefile_without_cpg_reads_its_chinese_names():
    overlay = read_case("gbk_no_cpg.zip")
    assert overlay.frame["name"].tolist() == ["横琴口岸"]
    assert overlay.source_format == "Shapefile"


def test_utf8_shapefile_without_cpg_is_read_as_utf8_without_a_note():
    overlay = read_upload("ports.zip", zipped(shapefile("ports", "utf-8")))
    assert overlay.frame["name"].tolist() == ["横琴口岸"]
    assert "decoded" not in {note.key for note in overlay.notes}


def test_shapefile_with_prj_is_reprojected(tmp_path):
    frame = geopandas.GeoDataFrame({"name": ["横琴"]}, geometry=[shapely.box(113.50, 22.10, 113.55, 22.15)], crs="EPSG:4326")
    frame.to_crs("EPSG:4547").to_file(tmp_path / "plan.shp", encoding="UTF-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in tmp_path.iterdir():
            archive.write(part, f"exports/{part.name}")
    overlay = read_upload("plan.zip", buffer.getvalue())
    assert texts(overlay) == ["plan.zip: reprojected from EPSG:4547 to WGS84."]
    assert overlay.frame.geometry.iloc[0].symmetric_difference(frame.geometry.iloc[0]).area < 1e-10
    assert list_layers("plan.zip", buffer.getvalue()) == ["exports/plan"]


@pytest.fixture(scope="module")
def geopackage(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("gpkg") / "plans.gpkg"
    points = geopandas.GeoDataFrame({"name": ["横琴口岸"]}, geometry=[shapely.Point(113.54, 22.12)], crs="EPSG:4326")
    areas = geopandas.GeoDataFrame({"name": ["片区"]}, geometry=[shapely.box(113.5, 22.1, 113.6, 22.2)], crs="EPSG:4547")
    points.to_file(path, layer="ports")
    areas.to_crs("EPSG:4547").to_file(path, layer="zones")
    pyogrio.write_dataframe(geopandas.pd.DataFrame({"note": ["a table, not a layer"]}), path, layer="notes")
    return path.read_bytes()


def test_geopackage_layers_are_listed_and_one_is_chosen(geopackage):
    assert list_layers("plans.gpkg", geopackage) == ["ports", "zones"]
    assert refusal("plans.gpkg", geopackage).en == "plans.gpkg: it holds several layers (ports, zones); choose one."
    overlay = read_upload("plans.gpkg", geopackage, layer="ports")
    assert overlay.frame["name"].tolist() == ["横琴口岸"] and overlay.notes == []
    assert (
        refusal("plans.gpkg", geopackage, layer="notes").en
        == "plans.gpkg: it has no layer named notes; choose one of ports, zones."
    )


def test_geopackage_of_plain_tables_has_no_layer(tmp_path):
    path = tmp_path / "tables.gpkg"
    pyogrio.write_dataframe(geopandas.pd.DataFrame({"note": ["x"]}), path, layer="notes")
    assert refusal("tables.gpkg", path.read_bytes()).en == "tables.gpkg: it holds no map layer."


def test_geopackage_with_a_view_is_refused_before_gdal_runs_it(tmp_path, geopackage):
    path = tmp_path / "views.gpkg"
    path.write_bytes(geopackage)
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE VIEW forever AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n")
        db.commit()
    expected = "views.gpkg: the GeoPackage holds SQL views, which are not read; export its layers as plain tables."
    assert refusal("views.gpkg", path.read_bytes(), layer="ports").en == expected
    with pytest.raises(UploadError, match="SQL views"):
        list_layers("views.gpkg", path.read_bytes())


def test_kml_folders_are_layers(tmp_path):
    folder = "<Folder><name>{}</name><Placemark><name>{}</name>{}</Placemark></Folder>"
    kml = (
        '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        + folder.format("口岸", "横琴口岸", "<Point><coordinates>113.54,22.12</coordinates></Point>")
        + folder.format("道路", "环岛路", "<LineString><coordinates>113.5,22.1 113.6,22.2</coordinates></LineString>")
        + "</Document></kml>"
    ).encode()
    assert list_layers("map.kml", kml) == ["口岸", "道路"]
    overlay = read_upload("map.kml", kml, layer="道路")
    assert overlay.source_format == "KML"
    assert overlay.frame["Name"].tolist() == ["环岛路"]
    gbk = kml.decode().replace("UTF-8", "GBK").encode("gbk")
    assert texts(read_upload("map.kml", gbk, layer="口岸")) == ["map.kml: the text is not UTF-8; decoded it as GBK."]


def test_kml_links_are_not_followed():
    hits: list[bytes] = []
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def serve():
        while True:
            connection, _ = server.accept()
            hits.append(connection.recv(1000))
            connection.close()

    threading.Thread(target=serve, daemon=True).start()
    url = f"http://127.0.0.1:{port}"
    kml = f"""<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>
    <NetworkLink><name>remote</name><Link><href>{url}/remote.kml</href></Link></NetworkLink>
    <Placemark><name>a</name><styleUrl>{url}/styles.kml#s</styleUrl><Point><coordinates>113.5,22.1</coordinates></Point></Placemark>
    </Document></kml>""".encode()
    assert len(read_upload("links.kml", kml).frame) == 1
    time.sleep(0.2)
    server.close()
    assert hits == []


@pytest.mark.parametrize(
    ("datum", "inverse"),
    [("gcj02", prcoords.gcj_wgs_bored), ("bd09", prcoords.bd_wgs_bored)],
)
def test_web_map_datums_are_converted_to_wgs84(datum, inverse):
    overlay = read_upload("amap.csv", b"name,lng,lat\nport,113.5465,22.1225\n", datum=datum)
    lat, lon = inverse((22.1225, 113.5465))
    point = overlay.frame.geometry.iloc[0]
    assert (point.x, point.y) == pytest.approx((lon, lat), abs=1e-6)
    label = {"gcj02": "GCJ-02", "bd09": "BD-09"}[datum]
    assert f"amap.csv: converted the coordinates from {label} to WGS84." in texts(overlay)


def test_some_features_outside_the_region_are_counted():
    data = b"lon,lat\n113.5,22.1\n116.4,39.9\n"
    assert texts(read_upload("mixed.csv", data))[-1] == "mixed.csv: features outside the plans' region: 1 of 2."


def test_long_values_and_many_columns_are_capped():
    header = ",".join(["lon", "lat", *(f"c{i}" for i in range(150))])
    row = ",".join(["113.5", "22.1", "x" * 2_500, *("v" for _ in range(149))])
    overlay = read_upload("wide.csv", f"{header}\n{row}\n".encode())
    assert texts(overlay) == [
        "wide.csv: read the coordinates from lon / lat.",
        "wide.csv: kept the first 100 of its 150 columns.",
        "wide.csv: values longer than 2,000 characters shortened: 1.",
        "wide.csv: the file has no CRS; read it as WGS84 (EPSG:4326).",
    ]
    assert len(overlay.frame.columns) == 101
    assert overlay.frame["c0"].iloc[0] == "x" * 2_000 + "…"


# --- limits, made at test time --------------------------------------------------------------------------


def test_file_over_the_size_limit():
    error = refusal("big.geojson", b"{" + b"x" * (50 * MB))
    assert error.en == "big.geojson: the file is 50.1 MB, more than the 50 MB limit."


def test_csv_over_the_feature_limit():
    data = b"lon,lat\n" + b"113.5,22.1\n" * (LIMITS.max_features + 1)
    assert refusal("many.csv", data).en == "many.csv: it has more than 50,000 features; split or simplify it."


def test_gdal_formats_stop_reading_past_the_feature_limit():
    features = [{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [113.5, 22.1]}}] * 4
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    error = refusal("many.geojson", data, limits=Limits(max_features=3))
    assert error.en == "many.geojson: it has more than 3 features; split or simplify it."


def _zip_of(members: dict[str, int]) -> bytes:
    """A zip of members made of zeros (sizes in bytes), compressed as well as zeros compress."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, size in members.items():
            with archive.open(name, "w", force_zip64=True) as sink:
                for start in range(0, size, 8 * MB):
                    sink.write(bytes(min(8 * MB, size - start)))
    return buffer.getvalue()


def test_zip_expanding_past_200_mb_is_refused():
    data = _zip_of({"bomb.shp": 201 * MB - 200, "bomb.shx": 100, "bomb.dbf": 100})
    assert refusal("bomb.zip", data).en == "bomb.zip: the zip expands to 201 MB, more than the 200 MB limit."


def test_zip_expanding_100_times_its_size_is_refused():
    data = _zip_of({"bomb.shp": 2 * MB, "bomb.shx": 100, "bomb.dbf": 100})
    ratio = (2 * MB + 200) // len(data)
    assert ratio > 100
    error = refusal("ratio.zip", data)
    assert error.en == f"ratio.zip: the zip expands to {ratio:,} times its size, more than the limit of 100 times."


def test_zip_that_lies_about_its_sizes_is_refused():
    data = bytearray(_zip_of({"a.shp": 5 * MB, "a.shx": 100, "a.dbf": 100}))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # declared size of the first member
        data[data.find(signature) + offset : data.find(signature) + offset + 4] = (1000).to_bytes(4, "little")
    assert refusal("liar.zip", bytes(data)).en == "liar.zip: it is not a valid zip archive."


def test_extraction_counts_bytes_as_it_writes(tmp_path):
    data = _zip_of({"a.shp": 3 * MB})
    archive = open_zip("a.zip", data, Limits(max_zip_ratio=10**9))  # the declared size passes ...
    strict = Limits(max_zip_ratio=10**9, max_zip_bytes=2 * MB)  # ... and the bytes written are counted
    with pytest.raises(UploadError) as caught:
        extract("a.zip", archive, {"upload.shp": archive.infolist()[0]}, tmp_path, len(data), strict)
    assert caught.value.en == "a.zip: the zip expands to 3 MB, more than the 2 MB limit."  # stopped at the third 1 MB chunk


def test_zip_with_too_many_entries_is_refused():
    data = zipped({f"f{i}.txt": b"" for i in range(1_001)})
    assert refusal("many.zip", data).en == "many.zip: the zip holds 1,001 files, more than the limit of 1,000."


def test_macos_resource_forks_in_a_zip_are_ignored():
    assert list_layers("gbk_no_cpg.zip", (CASES / "gbk_no_cpg.zip").read_bytes()) == ["ports"]


# --- nothing else escapes -------------------------------------------------------------------------------


def test_an_unexpected_failure_becomes_could_not_be_read(monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("GDAL fell over")

    monkeypatch.setattr(pyogrio, "read_dataframe", broken)
    error = refusal("a.geojson", (CASES / "gbk.geojson").read_bytes())
    assert error.en == "a.geojson: the file could not be read as GeoJSON; it may be damaged."
    assert "GDAL fell over" in caplog.text  # logged for us, not shown to the user


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(min_size=1, max_size=400), extension=st.sampled_from(["geojson", "kml", "zip", "gpkg", "csv"]))
def test_arbitrary_bytes_give_an_overlay_or_an_upload_error(data, extension):
    try:
        overlay = read_upload(f"x.{extension}", data)
    except UploadError as error:
        assert error.en.startswith(f"x.{extension}: ")
    else:
        assert overlay.frame.crs == "EPSG:4326"


# --- coordinate parsing and detection: properties ----------------------------------------------------


@given(st.text(max_size=80))
def test_parse_coordinate_never_raises(text):
    value = parse_coordinate(text)
    assert value is None or np.isfinite(value)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_parse_coordinate_reads_python_floats_exactly(value):
    assert parse_coordinate(repr(value)) == value


@given(
    degrees=st.integers(0, 179),
    minutes=st.integers(0, 59),
    seconds=st.floats(0, 59.99, allow_nan=False),
    hemisphere=st.sampled_from(["E", "W", "N", "S"]),
)
def test_parse_coordinate_reads_degrees_minutes_seconds(degrees, minutes, seconds, hemisphere):
    sign = -1 if hemisphere in "WS" else 1
    expected = sign * (degrees + minutes / 60 + seconds / 3600)
    assert parse_coordinate(f"{degrees}°{minutes}′{seconds}″{hemisphere}") == pytest.approx(expected, abs=1e-9)
    assert parse_coordinate(f"{degrees} {minutes} {seconds} {hemisphere}") == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("113,54", 113.54),
        ("2,450,000.5", 2450000.5),
        ("东经113°32′24″", 113.54),
        ("北纬22.12", 22.12),
        ("-22 S", None),
        ("22.5°7'", None),
    ],
)
def test_parse_coordinate_examples(text, value):
    assert parse_coordinate(text) == (pytest.approx(value) if value is not None else None)


finite_points = st.lists(
    st.tuples(st.floats(allow_nan=False, allow_infinity=False), st.floats(allow_nan=False, allow_infinity=False)), max_size=30
)
region_points = st.lists(st.tuples(st.floats(111, 115), st.floats(21, 23.5)), min_size=1, max_size=30)
inner_points = st.lists(st.tuples(st.floats(111.01, 114.99), st.floats(21.01, 23.49)), min_size=1, max_size=30)


@given(st.lists(st.tuples(st.floats(), st.floats()), max_size=30))
def test_classify_never_raises(points):
    assert classify(np.array(points, dtype=float).reshape(-1, 2)) in {"empty", "lonlat", "swapped", "projected", "out_of_range"}


@given(region_points)
def test_points_in_the_region_are_lonlat_and_swapped_when_turned_round(points):
    xy = np.array(points)
    assert classify(xy) == "lonlat"
    assert classify(xy[:, ::-1]) == "swapped"


@settings(deadline=None)  # pyproj builds its transformers on first use
@given(inner_points)
def test_gauss_kruger_metres_are_projected_and_the_right_crs_is_suggested(points):
    x, y = TO_GAUSS_KRUGER_114E.transform(*np.array(points).T)
    xy = np.column_stack([x, y])
    assert classify(xy) == "projected"
    assert "EPSG:4547" in suggest_crs(xy)


@settings(deadline=None)
@given(finite_points)
def test_suggest_crs_never_raises(points):
    assert set(suggest_crs(np.array(points, dtype=float).reshape(-1, 2))) <= set(CANDIDATE_CRS)


@given(st.text(max_size=300))
@settings(max_examples=150, deadline=None)
def test_csv_reading_of_any_text_gives_a_frame_or_an_upload_error(text):
    try:
        frame, notes = read_csv("t.csv", text.encode("utf-8"), None, LIMITS)
    except UploadError as error:
        assert error.en.startswith("t.csv: ")
    else:
        assert len(frame) > 0 and all(note.en.startswith("t.csv: ") for note in notes)


@given(st.lists(st.sampled_from(["lon,lat", "lat,lon", "经度,纬度", "x,y", "wkt", "name"]), min_size=1, max_size=3), st.data())
@settings(deadline=None)
def test_csv_with_coordinate_columns_and_any_cells_never_raises_anything_else(headers, data):
    header = ",".join(headers)
    width = header.count(",") + 1
    cells = st.text(alphabet="0123456789.,-°′″NSEW 北纬东经POINT()", max_size=12).map(lambda s: f'"{s}"')
    rows = data.draw(st.lists(st.lists(cells, min_size=width, max_size=width), min_size=1, max_size=5))
    text = "\n".join([header, *(",".join(row) for row in rows)])
    try:
        read_upload("t.csv", text.encode())
    except UploadError as error:
        assert error.en.startswith("t.csv: ")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab'),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(alphabet='[]{}"\\ab', max_size=3), children, max_size=3)
    ),
    max_leaves=30,
)


def _depth(value) -> int:
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    return 0


@given(json_values)
def test_json_depth_matches_the_parsed_depth(value):
    assert json_depth(json.dumps(value).encode()) == _depth(value)


@given(st.binary(max_size=200))
def test_json_depth_never_raises(data):
    assert json_depth(data) >= 0


@given(region_points)
def test_datum_conversions_match_prcoords(points):
    lon, lat = np.array(points).T
    for convert, reference in ((gcj02_to_wgs84, prcoords.gcj_wgs_bored), (bd09_to_wgs84, prcoords.bd_wgs_bored)):
        expected = np.array([reference((b, a))[::-1] for a, b in points])
        assert np.allclose(np.column_stack(convert(lon, lat)), expected, atol=1e-6)


# --- display -------------------------------------------------------------------------------------------


def _overlay(geoms: list, **columns) -> Overlay:
    frame = geopandas.GeoDataFrame(columns or {"name": [str(i) for i in range(len(geoms))]}, geometry=geoms, crs="EPSG:4326")
    return Overlay("test.geojson", frame, [], "GeoJSON")


def test_twenty_thousand_polygons_become_light_for_the_browser():
    angles = np.linspace(0, 2 * np.pi, 40, endpoint=False)
    centres = np.column_stack([113 + 0.004 * (np.arange(20_000) % 200), 22 + 0.004 * (np.arange(20_000) // 200)])
    circle = 0.0015 * np.column_stack([np.cos(angles), np.sin(angles)])
    rings = shapely.polygons(centres[:, None, :] + circle[None, :, :])
    overlay = _overlay(rings)
    light = display_geometry(overlay, 0.0002)
    before, after = (sum(map(len, shapely.to_geojson(f.geometry.to_numpy()))) for f in (overlay.frame, light))
    assert after < before / 4
    assert light["name"].tolist() == overlay.frame["name"].tolist() and light.crs == overlay.frame.crs
    assert shapely.is_valid(light.geometry.to_numpy()).all()


def test_neighbouring_polygons_keep_their_shared_edges():
    rng = np.random.default_rng(1)
    xs = np.linspace(113.0, 113.1, 201)
    wiggle = 22.05 + 0.0003 * rng.standard_normal(201)  # one wiggly border shared by the two halves
    north = shapely.Polygon([*zip(xs, wiggle, strict=True), (113.1, 22.1), (113.0, 22.1)])
    south = shapely.Polygon([*zip(xs, wiggle, strict=True), (113.1, 22.0), (113.0, 22.0)])
    light = display_geometry(_overlay([north, south]), 0.001).geometry.to_numpy()
    assert shapely.get_num_coordinates(light).sum() < shapely.get_num_coordinates(np.array([north, south])).sum() / 4
    assert shapely.intersection(light[0], light[1]).area < 1e-12  # no overlap
    assert shapely.union_all(light).area == pytest.approx(0.01, rel=1e-9)  # no gap


def test_zero_tolerance_changes_nothing():
    overlay = _overlay([shapely.Point(113.123456789, 22.1)])
    assert display_geometry(overlay, 0).geometry.iloc[0].equals_exact(overlay.frame.geometry.iloc[0], 0)


# --- the messages themselves -----------------------------------------------------------------------------


@pytest.mark.parametrize("key", MESSAGES)
def test_every_message_names_the_file_in_one_sentence(key):
    template = MESSAGES[key]
    assert template.en.startswith("{name}: ") and template.en.endswith(".")
    assert template.zh.startswith("{name}：") and template.zh.endswith("。")
    assert not re.search(r"[.;]\s+[A-Z]", template.en.removeprefix("{name}: ")), "one sentence"


def test_docs_explain_every_message():
    docs = (ROOT / "docs" / "your-own-files.md").read_text(encoding="utf-8")
    for key, template in MESSAGES.items():
        assert f"| `{key}` | {template.level} | `{template.en}` | `{template.zh}` |" in docs, key


def _slow_reader(name: str, seconds: float) -> None:  # module level: the child process imports it
    time.sleep(seconds)


def _greedy_reader(name: str, size: int) -> bytearray:
    return bytearray(size)


def test_a_reader_that_runs_too_long_is_stopped_with_a_message():
    from geo.upload.isolated import run_isolated

    started = time.monotonic()
    with pytest.raises(UploadError) as info:
        run_isolated(_slow_reader, "slow.geojson", 30, time_limit_s=1)
    assert info.value.key == "too_slow" and "slow.geojson" in info.value.en
    assert time.monotonic() - started < 15


def test_a_reader_that_needs_too_much_memory_is_refused_with_a_message():
    from geo.upload.isolated import run_isolated

    with pytest.raises(UploadError) as info:
        run_isolated(_greedy_reader, "huge.geojson", 2 * 1024**3, memory_limit_mb=512)
    assert info.value.key == "reader_died" and "512 MB" in info.value.en


def test_an_isolated_read_gives_the_same_overlay_as_a_direct_one():
    from geo.upload import read_upload_isolated

    content = "lon,lat,名称\n113.5,22.1,甲\n113.52,22.11,乙\n".encode()
    direct, isolated = read_upload("points.csv", content), read_upload_isolated("points.csv", content)
    assert isolated.frame.equals(direct.frame) and [n.key for n in isolated.notes] == [n.key for n in direct.notes]


# --- what one session may keep ---------------------------------------------------------------------------


def test_a_session_keeps_files_up_to_its_budget_and_no_further():
    from geo.upload.limits import Budget, over_budget

    budget = Budget(max_bytes=10 * MB, max_files=3)
    assert over_budget("a.geojson", 4 * MB, [3 * MB, 3 * MB], budget) is None  # exactly at the budget
    too_big = over_budget("b.geojson", 4 * MB + 1, [3 * MB, 3 * MB], budget)
    assert too_big.key == "budget_bytes"
    assert (
        too_big.en
        == "b.geojson: the session's files would come to 10.1 MB with it, over the 10 MB a session may keep; remove one first."
    )
    assert too_big.zh.startswith("b.geojson：加上此文件，本次会话的文件共 10.1 MB，超过每个会话 10 MB 的上限")
    too_many = over_budget("c.geojson", 1, [1, 1, 1], budget)
    assert too_many.key == "budget_files" and "3 files" in too_many.en and "3 个文件" in too_many.zh
