"""The short metadata record every export carries: source plans, build date, CRS, selection, accuracy."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any
from urllib.parse import urlencode

from geo.export.projections import ExportCrs
from geo.i18n import t
from geo.query.selection import Selection, Shown
from geo.sources.mapdata import MapData
from geo.ui.urlstate import ViewState, to_query

ACCURACY_NOTE = (
    "Schematic: the plans publish no GIS data. Each feature states how its geometry was drawn (geometry_basis) "
    "and how far off it may be (accuracy_m); do not use for surveying or boundary decisions. "
    "示意性质：规划未发布GIS数据，各要素的几何来源与位置精度见 geometry_basis、accuracy_m 字段。"
)
DATUM_NOTE = "CGCS2000 and WGS 84 are taken as identical (they differ by centimetres here); no datum shift applied."


def selection_query(data: MapData, selection: Selection) -> str:
    """The selection as the app's URL query (empty: everything), e.g. 'plan=hq-master&layer=hq-transport'."""
    return urlencode(to_query(ViewState(selection, basemap=""), data, default_basemap=""), safe=",")


def metadata_record(
    data: MapData,
    selection: Selection,
    shown: tuple[Shown, ...],
    format_label: str,
    crs: ExportCrs,
    crs_note: str | None,
    build_date: date,
) -> dict[str, Any]:
    cited = {m["plan"] for item in shown for m in item.feature["properties"]["mentions"]}
    layers = dict(Counter(item.feature["properties"]["layer"] for item in shown))
    accuracies = [a for item in shown if (a := item.feature["properties"]["accuracy_m"]) is not None]
    record: dict[str, Any] = {
        "title": f"{t('title', 'zh')} · {t('title', 'en')}",
        "format": format_label,
        "build_date": build_date.isoformat(),
        "crs": f"{crs.id} {crs.en}",
        "selection": selection_query(data, selection) or "everything (no filter)",
        "features": len(shown),
        "mentions": sum(len(item.feature["properties"]["mentions"]) for item in shown),
        "layers": layers,
        "source_plans": [f"{p['id']}: {p['title_zh']} ({p['date']})" for p in data.catalog["plans"] if p["id"] in cited],
        "accuracy": f"positional accuracy {min(accuracies, default=0)} to {max(accuracies, default=0)} m. {ACCURACY_NOTE}",
        "datum": DATUM_NOTE,
    }
    if crs_note:
        record["crs_note"] = crs_note
    return record


def metadata_items(record: dict[str, Any]) -> list[tuple[str, str]]:
    """The record as (key, text) rows, for a table or GDAL metadata."""
    rows = []
    for key, value in record.items():
        if isinstance(value, dict):
            value = "; ".join(f"{k} {v}" for k, v in value.items())
        elif isinstance(value, list):
            value = "; ".join(value)
        rows.append((key, str(value)))
    return rows
