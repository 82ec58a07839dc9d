"""CSV: a zip holding features.csv (one row per feature: WKT geometry in the export CRS, then the flat
attributes; UTF-8 with BOM so Excel reads the Chinese), its .csvt column types and .prj CRS,
mentions.csv and metadata.json."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyogrio

from geo.export.bundle import Bundle
from geo.export.files import write_json, zip_folder

FEATURES_NAME = "features.csv"


def write(bundle: Bundle, path: Path) -> None:
    with tempfile.TemporaryDirectory(dir=path.parent) as folder:
        staging = Path(folder)
        pyogrio.write_dataframe(
            bundle.features,
            staging / FEATURES_NAME,
            driver="CSV",
            layer_options={"GEOMETRY": "AS_WKT", "CREATE_CSVT": "YES", "WRITE_BOM": "YES"},
        )
        bundle.mentions.to_csv(staging / "mentions.csv", index=False, encoding="utf-8-sig")
        write_json(staging / "metadata.json", bundle.metadata)
        zip_folder(staging, path)
