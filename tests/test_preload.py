"""Streamlit's page names the map's frontend code as modulepreload links (geo.web.preload), so the browser fetches
it with the main bundle instead of after the script's first message; a page without the chunks is left alone."""

from __future__ import annotations

import re
import urllib.request

from geo.web.preload import COMPONENT_CHUNKS, preload_links, with_preloads

PAGE = b"<html><head><title>Streamlit</title></head><body></body></html>"


def fetch(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read()


def test_each_chunk_found_once_is_linked_before_the_head_ends(tmp_path):
    for name in COMPONENT_CHUNKS:
        (tmp_path / f"{name}.Ab12.js").write_text("export{}")
    (tmp_path / "urls.Other.js").write_text("export{}")  # two candidates: no guess
    links = preload_links.__wrapped__(tmp_path)
    page = with_preloads(PAGE, links)
    linked = re.findall(rb'<link rel="modulepreload" crossorigin href="\./static/js/([^"]+)">', page)
    assert linked == [f"{name}.Ab12.js".encode() for name in COMPONENT_CHUNKS if name != "urls"]
    assert page.index(b"modulepreload") < page.index(b"</head>")


def test_without_the_chunks_the_page_is_unchanged(tmp_path):
    assert with_preloads(PAGE, preload_links.__wrapped__(tmp_path)) == PAGE


def test_every_page_of_the_app_preloads_the_component_code_that_the_server_serves(app_url):
    for path in ("/", "/register"):
        status, page = fetch(app_url + path)
        assert status == 200
        names = re.findall(rb'<link rel="modulepreload" crossorigin href="\./static/js/([^"]+)">', page)
        ours = [n.decode() for n in names if n.decode().split(".")[0] in COMPONENT_CHUNKS]
        assert len(ours) == len(COMPONENT_CHUNKS)  # this Streamlit release's chunks are all found
        for name in ours:
            assert fetch(f"{app_url}/static/js/{name}")[0] == 200
