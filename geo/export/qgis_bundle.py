"""QGIS project file (`_qgis.zip`): the .qgz project beside the GeoPackage it opens, for offices that keep
projects as files. Unzip both into one folder and open the .qgz (the GeoPackage also carries the project
inside, as every GeoPackage export does)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from geo.export import gpkg
from geo.export.bundle import Bundle
from geo.export.files import zip_folder
from geo.export.qgis_project import project_qgz

SUFFIX = "_qgis.zip"


def write(bundle: Bundle, path: Path) -> None:
    stem = path.name.removesuffix(SUFFIX).removesuffix(".zip")
    with tempfile.TemporaryDirectory(dir=path.parent) as folder:
        staging = Path(folder)
        gpkg.write(bundle, staging / f"{stem}.gpkg")
        (staging / f"{stem}.qgz").write_bytes(project_qgz(bundle, f"./{stem}.gpkg"))
        zip_folder(staging, path)
