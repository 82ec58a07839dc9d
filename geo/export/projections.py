"""The coordinate reference systems GIS staff can export to (data are stored in WGS84; see geo/geography/crs.py).

CGCS2000 (EPSG:4490 and its Gauss-Kruger zones) and WGS84 agree to a few centimetres here; PROJ converts
between them without a datum shift, far below the features' stated accuracy (200 m and more).
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.export.errors import ExportError
from geo.geography.crs import WGS84


@dataclass(frozen=True)
class ExportCrs:
    id: str  # "EPSG:4547"
    zh: str
    en: str  # the EPSG name

    def label(self, lang: str) -> str:
        return f"{self.id} {self.zh if lang == 'zh' else self.en}"

    @property
    def slug(self) -> str:
        return self.id.replace(":", "").lower()


CRS_CHOICES: tuple[ExportCrs, ...] = (
    ExportCrs(WGS84, "WGS 84 经纬度", "WGS 84"),
    ExportCrs("EPSG:4490", "CGCS2000 国家大地坐标系 经纬度", "China Geodetic Coordinate System 2000"),
    ExportCrs("EPSG:4547", "CGCS2000 3度带高斯-克吕格 中央经线114°E", "CGCS2000 / 3-degree Gauss-Kruger CM 114E"),
    ExportCrs("EPSG:4546", "CGCS2000 3度带高斯-克吕格 中央经线111°E", "CGCS2000 / 3-degree Gauss-Kruger CM 111E"),
    ExportCrs("EPSG:32649", "WGS 84 UTM 第49带（北）", "WGS 84 / UTM zone 49N"),
)
CRS_BY_ID: dict[str, ExportCrs] = {crs.id: crs for crs in CRS_CHOICES}
GEOGRAPHIC = frozenset({WGS84, "EPSG:4490"})  # longitude/latitude in degrees
WEB_MERCATOR = ExportCrs("EPSG:3857", "Web 墨卡托", "WGS 84 / Pseudo-Mercator")  # vector tiles only, not a choice
WRITTEN_CRS: dict[str, ExportCrs] = {**CRS_BY_ID, WEB_MERCATOR.id: WEB_MERCATOR}  # what a format may write


def find_crs(text: str) -> ExportCrs:
    """'EPSG:4547', 'epsg:4547' or '4547'; anything else is an ExportError listing the choices."""
    code = text.strip().upper()
    code = f"EPSG:{code}" if code.isdigit() else code
    if code not in CRS_BY_ID:
        known = ", ".join(f"{crs.id} ({crs.en})" for crs in CRS_CHOICES)
        raise ExportError(f"unknown CRS {text!r}; choose one of: {known}")
    return CRS_BY_ID[code]
