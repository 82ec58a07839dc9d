"""Run by QGIS's own Python (/usr/bin/python3, not the venv): open a project or a layer in real QGIS and
print what a GIS technician would see, as JSON. Used by tests/test_qgis.py.

    python3 tests/qgis_probe.py project URI      # a .qgs/.qgz path or geopackage:PATH?projectName=NAME
    python3 tests/qgis_probe.py layer URI [PROVIDER]
    python3 tests/qgis_probe.py render URI OUT.png   # the project's map and layer tree, as QGIS draws them
    python3 tests/qgis_probe.py symbols URI OUT.png ID …   # how QGIS draws those features, and a map of them
"""

from __future__ import annotations

import json
import sys

from qgis.core import (
    QgsApplication,
    QgsExpressionContextUtils,
    QgsLayout,
    QgsLayoutExporter,
    QgsLayoutItemLegend,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsMapLayerLegendUtils,
    QgsMapRendererParallelJob,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProject,
    QgsRectangle,
    QgsRenderContext,
    QgsSymbolLayer,
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


def symbols(uri: str, out: str, ids: list[str]) -> dict:
    """Each feature's symbol layers as QGIS renders them (class, enabled, marker shape, with the feature's
    data-defined values evaluated), and a PNG of the project's map around those features."""
    qgs = QgsProject.instance()
    qgs.read(uri)
    layers = qgs.layerTreeRoot().layerOrder()
    found, extent = {}, QgsRectangle()
    extent.setMinimal()
    for layer in layers:
        context = QgsRenderContext()
        context.expressionContext().appendScopes(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
        renderer = layer.renderer().clone()
        renderer.startRender(context, layer.fields())
        for feature in layer.getFeatures():
            if str(feature["id"]) not in ids:
                continue
            context.expressionContext().setFeature(feature)
            found[str(feature["id"])] = [_symbol_layers(s, context) for s in renderer.symbolsForFeature(feature, context)]
            extent.combineExtentWith(feature.geometry().boundingBox())
        renderer.stopRender(context)
    extent.grow(max(extent.width(), extent.height()) * 0.15 + 100)
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(qgs.crs())
    settings.setOutputSize(QSize(900, 700))
    settings.setExtent(extent)
    settings.setBackgroundColor(QColor("white"))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    return {"features": found, "exported": job.renderedImage().save(out), "errors": len(job.errors())}


def _symbol_layers(symbol, context) -> list[dict]:
    expressions = context.expressionContext()
    out = []
    for layer in symbol.symbolLayers():
        props = layer.dataDefinedProperties()
        shape = layer.properties().get("name")
        if props.isActive(QgsSymbolLayer.PropertyName):
            shape = props.valueAsString(QgsSymbolLayer.PropertyName, expressions, shape)[0]
        enabled = layer.enabled() and props.valueAsBool(QgsSymbolLayer.PropertyLayerEnabled, expressions, True)[0]
        out.append({"class": layer.layerType(), "enabled": enabled, "shape": shape, "angle": layer.properties().get("angle")})
    return out


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
    elif kind == "symbols":
        result = symbols(uri, sys.argv[3], sys.argv[4:])
    else:
        layer = QgsVectorLayer(uri, "layer", sys.argv[3] if len(sys.argv) > 3 else "ogr")
        layer.loadDefaultMetadata()  # as QGIS desktop does when it adds a layer (reads a .qmd beside it)
        result = describe(layer)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
