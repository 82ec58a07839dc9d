"""python -m geo.serve [--host 127.0.0.1] [--port 5000]: the catalogue as an OGC API – Features service.

Open http://HOST:PORT/collections in a browser, or in QGIS: Layer ▸ Add Layer ▸ Add WFS / OGC API –
Features Layer ▸ New, URL http://HOST:PORT. Stop with Ctrl+C.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from geo.serve.config import write_config
from geo.sources.mapdata import load_map_data


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo.serve", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default %(default)s; 0.0.0.0: the LAN)")
    parser.add_argument("--port", type=int, default=5000, help="port (default %(default)s)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="geo-serve-") as folder:
        config, openapi = write_config(load_map_data(), args.host, args.port, Path(folder))
        os.environ["PYGEOAPI_CONFIG"], os.environ["PYGEOAPI_OPENAPI"] = str(config), str(openapi)
        from pygeoapi.flask_app import APP  # reads the two files above when imported
        from werkzeug.serving import run_simple

        print(f"OGC API – Features: http://{args.host}:{args.port}/collections", file=sys.stderr, flush=True)
        run_simple(args.host, args.port, APP, threaded=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
