"""Shared fixtures: the committed layers as users see them, and a scratch copy of the sources."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.paths import META_DIR, OUTPUT_DIR

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def built_features() -> dict[str, dict]:
    """Every feature of data/geojson/*.geojson by id (the committed build output)."""
    features = {}
    for path in sorted(OUTPUT_DIR.glob("*.geojson")):
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            features[feature["properties"]["id"]] = feature
    return features


@pytest.fixture(scope="session")
def geom(built_features):
    """Look up a committed feature's shapely geometry by id."""

    def lookup(feature_id: str) -> BaseGeometry:
        return shape(built_features[feature_id]["geometry"])

    return lookup


@pytest.fixture(scope="session")
def data():
    """The built layers as the app reads them."""
    from geo.sources.mapdata import load_map_data

    return load_map_data()


@pytest.fixture(scope="session")
def everything(data):
    """A selection of every plan, phase, status and layer."""
    from geo.query.selection import Selection

    return Selection.everything(data)


@pytest.fixture()
def source_dir(tmp_path: Path) -> Path:
    """A scratch layers/ folder holding only meta/ (plans and rules); tests add their own layer files."""
    layers = tmp_path / "layers"
    shutil.copytree(META_DIR, layers / "meta")
    return layers


@pytest.fixture(scope="session")
def plan_texts() -> dict[str, str]:
    """Each plan's text with whitespace removed, as quotes are matched."""
    from geo.sources.catalogue import load_catalogue

    return {plan_id: plan.normalised_text for plan_id, plan in load_catalogue().plans.items()}


# Browser tests share one app server and one Chromium for the whole run.
@pytest.fixture(scope="session")
def app_url():
    from tests.browser import running_app

    with running_app() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_ARGS, chromium_executable

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    """A fresh page that records every request it makes (to check nothing leaves the local server)."""
    context = browser.new_context(viewport={"width": 1500, "height": 950}, locale="zh-CN")
    page = context.new_page()
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    yield page
    context.close()


@pytest.fixture(scope="session")
def served():
    """`python -m geo.serve` on a free loopback port, for the service tests; stopped after them."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "geo.serve", "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):  # up to a minute: pygeoapi builds its configuration first
            try:
                urllib.request.urlopen(f"{base}/collections?f=json", timeout=2).close()
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError(server.stderr.read().decode()) from None
                time.sleep(0.25)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
