"""python -m geo.export --format gpkg --crs EPSG:4547 [--theme …] [--plan …] [--phase …] [--status …] [--layer …] -o PATH"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from geo.export.api import crs_note, export_filename, export_selection
from geo.export.errors import ExportError
from geo.export.formats import FORMATS
from geo.export.projections import CRS_CHOICES
from geo.geography.crs import WGS84
from geo.query.cli import UsageError, add_filter_arguments, add_theme_argument, run, selection_from_args, theme_from_args
from geo.sources.mapdata import load_map_data


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo.export",
        description="Export the selected features for GIS: " + "; ".join(f"{f.id}: {f.en}" for f in FORMATS.values()),
    )
    parser.add_argument("--format", required=True, choices=list(FORMATS), help="file format")
    parser.add_argument(
        "--crs",
        default=WGS84,
        help="coordinate reference system (default %(default)s): " + ", ".join(f"{c.id} {c.en}" for c in CRS_CHOICES),
    )
    parser.add_argument("-o", "--output", type=Path, help="file to write (default: the app's download name, here)")
    add_filter_arguments(parser)
    add_theme_argument(parser, None)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    data = load_map_data()
    selection = selection_from_args(args, data)
    started = time.perf_counter()
    try:
        note = crs_note(args.format, args.crs)
        path = args.output or Path(export_filename(args.format, args.crs))
        bundle = export_selection(data, selection, args.format, args.crs, path, theme_from_args(args))
    except ExportError as exc:
        raise UsageError(str(exc)) from exc
    if note:
        print(f"note: {note}", file=sys.stderr)
    size = path.stat().st_size
    print(
        f"wrote {path} ({FORMATS[args.format].en}, {bundle.crs.id}): {len(bundle.shown)} features in "
        f"{len(bundle.layers)} layers, {len(bundle.mentions)} mentions, {size / 1024:.0f} KiB, "
        f"{time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    run(main)
