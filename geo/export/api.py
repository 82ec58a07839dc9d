"""Export a selection: to a file (command line) or to bytes (the app's download buttons)."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from geo.export.bundle import Bundle
from geo.export.errors import ExportError
from geo.export.files import write_atomically
from geo.export.formats import FORMATS, Format
from geo.export.metadata import metadata_record, selection_query
from geo.export.overlays import with_overlays
from geo.export.projections import GEOGRAPHIC, WRITTEN_CRS, ExportCrs, find_crs
from geo.export.themed import themed
from geo.query.selection import Selection, select
from geo.sources.mapdata import MapData
from geo.style.themes import get_theme
from geo.upload import Overlay

FILE_STEM = "hengqin-plan-map"


def find_format(fmt: str) -> Format:
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    return FORMATS[fmt]


def crs_note(fmt: str, crs: str) -> str | None:
    """Why the CRS asked for is not the one written (GeoJSON and KML), or None."""
    export_format, chosen = find_format(fmt), find_crs(crs)
    written = _written_crs(export_format, chosen)
    return None if written == chosen else f"{export_format.crs_rule}: {chosen.id} was not applied"


def export_filename(fmt: str, crs: str) -> str:
    export_format = find_format(fmt)
    return f"{FILE_STEM}_{_written_crs(export_format, find_crs(crs)).slug}{export_format.suffix}"


def prepare(
    data: MapData, selection: Selection, fmt: str, crs: str, overlays: Sequence[Overlay] = (), theme: str | None = None
) -> tuple[Format, Bundle]:
    """Check the request and gather what the exporter writes (the selection, in the theme if one is given,
    then any uploaded overlays)."""
    export_format = find_format(fmt)
    written = _written_crs(export_format, find_crs(crs))
    shown = select(data, selection)
    if theme is not None:
        shown = themed(data, shown, get_theme(theme))
    data, shown = with_overlays(data, shown, overlays)
    if not shown:
        query = selection_query(data, selection)
        raise ExportError(f"the selection is empty: no feature matches {query or 'it'}; nothing was written")
    metadata = metadata_record(data, selection, shown, export_format.en, written, crs_note(fmt, crs), date.today())
    return export_format, Bundle(data, shown, written, metadata, selection)


def export_selection(data: MapData, selection: Selection, fmt: str, crs: str, path: Path, theme: str | None = None) -> Bundle:
    """Write the selection (in a theme: its features, with its symbols) to path (atomically); returns what was written."""
    export_format, bundle = prepare(data, selection, fmt, crs, theme=theme)
    write_atomically(Path(path), lambda part: export_format.write(bundle, part))
    return bundle


def export_bytes(
    data: MapData, selection: Selection, fmt: str, crs: str, overlays: Sequence[Overlay] = (), theme: str | None = None
) -> tuple[bytes, str, str]:
    """The file for a download button: (content, file name, MIME type), with the user's overlays."""
    export_format, bundle = prepare(data, selection, fmt, crs, overlays, theme)
    name = export_filename(fmt, crs)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        export_format.write(bundle, path)
        return path.read_bytes(), name, export_format.mime


def _written_crs(export_format: Format, chosen: ExportCrs) -> ExportCrs:
    if export_format.fixed_crs:
        return WRITTEN_CRS[export_format.fixed_crs]
    if export_format.projected_crs and chosen.id in GEOGRAPHIC:
        return WRITTEN_CRS[export_format.projected_crs]
    return chosen
