"""KML 2.2 (always WGS84): a folder per layer, a style per layer (and per feature colour override),
placemarks named in Chinese whose descriptions carry the plan citations (geo.export.description),
and the flat attributes as ExtendedData. KML has no dashed lines: status shows in the description only."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ElementTree, SubElement

from shapely.geometry.base import BaseGeometry

from geo.export.bundle import Bundle
from geo.export.description import description_html
from geo.export.fields import feature_style, flat_record
from geo.export.metadata import metadata_items
from geo.sources.schema import COORDINATE_DECIMALS
from geo.style.qml import rgba
from geo.style.styles import FeatureStyle

KML_NS = "http://www.opengis.net/kml/2.2"


def write(bundle: Bundle, path: Path) -> None:
    root = Element("kml", xmlns=KML_NS)
    document = SubElement(root, "Document")
    SubElement(document, "name").text = bundle.metadata["title"]
    SubElement(document, "description").text = "\n".join(f"{k}: {v}" for k, v in metadata_items(bundle.metadata))
    styles: dict[tuple, str] = {}
    folders: dict[str, Element] = {}
    for item in bundle.shown:
        properties = item.feature["properties"]
        layer = bundle.data.layers[properties["layer"]]
        if layer["id"] not in folders:
            # KML ids are unique in a file, and the layer's style has the layer id
            folders[layer["id"]] = SubElement(document, "Folder", id=f"{layer['id']}-folder")
            SubElement(folders[layer["id"]], "name").text = layer["title_zh"]
            SubElement(folders[layer["id"]], "description").text = layer["title_en"]
        style_id = _style_id(document, styles, layer["id"], feature_style(bundle.data, item))
        placemark = SubElement(folders[layer["id"]], "Placemark")
        SubElement(placemark, "name").text = properties["name_zh"]
        SubElement(placemark, "description").text = description_html(properties, bundle.data.plans)
        SubElement(placemark, "styleUrl").text = f"#{style_id}"
        _extended_data(placemark, flat_record(bundle.data, item))
        placemark.append(kml_geometry(bundle.data.geometries[item.id]))
    # OGC KML 2.2 order of a Document's children: name, description, styles, ExtendedData, then features.
    metadata = Element("ExtendedData")
    _data(metadata, dict(metadata_items(bundle.metadata)))
    document.insert(len([e for e in document if e.tag != "Folder"]), metadata)
    ElementTree(root).write(path, encoding="UTF-8", xml_declaration=True)


def kml_color(hex_color: str, opacity: float) -> str:
    """'#c0392b', 0.9 -> 'e62b39c0' (KML: alpha, blue, green, red)."""
    red, green, blue, alpha = (int(part) for part in rgba(hex_color, opacity).split(","))
    return f"{alpha:02x}{blue:02x}{green:02x}{red:02x}"


def _style_id(document: Element, styles: dict[tuple, str], layer_id: str, style: FeatureStyle) -> str:
    """One shared Style per layer, plus one per distinct feature override within it."""
    key = (layer_id, style.color, style.fill_color, style.fill_opacity, style.weight, style.opacity)
    if key not in styles:
        count = sum(1 for k in styles if k[0] == layer_id)
        styles[key] = layer_id if count == 0 else f"{layer_id}-{count + 1}"
        element = Element("Style", id=styles[key])
        icon = SubElement(element, "IconStyle")
        SubElement(icon, "color").text = kml_color(style.color, style.opacity)
        SubElement(icon, "scale").text = f"{style.radius / 8:.2f}"
        line = SubElement(element, "LineStyle")
        SubElement(line, "color").text = kml_color(style.color, style.opacity)
        SubElement(line, "width").text = f"{style.weight:g}"
        poly = SubElement(element, "PolyStyle")
        SubElement(poly, "color").text = kml_color(style.fill_color, style.fill_opacity)
        document.insert(len([e for e in document if e.tag != "Folder"]), element)  # styles before the folders (schema order)
    return styles[key]


def _extended_data(parent: Element, values: dict[str, Any]) -> None:
    _data(SubElement(parent, "ExtendedData"), values)


def _data(extended: Element, values: dict[str, Any]) -> None:
    for name, value in values.items():
        data = SubElement(extended, "Data", name=name)
        SubElement(data, "value").text = "" if value is None else str(value)


def _coordinates(coords) -> str:
    return " ".join(f"{x:.{COORDINATE_DECIMALS}f},{y:.{COORDINATE_DECIMALS}f}" for x, y, *_ in coords)


def _point(geom: BaseGeometry) -> Element:
    element = Element("Point")
    SubElement(element, "coordinates").text = _coordinates(geom.coords)
    return element


def _line(geom: BaseGeometry) -> Element:
    element = Element("LineString")
    SubElement(element, "tessellate").text = "1"
    SubElement(element, "coordinates").text = _coordinates(geom.coords)
    return element


def _polygon(geom: BaseGeometry) -> Element:
    element = Element("Polygon")
    for tag, rings in (("outerBoundaryIs", [geom.exterior]), ("innerBoundaryIs", list(geom.interiors))):
        for ring in rings:
            SubElement(SubElement(SubElement(element, tag), "LinearRing"), "coordinates").text = _coordinates(ring.coords)
    return element


def _multi(geom: BaseGeometry) -> Element:
    element = Element("MultiGeometry")
    element.extend(kml_geometry(part) for part in geom.geoms)
    return element


GEOMETRIES = {
    "Point": _point,
    "LineString": _line,
    "Polygon": _polygon,
    "MultiPoint": _multi,
    "MultiLineString": _multi,
    "MultiPolygon": _multi,
}


def kml_geometry(geom: BaseGeometry) -> Element:
    return GEOMETRIES[geom.geom_type](geom)
