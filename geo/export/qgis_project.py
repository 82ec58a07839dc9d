"""The QGIS project of an export (.qgs XML, zipped as .qgz): every layer table of the GeoPackage, grouped by
theme, drawn points over lines over areas, styled as the app (geo/style/qml.py), with Chinese field aliases,
value maps for the status, phase, kind and plan codes, the layer metadata, and the `mentions` table related
to each layer so a feature's form lists its citations.

Written as XML here rather than through QGIS's API, so every export (the app's download button too) gets
its project without QGIS installed; tests open it in real QGIS 3.22. Layer sources are relative
(`./<file>.gpkg|layername=…`): QGIS resolves them beside the project file, or beside the GeoPackage for
the project stored inside it, so the files can be moved together (but the GeoPackage keeps its name).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from xml.etree.ElementTree import Element, SubElement, fromstring, tostring

from geo.export.bundle import Bundle, LayerTable
from geo.export.fields import FIELDS, MENTION_COLUMNS
from geo.export.layer_metadata import layer_metadata
from geo.export.qgis_xml import DOCTYPE, QGIS_VERSION, spatialrefsys, text_element
from geo.sources.schema import KIND_TERMS
from geo.style.qml import FAMILIES, layer_qml

PROJECT_NAME = "hengqin-plan-map"  # also its name in the GeoPackage's qgis_projects table
MENTIONS_TABLE = "mentions"
MENTIONS_LAYER_ID = "mentions-citations"  # QGIS 3.22 replaces a layer id equal to its table name, breaking relations
MENTIONS_GROUP = "规划引用 · plan mentions"
OTHER_THEME = "我的图层 · my layers"
FIELD_ALIASES = {field.name: field.zh for field in FIELDS}
MENTION_ALIASES = {
    "feature_id": "要素编号",
    "layer": "图层",
    "plan": "规划",
    "section": "章节",
    "quote": "原文",
    "also": "同一规划的其他原文",
    "status": "状态",
    "phase": "阶段",
    "status_dated_zh": "状态（规划及日期）",
    "status_dated_en": "状态（规划及日期，英文）",
}
QGIS_GEOMETRY = {"point": ("Point", "Point"), "line": ("Line", "LineString"), "polygon": ("Polygon", "Polygon")}
DRAW_ORDER = ("point", "line", "polygon")  # top first: points over lines over areas


@dataclass(frozen=True)
class MapLayer:
    """One QGIS layer: a layer table, or one geometry family of a table that mixes them."""

    table: LayerTable
    family: str
    mixed: bool  # the table holds several families, so QGIS reads this one through a geometrytype filter

    @property
    def id(self) -> str:
        return f"{self.table.id}-{self.family}"

    @property
    def name(self) -> str:
        title = self.table.layer["title_zh"]
        return f"{title} · {FAMILIES[self.family].zh}" if self.mixed else title

    def source(self, gpkg: str) -> str:
        source = f"{gpkg}|layername={self.table.id}"
        return f"{source}|geometrytype={QGIS_GEOMETRY[self.family][1]}" if self.mixed else source


def project_qgz(bundle: Bundle, gpkg: str) -> bytes:
    """The project as a .qgz archive; gpkg: the GeoPackage's path relative to the project ('./name.gpkg')."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{PROJECT_NAME}.qgs", project_qgs(bundle, gpkg))
    return buffer.getvalue()


def project_qgs(bundle: Bundle, gpkg: str) -> str:
    title = bundle.metadata["title"]
    layers = map_layers(bundle)
    root = Element("qgis", version=QGIS_VERSION, projectname=title)
    SubElement(root, "homePath", path="")
    text_element(root, "title", title)
    SubElement(root, "projectCrs").append(spatialrefsys(bundle.crs.id))
    root.append(_layer_tree(bundle, layers, gpkg))
    root.append(_relations(layers))
    root.append(_map_canvas(bundle))
    project_layers = SubElement(root, "projectlayers")
    value_maps = _value_maps(bundle)
    for layer in layers:
        project_layers.append(_spatial_layer(bundle, layer, gpkg, value_maps))
    project_layers.append(_mentions_layer(bundle, gpkg, value_maps))
    properties = SubElement(root, "properties")
    paths = SubElement(properties, "Paths")
    text_element(paths, "Absolute", "false", type="bool")
    spatial_reference = SubElement(properties, "SpatialRefSys")  # QGIS 3.22 reads <projectCrs> only with this set
    text_element(spatial_reference, "ProjectionsEnabled", "1", type="int")
    return DOCTYPE + "\n" + tostring(root, encoding="unicode") + "\n"


def map_layers(bundle: Bundle) -> list[MapLayer]:
    """Every QGIS layer, top of the layer tree first: later layers over earlier ones, points over lines
    over areas within a layer."""
    return [
        MapLayer(table, family, len(table.families) > 1)
        for table in reversed(bundle.layers)
        for family in DRAW_ORDER
        if family in table.families
    ]


def _layer_tree(bundle: Bundle, layers: list[MapLayer], gpkg: str) -> Element:
    tree = Element("layer-tree-group")
    themes = {theme["id"]: f"{theme['zh']} · {theme['en']}" for theme in bundle.data.catalog.get("themes", [])}
    groups: dict[str, Element] = {}
    for layer in layers:
        theme = themes.get(layer.table.layer.get("theme"), OTHER_THEME)
        if theme not in groups:
            groups[theme] = SubElement(tree, "layer-tree-group", name=theme, checked="Qt::Checked", expanded="1")
        _tree_layer(groups[theme], layer.id, layer.name, layer.source(gpkg))
    mentions = SubElement(tree, "layer-tree-group", name=MENTIONS_GROUP, checked="Qt::Checked", expanded="0")
    _tree_layer(mentions, MENTIONS_LAYER_ID, MENTIONS_TABLE, f"{gpkg}|layername={MENTIONS_TABLE}")
    order = SubElement(tree, "custom-order", enabled="1")  # drawing order across groups: all points on top
    for family in DRAW_ORDER:
        for layer in layers:
            if layer.family == family:
                text_element(order, "item", layer.id)
    return tree


