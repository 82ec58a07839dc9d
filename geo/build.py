"""`python -m geo.build`: validate every layer source and write data/geojson/.

`--check` writes nothing and exits 1, naming the stale files, when the committed outputs differ from
a fresh build. On any source problem the build prints one line per problem and writes nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from geo.paths import CATALOG_NAME, LAYERS_DIR, META_DIR, OUTPUT_DIR, ROOT
from geo.sources.catalogue import load_catalogue
from geo.sources.outputs import render_outputs
from geo.sources.problems import BuildError


def stale_files(outputs: dict[str, str], out_dir: Path) -> list[str]:
    """Files that differ from, are missing from, or are left over next to a fresh build."""
    stale = [name for name, text in outputs.items() if not _same(out_dir / name, text)]
    leftovers = [p.name for p in out_dir.glob("*.geojson") if p.name not in outputs] if out_dir.is_dir() else []
    return sorted(stale + leftovers)


def _same(path: Path, text: str) -> bool:
    return path.is_file() and path.read_bytes() == text.encode("utf-8")


def write_outputs(outputs: dict[str, str], out_dir: Path) -> None:
    """Write all files, or none: everything goes to a temporary folder first, then is moved in."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".build-") as tmp:
        for name, text in outputs.items():
            (Path(tmp) / name).write_bytes(text.encode("utf-8"))
        for name in outputs:
            os.replace(Path(tmp) / name, out_dir / name)
    for leftover in out_dir.glob("*.geojson"):
        if leftover.name not in outputs:
            leftover.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.build", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if data/geojson differs from a fresh build")
    parser.add_argument("--layers", type=Path, default=LAYERS_DIR, help="folder of layer sources")
    parser.add_argument("--out", type=Path, default=OUTPUT_DIR, help="output folder")
    args = parser.parse_args(argv)
    meta_dir = args.layers / "meta" if args.layers != LAYERS_DIR else META_DIR
    try:
        catalogue = load_catalogue(args.layers, meta_dir, ROOT)
    except BuildError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"build failed: {len(exc.problems)} problem(s); nothing written", file=sys.stderr)
        return 2
    outputs = render_outputs(catalogue)
    if args.check:
        stale = stale_files(outputs, args.out)
        for name in stale:
            print(f"stale: {args.out / name} differs from a fresh build (run python -m geo.build)", file=sys.stderr)
        if not stale:
            print(f"data/geojson is current ({len(outputs)} files)")
        return 1 if stale else 0
    write_outputs(outputs, args.out)
    count = sum(len(layer.features) for layer in catalogue.layers)
    print(f"wrote {len(catalogue.layers)} layers ({count} features) and {CATALOG_NAME} to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
