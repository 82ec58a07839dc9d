"""DXF (AutoCAD R2013, UTF-8 text) for CAD users: drawn in projected metres (EPSG:4547 unless another projected CRS
is asked for), one DXF layer per plan layer (named by layer id, in the layer's colour), points, polylines
and closed polylines for areas, each feature's Chinese name as TEXT on its layer, and the feature's id,
name, kind and status as XDATA (application HENGQIN_PLAN_MAP). DXF has no CRS: it is in the drawing's
custom properties (CRS, and the metadata record), and units are metres ($INSUNITS)."""

from __future__ import annotations

from pathlib import Path

import ezdxf
from ezdxf import colors
from ezdxf.layouts import Modelspace
from shapely.geometry.base import BaseGeometry

from geo.export.bundle import Bundle
from geo.export.metadata import metadata_items

APP_ID = "HENGQIN_PLAN_MAP"  # the XDATA application name
XDATA_FIELDS = ("id", "name_zh", "kind", "status")
TEXT_STYLE = "CJK"
TEXT_FONT = "simsun.ttc"  # present in Chinese CAD installations; others substitute their CJK font
LABEL_HEIGHT_M = 250.0  # readable at 1:100,000, the scale of the regional layers
DXF_STRING_BYTES = 255  # a DXF group-code string holds at most this many bytes
METRES = 6  # $INSUNITS code


def write(bundle: Bundle, path: Path) -> None:
    doc = ezdxf.new("R2013", setup=False)  # text is UTF-8 (DXF 2007 and later)
    doc.header["$INSUNITS"] = METRES
    doc.header["$MEASUREMENT"] = 1  # metric
    doc.appids.add(APP_ID)
    doc.styles.add(TEXT_STYLE, font=TEXT_FONT)
    doc.header.custom_vars.append("CRS", bundle.crs.id)
    for key, value in metadata_items(bundle.metadata):
        doc.header.custom_vars.append(key, _fit(value))
    for table in bundle.layers:
        layer = doc.layers.add(table.id)
        layer.rgb = colors.RGB.from_hex(table.layer["style"]["color"])
        layer.description = _fit(f"{table.layer['title_zh']} · {table.layer['title_en']}")
    space = doc.modelspace()
    for row in bundle.features.itertuples(index=False):
        values = row._asdict()
        geometry: BaseGeometry = values["geometry"]
        xdata = [(1000, _fit(str(values[name] or ""))) for name in XDATA_FIELDS]
        for entity in _draw(space, geometry, values["layer"]):
            entity.set_xdata(APP_ID, xdata)
        anchor = _label_point(geometry)
        label = space.add_text(
            values["name_zh"], height=LABEL_HEIGHT_M, dxfattribs={"layer": values["layer"], "style": TEXT_STYLE}
        )
        label.set_placement((anchor.x, anchor.y))
        label.set_xdata(APP_ID, xdata)
    doc.saveas(path)


def _draw(space: Modelspace, geometry: BaseGeometry, layer: str) -> list:
    attributes = {"layer": layer}
    kind = geometry.geom_type
    if kind.startswith("Multi"):
        return [entity for part in geometry.geoms for entity in _draw(space, part, layer)]
    if kind == "Point":
        return [space.add_point((geometry.x, geometry.y), dxfattribs=attributes)]
    if kind == "LineString":
        return [space.add_lwpolyline(list(geometry.coords), dxfattribs=attributes)]
    rings = [geometry.exterior, *geometry.interiors]
    return [space.add_lwpolyline(list(ring.coords)[:-1], close=True, dxfattribs=attributes) for ring in rings]


def _label_point(geometry: BaseGeometry):
    """Half way along a line; inside an area; the point itself."""
    if geometry.geom_type.endswith("LineString"):
        return geometry.interpolate(0.5, normalized=True)
    return geometry.representative_point()


def _fit(text: str) -> str:
    """Cut to what one DXF string holds, at a character boundary."""
    return text.encode("utf-8")[:DXF_STRING_BYTES].decode("utf-8", errors="ignore")
