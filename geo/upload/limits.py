"""How much of a user's file the app will read: one table of limits, checked before the costly step."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from geo.upload.messages import UploadError, fail

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


@dataclass(frozen=True)
class Budget:
    """What one browser session may keep at once: its files' bytes stay in the server's memory until it
    removes them or leaves, and each overlay read from them too."""

    max_bytes: int = 100 * MB  # the session's files, summed
    max_files: int = 10


BUDGET = Budget()


def over_budget(name: str, size: int, kept: Sequence[int], budget: Budget = BUDGET) -> UploadError | None:
    """Why a file of `size` bytes may not join the files already kept (their sizes), or None if it may."""
    if len(kept) >= budget.max_files:
        return fail("budget_files", name=name, limit=budget.max_files)
    if sum(kept) + size > budget.max_bytes:
        return fail("budget_bytes", name=name, size=megabytes(sum(kept) + size), limit=megabytes(budget.max_bytes))
    return None


def megabytes(size: int) -> str:
    """Bytes as megabytes for messages, rounded up to a tenth (so a size over a limit never reads as equal
    to it): "50", "50.1", "1,024"."""
    return f"{math.ceil(size * 10 / MB) / 10:,.1f}".removesuffix(".0")
