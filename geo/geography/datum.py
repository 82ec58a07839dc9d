"""Chinese web-map datums to WGS84, vectorised: GCJ-02 (AMap, Tencent, Google China) and BD-09 (Baidu).

The same formulas as prcoords, on whole coordinate arrays at once (geo.geography.crs applies them to geometries),
so a large upload converts in milliseconds; tests/test_upload.py checks them against prcoords.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

_A = 6378245.0  # Krasovsky 1940
_EE = 0.00669342162296594323
_BD_DLON, _BD_DLAT = 0.0065, 0.0060
_MAX_ITERATIONS = 10  # fixed-point refinements of the inverse; each gains about two orders of magnitude
_CONVERGED_DEG = 1e-10  # about 10 µm


def _in_china(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Where GCJ-02 applies (prcoords' sanity box); elsewhere coordinates are left as they are."""
    return (lat >= 0.8293) & (lat <= 55.8271) & (lon >= 72.004) & (lon <= 137.8347)


def wgs84_to_gcj02(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x, y = lon - 105.0, lat - 35.0
    d_lat_m = (
        -100
        + 2 * x
        + 3 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * np.sqrt(np.abs(x))
        + (
            2 * np.sin(x * 6 * np.pi)
            + 2 * np.sin(x * 2 * np.pi)
            + 2 * np.sin(y * np.pi)
            + 4 * np.sin(y / 3 * np.pi)
            + 16 * np.sin(y / 12 * np.pi)
            + 32 * np.sin(y / 30 * np.pi)
        )
        * 20
        / 3
    )
    d_lon_m = (
        300
        + x
        + 2 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * np.sqrt(np.abs(x))
        + (
            2 * np.sin(x * 6 * np.pi)
            + 2 * np.sin(x * 2 * np.pi)
            + 2 * np.sin(x * np.pi)
            + 4 * np.sin(x / 3 * np.pi)
            + 15 * np.sin(x / 12 * np.pi)
            + 30 * np.sin(x / 30 * np.pi)
        )
        * 20
        / 3
    )
    rad_lat = np.radians(lat)
    magic = 1 - _EE * np.sin(rad_lat) ** 2
    lat_arc = np.radians(_A * (1 - _EE) / magic**1.5)
    lon_arc = np.radians(_A * np.cos(rad_lat) / np.sqrt(magic))
    china = _in_china(lon, lat)
    return np.where(china, lon + d_lon_m / lon_arc, lon), np.where(china, lat + d_lat_m / lat_arc, lat)


def gcj02_to_bd09(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r = np.hypot(lon, lat) + 0.00002 * np.sin(np.radians(lat) * 3000)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(np.radians(lon) * 3000)
    return r * np.cos(theta) + _BD_DLON, r * np.sin(theta) + _BD_DLAT


def _wgs84_to_bd09(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def _inverse(forward: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]):
    """Invert a small, smooth shift by fixed-point iteration (prcoords' "bored" method)."""

    def inverse(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        out_lon, out_lat = lon.copy(), lat.copy()
        for _ in range(_MAX_ITERATIONS):
            f_lon, f_lat = forward(out_lon, out_lat)
            d_lon, d_lat = f_lon - lon, f_lat - lat
            out_lon, out_lat = out_lon - d_lon, out_lat - d_lat
            if max(np.abs(d_lon).max(initial=0), np.abs(d_lat).max(initial=0)) < _CONVERGED_DEG:
                break
        return out_lon, out_lat

    return inverse


gcj02_to_wgs84 = _inverse(wgs84_to_gcj02)
bd09_to_wgs84 = _inverse(_wgs84_to_bd09)

# datum name -> conversion of lon, lat arrays to WGS84 (None: already WGS84)
TO_WGS84: dict[str, Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]] | None] = {
    "wgs84": None,
    "gcj02": gcj02_to_wgs84,
    "bd09": bd09_to_wgs84,
}
LABELS = {"wgs84": "WGS84", "gcj02": "GCJ-02", "bd09": "BD-09"}
