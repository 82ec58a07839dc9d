"""GDAL (through pyogrio) on a file we wrote ourselves: its layers, one layer read within the limits,
and GDAL's complaints turned into messages."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory

import geopandas
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError

from geo.upload.limits import Limits
from geo.upload.messages import fail

MAX_LAYERS_LISTED = 10


@contextmanager
def on_disk(data: bytes, filename: str) -> Iterator[Path]:
    """data in a private temporary folder under a name we choose (never the user's)."""
    with TemporaryDirectory(prefix="upload-") as folder:
        path = Path(folder) / filename
        path.write_bytes(data)
        yield path


def spatial_layers(name: str, path: str, label: str, drivers: frozenset[str] | None = None) -> list[str]:
    """The layers that hold geometry (a GeoPackage may also hold plain tables).

    drivers: the GDAL drivers that may open the file, where the path cannot name one (KML).
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if drivers is not None and pyogrio.read_info(path)["driver"] not in drivers:
                raise fail("not_format", name=name, format=label)
            layers = pyogrio.list_layers(path)
    except (DataSourceError, DataLayerError):
        raise fail("unreadable", name=name, format=label) from None
    return [str(layer) for layer, geometry_type in layers if geometry_type is not None]


def choose_layer(name: str, layers: list[str], layer: str | None) -> str:
    """The layer asked for, or the only one there is."""
    if not layers:
        raise fail("no_layers", name=name)
    if layer is None and len(layers) == 1:
        return layers[0]
    listed = ", ".join(layers[:MAX_LAYERS_LISTED]) + (", …" if len(layers) > MAX_LAYERS_LISTED else "")
    if layer is None:
        raise fail("several_layers", name=name, layers=listed)
    if layer not in layers:
        raise fail("no_such_layer", name=name, layer=layer, layers=listed)
    return layer


def read_layer(
    name: str,
    path: str,
    label: str,
    limits: Limits,
    *,
    layer: str | None = None,
    encoding: str | None = None,
) -> geopandas.GeoDataFrame:
    """One layer, 2D, at most limits.max_features features (reading stops just past the limit)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = pyogrio.read_dataframe(
                path,
                layer=layer,
                encoding=encoding,
                max_features=limits.max_features + 1,
                force_2d=True,
                on_invalid="ignore",
                datetime_as_string=True,
            )
    except (DataSourceError, DataLayerError):
        raise fail("unreadable", name=name, format=label) from None
    except UnicodeDecodeError:
        raise fail("bad_encoding", name=name) from None
    if len(frame) > limits.max_features:
        raise fail("too_many_features", name=name, limit=f"{limits.max_features:,}")
    if len(frame) == 0:
        raise fail("no_features", name=name)
    return frame
