"""Serving an office (deploy/): nginx in front of two replicas, started by deploy/local.sh, keeps each browser
session on one replica, and restarting a replica leaves the other's sessions alone. The Dockerfile and the
systemd unit are checked as files: no Docker engine here, and no systemd to start units."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from geo.paths import ROOT
from tests.browser import TIMEOUT_MS, free_port

DEPLOY = ROOT / "deploy"
LOCAL = DEPLOY / "local.sh"
NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
needs_nginx = pytest.mark.skipif(
    NGINX is None, reason="nginx is not installed (Debian: apt-get install nginx; .ci/run installs it)"
)
COUNT = re.compile(r"当前显示 (\d+) 个要素（共 (\d+) 个）")  # geo/i18n.py "shown"
LOG_LINE = re.compile(r'"(?:GET|POST|PUT|HEAD) (\S+) [^"]*" \d+ \d+ route=(\S+) replica=(\S+)')


# --- nginx in front of two replicas ---------------------------------------------------------------------


@dataclass
class Office:
    url: str
    ports: list[int]
    run_dir: Path
    env: dict[str, str]

    def local(self, *args: str) -> None:
        subprocess.run([str(LOCAL), *args], env=self.env, check=True, timeout=240)

    def requests(self) -> dict[str, list[tuple[str, str]]]:
        """(path, replica) of each request nginx passed on, by route cookie."""
        by_route = defaultdict(list)
        for line in (self.run_dir / "nginx" / "logs" / "access.log").read_text().splitlines():
            found = LOG_LINE.search(line)
            if found and found.group(3) != "-":  # "-": a static file nginx served itself
                by_route[found.group(2)].append((found.group(1), found.group(3)))
        return by_route


@dataclass
class Session:
    context: object
    page: object
    replica: str  # HOST:PORT of the replica that served the page
    sockets: list = field(default_factory=list)

    @property
    def route(self) -> str:
        return next(c["value"] for c in self.context.cookies() if c["name"] == "planmap_route")

    def streams(self) -> list:
        return [ws for ws in self.sockets if ws.url.endswith("/_stcore/stream")]


def distinct_free_ports(count: int) -> list[int]:
    ports: set[int] = set()
    while len(ports) < count:
        ports.add(free_port())
    return sorted(ports)


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    port, *replicas = distinct_free_ports(3)
    run_dir = tmp_path_factory.mktemp("office")
    env = {
        **os.environ,
        "PLANMAP_PORT": str(port),
        "PLANMAP_PORTS": " ".join(map(str, replicas)),
        "PLANMAP_RUN_DIR": str(run_dir),
        "PLANMAP_PYTHON": sys.executable,
    }
    office = Office(f"http://127.0.0.1:{port}", replicas, run_dir, env)
    try:
        office.local("start")
        yield office
    finally:
        subprocess.run([str(LOCAL), "stop"], env=env, timeout=120)


def open_session(browser, url: str) -> Session:
    context = browser.new_context(viewport={"width": 1500, "height": 950}, locale="zh-CN")
    page = context.new_page()
    sockets: list = []
    page.on("websocket", lambda ws: sockets.append(ws))
    response = page.goto(url)
    return Session(context, page, response.headers["x-planmap-replica"], sockets)


def shown_count(page, done) -> tuple[int, int]:
    """(shown, total) from the sidebar's count once done(shown) holds."""
    deadline = page.evaluate("Date.now()") + TIMEOUT_MS
    while page.evaluate("Date.now()") < deadline:
        found = COUNT.search(page.locator('[data-testid="stSidebar"]').inner_text())
        if found and done(int(found.group(1))):
            return int(found.group(1)), int(found.group(2))
        page.wait_for_timeout(250)
    raise AssertionError("the sidebar never showed the expected feature count")


def remove_plan(page, title: str) -> None:
    page.get_by_role("button", name=re.compile(f"^Remove {title}")).click()


def replica_asked(page) -> str:
    """The replica that answers this page's own requests now (they carry its route cookie)."""
    return page.evaluate("fetch('/_stcore/health').then(r => r.headers.get('x-planmap-replica'))")


@needs_nginx
def test_sessions_stay_on_their_replica_and_a_restart_leaves_the_other_alone(office, browser):
    sessions: dict[str, Session] = {}
    for _ in range(16):  # routes are random: two sessions land on different replicas half of the time
        session = open_session(browser, f"{office.url}/?basemap=none")
        if session.replica in sessions:
            session.context.close()
            continue
        sessions[session.replica] = session
        if len(sessions) == 2:
            break
    assert sorted(sessions) == [f"127.0.0.1:{p}" for p in office.ports], "16 sessions never reached both replicas"
    a, b = sessions.values()

    for session in (a, b):  # each paints and filters
        shown, total = shown_count(session.page, lambda n: n > 0)
        assert shown == total > 400
        remove_plan(session.page, "广东省委")
        assert 0 < shown_count(session.page, lambda n, total=total: n < total)[0] < total
        assert session.page.locator('[data-testid="stException"]').count() == 0
        assert replica_asked(session.page) == session.replica
        assert len(session.streams()) == 1

    b.page.goto("about:blank")  # b leaves; its replica restarts
    office.local("restart-replica", str(office.ports.index(int(b.replica.rsplit(":", 1)[1])) + 1))

    before, _ = shown_count(a.page, lambda n: True)
    remove_plan(a.page, "横琴粤澳深度合作区总体发展规划")  # a's session kept its filter and still answers
    assert shown_count(a.page, lambda n: n < before)[0] < before
    assert replica_asked(a.page) == a.replica
    assert len(a.streams()) == 1 and not a.streams()[0].is_closed(), "a's websocket was interrupted"

    response = b.page.goto(f"{office.url}/?basemap=none")  # b comes back to its restarted replica, afresh
    assert response.headers["x-planmap-replica"] == b.replica
    shown, total = shown_count(b.page, lambda n: n > 0)
    assert shown == total

    routes = {a.route: a.replica, b.route: b.replica}
    a.context.close()
    b.context.close()  # websockets are logged when they close
    requests = wait_for_streams(office, routes)
    for route, replica in routes.items():
        assert {r for _, r in requests[route]} == {replica}, f"a request of session {route} went elsewhere"


