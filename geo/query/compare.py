"""Compare two plans or two phases side by side: `compare=phase:近期,远期` or `compare=plan:hq-master,hq-industry`.

Each side shows the current selection with its phases (or plans) narrowed to one value; the two maps
follow each other's pan and zoom (geo/web/frontend/planmap.js).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from geo.i18n import bracketed, phase_label
from geo.query.selection import Selection
from geo.sources.mapdata import MapData

KINDS = ("phase", "plan")


@dataclass(frozen=True)
class Comparison:
    by: str  # "phase" or "plan"
    left: str
    right: str

    def query(self) -> str:
        return f"{self.by}:{self.left},{self.right}"

    def side(self, selection: Selection, value: str) -> Selection:
        if self.by == "phase":
            return replace(selection, phases=frozenset({value}))
        return replace(selection, plans=frozenset({value}))

    def label(self, data: MapData, value: str, lang: str) -> str:
        if self.by == "phase":
            return phase_label(value, lang)
        plan = data.plans[value]
        return bracketed(plan["short_zh"] if lang == "zh" else plan["title_en"], plan["date"], lang)


def choices(data: MapData, by: str) -> list[str]:
    return [p["id"] for p in data.catalog["phases"]] if by == "phase" else list(data.plan_order)


def parse_comparison(raw: str, data: MapData) -> Comparison | None:
    """The comparison a link asks for, or None when the value is not one (the caller reports it)."""
    by, _, values = raw.partition(":")
    left, _, right = values.partition(",")
    if by not in KINDS or left not in choices(data, by) or right not in choices(data, by):
        return None
    return Comparison(by, left, right)
