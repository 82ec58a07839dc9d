"""Server memory stays bounded: 50 sessions that each upload a file and leave give their memory back (issue 16)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from geo.ui.session_end import GRACE_S
from tests.browser import open_map, redrawn_ids, running_server

SESSIONS = 50
POLYGONS = 300
TOLERANCE = 0.20  # RSS after all sessions left, over the level after the warm-up session
SESSION_TTL_S = 5  # how long a left session may come back (config.toml sets the served value)
SETTLE_S = 60  # for the sessions to be dropped and their memory given back


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def parcels(seed: int) -> bytes:
    """A GeoJSON of POLYGONS small squares, different per session (so no session reuses another's reading)."""
    side = 0.0006
    features = []
    for i in range(POLYGONS):
        x, y = 113.44 + (i % 20) * side, 22.07 + (i // 20) * side + seed * 0.00001
        ring = [[x, y], [x + side * 0.8, y], [x + side * 0.8, y + side * 0.8], [x, y + side * 0.8], [x, y]]
        features.append(
            {"type": "Feature", "properties": {"n": f"{seed}-{i}"}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
        )
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def upload_session(browser, url: str, seed: int) -> None:
    context = browser.new_context(viewport={"width": 1500, "height": 950}, locale="zh-CN")
    try:
        page = context.new_page()
        open_map(page, url)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            files=[{"name": f"parcels-{seed}.geojson", "mimeType": "application/octet-stream", "buffer": parcels(seed)}]
        )
        redrawn_ids(page, lambda ids: sum(i.startswith("user-") for i in ids) == POLYGONS)
    finally:
        context.close()


def settled_rss(pid: int, limit_mb: float) -> float:
    """RSS once it is at or under limit_mb, or after SETTLE_S, whichever comes first."""
    deadline = time.monotonic() + SETTLE_S
    while (rss := rss_mb(pid)) > limit_mb and time.monotonic() < deadline:
        time.sleep(1)
    return rss


def test_fifty_upload_sessions_give_their_memory_back(browser):
    env = {"STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(SESSION_TTL_S)}
    with running_server(env=env) as app:
        url = f"{app.url}/?basemap=none&view=hengqin&layer=hq-structure"
        at_rest = rss_mb(app.pid)
        upload_session(browser, url, 0)  # warm-up: the data, caches and reader pool every session shares
        time.sleep(SESSION_TTL_S + GRACE_S + 5)  # until it is closed and its memory given back
        warm = rss_mb(app.pid)
        started = time.monotonic()
        peak = warm
        for seed in range(1, SESSIONS):
            upload_session(browser, url, seed)
            peak = max(peak, rss_mb(app.pid))
        took = time.monotonic() - started
        after = settled_rss(app.pid, warm * (1 + TOLERANCE))
        print(
            f"\nRSS MB: at rest {at_rest:.0f}, after warm-up {warm:.0f}, peak {peak:.0f}, "
            f"after {SESSIONS} sessions {after:.0f}; {SESSIONS - 1} sessions in {took:.0f} s"
        )
        assert after <= warm * (1 + TOLERANCE), f"RSS {after:.0f} MB after {SESSIONS} sessions, {warm:.0f} MB after one"
