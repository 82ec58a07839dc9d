"""The source note printed under a map: which plans the features shown come from."""

from __future__ import annotations

from geo.i18n import t
from geo.mapdata import MapData


def source_note(data: MapData, plans: set[str], lang: str) -> str:
    """资料来源：《plan》、《plan》；示意图, citing the plans in date order (a dash when the map shows none)."""
    if lang == "zh":  # a title quoting another title: the inner book-title marks become 〈〉
        inner = str.maketrans("《》", "〈〉")
        titles = [f"《{data.plans[p]['title_zh'].translate(inner)}》" for p in data.plan_order if p in plans]
        separator = "、"
    else:
        titles = [data.plans[p]["title_en"] for p in data.plan_order if p in plans]
        separator = ", "
    return t("source_note", lang, plans=separator.join(titles) or "—")
