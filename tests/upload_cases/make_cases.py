"""Write the small bad (and awkward) files of tests/upload_cases/, byte for byte reproducibly.

    python -m tests.upload_cases.make_cases

Large cases (over-size files, zip bombs, 50,001 features) are made at test time in tests/test_upload.py.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).parent
STAMP = (2024, 1, 1, 0, 0, 0)


def feature(geometry: dict | None, **properties: object) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(*features: dict) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False, indent=1).encode()


def point(x: float, y: float) -> dict:
    return {"type": "Point", "coordinates": [x, y]}


def png() -> bytes:
    """A 1 × 1 white PNG, written by hand: signature, IHDR, IDAT, IEND."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1 × 1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\xff\xff")  # filter byte, then one white pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def polygon(*ring: tuple[float, float]) -> dict:
    return {"type": "Polygon", "coordinates": [[list(p) for p in (*ring, ring[0])]]}


def zipped(members: dict[str, bytes], symlinks: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in symlinks:
                info.external_attr = (0o120777 << 16) | 0  # S_IFLNK
            archive.writestr(info, data)
    return buffer.getvalue()


def encrypted(data: bytes) -> bytes:
    """Set the 'encrypted' flag of every member, in local headers and the central directory."""
    out = bytearray(data)
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := out.find(signature, start)) >= 0:
            (flags,) = struct.unpack_from("<H", out, start + flag_offset)
            struct.pack_into("<H", out, start + flag_offset, flags | 0x1)
            start += 4
    return bytes(out)


