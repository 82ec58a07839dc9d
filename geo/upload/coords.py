"""Coordinates as users write them: numbers in CSV cells, and what an array of x, y pairs looks like
(longitude/latitude, swapped latitude/longitude, or projected metres)."""

from __future__ import annotations

import math
import re
from functools import cache
from typing import Literal

import numpy as np
import pyproj

from geo.sources.schema import LAT_RANGE, LON_RANGE

Kind = Literal["empty", "lonlat", "swapped", "projected", "out_of_range"]

SAMPLE = 2_000  # points tried per candidate CRS (with the extremes), enough to judge a fit
PROJECTED_ABOVE = 1_000.0  # no degree value comes near this; metres or feet of any projection in China exceed it
# Projected CRSs met in the region's data, tried in this order when a file without CRS holds metres.
CANDIDATE_CRS: tuple[str, ...] = (
    "EPSG:4547",  # CGCS2000 / 3-degree Gauss-Kruger CM 114E
    "EPSG:4546",  # CGCS2000 / 3-degree Gauss-Kruger CM 111E
    "EPSG:4526",  # CGCS2000 / 3-degree Gauss-Kruger zone 38 (easting with zone prefix)
    "EPSG:4525",  # CGCS2000 / 3-degree Gauss-Kruger zone 37
    "EPSG:32649",  # WGS 84 / UTM zone 49N
    "EPSG:32650",  # WGS 84 / UTM zone 50N
    "EPSG:3857",  # WGS 84 / Pseudo-Mercator (web maps)
)

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_HEMISPHERES = {"N": 1, "E": 1, "S": -1, "W": -1, "北纬": 1, "东经": 1, "南纬": -1, "西经": -1}
_HEMI_PART = "|".join(sorted(_HEMISPHERES, key=len, reverse=True))
_SPLIT = re.compile(rf"^(?:({_HEMI_PART})\s*)?(.*?)(?:\s*({_HEMI_PART}))?$", re.IGNORECASE)
_MARKS = re.compile(r"[°º度′’'分″”\"秒]")


def parse_coordinate(text: object) -> float | None:
    """A longitude or latitude as people write it, or None.

    Decimal degrees or metres ("113.54", "113,54", "2,450,000.5", "5.1E+05"), or degrees, minutes and
    seconds with an optional hemisphere ("113°32′24″E", "北纬22°7'30\"", "22 7 30 N").
    """
    if not isinstance(text, str) or len(text) > 64:
        return None
    split = _SPLIT.match(text.strip())
    if split is None or (split.group(1) and split.group(3)):
        return None
    hemisphere = _HEMISPHERES[(split.group(1) or split.group(3) or "N").upper()]
    tokens = _MARKS.sub(" ", split.group(2)).split()
    if not 1 <= len(tokens) <= 3:
        return None
    numbers = [_number(token) for token in tokens]
    if None in numbers:
        return None
    degrees, *sexagesimal = numbers
    if any(not 0 <= part < 60 or token[0] in "+-" for part, token in zip(sexagesimal, tokens[1:], strict=True)):
        return None
    if any(part != int(part) for part in numbers[:-1]):  # only the last part may have a fraction
        return None
    if hemisphere < 0 and tokens[0].startswith("-"):
        return None  # "-22 S" says south twice
    magnitude = abs(degrees) + sum(part / 60**i for i, part in enumerate(sexagesimal, start=1))
    value = hemisphere * math.copysign(magnitude, -1.0 if tokens[0].startswith("-") else 1.0)
    return value if math.isfinite(value) else None


def _number(token: str) -> float | None:
    if _THOUSANDS.fullmatch(token):
        token = token.replace(",", "")
    elif token.count(",") == 1 and "." not in token:
        token = token.replace(",", ".")  # decimal comma
    return float(token) if _NUMBER.fullmatch(token) else None


def _inside(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return (x >= LON_RANGE[0]) & (x <= LON_RANGE[1]) & (y >= LAT_RANGE[0]) & (y <= LAT_RANGE[1])


def classify(xy: np.ndarray) -> Kind:
    """What an (n, 2) array of finite x, y pairs looks like.

    "swapped": every point is in the plans' region once x and y trade places (and none is as given);
    "projected": values far beyond degrees; "out_of_range": beyond ±180/±90 but not far; else "lonlat".
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    xy = xy[np.isfinite(xy).all(axis=1)]
    if xy.size == 0:
        return "empty"
    x, y = xy[:, 0], xy[:, 1]
    if _inside(y, x).all():
        return "swapped"
    if (np.abs(xy) > PROJECTED_ABOVE).any():
        return "projected"
    if (np.abs(x) > 180).any() or (np.abs(y) > 90).any():
        return "out_of_range"
    return "lonlat"


def first_outlier(xy: np.ndarray) -> tuple[float, float]:
    """The first finite point beyond ±180/±90, for messages (or the first point if none is)."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    xy = xy[np.isfinite(xy).all(axis=1)]
    beyond = (np.abs(xy[:, 0]) > 180) | (np.abs(xy[:, 1]) > 90)
    x, y = xy[beyond][0] if beyond.any() else xy[0]
    return float(x), float(y)


def swap(xy: np.ndarray) -> np.ndarray:
    return xy[:, ::-1]


def suggest_crs(xy: np.ndarray) -> list[str]:
    """Candidate CRSs under which every point of xy (projected, no CRS given) falls in the plans' region."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    xy = xy[np.isfinite(xy).all(axis=1)]
    if xy.size == 0:
        return []
    sample = np.concatenate([xy[np.argmin(xy, axis=0)], xy[np.argmax(xy, axis=0)], xy[:: max(1, len(xy) // SAMPLE)]])
    fitting = []
    for code in CANDIDATE_CRS:
        lon, lat = _to_wgs84(code).transform(sample[:, 0], sample[:, 1], errcheck=False)
        lon, lat = np.asarray(lon), np.asarray(lat)
        if np.isfinite(lon).all() and np.isfinite(lat).all() and _inside(lon, lat).all():
            fitting.append(code)
    return fitting


@cache
def _to_wgs84(code: str) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(code, "EPSG:4326", always_xy=True)


def outside_region(xmin: np.ndarray, ymin: np.ndarray, xmax: np.ndarray, ymax: np.ndarray) -> np.ndarray:
    """For each bounding box, whether it misses the plans' region entirely."""
    return (xmax < LON_RANGE[0]) | (xmin > LON_RANGE[1]) | (ymax < LAT_RANGE[0]) | (ymin > LAT_RANGE[1])
