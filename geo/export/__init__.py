"""Exports for GIS staff: GeoPackage with QGIS styles, Shapefile, GeoJSON, KML and CSV, in their CRS.

One module per format, registered in FORMATS (geo/export/formats.py); `python -m geo.export` is the
command line, export_bytes() feeds the app's download buttons. Both export what the app's filters select.
"""

from geo.export.api import crs_note, export_bytes, export_filename, export_selection, prepare
from geo.export.errors import ExportError
from geo.export.formats import FORMATS, Format
from geo.export.projections import CRS_CHOICES, ExportCrs, find_crs

__all__ = [
    "CRS_CHOICES",
    "FORMATS",
    "ExportCrs",
    "ExportError",
    "Format",
    "crs_note",
    "export_bytes",
    "export_filename",
    "export_selection",
    "find_crs",
    "prepare",
]
