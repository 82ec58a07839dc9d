"""Pieces of QGIS's XML that the layer metadata (.qmd) and the project (.qgs) share."""

from __future__ import annotations

import warnings
from functools import cache
from xml.etree.ElementTree import Element, SubElement

from pyproj import CRS

from geo.style.qml import DOCTYPE, QGIS_VERSION

__all__ = ["DOCTYPE", "QGIS_VERSION", "spatialrefsys", "text_element"]


@cache
def _crs_values(crs_id: str) -> dict[str, str]:
    crs = CRS(crs_id)
    with warnings.catch_warnings():  # QGIS wants the PROJ string too, though it is lossy; it reads the WKT first
        warnings.simplefilter("ignore", UserWarning)
        proj4 = crs.to_proj4()
    return {
        "wkt": crs.to_wkt(),
        "proj4": proj4,
        "srid": str(crs.to_epsg()),
        "authid": crs_id,
        "description": crs.name,
        "geographicflag": "true" if crs.is_geographic else "false",
    }


def spatialrefsys(crs_id: str) -> Element:
    """<spatialrefsys> as QGIS writes it; QGIS reads the CRS from the WKT and the authority id."""
    element = Element("spatialrefsys")
    for tag, value in _crs_values(crs_id).items():
        SubElement(element, tag).text = value
    return element


def text_element(parent: Element, tag: str, text: str, **attributes: str) -> Element:
    element = SubElement(parent, tag, attributes)
    element.text = text
    return element
