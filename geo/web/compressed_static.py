"""Static files sent compressed, each file compressed once per server: Streamlit's own frontend and the app's files.

Streamlit 1.67 sends its frontend bundle (/static/…, about 2.9 MB of JavaScript on a first open) uncompressed,
on purpose: compressing it again on every request would cost the server CPU each time. This middleware
compresses each file once and keeps the result in memory, so every later browser gets the stored bytes at no
CPU cost. The first request of a file gets gzip at once; Brotli, a quarter smaller again (and half the size of
gzip for the catalogue, whose region outlines repeat each other further apart than gzip's window reaches),
is made in the background, on one thread, and served from then on to browsers that accept it (Chromium asks
for it on HTTPS and localhost, only gzip over plain HTTP). The app's static folder (/app/static/: Leaflet, the
catalogue, overlays), which Streamlit would compress again on every request, goes the same way. Files keep
Streamlit's own headers (cache lifetimes, ETag, 304s); only what it answers 200 with a compressible type of a
reasonable size is compressed, everything else passes through untouched.
"""

from __future__ import annotations

import asyncio
import gzip
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import anyio
import brotli
import streamlit as st
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PATH_PREFIXES = ("/static/", "/app/static/")  # below the server's base URL path
COMPRESSIBLE_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")
MIN_BYTES = 1024  # smaller files gain less than the encoding's own overhead
MAX_BYTES = 16_000_000  # larger ones (a big upload's overlay) go as they are, not held in memory
CACHE_BYTES = 64_000_000  # compressed bytes kept, least recently used dropped first
GZIP_LEVEL = 9  # paid once per file: ~0.1 s for the 2 MB catalogue, while its first request waits
# Brotli's top quality finds the long repeats (the catalogue: 237 KB at 11 against 314 KB at 9) but takes seconds
# on a large file (~2 s for the catalogue), so it is never on a request's path: made in the background.
BROTLI_QUALITY = 11

Key = tuple[str, bytes, bytes]  # path, ETag, length: a changed file is a new entry
Headers = list[tuple[bytes, bytes]]


@dataclass(frozen=True)
class Encoded:
    body: bytes
    headers: Headers


def _header(headers: Headers, name: bytes) -> bytes:
    return next((value for key, value in headers if key.lower() == name), b"")


def accepted(headers: Headers) -> tuple[str, ...]:
    """The encodings we make that the request accepts, best first."""
    names = {part.split(";")[0].strip() for part in _header(headers, b"accept-encoding").decode("latin-1").lower().split(",")}
    return tuple(e for e in ("br", "gzip") if e in names)


def compressible(start: Message) -> bool:
    headers = start["headers"]
    kind = _header(headers, b"content-type").decode("latin-1")
    size = _header(headers, b"content-length")
    return (
        start["status"] == 200
        and not _header(headers, b"content-encoding")
        and kind.startswith(COMPRESSIBLE_TYPES)
        and size.isdigit()
        and MIN_BYTES <= int(size) <= MAX_BYTES
    )


def encoded(start: Message, body: bytes, encoding: str) -> Encoded:
    """The body in that encoding, with Streamlit's headers adjusted to it."""
    if encoding == "br":
        packed = brotli.compress(body, quality=BROTLI_QUALITY)
    else:
        packed = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
    kept = [(k, v) for k, v in start["headers"] if k.lower() not in (b"content-length", b"vary")]
    extra = [(b"content-encoding", encoding.encode()), (b"content-length", str(len(packed)).encode())]
    return Encoded(packed, [*kept, *extra, (b"vary", b"Accept-Encoding")])


class Store:
    """Compressed files by key and encoding, least recently used dropped past CACHE_BYTES."""

    def __init__(self) -> None:
        self.entries: OrderedDict[Key, dict[str, Encoded]] = OrderedDict()
        self.size = 0

    def best(self, key: Key, encodings: tuple[str, ...]) -> Encoded | None:
        kept = self.entries.get(key, {})
        found = next((kept[e] for e in encodings if e in kept), None)
        if found:
            self.entries.move_to_end(key)
        return found

    def has(self, key: Key, encoding: str) -> bool:
        return encoding in self.entries.get(key, {})

    def add(self, key: Key, encoding: str, entry: Encoded) -> None:
        if self.has(key, encoding):
            return  # two first requests at once: keep the first
        self.entries.setdefault(key, {})[encoding] = entry
        self.entries.move_to_end(key)
        self.size += len(entry.body)
        while self.size > CACHE_BYTES and len(self.entries) > 1:
            _, dropped = self.entries.popitem(last=False)
            self.size -= sum(len(e.body) for e in dropped.values())


class CompressedStatic:
    """ASGI middleware: static GET requests that accept br or gzip get the file compressed, once per file."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.store = Store()
        self.pending: set[Key] = set()  # Brotli being made
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="compress")  # one core at most

    def _prefixes(self) -> tuple[str, ...]:
        base = (st.get_option("server.baseUrlPath") or "").strip("/")
        return tuple(f"/{base}{p}" if base else p for p in PATH_PREFIXES)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        wanted = scope["type"] == "http" and scope["method"] == "GET" and scope["path"].startswith(self._prefixes())
        encodings = accepted(scope["headers"]) if wanted else ()
        if not encodings:
            await self.app(scope, receive, send)
            return
        # Ask Streamlit for the plain file (so that its own gzip does not compress it again), compress here.
        plain = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"]}
        response: dict = {"mode": "", "chunks": []}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                key = (scope["path"], _header(message["headers"], b"etag"), _header(message["headers"], b"content-length"))
                response.update(key=key, start=message)
                stored = self.store.best(key, encodings) if compressible(message) else None
                if not compressible(message):
                    response["mode"] = "pass"
                    await send(message)
                elif stored:
                    response["mode"] = "stored"  # sent now; Streamlit's copy that follows is dropped
                    await self._send(send, stored)
                else:
                    response["mode"] = "collect"
            elif response["mode"] == "pass":
                await send(message)
            elif response["mode"] == "collect" and message["type"] == "http.response.body":
                response["chunks"].append(message.get("body", b""))
                if not message.get("more_body", False):
                    await self._first(send, response["key"], response["start"], b"".join(response["chunks"]), encodings)

        await self.app(plain, receive, capture)

    async def _first(self, send: Send, key: Key, start: Message, body: bytes, encodings: tuple[str, ...]) -> None:
        """A file not stored yet: gzip it now (or send it plain), and have Brotli made for the next request."""
        if "gzip" in encodings:
            entry = await anyio.to_thread.run_sync(encoded, start, body, "gzip")
            self.store.add(key, "gzip", entry)
            await self._send(send, entry)
        else:
            await send(start)
            await send({"type": "http.response.body", "body": body, "more_body": False})
        if key not in self.pending and not self.store.has(key, "br"):
            self.pending.add(key)
            done = asyncio.get_running_loop().run_in_executor(self.worker, encoded, start, body, "br")
            done.add_done_callback(lambda future: self._made(key, future))

    def _made(self, key: Key, future: asyncio.Future) -> None:
        self.pending.discard(key)
        if not future.cancelled() and future.exception() is None:
            self.store.add(key, "br", future.result())

    @staticmethod
    async def _send(send: Send, entry: Encoded) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": entry.headers})
        await send({"type": "http.response.body", "body": entry.body, "more_body": False})
