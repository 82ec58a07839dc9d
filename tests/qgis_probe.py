"""Run by QGIS's own Python (/usr/bin/python3, not the venv): open a project or a layer in real QGIS and
print what a GIS technician would see, as JSON. Used by tests/test_qgis.py.

    python3 tests/qgis_probe.py project URI      # a .qgs/.qgz path or geopackage:PATH?projectName=NAME
    python3 tests/qgis_probe.py layer URI [PROVIDER]
"""

from __future__ import annotations

import json
import sys

from qgis.core import QgsApplication, QgsProject, QgsVectorLayer


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


def main() -> None:
    app = QgsApplication([], False)
    app.initQgis()
    kind, uri = sys.argv[1], sys.argv[2]
    if kind == "project":
        result = project(uri)
    else:
        layer = QgsVectorLayer(uri, "layer", sys.argv[3] if len(sys.argv) > 3 else "ogr")
        layer.loadDefaultMetadata()  # as QGIS desktop does when it adds a layer (reads a .qmd beside it)
        result = describe(layer)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
