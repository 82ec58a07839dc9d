"""The catalogue as the browser reads it: one compact JSON file per coordinate system, content-hashed, and
one file of card text shared by both.

Written once per server into the app's static folder (served at /app/static/catalog/); each name carries
the content's hash, so a browser may keep it for as long as it likes and a new build gets a new name.
The map file holds everything the map needs to filter, style and label features without asking Python:
vocabularies with both languages, layer styles, every feature's geometry and what the selection reads
(names, layer, kind, each mention's plan, phase, status). What only a feature's card shows (the quotes,
the plans' other passages, the status and existence wording, the geometry's basis: about 40 % of the
text) is in the cards file, which the browser fetches when the first card opens, so a first open does
not wait for it. A map saved as one HTML file carries the cards inline.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import os
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from geo.geography.crs import wgs84_to_gcj02
from geo.i18n import dated, existence_text, phase_text, state_text
from geo.sources.mapdata import MapData
from geo.sources.schema import KIND_TERMS
from geo.style.styles import DEFAULTS
from geo.web.text import BROWSER_TEXT
from geo.web.themes_data import base_layers, feature_theming, symbols_table, themes_table

CATALOG_SUBDIR = "catalog"
DECIMALS = 5  # about 1 m: finer than any feature's stated accuracy (100 m and up)
CONTEXT_KINDS = ("island", "boundary")  # drawn as a muted background when no tiles are shown
# Browsers treat a file without Cache-Control as fresh for a tenth of its age since Last-Modified; the
# name changes with the content, so an old date is true to its meaning: this content never changes.
IMMUTABLE_MTIME = 946_684_800  # 2000-01-01
# Earlier builds' catalogues kept beside the current one: replicas sharing the static folder are restarted one
# at a time after a data update, and until then the others' pages still ask for the file they published.
KEEP_EARLIER = 2
# What the map reads of a feature and of each mention before any card opens (planmap.js: selection, drawing,
# labels, the identify list); the card's own text is in the cards file.
MAP_FIELDS = ("id", "layer", "kind", "name_zh", "name_en")
MAP_MENTION_FIELDS = ("plan", "phase", "phase_basis", "status")
CARD_FIELDS = (
    "aliases",
    "site_undetermined",
    "existence_zh",
    "existence_en",
    "geometry_basis_zh",
    "geometry_basis_en",
    "accuracy_m",
    "note_zh",
    "note_en",
)
CARD_MENTION_FIELDS = ("section", "quote", "also", "state_zh", "state_en", "phase_zh", "phase_en")


def label_min_zoom(geom: BaseGeometry) -> int:
    """Show a name once the feature spans about 80 px on screen (points: from zoom 13)."""
    minx, miny, maxx, maxy = geom.bounds
    span = max(maxx - minx, maxy - miny, 0.01)
    return max(6, min(16, math.ceil(math.log2(112.5 / span))))


def label_priority(geom: BaseGeometry) -> int:
    """Larger features keep their name when labels collide."""
    minx, miny, maxx, maxy = geom.bounds
    return round(max(maxx - minx, maxy - miny) * 10_000)


def _geometry(geom: BaseGeometry, gcj02: bool) -> dict[str, Any]:
    if gcj02:
        geom = wgs84_to_gcj02(geom)
    return mapping(shapely.set_precision(geom, 10**-DECIMALS))


def _label_anchor(geom: BaseGeometry, gcj02: bool) -> list[float]:
    point = geom.representative_point()
    if gcj02:
        point = wgs84_to_gcj02(point)
    return [round(point.x, DECIMALS), round(point.y, DECIMALS)]


def label_angle(geom: BaseGeometry) -> float | None:
    """A line's name runs along the line: the screen angle (degrees, clockwise, kept upright) of the segment
    under its anchor, in Web Mercator as the map draws it. None for points and areas."""
    if "LineString" not in geom.geom_type:
        return None
    anchor = geom.representative_point()
    line = min(getattr(geom, "geoms", [geom]), key=anchor.distance)
    coords = list(line.coords)
    start, end = min(itertools.pairwise(coords), key=lambda seg: shapely.LineString(seg).distance(anchor))
    dx = end[0] - start[0]
    dy = math.degrees(math.log(math.tan(math.pi / 4 + math.radians(end[1]) / 2))) - math.degrees(
        math.log(math.tan(math.pi / 4 + math.radians(start[1]) / 2))
    )
    angle = -math.degrees(math.atan2(dy, dx))  # screen y grows downwards
    if angle > 90:
        angle -= 180
    elif angle < -90:
        angle += 180
    return round(angle, 1)


def _with_display_text(props: dict[str, Any], plans: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Each mention's state (dated by its plan) and phase as the card shows them, in both languages
    (geo.i18n's wording): 现状 · 在建改扩建（据《大湾区实施意见》，2019-07）, 近期（据措辞规则推定）; and the
    feature's existence with its basis: 现状（2024-11起）；…."""
    mentions = [
        {
            **m,
            **{
                f"state_{lang}": dated(state_text(m.get("exists"), m["status"], m.get("action"), lang), plans[m["plan"]], lang)
                for lang in ("zh", "en")
            },
            **{f"phase_{lang}": phase_text(m["phase"], m.get("phase_basis"), lang) for lang in ("zh", "en")},
        }
        for m in props["mentions"]
    ]
    existence = {f"existence_{lang}": existence_text(props, lang) for lang in ("zh", "en")}
    return {**props, "mentions": mentions, **existence}


