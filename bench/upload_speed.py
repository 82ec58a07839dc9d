"""Time reading and lightening a large upload against a naive baseline, in one process.

Makes a 20,000-polygon GeoJSON in memory (parcel-like rings of 40 vertices at full float precision, as
GIS exports write them, over the Pearl River West Bank), then:
- naive: geopandas.read_file on the bytes, and the whole frame as GeoJSON for the browser;
- ours: geo.upload.read_upload (all checks), display_geometry at the app's tolerance for the view that
  fits the overlay (bench.naive_map.simplify_tolerance), and that as GeoJSON.
Prints seconds and bytes (medians of --runs).

    python bench/upload_speed.py [--runs 3] [--polygons 20000]
"""

from __future__ import annotations

import argparse
import io
import json
import math
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geopandas  # noqa: E402
import numpy as np  # noqa: E402
import shapely  # noqa: E402

from bench.naive_map import simplify_tolerance  # noqa: E402
from geo.upload import display_geometry, read_upload  # noqa: E402

VERTICES = 40


def polygons_geojson(count: int) -> bytes:
    """count wobbly, non-touching rings on a grid from (113.0, 22.0), about 400 m apart."""
    rng = np.random.default_rng(7)
    columns = math.ceil(math.sqrt(count * 2))
    angles = np.linspace(0, 2 * np.pi, VERTICES, endpoint=False)
    features = []
    for i in range(count):
        cx, cy = 113.0 + 0.004 * (i % columns), 22.0 + 0.004 * (i // columns)
        radius = 0.0015 * (1 + 0.03 * rng.standard_normal(VERTICES))  # digitising noise of a few metres
        ring = np.column_stack([cx + radius * np.cos(angles), cy + radius * np.sin(angles)]).tolist()
        features.append(
            {
                "type": "Feature",
                "properties": {"id": i, "name": f"地块 {i}", "use": ("居住", "商业", "工业", "绿地")[i % 4]},
                "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()


def naive(data: bytes) -> tuple[str, dict[str, float]]:
    t0 = time.perf_counter()
    frame = geopandas.read_file(io.BytesIO(data))
    t1 = time.perf_counter()
    payload = frame.to_json()
    t2 = time.perf_counter()
    return payload, {"read": t1 - t0, "simplify": 0.0, "to GeoJSON": t2 - t1}


def ours(data: bytes) -> tuple[str, dict[str, float]]:
    t0 = time.perf_counter()
    overlay = read_upload("parcels.geojson", data)
    t1 = time.perf_counter()
    west, south, east, north = overlay.frame.total_bounds
    light = display_geometry(overlay, simplify_tolerance(((south, west), (north, east))))
    t2 = time.perf_counter()
    payload = light.to_json()
    t3 = time.perf_counter()
    return payload, {"read": t1 - t0, "simplify": t2 - t1, "to GeoJSON": t3 - t2}


def vertices(payload: str) -> int:
    frame = geopandas.GeoDataFrame.from_features(json.loads(payload)["features"])
    return int(shapely.get_num_coordinates(frame.geometry.to_numpy()).sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--polygons", type=int, default=20_000)
    args = parser.parse_args()
    data = polygons_geojson(args.polygons)
    print(f"input: {args.polygons:,} polygons, {len(data) / 1e6:.1f} MB of GeoJSON")
    print("| | read (s) | simplify (s) | to GeoJSON (s) | total (s) | browser GeoJSON (MB) | vertices |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for label, run in (("naive: read_file, full geometry", naive), ("ours: read_upload + display_geometry", ours)):
        timings = [run(data) for _ in range(args.runs)]
        payload = timings[-1][0]
        med = {key: statistics.median(t[1][key] for t in timings) for key in timings[0][1]}
        total = sum(med.values())
        print(
            f"| {label} | {med['read']:.2f} | {med['simplify']:.2f} | {med['to GeoJSON']:.2f} | {total:.2f} "
            f"| {len(payload.encode()) / 1e6:.1f} | {vertices(payload):,} |"
        )


if __name__ == "__main__":
    main()