def shapefile_parts(encoding: str) -> dict[str, bytes]:
    """A one-point Shapefile (113.54, 22.12) with a text field, written by hand: .shp, .shx, .dbf."""
    record = struct.pack("<idd", 1, 113.54, 22.12)  # shape type 1 (Point), x, y
    bbox = struct.pack("<4d", 113.54, 22.12, 113.54, 22.12) + bytes(32)

    def header(length_words: int) -> bytes:
        return struct.pack(">i20xi", 9994, length_words) + struct.pack("<ii", 1000, 1) + bbox

    shp = header(50 + 4 + len(record) // 2) + struct.pack(">ii", 1, len(record) // 2) + record
    shx = header(50 + 4) + struct.pack(">ii", 50, len(record) // 2)
    text = "横琴口岸".encode(encoding).ljust(40, b" ")
    field = b"name".ljust(11, b"\x00") + b"C" + bytes(4) + bytes([40, 0]) + bytes(14)
    dbf = struct.pack("<B3BIHH20x", 3, 124, 1, 1, 1, 32 + 32 + 1, 1 + 40) + field + b"\r" + b" " + text + b"\x1a"
    return {".shp": shp, ".shx": shx, ".dbf": dbf}


def shapefile(
    stem: str, encoding: str = "utf-8", drop: tuple[str, ...] = (), extra: dict[str, bytes] | None = None
) -> dict[str, bytes]:
    parts = {f"{stem}{ext}": data for ext, data in shapefile_parts(encoding).items() if ext not in drop}
    return parts | (extra or {})


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&lol2;</name>
<Point><coordinates>113.54,22.12</coordinates></Point></Placemark></kml>
"""
GPX = b"""<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
<wpt lat="22.12" lon="113.54"><name>a</name></wpt></gpx>
"""

CASES: dict[str, bytes] = {
    "empty.geojson": b"",
    "notes.txt": b"113.54 22.12\n",
    "truncated.geojson": collection(feature(point(113.54, 22.12), name="a"))[:-20],
    "deep.geojson": b'{"type": "FeatureCollection", "features": [], "x": ' + b"[" * 100 + b"]" * 100 + b"}",
    "not_geojson.json": b'{"hello": "world"}\n',
    "html.geojson": b"<!doctype html><html><body>Not found</body></html>\n",
    "empty_collection.geojson": collection(),
    "all_null_geometry.geojson": collection(feature(None, name="a"), feature(None, name="b")),
    "some_null_geometry.geojson": collection(feature(point(113.54, 22.12), name="a"), feature(None, name="b")),
    "bowtie.geojson": collection(
        feature({"type": "Polygon", "coordinates": [[[113.5, 22.1], [113.6, 22.2], [113.6, 22.1], [113.5, 22.2], [113.5, 22.1]]]})
    ),
    "projected.geojson": collection(feature(point(500000.0, 2447000.0)), feature(point(510000.0, 2457000.0))),
    "swapped.geojson": collection(feature(point(22.12, 113.54), name="a"), feature(point(22.2, 113.6), name="b")),
    "beijing.geojson": collection(feature(point(116.4, 39.9), name="天安门")),
    "gbk.geojson": collection(feature(point(113.54, 22.12), name="横琴口岸")).decode().encode("gb18030"),
    "doctype.kml": BILLION_LAUGHS,
    "gpx.kml": GPX,
    "text.kml": b"113.54,22.12\n",
    "text.gpkg": b"113.54,22.12\n",
    "damaged.gpkg": b"SQLite format 3\x00" + bytes(range(256)) * 8,
    "text.zip": b"113.54,22.12\n",
    "no_shp.zip": zipped({"readme.txt": b"no shapefile here\n"}),
    "no_dbf.zip": zipped(shapefile("roads", drop=(".dbf",))),
    "traversal.zip": zipped(shapefile("../roads")),
    "absolute.zip": zipped(shapefile("/tmp/roads")),
    "symlink.zip": zipped(shapefile("roads") | {"roads.prj": b"/etc/passwd"}, symlinks=("roads.prj",)),
    "encrypted.zip": encrypted(zipped(shapefile("roads"))),
    "two_shapefiles.zip": zipped(shapefile("roads") | shapefile("parks")),
    "gbk_no_cpg.zip": zipped(shapefile("ports", "gb18030") | shapefile("__MACOSX/._ports")),
    "ragged.csv": b"lon,lat,name\n113.54,22.12,a\n113.55,22.13,b,extra\n",
    "no_coordinates.csv": "name,kind\n横琴口岸,口岸\n".encode(),
    "header_only.csv": b"lon,lat,name\n",
    "projected.csv": b"x,y,name\n500000,2447000,a\n510000,2457000,b\n",
    "out_of_range.csv": b"lon,lat\n200,95\n",
    "bad_encoding.csv": b"lon,lat,name\n113.54,22.12,\x80\x80\xff\n",
    "chinese_columns_gbk.csv": "名称,经度,纬度\n横琴口岸,113°32′24″E,22°7′12″N\n珠海站,113.55,22.21\n无坐标,,\n".encode(
        "gb18030"
    ),
    # content that is not what the name says; coordinates that are not numbers, 3D, collections, the antimeridian
    "image.geojson": png(),
    "image.csv": png(),
    "spreadsheet.csv": zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}),
    "binary.kml": b"\x00\x01\x02\x03kml\x00" * 8,
    "nan.geojson": collection(feature(point(113.54, 22.12), name="a"), feature(point(float("nan"), 22.12), name="横琴口岸")),
    "infinity.geojson": collection(feature(point(float("inf"), 22.12)), feature(point(113.54, float("-inf")))),
    "infinity.csv": b"lon,lat\nInfinity,22.12\nNaN,22.13\n",
    "heights.geojson": collection(feature({"type": "Point", "coordinates": [113.54, 22.12, 35.0]}, name="a")),
    "heights.csv": b'name,wkt\na,"LINESTRING Z (113.5 22.1 3, 113.6 22.2 4)"\n',
    "collection.geojson": collection(
        feature(
            {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "LineString", "coordinates": [[113.5, 22.1], [113.6, 22.2]]},
                    polygon((113.5, 22.1), (113.52, 22.1), (113.52, 22.12)),
                ],
            },
            name="mixed",
        )
    ),
    "antimeridian.geojson": collection(
        feature(polygon((113.5, 22.1), (113.6, 22.1), (113.6, 22.2)), name="a"),
        feature(polygon((179.5, -17.0), (-179.5, -17.0), (-179.5, -16.0), (179.5, -16.0)), name="斐济"),
    ),
    "wkt.csv": b'name;wkt\nsquare;"POLYGON ((113.5 22.1, 113.6 22.1, 113.6 22.2, 113.5 22.2, 113.5 22.1))"\nbad;POLYGON ((\n',
}


def main() -> None:
    for name, data in CASES.items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
