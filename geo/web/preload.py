"""Streamlit's page with the map's frontend code asked for at once.

Streamlit's frontend loads the code of an element type the first time the script draws one: the custom
component's code (ComponentInstance and the chunks it imports) is asked for only when the map's first message
reaches the browser, queued behind the sidebar widgets' code, and the map's frame waits for it. Named in the page
as `modulepreload` links, these few small files download while the main bundle does, so the map's frame starts
sooner on a first open (bench/app_speed.py: open → first painted map). A Streamlit release whose chunks have other
names gets no links: the page is then served as Streamlit made it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import streamlit
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The component's code and the chunks it imports that the page does not already load (seen in Chromium's requests).
COMPONENT_CHUNKS = ("ComponentInstance", "IFrameUtil", "withCalculatedWidth", "urls")
STREAMLIT_JS = Path(streamlit.__file__).parent / "static" / "static" / "js"


@cache
def preload_links(js_dir: Path = STREAMLIT_JS) -> bytes:
    """<link rel="modulepreload"> for each chunk found exactly once (relative, as Streamlit's own links)."""
    links = []
    for name in COMPONENT_CHUNKS:
        found = sorted(js_dir.glob(f"{name}.*.js"))
        if len(found) == 1:
            links.append(f'<link rel="modulepreload" crossorigin href="./static/js/{found[0].name}">')  # as Streamlit's own
    return "".join(links).encode()


def with_preloads(page: bytes, links: bytes) -> bytes:
    return page.replace(b"</head>", links + b"</head>", 1) if links else page


class PreloadComponentCode:
    """ASGI middleware: adds the preload links to Streamlit's HTML page (index.html, at every page's path)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or _below_static(scope):
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        body = bytearray()

        async def rewrite(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                if _plain_html(message):
                    start = message  # held until the whole page is in
                    return
                await send(message)
            elif start is None:
                await send(message)
            else:
                body.extend(message.get("body", b""))
                if not message.get("more_body", False):
                    page = with_preloads(bytes(body), preload_links())
                    headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
                    await send({**start, "headers": [*headers, (b"content-length", str(len(page)).encode())]})
                    await send({"type": "http.response.body", "body": page})

        await self.app(scope, receive, rewrite)


def _below_static(scope: Scope) -> bool:
    """Files and endpoints, not pages: Streamlit's and the app's static files, components' own pages, _stcore."""
    return any(part in scope["path"] for part in ("/static/", "/component/", "/_stcore/"))


def _plain_html(start: Message) -> bool:
    headers = {k.lower(): v for k, v in start["headers"]}
    return (
        start["status"] == 200
        and headers.get(b"content-type", b"").startswith(b"text/html")
        and b"content-encoding" not in headers
    )