def wait_for_streams(office: Office, routes: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    for _ in range(40):
        requests = office.requests()
        if all(any(path.endswith("/_stcore/stream") for path, _ in requests[route]) for route in routes):
            return requests
        time.sleep(0.25)
    raise AssertionError("nginx's log never showed both sessions' websockets")


@needs_nginx
def test_static_files_are_served_by_nginx_with_long_lives_for_hashed_names(office):
    vendor = next((ROOT / "static" / "vendor").glob("*-leaflet.js")).name
    with urllib.request.urlopen(f"{office.url}/app/static/vendor/{vendor}") as response:
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["Content-Type"] == "application/javascript"
        assert "X-Planmap-Replica" not in response.headers  # from disk, no replica involved


def test_site_configuration_for_a_server_lists_the_replicas_given():
    env = {**os.environ, "PLANMAP_UPSTREAMS": "10.0.0.11:8501 10.0.0.12:8501", "PLANMAP_LISTEN": "80"}
    site = subprocess.run([str(LOCAL), "site"], env=env, check=True, capture_output=True, text=True).stdout
    assert "@" not in re.sub(r"#.*", "", site), "a placeholder was left unfilled"
    assert "server 10.0.0.11:8501 " in site and "server 10.0.0.12:8501 " in site
    assert "listen 80;" in site and f"alias {ROOT}/static/vendor/;" in site
    assert "hash $planmap_route consistent;" in site


# --- the Dockerfile and the systemd unit ----------------------------------------------------------------


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n\s*", " ", (DEPLOY / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def test_dockerfile_builds_a_slim_non_root_image_with_assets_and_a_health_check():
    steps = dockerfile()
    kinds = [kind for kind, _ in steps]
    assert steps[0] == ("FROM", "python:3.11-slim")
    assert ("RUN", "pip install --no-cache-dir -r requirements.txt") in steps
    user = kinds.index("USER")
    assert steps[user][1] not in ("root", "0")
    assert steps.index(("RUN", "python -m geo.web.offline")) > user  # written by the user that runs the app
    for kind, args in steps:
        if kind == "COPY":
            sources = [a for a in args.split() if not a.startswith("--")][:-1]
            assert all((ROOT / s).exists() for s in sources), args
    health = next(args for kind, args in steps if kind == "HEALTHCHECK")
    command = json.loads(health.split("CMD", 1)[1])
    assert command[:2] == ["python", "-c"] and "http://127.0.0.1:8501/_stcore/health" in command[2]
    compile(command[2], "HEALTHCHECK", "exec")
    assert ("EXPOSE", "8501") in steps
    cmd = json.loads(next(args for kind, args in steps if kind == "CMD"))
    assert cmd[:3] == ["streamlit", "run", "app.py"] and cmd[cmd.index("--server.port") + 1] == "8501"
    assert kinds[-1] == "CMD" and user < kinds.index("CMD")


def test_dockerignore_keeps_what_the_app_needs():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines() if line.strip()[:1] not in ("", "#")}
    needed = {"app.py", "navigation.py", "geo", "pages", "data", "layers", ".streamlit", "requirements.txt"}
    assert not ignored & needed


def test_systemd_unit_runs_one_replica_per_port_as_its_own_user(tmp_path):
    unit = (DEPLOY / "planmap@.service").read_text()
    service = dict(line.split("=", 1) for line in unit.split("[Service]")[1].split("[Install]")[0].splitlines() if "=" in line)
    start = shlex.split(service["ExecStart"])
    assert start[0].endswith("/.venv/bin/streamlit") and start[1:3] == ["run", "app.py"]
    assert start[start.index("--server.port") + 1] == "%i"
    assert service["User"] == "planmap" and service["Restart"] == "on-failure" and service["MemoryMax"]
    assert service["WorkingDirectory"] == "/srv/planmap"
    if shutil.which("systemd-analyze") is None:
        return  # the unit's syntax is then checked by the assertions above only
    copy = tmp_path / "planmap@8501.service"
    copy.write_text(unit)
    result = subprocess.run(["systemd-analyze", "verify", str(copy)], capture_output=True, text=True)
    complaints = [line for line in result.stderr.splitlines() if "is not executable" not in line]  # no /srv/planmap here
    assert complaints == []
