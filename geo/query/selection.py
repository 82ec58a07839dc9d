"""What is on the map: the filter state and which features (and which of their mentions) it selects.

A feature shows when its layer is selected and any of its mentions matches the selected plans, phases
and statuses; it is then drawn with the status of that mention (the most recent plan's by date, when
several match: MapData.plan_order). Export, print and the register apply the same rule.

`stated_phases_only` ("only phases the plans state") counts only mentions whose phase the plan itself
states (phase_basis `quote` or `section`), not phases inferred from the plan period or the wording rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from geo.sources.mapdata import MapData
from geo.sources.schema import STATED_PHASE_BASES


@dataclass(frozen=True)
class Selection:
    plans: frozenset[str]
    phases: frozenset[str]
    statuses: frozenset[str]
    layers: frozenset[str]
    stated_phases_only: bool = False

    @classmethod
    def everything(cls, data: MapData) -> Selection:
        catalog = data.catalog
        return cls(
            plans=frozenset(p["id"] for p in catalog["plans"]),
            phases=frozenset(p["id"] for p in catalog["phases"]),
            statuses=frozenset(s["id"] for s in catalog["statuses"]),
            layers=frozenset(layer["id"] for layer in catalog["layers"]),
        )


@dataclass(frozen=True)
class Shown:
    """A selected feature and the mention that selected it (which sets its drawn status)."""

    feature: dict[str, Any]
    mention: dict[str, str]

    @property
    def id(self) -> str:
        return self.feature["properties"]["id"]


def matching_mentions(properties: dict[str, Any], selection: Selection) -> list[dict[str, str]]:
    """The feature's mentions that match the selected plans, phases and statuses together."""
    return [
        m
        for m in properties["mentions"]
        if m["plan"] in selection.plans
        and m["phase"] in selection.phases
        and m["status"] in selection.statuses
        and (not selection.stated_phases_only or m.get("phase_basis") in STATED_PHASE_BASES)
    ]


def matching_mention(properties: dict[str, Any], selection: Selection, plan_order: tuple[str, ...]) -> dict[str, str] | None:
    matches = matching_mentions(properties, selection)
    if not matches:
        return None
    return max(matches, key=lambda m: plan_order.index(m["plan"]))


def select(data: MapData, selection: Selection) -> list[Shown]:
    shown = []
    for feature in data.features:
        properties = feature["properties"]
        if properties["layer"] not in selection.layers:
            continue
        mention = matching_mention(properties, selection, data.plan_order)
        if mention is not None:
            shown.append(Shown(feature, mention))
    return shown
