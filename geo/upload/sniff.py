"""What a file is by its first bytes, for text formats whose name promises text: a PNG or an Excel file
renamed .csv, a KMZ renamed .kml. Without this they fail later as 'not UTF-8', which sends users the
wrong way."""

from __future__ import annotations

import codecs

from geo.upload.messages import Bilingual

PEEK = 8192  # bytes looked at for NULs: binary formats have them in their headers
_ZIP = Bilingual("a zip archive, such as KMZ or XLSX", "一个 zip 压缩包，如 KMZ 或 XLSX")
_TIFF = Bilingual("a TIFF image", "一幅 TIFF 图像")
SIGNATURES: tuple[tuple[bytes, Bilingual], ...] = (
    (b"\x89PNG\r\n\x1a\n", Bilingual("a PNG image", "一张 PNG 图片")),
    (b"\xff\xd8\xff", Bilingual("a JPEG image", "一张 JPEG 图片")),
    (b"GIF8", Bilingual("a GIF image", "一张 GIF 图片")),
    (b"II*\x00", _TIFF),
    (b"MM\x00*", _TIFF),
    (b"%PDF-", Bilingual("a PDF document", "一份 PDF 文档")),
    (b"PK\x03\x04", _ZIP),
    (b"PK\x05\x06", _ZIP),  # an empty zip
    (b"SQLite format 3\x00", Bilingual("an SQLite database, such as a GeoPackage", "一个 SQLite 数据库，如 GeoPackage")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", Bilingual("an old Office file, such as XLS", "一个旧版 Office 文件，如 XLS")),
    (b"\x1f\x8b", Bilingual("a gzip archive", "一个 gzip 压缩包")),
    (b"Rar!\x1a\x07", Bilingual("a RAR archive", "一个 RAR 压缩包")),
    (b"7z\xbc\xaf\x27\x1c", Bilingual("a 7-Zip archive", "一个 7-Zip 压缩包")),
)
BINARY = Bilingual("binary data, not text", "二进制数据而非文本")
_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)  # text with NULs


def binary_kind(data: bytes) -> Bilingual | None:
    """What a file that should be text is instead, or None when it may well be text."""
    for signature, kind in SIGNATURES:
        if data.startswith(signature):
            return kind
    if b"\x00" in data[:PEEK] and not data.startswith(_WIDE_BOMS):
        return BINARY
    return None
