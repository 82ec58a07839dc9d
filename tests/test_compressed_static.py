"""Static files compressed once per server (geo.web.compressed_static), driven as ASGI without a server."""

from __future__ import annotations

import asyncio
import gzip
from concurrent.futures import ThreadPoolExecutor

import brotli
import pytest

from geo.web.compressed_static import CompressedStatic, accepted

BODY = b"const x = 'the same words again and again';\n" * 2000


def run_apart(coroutine):
    """Run a coroutine on its own loop in its own thread: the browser tests' Playwright keeps a loop running in
    this one, where asyncio.run refuses to start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def file_app(body: bytes = BODY, kind: bytes = b"application/javascript", status: int = 200):
    """A stand-in for Streamlit's static route: the file in chunks, with its ETag; counts its calls."""
    calls = []

    async def app(scope, receive, send):
        calls.append(dict(scope["headers"]))
        headers = [(b"content-type", kind), (b"etag", b'"v1"'), (b"cache-control", b"max-age=31536000")]
        if status == 304:
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        await send(
            {"type": "http.response.start", "status": status, "headers": [*headers, (b"content-length", str(len(body)).encode())]}
        )
        for i in range(0, len(body), 16_384):
            await send({"type": "http.response.body", "body": body[i : i + 16_384], "more_body": i + 16_384 < len(body)})

    return app, calls


async def request(middleware, path: str = "/static/js/index.js", encoding: str = "gzip, deflate, br") -> tuple[int, dict, bytes]:
    sent = []

    async def receive():
        return {"type": "http.request"}

    async def send(message):
        sent.append(message)

    headers = [(b"accept-encoding", encoding.encode())] if encoding else []
    await middleware({"type": "http", "method": "GET", "path": path, "headers": headers}, receive, send)
    start = sent[0]
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, b"".join(m.get("body", b"") for m in sent[1:])


def get(middleware, path: str = "/static/js/index.js", encoding: str = "gzip, deflate, br") -> tuple[int, dict, bytes]:
    return run_apart(request(middleware, path, encoding))


def test_the_first_request_gets_gzip_at_once_and_the_file_is_read_plain():
    app, calls = file_app()
    middleware = CompressedStatic(app)
    status, headers, body = get(middleware)
    assert status == 200 and headers["content-encoding"] == "gzip" and gzip.decompress(body) == BODY
    assert int(headers["content-length"]) == len(body) < len(BODY) / 10
    assert headers["etag"] == '"v1"' and headers["cache-control"] == "max-age=31536000"  # Streamlit's own headers
    assert headers["vary"] == "Accept-Encoding"
    assert b"accept-encoding" not in calls[0]  # Streamlit's own gzip never sees the request


def test_later_requests_get_the_stored_bytes_and_brotli_once_made():
    app, _ = file_app()
    middleware = CompressedStatic(app)

    async def visits():
        first = await request(middleware)
        while middleware.pending:  # Brotli is being made in the background
            await asyncio.sleep(0.01)
        return first, await request(middleware), await request(middleware, encoding="gzip")

    first, second, gzip_only = run_apart(visits())
    assert second[1]["content-encoding"] == "br" and brotli.decompress(second[2]) == BODY
    assert gzip_only[1]["content-encoding"] == "gzip" and gzip_only[2] == first[2]  # stored, not made again


@pytest.mark.parametrize(
    ("path", "kind", "status", "encoding"),
    [
        ("/static/media/font.woff2", b"font/woff2", 200, "gzip"),  # compressed already
        ("/static/js/index.js", b"application/javascript", 304, "gzip"),  # the browser has it
        ("/_stcore/health", b"text/plain", 200, "gzip"),  # not a static file
        ("/static/js/index.js", b"application/javascript", 200, ""),  # a client that takes no encoding
    ],
)
def test_what_is_not_worth_compressing_passes_through_untouched(path, kind, status, encoding):
    app, _ = file_app(kind=kind, status=status)
    status_sent, headers, body = get(CompressedStatic(app), path, encoding)
    assert status_sent == status and "content-encoding" not in headers
    assert body == (BODY if status == 200 else b"")


def test_small_files_and_the_app_static_folder():
    small, _ = file_app(body=b"x" * 100)
    assert "content-encoding" not in get(CompressedStatic(small))[1]
    catalogue, _ = file_app(kind=b"application/json")
    assert get(CompressedStatic(catalogue), "/app/static/catalog/wgs84-0.json")[1]["content-encoding"] == "gzip"


def test_accepted_encodings_best_first():
    assert accepted([(b"accept-encoding", b"gzip, deflate, br, zstd")]) == ("br", "gzip")
    assert accepted([(b"Accept-Encoding", b"gzip;q=1.0")]) == ("gzip",)
    assert accepted([]) == ()
