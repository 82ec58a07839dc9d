"""Read a user's file into an overlay for the map: the one entry point, and the one place where any
failure becomes a message (never a traceback)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal

import geopandas

from geo.upload.formats import Format, format_of
from geo.upload.georef import check_antimeridian, check_datum, parse_crs, region_notes, to_wgs84
from geo.upload.limits import LIMITS, Limits, megabytes
from geo.upload.messages import Message, UploadError, fail
from geo.upload.sniff import binary_kind
from geo.upload.tidy import finite_coordinates, tidy_attributes, usable_geometries

Datum = Literal["wgs84", "gcj02", "bd09"]
log = logging.getLogger(__name__)


@dataclass
class Overlay:
    """A user's layer: EPSG:4326, attributes as strings (not escaped), and what was done to it."""

    name: str
    frame: geopandas.GeoDataFrame
    notes: list[Message] = field(default_factory=list)
    source_format: str = ""


def read_upload(
    name: str,
    data: bytes,
    *,
    layer: str | None = None,
    source_crs: str | int | None = None,
    datum: Datum = "wgs84",
    limits: Limits = LIMITS,
) -> Overlay:
    """The file as an overlay, or UploadError saying why not.

    layer: for GeoPackage, KML and zips with several layers (see list_layers); source_crs: an EPSG code
    for coordinates in a file without CRS (overrides the file's); datum: the web-map datum of lon/lat input.
    """
    fmt = _format(name, data, limits)
    with _as_upload_error(name, fmt):
        given, datum = parse_crs(name, source_crs), check_datum(name, datum)
        frame, notes = fmt.read(name, bytes(data), layer, limits)
        frame, tidied = tidy_attributes(name, frame, limits)
        frame, finite = finite_coordinates(name, frame)
        frame, placed = to_wgs84(name, frame, given, datum)
        check_antimeridian(name, frame)
        frame, repaired = usable_geometries(name, frame)
        notes = [*notes, *tidied, *finite, *placed, *repaired, *region_notes(name, frame)]
        return Overlay(name, frame, notes, fmt.label)


def list_layers(name: str, data: bytes, limits: Limits = LIMITS) -> list[str]:
    """The layers a file holds, to choose from when there are several (one for GeoJSON and CSV)."""
    fmt = _format(name, data, limits)
    with _as_upload_error(name, fmt):
        return fmt.layers(name, bytes(data), limits)


def _format(name: str, data: bytes, limits: Limits) -> Format:
    if not data or data.isspace():
        raise fail("empty", name=name)
    if len(data) > limits.max_bytes:
        raise fail("too_large", name=name, size=megabytes(len(data)), limit=megabytes(limits.max_bytes))
    fmt = format_of(name)
    if fmt is None:
        raise fail("unknown_type", name=name)
    kind = binary_kind(data) if fmt.text else None
    if kind is not None:
        raise fail("looks_like", name=name, format=fmt.label, kind=kind)
    return fmt


@contextmanager
def _as_upload_error(name: str, fmt: Format) -> Iterator[None]:
    """Anything but an UploadError (GDAL, pandas, memory, a bug) becomes 'could not be read', logged."""
    try:
        yield
    except UploadError:
        raise
    except Exception:
        log.warning("upload %r could not be read as %s", name, fmt.label, exc_info=True)
        raise fail("unreadable", name=name, format=fmt.label) from None
