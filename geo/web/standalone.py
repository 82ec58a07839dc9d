"""The map as one HTML file to send: Leaflet, its plugins, the map's code, the selected features with
their quotes (the cards inline), and the legend, all inlined, so it opens from disk with no network and no server.

The same frontend as the app (frontend/planmap.js) runs it: the file hands it the state Python would
send, with the catalogue inlined instead of a URL, no tiles (the admin boundaries and the island outline
are the background) and no link to the register (there is no server to open it).
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from geo.query.citations import source_note
from geo.query.selection import Selection, select
from geo.sources.mapdata import MapData
from geo.style.basemaps import basemap
from geo.web.assets import FRONTEND, cdn_urls
from geo.web.catalogue_file import CONTEXT_KINDS, browser_catalogue
from geo.web.offline import asset_content
from geo.web.state import MapView, map_state

INLINE_URL = "inline:catalogue"


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no "</" can close it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def _script(code: str) -> str:
    return "<script>" + code.replace("</script", "<\\/script") + "</script>"


def standalone_html(
    data: MapData,
    selection: Selection,
    view: MapView,
    lang: str = "zh",
    title: str = "",
    metadata: dict[str, Any] | None = None,
    theme: str | None = None,
) -> str:
    """The page; `metadata` (the export's record) is kept in it as JSON for whoever reads the file later."""
    shown = select(data, selection)
    keep = {s.id for s in shown}
    catalogue = browser_catalogue(data)
    catalogue["features"] = [
        f for f in catalogue["features"] if f["properties"]["id"] in keep or f["properties"]["kind"] in CONTEXT_KINDS
    ]
    drawn = {f["properties"]["id"] for f in catalogue["features"]}
    catalogue["cards"] = {fid: card for fid, card in catalogue["cards"].items() if fid in drawn}
    heading = title or ("横琴与珠西规划图" if lang == "zh" else "Hengqin & Pearl River West Bank plan map")
    state = map_state(
        static_url="",
        catalogue_path=INLINE_URL,
        assets={"js": [], "css": []},
        selection=selection,
        lang=lang,
        theme=theme,
        basemap=basemap("none"),
        tiles=(),
        view=view,
        present=False,
        title=heading,
        source_note=source_note(data, {s.mention["plan"] for s in shown}, lang),
    )
    state["catalogue"] = INLINE_URL
    state["standalone"] = True
    js, css = cdn_urls()
    styles = "\n".join(asset_content(url) for url in css) + "\n" + (FRONTEND / "planmap.css").read_text(encoding="utf-8")
    body = (FRONTEND / "index.html").read_text(encoding="utf-8")
    page_body = body[body.index("<body>") + len("<body>") : body.index('<script src="planmap.js">')]
    return "\n".join(
        [
            "<!doctype html>",
            f'<html lang="{"zh" if lang == "zh" else "en"}">',
            '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(heading)}</title>",
            "<style>html,body{height:100%;margin:0}\n" + styles.replace("</style", "<\\/style") + "</style>",
            f'<script type="application/json" id="planmap-metadata">{_script_json(metadata or {})}</script>',
            "</head><body>",
            page_body,
            *(_script(asset_content(url)) for url in js),
            _script(f"window.PLANMAP_INLINE = {{{json.dumps(INLINE_URL)}: {_script_json(catalogue)}}};"),
            _script((FRONTEND / "planmap.js").read_text(encoding="utf-8")),
            _script(f'window.postMessage({{type: "streamlit:render", args: {{state: {_script_json(state)}}}}}, "*");'),
            "</body></html>",
        ]
    )
