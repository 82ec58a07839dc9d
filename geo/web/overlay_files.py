"""Users' overlays as static files, so a 20,000-polygon upload reaches the browser once, not per rerun.

The name is the content's hash: only a page that was given it can ask for it. Files older than a day
are removed whenever a new one is written, so the folder stays bounded.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from geo.upload.user_layers import UserLayer

OVERLAY_SUBDIR = "overlays"
MAX_AGE_S = 24 * 3600


def publish_overlay(layer: UserLayer, static_dir: Path) -> str:
    """Write the layer's features (popups already escaped) once; returns the path below static_dir."""
    content = json.dumps(
        {"type": "FeatureCollection", "features": list(layer.features)}, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")
    name = f"{hashlib.sha256(content).hexdigest()[:24]}.json"
    folder = static_dir / OVERLAY_SUBDIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if not path.is_file():
        _remove_old(folder)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(content)
        tmp.replace(path)
    else:
        path.touch()  # in use again: keep it another day
    return f"{OVERLAY_SUBDIR}/{name}"


def _remove_old(folder: Path) -> None:
    cutoff = time.time() - MAX_AGE_S
    for old in folder.glob("*.json"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except FileNotFoundError:
            pass  # another replica removed it first
