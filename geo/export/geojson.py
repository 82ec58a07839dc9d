"""GeoJSON (RFC 7946): WGS84 longitude/latitude always, the features as built (lists kept as lists), each
with the status it is drawn with, and the metadata record as a top-level "metadata" member."""

from __future__ import annotations

import json
from pathlib import Path

from geo.export.bundle import Bundle


def write(bundle: Bundle, path: Path) -> None:
    header = {"type": "FeatureCollection", "metadata": bundle.metadata}
    opening = json.dumps(header, ensure_ascii=False)[:-1] + ',"features":[\n'
    features = ",\n".join(
        json.dumps(
            {**item.feature, "properties": {**item.feature["properties"], "status": item.mention["status"]}},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        for item in bundle.shown
    )
    path.write_text(opening + features + "\n]}\n", encoding="utf-8")
