"""Real-browser test support: find a Chromium, run the app on a free local port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

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


@contextmanager
def running_app(env: dict[str, str] | None = None, script: Path = ROOT / "app.py"):
    """Start `streamlit run <script>` on a free localhost port; yields its base URL."""
    port = free_port()
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"planmap-app-{port}.log"
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
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
