"""GeoPackage 1.2 (read without warnings by QGIS 3.22 / GDAL 3.6): one table per layer (named by layer
id; single points stay Point), `mentions`, `export_metadata`, each layer's QGIS style in `layer_styles`
as its default, its QGIS layer metadata in `gpkg_metadata`, and a QGIS project in `qgis_projects`, so the
one file opens in QGIS grouped, ordered, styled and related (geo/export/qgis_project.py)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyogrio

from geo.export.bundle import Bundle
from geo.export.fields import FIELDS
from geo.export.layer_metadata import layer_qmd
from geo.export.metadata import metadata_items
from geo.export.qgis_project import PROJECT_NAME, project_qgz
from geo.style.qml import layer_qml

GPKG_VERSION = "1.2"  # GDAL 3.6 (QGIS 3.22 on Debian bookworm) warns on every open of a 1.4 file
GEOMETRY_COLUMN = "geom"
MENTIONS_TABLE = "mentions"
METADATA_TABLE = "export_metadata"
STYLES_TABLE = "layer_styles"  # the table QGIS reads default styles from (same columns QGIS creates)
PROJECTS_TABLE = "qgis_projects"  # the table QGIS stores projects in (Project ▸ Open From ▸ GeoPackage)
QGIS_METADATA_URI = "http://mrcc.com/qgis.dtd"  # how QGIS marks its own layer metadata in gpkg_metadata
ALIASES = {field.name: field.zh for field in FIELDS}


# The metadata extension's tables (GeoPackage 1.2, 2.4.2). Written here rather than through GDAL's dataset
# metadata, which makes GDAL write a stray .aux.xml beside the file whenever it is merely opened.
METADATA_TABLES = (
    "CREATE TABLE gpkg_metadata (id INTEGER CONSTRAINT m_pk PRIMARY KEY ASC NOT NULL, "
    "md_scope TEXT NOT NULL DEFAULT 'dataset', md_standard_uri TEXT NOT NULL, mime_type TEXT NOT NULL DEFAULT 'text/xml', "
    "metadata TEXT NOT NULL DEFAULT '')",
    "CREATE TABLE gpkg_metadata_reference (reference_scope TEXT NOT NULL, table_name TEXT, column_name TEXT, "
    "row_id_value INTEGER, timestamp DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), "
    "md_file_id INTEGER NOT NULL, md_parent_id INTEGER, "
    "CONSTRAINT crmr_mfi_fk FOREIGN KEY (md_file_id) REFERENCES gpkg_metadata(id), "
    "CONSTRAINT crmr_mpi_fk FOREIGN KEY (md_parent_id) REFERENCES gpkg_metadata(id))",
    "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) VALUES "
    "('gpkg_metadata', NULL, 'gpkg_metadata', 'http://www.geopackage.org/spec120/#extension_metadata', 'read-write'), "
    "('gpkg_metadata_reference', NULL, 'gpkg_metadata', 'http://www.geopackage.org/spec120/#extension_metadata', 'read-write')",
)


def write(bundle: Bundle, path: Path) -> None:
    for table in bundle.layers:
        pyogrio.write_dataframe(
            table.frame,
            path,
            layer=table.id,
            driver="GPKG",
            dataset_options={"VERSION": GPKG_VERSION},
            layer_options={
                "IDENTIFIER": table.layer["title_zh"],
                "DESCRIPTION": table.layer["title_en"],
                "GEOMETRY_NAME": GEOMETRY_COLUMN,
                "FID": "fid",
            },
        )
    _attributes(path, MENTIONS_TABLE, bundle.mentions, "规划引用 plan mentions (join: feature_id = id)")
    _attributes(
        path, METADATA_TABLE, pd.DataFrame(metadata_items(bundle.metadata), columns=["key", "value"]), "导出说明 export metadata"
    )
    _attributes(path, STYLES_TABLE, styles(bundle), "QGIS layer styles", fid="id")
    with closing(sqlite3.connect(path)) as db, db:
        db.execute(f'CREATE INDEX "{MENTIONS_TABLE}_feature_id" ON "{MENTIONS_TABLE}" (feature_id)')  # the join key
        for statement in METADATA_TABLES:
            db.execute(statement)
        for table in bundle.layers:
            db.execute(f'CREATE UNIQUE INDEX "{table.id}_id" ON "{table.id}" (id)')
            _layer_metadata(db, table.id, layer_qmd(bundle, table))
        _project(db, project_qgz(bundle, f"./{path.name}"))


def styles(bundle: Bundle) -> pd.DataFrame:
    """One row of `layer_styles` per layer table: its QML, as the table's default style."""
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


def _attributes(path: Path, name: str, frame: pd.DataFrame, description: str, fid: str = "fid") -> None:
    pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG", layer_options={"FID": fid, "DESCRIPTION": description})


def _layer_metadata(db: sqlite3.Connection, table: str, qmd: str) -> None:
    """A table's QGIS metadata, stored as QGIS stores it."""
    cursor = db.execute(
        "INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata) VALUES ('dataset', ?, 'text/xml', ?)",
        (QGIS_METADATA_URI, qmd),
    )
    db.execute(
        "INSERT INTO gpkg_metadata_reference (reference_scope, table_name, timestamp, md_file_id) "
        "VALUES ('table', ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?)",
        (table, cursor.lastrowid),
    )


def _project(db: sqlite3.Connection, qgz: bytes) -> None:
    """The QGIS project in the table QGIS creates for it: the .qgz archive, hex-encoded as QGIS writes it."""
    db.execute(f"CREATE TABLE {PROJECTS_TABLE} (name TEXT PRIMARY KEY, metadata BLOB, content BLOB)")
    modified = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    db.execute(
        f"INSERT INTO {PROJECTS_TABLE} VALUES (?, ?, ?)",
        (PROJECT_NAME, f'{{"last_modified_time": "{modified}", "last_modified_user": "{PROJECT_NAME}"}}', qgz.hex()),
    )
