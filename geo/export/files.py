"""Writing without half-written files: every export is made in a staging folder, then moved into place.
Any I/O failure there (full disk, read-only or missing folder, whether Python, GDAL or SQLite met it)
becomes an ExportError, which the command shows as `error: …` with exit status 2."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pyogrio.errors import DataLayerError, DataSourceError, FeatureError, FieldError, GeometryError

from geo.export.errors import ExportError

# What GDAL (through pyogrio) and SQLite raise when a write fails; GDAL's own message is kept.
WRITE_ERRORS = (OSError, sqlite3.Error, DataSourceError, DataLayerError, FeatureError, FieldError, GeometryError)


def write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """Call write(staging path) next to target, then rename it to target. On any failure nothing is left
    behind and an existing target stays as it was."""
    target = Path(target)
    if target.is_dir():
        raise ExportError(f"cannot write {target}: it is a folder")
    if not target.parent.is_dir():
        raise ExportError(f"cannot write {target}: folder {target.parent} does not exist")
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from exc
    try:
        part = staging / target.name
        write(part)
        os.replace(part, target)
    except WRITE_ERRORS as exc:
        reason = getattr(exc, "strerror", None) or str(exc).splitlines()[0]
        raise ExportError(f"cannot write {target}: {reason}{_free_space(target.parent)}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _free_space(folder: Path) -> str:
    """A hint for GDAL's terse messages ('Failed to commit transaction') when the disk is nearly full."""
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return ""
    return f" ({free / 1024:.0f} KiB free on that disk)" if free < 100 * 1024 * 1024 else ""


def zip_folder(folder: Path, target: Path) -> None:
    """Zip the files of folder (flat, sorted) into target."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)


def write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
