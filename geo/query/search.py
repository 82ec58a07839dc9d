"""Find features by part of their Chinese or English name, or of any name a plan uses for them (aliases)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

MAX_RESULTS = 30


def search(features: Iterable[dict[str, Any]], query: str) -> list[dict[str, Any]]:
    """Features whose name or alias contains the query (case-insensitive), best matches first."""
    needle = query.strip().casefold()
    if not needle:
        return []
    scored = []
    for position, feature in enumerate(features):
        props = feature["properties"]
        aliases = (a["name"].casefold() for a in props.get("aliases", ()))
        names = (props["name_zh"].casefold(), props["name_en"].casefold(), *aliases)
        if not any(needle in name for name in names):
            continue
        exact = any(needle == name for name in names)
        prefix = any(name.startswith(needle) for name in names)
        scored.append(((not exact, not prefix, len(props["name_zh"]), position), feature))
    return [feature for _, feature in sorted(scored, key=lambda pair: pair[0])[:MAX_RESULTS]]
