"""The exports in real QGIS 3.22 (Debian's python3-qgis, run as its own Python through tests/qgis_probe.py):
the project opens, every layer valid, styled, aliased, value-mapped and related; Shapefiles open styled
with their metadata; QGIS reads a collection of the live service. Skipped where QGIS is not installed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from geo.export import export_selection
from geo.export.qgis_project import PROJECT_NAME
from geo.paths import ROOT
from geo.query.selection import Selection
from geo.sources.mapdata import load_map_data

QGIS_PYTHON = "/usr/bin/python3"
PROBE = ROOT / "tests" / "qgis_probe.py"


def _has_qgis() -> bool:
    if not Path(QGIS_PYTHON).exists():
        return False
    return subprocess.run([QGIS_PYTHON, "-c", "import qgis.core"], capture_output=True, check=False).returncode == 0


pytestmark = pytest.mark.skipif(not _has_qgis(), reason="QGIS (python3-qgis) is not installed")


def probe(*args: str) -> tuple[dict, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([QGIS_PYTHON, str(PROBE), *args], capture_output=True, text=True, env=env, timeout=300, check=True)
    return json.loads(done.stdout), done.stderr


@pytest.fixture(scope="module")
def data():
    return load_map_data()


@pytest.fixture(scope="module")
def gpkg(data, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("qgis") / "plan.gpkg"
    export_selection(data, Selection.everything(data), "gpkg", "EPSG:4547", path)
    return path


def _check_project(result: dict, data) -> None:
    assert result["read"] and result["crs"] == "EPSG:4547"
    spatial = [layer for layer in result["layers"] if layer["spatial"]]
    assert all(layer["valid"] for layer in result["layers"])
    assert sum(layer["count"] for layer in spatial) == len(data.features)
    assert sorted(i for layer in spatial for i in layer["ids"]) == sorted(data.by_id)
    assert {layer["renderer"] for layer in spatial} == {"RuleRenderer"}
    assert all(layer["aliases"]["name_zh"] == "中文名称" and layer["metadata_title"] for layer in spatial)
    assert all(layer["widgets"]["status"] == "ValueMap" and layer["widgets"]["kind"] == "ValueMap" for layer in spatial)
    mentions = next(layer for layer in result["layers"] if not layer["spatial"])
    assert mentions["count"] == sum(len(f["properties"]["mentions"]) for f in data.features)
    assert mentions["widgets"]["plan"] == mentions["widgets"]["phase"] == "ValueMap"
    assert len(result["relations"]) == len(spatial) and all(r["valid"] for r in result["relations"])
    assert result["related_of_first"] and all(result["related_of_first"].values())  # forms list citations
    geometry = [layer["geometry"] for layer in spatial]
    assert geometry == sorted(geometry)  # draw order: points (0) over lines (1) over areas (2)
    assert result["groups"][-1].startswith("规划引用")


def test_the_project_inside_the_geopackage_opens_in_qgis(data, gpkg):
    before = sorted(p.name for p in gpkg.parent.iterdir())
    result, stderr = probe("project", f"geopackage:{gpkg}?projectName={PROJECT_NAME}")
    _check_project(result, data)
    assert "partially supported" not in stderr and "Relation defined" not in stderr
    assert sorted(p.name for p in gpkg.parent.iterdir()) == before  # QGIS wrote nothing beside it (no .aux.xml)


def test_the_project_moves_with_its_geopackage(data, gpkg, tmp_path):
    moved = tmp_path / "elsewhere" / gpkg.name
    moved.parent.mkdir()
    shutil.copy(gpkg, moved)
    result, _ = probe("project", f"geopackage:{moved}?projectName={PROJECT_NAME}")
    assert all(str(moved) in layer["source"] for layer in result["layers"])
    _check_project(result, data)


def test_the_qgz_project_opens_beside_its_geopackage(data, tmp_path):
    archive = tmp_path / "plan_qgis.zip"
    export_selection(data, Selection.everything(data), "qgz", "EPSG:4547", archive)
    zipfile.ZipFile(archive).extractall(tmp_path / "unzipped")
    result, _ = probe("project", str(tmp_path / "unzipped" / "plan.qgz"))
    _check_project(result, data)


def test_a_shapefile_opens_styled_with_its_metadata(data, tmp_path):
    archive = tmp_path / "plan_shp.zip"
    export_selection(data, Selection.everything(data), "shp", "EPSG:4547", archive)
    zipfile.ZipFile(archive).extractall(tmp_path / "shp")
    result, _ = probe("layer", str(tmp_path / "shp" / "hq-transport_point.shp"))
    assert result["valid"] and result["crs"] == "EPSG:4547" and result["renderer"] == "RuleRenderer"
    assert result["aliases"]["n_mentions"] == "规划引用数" and result["metadata_title"].startswith("横琴交通")
    assert any("hq-master" in line for line in result["metadata_history"])


def test_qgis_reads_a_collection_of_the_live_service(served):
    result, _ = probe("layer", f"url='{served}' typename='hq-transport'", "OAPIF")
    expected = sum(1 for f in load_map_data().features if f["properties"]["layer"] == "hq-transport")
    assert result["valid"] and result["count"] == expected and "hq-port-hengqin" in result["ids"]


def test_qgis_draws_the_web_maps_marker_shapes_and_hatches(data, tmp_path):
    """A themed GeoPackage's project in QGIS: an airport is the triangle, a border crossing the diamond the web
    catalogue gives them; the strategic reserve is hatched with diagonal lines, the near-term areas cross-hatched."""
    from geo.web.themes_data import feature_theming, symbols_table

    gpkg = tmp_path / "all.gpkg"
    export_selection(data, Selection.everything(data), "gpkg", "EPSG:4547", gpkg, theme="all")
    points = ("rg-airport-zhuhai", "hq-port-hengqin", "rg-port-zhongshan", "hq-platform-tcm-lab")
    areas = {"hq-seq-reserve-erjingwan": ["45"], "hq-seq-tianmu-middle": ["45", "135"], "hq-seq-tianmu-west": []}
    picture = tmp_path / "symbols.png"
    result, _ = probe("symbols", f"geopackage:{gpkg}?projectName={PROJECT_NAME}", str(picture), *points, *areas)
    assert result["exported"] and result["errors"] == 0 and picture.stat().st_size > 20_000
    classes = symbols_table()["classes"]
    for feature_id in points:
        feature = data.by_id[feature_id]
        web_shape = classes[feature_theming(feature["properties"], feature["geometry"]["type"])["symbol"]]["marker"]
        (symbol,) = result["features"][feature_id]
        assert [layer["shape"] for layer in symbol[:2]] == [web_shape, web_shape], feature_id  # halo, then the marker
    assert classes["airport"]["marker"] == "triangle" and classes["border"]["marker"] == "diamond"
    for feature_id, angles in areas.items():
        (symbol,) = result["features"][feature_id]
        lines = [layer["angle"] for layer in symbol if layer["class"] == "LinePatternFill" and layer["enabled"]]
        dots = [layer for layer in symbol if layer["class"] == "PointPatternFill" and layer["enabled"]]
        assert lines == angles and bool(dots) == (feature_id == "hq-seq-tianmu-west"), feature_id
