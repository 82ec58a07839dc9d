"""Bytes to text: which encoding a file is in, and how deep and how well-formed its JSON is."""

from __future__ import annotations

import codecs
import json

import numpy as np

from geo.upload.messages import Message, fail, message

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)  # UTF-32 LE before UTF-16 LE: same start
_FALLBACK = "gb18030"  # a superset of GBK and GB2312, the usual encoding of Chinese files that are not UTF-8
_CHUNK = 1 << 22
_STEP = np.zeros(256, dtype=np.int8)  # by byte value: +1 opening bracket, -1 closing, 2 quote, else 0
_STEP[[ord("{"), ord("[")]], _STEP[[ord("}"), ord("]")]], _STEP[ord('"')] = 1, -1, 2


def detect_encoding(name: str, data: bytes, declared: str | None = None) -> tuple[str, list[Message]]:
    """The codec that decodes data strictly: a byte-order mark's, the declared one, UTF-8, else GB18030 (noted)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, [] if codec == "utf-8-sig" else [message("decoded", name=name, encoding=codec.upper())]
    candidates = [c for c in (_known(declared), "utf-8", _FALLBACK) if c]
    for codec in dict.fromkeys(candidates):
        try:
            data.decode(codec)
        except UnicodeDecodeError:
            continue
        utf8 = codecs.lookup(codec).name == "utf-8"
        return codec, [] if utf8 else [message("decoded", name=name, encoding=codecs.lookup(codec).name.upper())]
    raise fail("bad_encoding", name=name)


def decode(name: str, data: bytes, declared: str | None = None) -> tuple[str, list[Message]]:
    codec, notes = detect_encoding(name, data, declared)
    return data.decode(codec), notes


def _known(codec: str | None) -> str | None:
    try:
        return codecs.lookup(codec).name if codec else None
    except LookupError:
        return None


def json_depth(data: bytes, stop_above: int | None = None) -> int:
    """Deepest nesting of objects and arrays, brackets inside strings ignored, without parsing.

    Linear and vectorised: escaped backslashes and quotes are removed, string parity is a running count of
    quotes, and depth a running sum of opening minus closing brackets outside strings, chunk by chunk.
    Stops early once the depth exceeds stop_above.
    """
    stripped = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    codes = np.frombuffer(stripped, dtype=np.uint8)
    depth = deepest = 0
    in_string = False
    for start in range(0, codes.size, _CHUNK):
        marks = _STEP[codes[start : start + _CHUNK]]
        marks = marks[marks != 0]  # brackets and quotes only
        if marks.size == 0:
            continue
        inside = (np.cumsum(marks == 2, dtype=np.int32) + in_string) & 1
        levels = depth + np.cumsum(np.where((marks != 2) & (inside == 0), marks, 0), dtype=np.int64)
        deepest = max(deepest, int(levels.max()))
        depth, in_string = int(levels[-1]), bool(inside[-1])
        if stop_above is not None and deepest > stop_above:
            break
    return deepest


def json_problem(name: str, text: str) -> Message:
    """Why text is not usable GeoJSON: where its JSON syntax breaks, or that it is JSON of another kind."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return message("bad_json", name=name, line=exc.lineno, column=exc.colno, reason=exc.msg)
    except (ValueError, RecursionError):  # numbers too long to convert, nesting beyond Python's stack
        return message("not_geojson", name=name)
    return message("not_geojson", name=name)
