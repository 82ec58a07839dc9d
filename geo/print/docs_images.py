"""The README's map images: every theme at the Hengqin and metro views, as slides, made by geo.print.render.

    python -m geo.print.docs_images          # writes docs/theme-<theme>-<view>.png

Slide size at 100 dpi, quantised to 256 colours so the repository stays small.
"""

from __future__ import annotations

import io
import sys

from PIL import Image

from geo.paths import ROOT
from geo.print.render import render_map
from geo.query.selection import Selection
from geo.sources.mapdata import load_map_data
from geo.style.themes import load_themes

VIEWS = ("hengqin", "prw-metro")
DPI = 100


def main() -> int:
    data = load_map_data()
    everything = Selection.everything(data)
    for theme in load_themes().ids:
        for view in VIEWS:
            png = render_map(data, everything, data.view(view), theme=theme, size="slide", fmt="png", dpi=DPI)
            image = Image.open(io.BytesIO(png)).convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT)
            path = ROOT / "docs" / f"theme-{theme}-{view}.png"
            image.save(path, optimize=True)
            print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