def _fields(record: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: record[name] for name in names if record.get(name) not in (None, [], "")}


def card_texts(data: MapData) -> dict[str, dict[str, Any]]:
    """Each feature's card text by id; its mentions in the order of the map file's."""
    cards = {}
    for feature in data.features:
        props = _with_display_text(feature["properties"], data.plans)
        cards[props["id"]] = {
            **_fields(props, CARD_FIELDS),
            "mentions": [_fields(m, CARD_MENTION_FIELDS) for m in props["mentions"]],
        }
    return cards


def _map_properties(props: dict[str, Any]) -> dict[str, Any]:
    return {**_fields(props, MAP_FIELDS), "mentions": [_fields(m, MAP_MENTION_FIELDS) for m in props["mentions"]]}


def browser_catalogue(data: MapData, gcj02: bool = False, cards: str | dict[str, Any] | None = None) -> dict[str, Any]:
    """The map's catalogue for the browser; with gcj02=True every coordinate is shifted for AMap tiles.
    `cards` is where the card text is: the cards file's name beside this one, or the texts themselves
    (card_texts; inline, for a saved page)."""
    features = []
    for feature in data.features:
        props = feature["properties"]
        geom = data.geometries[props["id"]]
        features.append(
            {
                "properties": _map_properties(props),
                "geometry": _geometry(geom, gcj02),
                "label": [*_label_anchor(geom, gcj02), label_min_zoom(geom), label_priority(geom), label_angle(geom)],
                **feature_theming(props, feature["geometry"]["type"]),
            }
        )
    catalog = data.catalog
    return {
        "crs": "GCJ-02" if gcj02 else "WGS84",
        "plans": [data.plans[p] for p in data.plan_order],  # most recent last: the drawn status's order
        "phase_bases": catalog.get("phase_bases", []),
        "existence": catalog.get("existence", []),
        "actions": catalog.get("actions", []),
        "phases": catalog["phases"],
        "statuses": catalog["statuses"],
        "themes": catalog["themes"],
        "layers": sorted(catalog["layers"], key=lambda layer: layer["order"]),
        "kinds": {term.id: {"zh": term.zh, "en": term.en} for term in KIND_TERMS},
        "style_defaults": DEFAULTS,
        "context_kinds": list(CONTEXT_KINDS),
        "text": BROWSER_TEXT,
        "symbols": symbols_table(),
        "map_themes": themes_table(),
        "base": _shifted_base(gcj02),
        "features": features,
        "cards": cards if cards is not None else card_texts(data),
    }


def _shifted_base(gcj02: bool) -> dict[str, Any]:
    base = base_layers()
    if gcj02:
        for collection in base.values():
            for feature in collection["features"]:
                feature["geometry"] = _geometry(shape(feature["geometry"]), True)
    return base


def encode(catalogue: dict[str, Any]) -> bytes:
    return json.dumps(catalogue, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def write_cards(data: MapData, static_dir: Path) -> str:
    """Write the cards file under static_dir/catalog/ (if not there yet); returns its name."""
    return _write_hashed(encode(card_texts(data)), static_dir, "cards")


def write_catalogue(data: MapData, static_dir: Path, gcj02: bool = False, cards: str | None = None) -> str:
    """Write the catalogue under static_dir/catalog/ (if not there yet), naming the cards file `cards`
    (written here when not given); returns the catalogue's path below static_dir."""
    cards = cards or write_cards(data, static_dir)
    return f"{CATALOG_SUBDIR}/" + _write_hashed(
        encode(browser_catalogue(data, gcj02, cards=cards)), static_dir, "gcj02" if gcj02 else "wgs84"
    )


def _write_hashed(content: bytes, static_dir: Path, variant: str) -> str:
    """Write content as catalog/<variant>-<hash>.json unless it is there; returns the file's name."""
    name = f"{variant}-{hashlib.sha256(content).hexdigest()[:16]}.json"
    folder = static_dir / CATALOG_SUBDIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if not path.is_file():
        tmp = path.with_suffix(f".{os.getpid()}.tmp")  # replicas may write the same file at once
        tmp.write_bytes(content)
        os.utime(tmp, (IMMUTABLE_MTIME, IMMUTABLE_MTIME))
        tmp.replace(path)
    _forget_earlier(folder, variant, path)
    return name


def _forget_earlier(folder: Path, variant: str, current: Path) -> None:
    """Delete the catalogues of all but the KEEP_EARLIER most recently written earlier builds."""

    def written(file: Path) -> float:
        try:
            return file.stat().st_ctime  # mtime is pinned (IMMUTABLE_MTIME); ctime is when it was written
        except FileNotFoundError:  # another replica removed it meanwhile
            return 0.0

    earlier = sorted((f for f in folder.glob(f"{variant}-*.json") if f != current), key=written, reverse=True)
    for old in earlier[KEEP_EARLIER:]:
        old.unlink(missing_ok=True)
