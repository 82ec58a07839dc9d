"""Zipped Shapefiles: find each .shp and its sidecar files in the archive, extract one safely, and read
its text in the right encoding (a .dbf without .cpg is often GBK in China)."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path, PurePosixPath
from tempfile import TemporaryDirectory

from geo.upload.archive import extract, members, open_zip
from geo.upload.gdal import choose_layer, read_layer
from geo.upload.limits import Limits
from geo.upload.messages import fail
from geo.upload.text import detect_encoding
from geo.upload.vector import Read

REQUIRED = (".shp", ".shx", ".dbf")
OPTIONAL = (".prj", ".cpg")


def shapefile_layers(name: str, data: bytes, limits: Limits) -> list[str]:
    return list(_shapefiles(open_zip(name, data, limits)))


def read_shapefile(name: str, data: bytes, layer: str | None, limits: Limits) -> Read:
    archive = open_zip(name, data, limits)
    shapefiles = _shapefiles(archive)
    if not shapefiles:
        raise fail("zip_no_shp", name=name)
    chosen = choose_layer(name, list(shapefiles), layer)
    parts = shapefiles[chosen]
    missing = [ext for ext in REQUIRED if ext not in parts]
    if missing:
        raise fail("shp_incomplete", name=name, layer=PurePosixPath(chosen).name, missing=", ".join(missing))
    with TemporaryDirectory(prefix="upload-") as folder:
        extract(name, archive, {f"upload{ext}": info for ext, info in parts.items()}, Path(folder), len(data), limits)
        encoding, notes = None, []
        if ".cpg" not in parts:  # GDAL would read the text as ISO-8859-1
            encoding, notes = detect_encoding(name, dbf_text(Path(folder) / "upload.dbf"))
        return read_layer(name, str(Path(folder) / "upload.shp"), "Shapefile", limits, encoding=encoding), notes


def _shapefiles(archive: zipfile.ZipFile) -> dict[str, dict[str, zipfile.ZipInfo]]:
    """Each .shp in the archive (by its path without extension) with the sidecar files found beside it."""
    by_stem: dict[str, dict[str, zipfile.ZipInfo]] = {}
    for member in members(archive):
        path = PurePosixPath(member.filename.replace("\\", "/"))
        ext = path.suffix.lower()
        if ext in REQUIRED + OPTIONAL:
            by_stem.setdefault(str(path.with_suffix("")).lower(), {})[ext] = member
    return {
        str(PurePosixPath(parts[".shp"].filename.replace("\\", "/")).with_suffix("")): parts
        for parts in by_stem.values()
        if ".shp" in parts
    }


def dbf_text(path: Path) -> bytes:
    """The bytes of a .dbf that hold text: field names and records (not the binary header fields)."""
    data = path.read_bytes()
    if len(data) < 32:
        return b""
    count, header, record = struct.unpack("<IHH", data[4:12])
    names = []
    for start in range(32, min(header, len(data)) - 31, 32):
        if data[start] == 0x0D:  # end of the field descriptors
            break
        names.append(data[start : start + 11].split(b"\x00")[0])
    return b"".join(names) + data[header : header + count * record]
