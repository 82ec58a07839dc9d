"""Zip archives from users: refuse what is unsafe before anything is extracted, then extract only the
members asked for, under names we choose, with the expanded size counted as it is written."""

from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from geo.upload.limits import Limits, megabytes
from geo.upload.messages import fail

_IGNORED = re.compile(r"(^|/)(__MACOSX/|\._)")  # macOS resource forks that Finder adds to every zip
_COPY_CHUNK = 1 << 20


def open_zip(name: str, data: bytes, limits: Limits) -> zipfile.ZipFile:
    """The archive, once every member is known to be safe and the whole is known to expand reasonably."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise fail("bad_zip", name=name) from None
    if len(members) > limits.max_zip_members:
        raise fail("zip_too_many", name=name, count=f"{len(members):,}", limit=f"{limits.max_zip_members:,}")
    for member in members:
        if member.flag_bits & 0x1:
            raise fail("zip_encrypted", name=name)
        if not is_safe(member):
            raise fail("zip_unsafe", name=name, member=_shorten(member.filename))
    check_expansion(name, sum(m.file_size for m in members), len(data), limits)
    return archive


def is_safe(member: zipfile.ZipInfo) -> bool:
    """A relative path that stays inside the archive's folder, and not a symbolic link."""
    path = member.filename.replace("\\", "/")
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path) or "\x00" in path:
        return False
    if ".." in PurePosixPath(path).parts:
        return False
    return not stat.S_ISLNK(member.external_attr >> 16)


def check_expansion(name: str, expanded: int, packed: int, limits: Limits) -> None:
    if expanded > limits.max_zip_bytes:
        raise fail("zip_too_big", name=name, size=megabytes(expanded), limit=megabytes(limits.max_zip_bytes))
    if expanded > limits.zip_ratio_floor and expanded > limits.max_zip_ratio * max(packed, 1):
        raise fail("zip_ratio", name=name, ratio=f"{expanded // max(packed, 1):,}", limit=limits.max_zip_ratio)


def members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The archive's files, without folders and macOS resource forks."""
    return [m for m in archive.infolist() if not m.is_dir() and not _IGNORED.search(m.filename.replace("\\", "/"))]


def extract(
    name: str, archive: zipfile.ZipFile, wanted: dict[str, zipfile.ZipInfo], folder: Path, packed: int, limits: Limits
) -> None:
    """Write each wanted member to folder/<its key>, stopping as soon as the bytes written exceed the
    limits (the sizes a zip declares may lie)."""
    written = 0
    try:
        for target, member in wanted.items():
            with archive.open(member) as source, (folder / target).open("wb") as sink:
                while chunk := source.read(_COPY_CHUNK):
                    written += len(chunk)
                    check_expansion(name, written, packed, limits)
                    sink.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):  # damaged, or a method zipfile lacks
        raise fail("bad_zip", name=name) from None


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
