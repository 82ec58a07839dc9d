"""A map to send: the selection as one self-contained HTML file (see geo.web.standalone)."""

from __future__ import annotations

from pathlib import Path

import shapely

from geo.export.bundle import Bundle
from geo.query.selection import Selection
from geo.web.standalone import standalone_html
from geo.web.state import MapView


def write(bundle: Bundle, path: Path) -> None:
    selection = bundle.selection or Selection.everything(bundle.data)
    minx, miny, maxx, maxy = shapely.GeometryCollection([bundle.data.geometries[s.id] for s in bundle.shown]).bounds
    view = MapView(((miny, minx), (maxy, maxx)), "0")
    page = standalone_html(bundle.data, selection, view, title=bundle.metadata.get("title", ""), metadata=bundle.metadata)
    path.write_text(page, encoding="utf-8")
