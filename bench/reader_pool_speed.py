"""Time a small upload through the reader pool, cold and warm, and measure the readers' memory (Linux).

One file as the app reads it: list_layers then read_upload of a 45-byte GeoJSON point, from submitting it
to the overlay being back in this process.
- cold: a new pool, so the reading waits for a reader to start and import geopandas & co. (what every
  reading cost when each one started its own interpreter);
- warm: the same pool again, its readers ready.
--load N keeps N busy-looping processes running meanwhile, as on a busy server.

    python bench/reader_pool_speed.py [--runs 5] [--load 0]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.upload import list_layers, read_upload  # noqa: E402
from geo.upload.isolated import run_isolated  # noqa: E402
from geo.upload.pool import ReaderPool  # noqa: E402

SMALL = b'{"type":"Point","coordinates":[113.54,22.12]}'  # 45 bytes


def one_file(pool: ReaderPool) -> float:
    started = time.perf_counter()
    assert run_isolated(list_layers, "point.geojson", SMALL, pool=pool) == ["point"]
    assert len(run_isolated(read_upload, "point.geojson", SMALL, pool=pool).frame) == 1
    return time.perf_counter() - started


def memory_mb(pid: int) -> tuple[float, float]:
    """Resident and proportional (shared pages split between their users) set sizes."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:])
    return int(fields["Rss"].split()[0]) / 1024, int(fields["Pss"].split()[0]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--load", type=int, default=0, help="busy-looping processes to run meanwhile")
    args = parser.parse_args()
    load = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.load)]
    try:
        cold = []
        for _ in range(args.runs):
            pool = ReaderPool(1)  # one reader: no spare starting in the background to blur the timing
            cold.append(one_file(pool))
            pool.close()
        pool = ReaderPool(2)
        one_file(pool)
        time.sleep(5)  # let the spare started after the first hand-out get ready too
        warm = [one_file(pool) for _ in range(args.runs)]
        readers = [memory_mb(pid) for pid in pool.pids()]
        pool.close()
    finally:
        for process in load:
            process.kill()
            process.wait()
    print(f"45-byte GeoJSON, list_layers + read_upload, median of {args.runs}, {args.load} busy processes")
    print("| pool | seconds (median) | min | max |")
    print("| --- | --- | --- | --- |")
    for label, times in (("cold (reader starts on submit)", cold), ("warm", warm)):
        print(f"| {label} | {statistics.median(times):.3f} | {min(times):.3f} | {max(times):.3f} |")
    for rss, pss in readers:
        print(f"reader: RSS {rss:.0f} MB, PSS {pss:.0f} MB")


if __name__ == "__main__":
    main()
