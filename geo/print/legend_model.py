"""The legend as data, built from what a map draws: one entry per symbol on the map, grouped, in theme order.

`legend_entries(drawn, statuses, base, theme, scale, lang)` returns the groups (结构 / 产业 / 交通 / 生态 /
基础地理 / 状态) with their entries: a class drawn as areas and points gets an entry for each; context
classes come after the subject ones of their group; the base's land, water and boundaries follow; the
statuses last, each with its line pattern and point marker. Print draws this; the web map mirrors it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from geo.i18n import status_label
from geo.sources.schema import STATUSES
from geo.style.symbols import Symbol, load_symbols
from geo.style.themes import Theme

BASE_ENTRIES = {  # base pieces the map may draw, in legend order
    "land": ("陆地", "Land"),
    "water": ("水域", "Water"),
    "city": ("市界", "City boundary"),
    "province": ("省界", "Provincial boundary"),
    "sar": ("特别行政区界", "SAR boundary"),
}


@dataclass(frozen=True)
class LegendEntry:
    id: str  # class-family-role, base-<piece> or status-<status>
    label: str
    symbol: Symbol | None  # None for base and status entries (drawn from their id)


@dataclass(frozen=True)
class LegendGroup:
    id: str
    title: str
    entries: tuple[LegendEntry, ...]


FAMILY_ORDER = {"polygon": 0, "line": 1, "point": 2}


def entry_id(sym: Symbol) -> str:
    """The legend entry a drawn symbol belongs to (its SVG id after 'legend-')."""
    return "-".join(str(part) for part in sym.key())


def _label(names: list[str], role: str, lang: str) -> str:
    """A class's name; context classes drawn alike share an entry, named together as context."""
    joined = ("、" if lang == "zh" else ", ").join(names)
    return joined if role == "subject" else (f"{joined}（背景）" if lang == "zh" else f"{joined} (context)")


def legend_entries(
    drawn: Iterable[Symbol],
    statuses: Iterable[str],
    base: Iterable[str],
    theme: Theme,
    scale: str,
    lang: str,
    layers: dict[str, str],
) -> list[LegendGroup]:
    """Groups of entries for the symbols drawn (layers: class id -> a layer it was drawn from, for theme order),
    the base pieces drawn and the statuses whose patterns are drawn."""
    system = load_symbols()
    # A class's key is its symbol as existing (solid, filled): the status group shows the patterns.
    unique: dict[tuple, Symbol] = {}
    labels: dict[tuple, list[str]] = {}
    for sym in drawn:
        if sym.label_only:
            continue
        own_hatch = system.by_id(sym.class_id).hatch if sym.role == "subject" else None
        unique.setdefault(sym.key(), replace(sym, dash=None, marker_fill="full", hatch=own_hatch))
        names = labels.setdefault(sym.key(), [])
        name = system.by_id(sym.class_id).label(lang)
        if name not in names:
            names.append(name)

    def order(sym: Symbol) -> tuple:
        return (sym.role != "subject", theme.order(sym.class_id, layers.get(sym.class_id, ""), scale), FAMILY_ORDER[sym.family])

    by_group: dict[str, list[Symbol]] = {}
    for sym in sorted(unique.values(), key=order):
        by_group.setdefault(sym.group, []).append(sym)
    groups = []
    for group_id, symbols in by_group.items():
        entries = tuple(LegendEntry(entry_id(s), _label(labels[s.key()], s.role, lang), s) for s in symbols)
        groups.append(LegendGroup(group_id, system.group_label(group_id, lang), entries))
    base_set = set(base)
    base_rows = [
        LegendEntry(f"base-{key}", zh if lang == "zh" else en, None) for key, (zh, en) in BASE_ENTRIES.items() if key in base_set
    ]
    existing = [g for g in groups if g.id == "base"]
    if base_rows or existing:
        groups = [g for g in groups if g.id != "base"]
        rows = tuple(base_rows) + (existing[0].entries if existing else ())
        groups.append(LegendGroup("base", system.group_label("base", lang), rows))
    shown = set(statuses)
    status_rows = tuple(LegendEntry(f"status-{s.id}", status_label(s.id, lang), None) for s in STATUSES if s.id in shown)
    if status_rows:
        groups.append(LegendGroup("status", system.group_label("status", lang), status_rows))
    return groups