def _tree_layer(group: Element, layer_id: str, name: str, source: str) -> None:
    SubElement(
        group, "layer-tree-layer", id=layer_id, name=name, source=source, providerKey="ogr", checked="Qt::Checked", expanded="0"
    )


def _relations(layers: Iterable[MapLayer]) -> Element:
    relations = Element("relations")
    for layer in layers:
        relation = SubElement(
            relations,
            "relation",
            id=f"{layer.id}-mentions",
            name=f"{layer.name} · 规划引用",
            referencedLayer=layer.id,
            referencingLayer=MENTIONS_LAYER_ID,
            strength="Association",
        )
        SubElement(relation, "fieldRef", referencingField="feature_id", referencedField="id")
    return relations


def _map_canvas(bundle: Bundle) -> Element:
    canvas = Element("mapcanvas", name="theMapCanvas")
    text_element(canvas, "units", "degrees" if bundle.crs.id in ("EPSG:4326", "EPSG:4490") else "meters")
    extent = SubElement(canvas, "extent")
    minx, miny, maxx, maxy = bundle.features.total_bounds
    margin = 0.05 * max(maxx - minx, maxy - miny)
    corners = {"xmin": minx - margin, "ymin": miny - margin, "xmax": maxx + margin, "ymax": maxy + margin}
    for tag, value in corners.items():
        text_element(extent, tag, repr(float(value)))
    text_element(canvas, "rotation", "0")
    SubElement(canvas, "destinationsrs").append(spatialrefsys(bundle.crs.id))
    return canvas


def _value_maps(bundle: Bundle) -> dict[str, list[tuple[str, str]]]:
    """Code -> label lists of the coded fields, from the catalogue, shown in QGIS instead of the codes."""
    catalog = bundle.data.catalog
    return {
        "status": [(s["zh"], s["id"]) for s in catalog["statuses"]],
        "phase": [(p["zh"], p["id"]) for p in catalog["phases"]],
        "kind": [(k.zh, k.id) for k in KIND_TERMS],
        "plan": [(f"{p['short_zh']} ({p['id']})", p["id"]) for p in catalog["plans"]],
    }


def _spatial_layer(bundle: Bundle, layer: MapLayer, gpkg: str, value_maps: Mapping[str, list[tuple[str, str]]]) -> Element:
    table = layer.table
    columns = [c for c in table.frame.columns if c != table.frame.geometry.name]
    style = fromstring(layer_qml(table.layer, [layer.family], {c: FIELD_ALIASES[c] for c in columns if c in FIELD_ALIASES}))
    element = _map_layer(layer.id, layer.name, layer.source(gpkg), QGIS_GEOMETRY[layer.family][0])
    element.set("labelsEnabled", style.get("labelsEnabled", "0"))
    SubElement(element, "srs").append(spatialrefsys(bundle.crs.id))
    SubElement(element, "resourceMetadata").extend(layer_metadata(bundle, table))
    text_element(element, "provider", "ogr", encoding="UTF-8")
    element.append(_field_configuration(columns, value_maps))
    element.extend(style)  # renderer, labels, aliases, display expression: as the GeoPackage's default style
    return element


def _mentions_layer(bundle: Bundle, gpkg: str, value_maps: Mapping[str, list[tuple[str, str]]]) -> Element:
    element = _map_layer(MENTIONS_LAYER_ID, MENTIONS_TABLE, f"{gpkg}|layername={MENTIONS_TABLE}", "No geometry")
    text_element(element, "provider", "ogr", encoding="UTF-8")
    element.append(_field_configuration(MENTION_COLUMNS, value_maps))
    aliases = SubElement(element, "aliases")
    for index, column in enumerate(MENTION_COLUMNS, start=1):  # index 0 is the GeoPackage fid
        SubElement(aliases, "alias", field=column, index=str(index), name=MENTION_ALIASES.get(column, ""))
    text_element(element, "previewExpression", '"plan" || \' \' || "section"')
    return element


def _map_layer(layer_id: str, name: str, source: str, geometry: str) -> Element:
    element = Element("maplayer", type="vector", geometry=geometry, styleCategories="AllStyleCategories", readOnly="0")
    text_element(element, "id", layer_id)
    text_element(element, "datasource", source)
    text_element(element, "layername", name)
    return element


def _field_configuration(columns: Iterable[str], value_maps: Mapping[str, list[tuple[str, str]]]) -> Element:
    """Value-map editor widgets for the coded columns (the attribute table and forms show the labels)."""
    configuration = Element("fieldConfiguration")
    for column in columns:
        if column not in value_maps:
            continue
        field = SubElement(configuration, "field", name=column, configurationFlags="None")
        config = SubElement(SubElement(field, "editWidget", type="ValueMap"), "config")
        entries = SubElement(SubElement(config, "Option", type="Map"), "Option", type="List", name="map")
        for label, value in value_maps[column]:
            SubElement(SubElement(entries, "Option", type="Map"), "Option", type="QString", name=label, value=value)
    return configuration
