"""Where things live in the repository."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS_DIR = ROOT / "layers"
META_DIR = LAYERS_DIR / "meta"
OUTPUT_DIR = ROOT / "data" / "geojson"
CATALOG_NAME = "catalog.json"
