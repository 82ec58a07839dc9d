"""GeoPackage: one table per layer (named by layer id), `mentions`, `export_metadata`, and each layer's
QGIS style in `layer_styles` as its default, so QGIS opens the layers styled."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyogrio

from geo.export.bundle import Bundle
from geo.export.fields import FIELDS
from geo.export.metadata import metadata_items
from geo.qml import layer_qml

GEOMETRY_COLUMN = "geom"
MENTIONS_TABLE = "mentions"
METADATA_TABLE = "export_metadata"
STYLES_TABLE = "layer_styles"  # the table QGIS reads default styles from (same columns QGIS creates)
ALIASES = {field.name: field.zh for field in FIELDS}


def write(bundle: Bundle, path: Path) -> None:
    dataset_metadata = dict(metadata_items(bundle.metadata))
    for table in bundle.layers:
        pyogrio.write_dataframe(
            table.frame,
            path,
            layer=table.id,
            driver="GPKG",
            promote_to_multi=True,
            layer_options={
                "IDENTIFIER": table.layer["title_zh"],
                "DESCRIPTION": table.layer["title_en"],
                "GEOMETRY_NAME": GEOMETRY_COLUMN,
                "FID": "fid",
            },
            dataset_metadata=dataset_metadata,
        )
    _attributes(path, MENTIONS_TABLE, bundle.mentions, "规划引用 plan mentions (join: feature_id = id)")
    _attributes(
        path, METADATA_TABLE, pd.DataFrame(metadata_items(bundle.metadata), columns=["key", "value"]), "导出说明 export metadata"
    )
    _attributes(path, STYLES_TABLE, _styles(bundle), "QGIS layer styles", fid="id")
    with closing(sqlite3.connect(path)) as db, db:  # join keys indexed: mentions.feature_id = <layer>.id
        db.execute(f'CREATE INDEX "{MENTIONS_TABLE}_feature_id" ON "{MENTIONS_TABLE}" (feature_id)')
        for table in bundle.layers:
            db.execute(f'CREATE UNIQUE INDEX "{table.id}_id" ON "{table.id}" (id)')


def _attributes(path: Path, name: str, frame: pd.DataFrame, description: str, fid: str = "fid") -> None:
    pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG", layer_options={"FID": fid, "DESCRIPTION": description})


def _styles(bundle: Bundle) -> pd.DataFrame:
    now = pd.Timestamp(datetime.now(UTC))
    rows = [
        {
            "f_table_catalog": "",
            "f_table_schema": "",
            "f_table_name": table.id,
            "f_geometry_column": GEOMETRY_COLUMN,
            "styleName": table.layer["title_zh"],
            "styleQML": layer_qml(table.layer, table.families, {c: ALIASES[c] for c in table.frame.columns if c in ALIASES}),
            "styleSLD": "",
            "useAsDefault": True,
            "description": f"{table.layer['title_zh']} · {table.layer['title_en']}: 规划状态线型 line pattern by status",
            "owner": "",
            "ui": "",
            "update_time": now,
        }
        for table in bundle.layers
    ]
    return pd.DataFrame(rows)
