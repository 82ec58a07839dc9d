"""Real-browser test support: find a Chromium, run the app on a free local port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Error as PlaywrightError

from geo.paths import ROOT

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-dev-shm-usage",  # containers often give /dev/shm 64 MB, too little for a long session's renderers
]
NO_CHROMIUM = (
    "No Chromium found for the browser tests. Install one of: the system package "
    "(Debian/Ubuntu: `apt-get install chromium`), or Playwright's build (`python -m playwright install chromium`); "
    "or point CHROMIUM_PATH at a Chromium/Chrome binary."
)


def chromium_executable() -> str:
    for candidate in (os.environ.get("CHROMIUM_PATH"), shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            own = p.chromium.executable_path
        if own and Path(own).exists():
            return own
    except Exception:  # any failure here just means "not installed"
        pass
    pytest.fail(NO_CHROMIUM, pytrace=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Server:
    url: str
    pid: int  # the Streamlit process, for benchmarks that read its CPU and memory from /proc


APP_LOGS: list[Path] = []  # the logs of the apps running now, newest last: quoted when a page fails to draw


@contextmanager
def running_app(env: dict[str, str] | None = None, script: Path = ROOT / "app.py"):
    """Start `streamlit run <script>` on a free localhost port; yields its base URL."""
    with running_server(env, script) as server:
        yield server.url


@contextmanager
def running_server(env: dict[str, str] | None = None, script: Path = ROOT / "app.py"):
    """Start `streamlit run <script>` on a free localhost port; yields its URL and process id."""
    port = free_port()
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"planmap-app-{port}.log"
    APP_LOGS.append(log)
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(script),
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                "--server.enableStaticServing",
                "true",
            ],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the app did not start; see {log}:\n{log.read_text()[-2000:]}")
                time.sleep(0.3)
            yield Server(base, process.pid)
        finally:
            APP_LOGS.remove(log)
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


# Finding the map in a page: one component iframe that lives across reruns (geo/web/frontend). Inside it,
# `planMap` is the Leaflet map, and the body's data-renders / data-drawn count completed renders and the
# features they drew.
MAP_FRAME = 'iframe[title*="plan_map"]'
TIMEOUT_MS = 60_000


def open_map(page, url: str):
    """Load the app and return the map's frame once features are painted. The frame is looked up again
    while waiting (a locator), so a map iframe that is replaced during the first run is still found. When
    nothing is drawn in time, the page is loaded once more, as a user would, and a warning says what the page,
    the browser and the app reported (a CI machine once drew nothing on one first load it could not explain);
    a second load that draws nothing fails the test with both reports."""
    reports: list[str] = []
    for _attempt in range(2):
        try:
            return _load_map(page, url)
        except AssertionError as report:
            reports.append(str(report))
            warnings.warn(f"the map drew nothing; loading it again. {report}", stacklevel=2)
    raise AssertionError("\n\n".join(reports))


def _load_map(page, url: str):
    problems: list[str] = []

    def on_console(message) -> None:
        if message.type == "error":
            problems.append(f"console error: {message.text[:300]}")

    def on_response(response) -> None:
        if response.status >= 400:
            problems.append(f"HTTP {response.status} {response.url}")

    def on_failed(request) -> None:
        problems.append(f"request failed ({request.failure}): {request.url}")

    def on_crash(_page) -> None:
        problems.append("the page's renderer crashed")

    listeners = {"console": on_console, "response": on_response, "requestfailed": on_failed, "crash": on_crash}
    for event, listener in listeners.items():
        page.on(event, listener)
    try:
        page.goto(url)
        drawn = page.frame_locator(MAP_FRAME).locator("body[data-drawn]:not([data-drawn='0'])")
        try:
            drawn.wait_for(state="attached", timeout=TIMEOUT_MS)
        except PlaywrightError:
            raise AssertionError(_not_drawn(page, url, problems)) from None
    finally:
        for event, listener in listeners.items():
            page.remove_listener(event, listener)
    return page.wait_for_selector(MAP_FRAME, state="attached", timeout=TIMEOUT_MS).content_frame()


def _not_drawn(page, url: str, problems: list[str]) -> str:
    frames = [f"{frame.name or '-'} {frame.url[:120]}" for frame in page.frames]
    try:
        state = page.frame_locator(MAP_FRAME).locator("body").evaluate("b => JSON.stringify(b.dataset)", timeout=2000)
    except PlaywrightError as error:
        state = f"unreadable ({str(error).splitlines()[0]})"
    log = APP_LOGS[-1].read_text(errors="replace")[-3000:] if APP_LOGS and APP_LOGS[-1].exists() else "(no app log)"
    return "\n".join(
        [
            f"the map drew nothing within {TIMEOUT_MS // 1000} s at {url}",
            f"map frame body data: {state}",
            "frames: " + " | ".join(frames),
            *problems[-20:],
            "app log (tail):",
            log,
        ]
    )


def map_frame(page, ready: str = ".leaflet-interactive"):
    """The map's frame once `ready` matches in it."""
    frame = page.wait_for_selector(MAP_FRAME, state="attached", timeout=TIMEOUT_MS).content_frame()
    frame.wait_for_selector(ready, state="attached", timeout=TIMEOUT_MS)
    return frame


def renders(frame) -> int:
    return int(frame.evaluate("+(document.body.dataset.renders || 0)"))


def drawn_ids(frame) -> set[str]:
    return set(
        frame.evaluate(
            "(() => { const ids = []; planMap.eachLayer(l => { if (l.feature && l.feature.properties.id)"
            " ids.push(l.feature.properties.id); }); return ids; })()"
        )
    )


def redrawn_ids(page, done) -> set[str]:
    """The drawn feature ids once `done(ids)` holds."""
    frame = map_frame(page, "#map")
    deadline = page.evaluate("Date.now()") + TIMEOUT_MS
    while page.evaluate("Date.now()") < deadline:
        try:
            ids = drawn_ids(frame)
        except PlaywrightError:
            ids = set()  # not ready yet
        if done(ids):
            return ids
        page.wait_for_timeout(250)
    raise AssertionError("the map was not redrawn")


def click_feature(frame, feature_id: str, at: tuple[float, float] | None = None) -> None:
    """Click a drawn feature as a user would (at `at`, lat/lon, or its first part's centre) and open its card:
    where several features lie under the click, the map lists them and the test picks this one."""
    frame.evaluate(
        "([id, at]) => { let done = false; planMap.eachLayer(l => {"
        " if (!done && l.feature && l.feature.properties.id === id) { done = true;"
        " l.fire('click', {latlng: at ? L.latLng(at) : l.getLatLng ? l.getLatLng() : l.getBounds().getCenter()}, true); } }); }",
        [feature_id, list(at) if at else None],
    )
    frame.wait_for_selector(".pm-popup, .pm-identify", timeout=TIMEOUT_MS)
    choice = frame.locator(f'.pm-identify a[data-id="{feature_id}"]')
    if choice.count():
        choice.click()


def map_view(frame) -> tuple[int, float, float]:
    return tuple(frame.evaluate("[planMap.getZoom(), planMap.getCenter().lat, planMap.getCenter().lng]"))


def outside_requests(page) -> list[str]:
    return [
        u
        for u in page.requested
        if urlparse(u).hostname not in ("127.0.0.1", "localhost", None) and not u.startswith(("data:", "blob:", "about:"))
    ]
