"""The source note printed under a map: which plans the features shown come from, each with its date, and
that the statuses drawn are those plans' words at those dates, not surveyed facts."""

from __future__ import annotations

from geo.i18n import t
from geo.sources.mapdata import MapData


def source_note(data: MapData, plans: set[str], lang: str) -> str:
    """资料来源：《plan》（2023-12）、…；示意图；状态为…, citing the plans in date order (a dash when the map shows none)."""
    if lang == "zh":  # a title quoting another title: the inner book-title marks become 〈〉
        inner = str.maketrans("《》", "〈〉")
        titles = [
            f"《{data.plans[p]['title_zh'].translate(inner)}》（{data.plans[p]['date']}）" for p in data.plan_order if p in plans
        ]
        separator = "、"
    else:
        titles = [f"{data.plans[p]['title_en']} ({data.plans[p]['date']})" for p in data.plan_order if p in plans]
        separator = ", "
    return t("source_note", lang, plans=separator.join(titles) or "—")
