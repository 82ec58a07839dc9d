"""Run by QGIS's own Python (/usr/bin/python3, not the venv): open a project or a layer in real QGIS and
print what a GIS technician would see, as JSON. Used by tests/test_qgis.py.

    python3 tests/qgis_probe.py project URI      # a .qgs/.qgz path or geopackage:PATH?projectName=NAME
    python3 tests/qgis_probe.py layer URI [PROVIDER]
    python3 tests/qgis_probe.py render URI OUT.png   # the project's map and layer tree, as QGIS draws them
"""

from __future__ import annotations

import json
import sys

from qgis.core import (
    QgsApplication,
    QgsLayout,
    QgsLayoutExporter,
    QgsLayoutItemLegend,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsMapLayerLegendUtils,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProject,
    QgsRectangle,
    QgsUnitTypes,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor, QImage, QPainter


def describe(layer) -> dict:
    fields = layer.fields()
    return {
        "name": layer.name(),
        "valid": layer.isValid(),
        "source": layer.source(),
        "spatial": layer.isSpatial(),
        "crs": layer.crs().authid(),
        "count": layer.featureCount(),
        "geometry": layer.geometryType(),
        "renderer": layer.renderer().type() if layer.isSpatial() and layer.renderer() else None,
        "labels": layer.labelsEnabled() if layer.isSpatial() else False,
        "aliases": {f.name(): f.alias() for f in fields if f.alias()},
        "widgets": {
            f.name(): layer.editorWidgetSetup(i).type() for i, f in enumerate(fields) if layer.editorWidgetSetup(i).type()
        },
        "metadata_title": layer.metadata().title(),
        "metadata_licences": layer.metadata().licenses(),
        "metadata_history": layer.metadata().history(),
        "metadata_crs": layer.metadata().crs().authid(),
        "ids": sorted(str(f["id"]) for f in layer.getFeatures()) if "id" in fields.names() else [],
    }


def project(uri: str) -> dict:
    qgs = QgsProject.instance()
    ok = qgs.read(uri)
    root = qgs.layerTreeRoot()
    relations = qgs.relationManager().relations().values()
    return {
        "read": ok,
        "crs": qgs.crs().authid(),
        "groups": [g.name() for g in root.children() if g.nodeType() == 0],
        "group_layers": {g.name(): [c.name() for c in g.children()] for g in root.children() if g.nodeType() == 0},
        "draw_order": [layer.name() for layer in root.layerOrder()],
        "layers": [describe(layer) for layer in qgs.layerTreeRoot().layerOrder()]
        + [describe(layer) for layer in qgs.mapLayers().values() if not layer.isSpatial()],
        "relations": [
            {"name": r.name(), "valid": r.isValid(), "referenced": r.referencedLayer().name() if r.referencedLayer() else None}
            for r in relations
        ],
        "related_of_first": _related_of_first(qgs),
    }


def _related_of_first(qgs) -> dict:
    """The citations QGIS's form would list for the first feature of each referenced layer."""
    found = {}
    for relation in qgs.relationManager().relations().values():
        feature = next(relation.referencedLayer().getFeatures(), None)
        if feature is not None:
            found[str(feature["id"])] = sorted(str(f["plan"]) for f in relation.getRelatedFeatures(feature))
    return found


def render(uri: str, out: str) -> dict:
    """The project as QGIS draws it: its layer tree (groups and layers, and the status legend of one line
    layer) beside the map of every layer, in the project's CRS."""
    qgs = QgsProject.instance()
    qgs.read(uri)
    layers = qgs.layerTreeRoot().layerOrder()
    layout = QgsLayout(qgs)
    layout.initializeDefaults()
    layout.pageCollection().page(0).setPageSize(QgsLayoutSize(165, 240, QgsUnitTypes.LayoutMillimeters))
    tree = _legend(layout, "图层 Layers", 4, 4)
    for node in tree.model().rootGroup().findLayers():
        QgsMapLayerLegendUtils.setLegendNodeOrder(node, [])  # names only: the map shows the symbols
        tree.model().refreshLayerLegend(node)
    root = _legend(layout, "状态 Status", 4, 160).model().rootGroup()
    keep = next(n for n in root.findLayers() if n.layer().geometryType() == 1)  # a line layer's status rules
    for node in root.findLayers():
        if node is not keep:
            node.parent().removeChildNode(node)
    for group in [g for g in root.children() if g.nodeType() == 0 and not g.findLayers()]:
        root.removeChildNode(group)
    settings = QgsLayoutExporter.ImageExportSettings()
    settings.dpi = 110
    legend = QgsLayoutExporter(layout).renderPageToImage(0, QSize(), settings.dpi)
    extent = QgsRectangle()
    extent.setMinimal()
    for layer in layers:
        extent.combineExtentWith(layer.extent())
    map_settings = QgsMapSettings()
    map_settings.setLayers(layers)
    map_settings.setDestinationCrs(qgs.crs())
    map_settings.setOutputSize(QSize(legend.height() * 4 // 3, legend.height()))
    map_settings.setOutputDpi(settings.dpi)
    map_settings.setExtent(extent)
    job = QgsMapRendererSequentialJob(map_settings)
    job.start()
    job.waitForFinished()
    image = QImage(legend.width() + map_settings.outputSize().width(), legend.height(), QImage.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.drawImage(0, 0, legend)
    painter.drawImage(legend.width(), 0, job.renderedImage())
    painter.end()
    return {"exported": image.save(out), "layers": len(layers), "errors": len(job.errors())}


def _legend(layout, title: str, x: float, y: float):
    legend = QgsLayoutItemLegend(layout)
    legend.setTitle(title)
    legend.setAutoUpdateModel(False)
    legend.setColumnCount(2)
    layout.addLayoutItem(legend)
    legend.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))
    return legend


def main() -> None:
    app = QgsApplication([], False)
    app.initQgis()
    kind, uri = sys.argv[1], sys.argv[2]
    if kind == "project":
        result = project(uri)
    elif kind == "render":
        result = render(uri, sys.argv[3])
    else:
        layer = QgsVectorLayer(uri, "layer", sys.argv[3] if len(sys.argv) > 3 else "ogr")
        layer.loadDefaultMetadata()  # as QGIS desktop does when it adds a layer (reads a .qmd beside it)
        result = describe(layer)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
