"""How much of a user's file the app will read: one table of limits, checked before the costly step."""

from __future__ import annotations

import math
from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * MB  # the uploaded file itself
    max_features: int = 50_000
    max_json_depth: int = 64  # GeoJSON needs 8 (a MultiPolygon in a FeatureCollection)
    max_zip_bytes: int = 200 * MB  # a zip's members, expanded
    max_zip_ratio: int = 100  # expanded size / zip size ...
    zip_ratio_floor: int = 1 * MB  # ... checked once the expanded size exceeds this (small zips are harmless)
    max_zip_members: int = 1_000
    max_columns: int = 100
    max_value_chars: int = 2_000


LIMITS = Limits()


def megabytes(size: int) -> str:
    """Bytes as megabytes for messages, rounded up to a tenth (so a size over a limit never reads as equal
    to it): "50", "50.1", "1,024"."""
    return f"{math.ceil(size * 10 / MB) / 10:,.1f}".removesuffix(".0")
