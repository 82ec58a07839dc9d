"""Measure app.py against the naive baseline and the floor, in one run, in a real headless Chromium.

Apps: app.py; bench/naive_app.py (the same map written plainly: no caching, full geometry); and
bench/floor_app.py (the smallest Streamlit rerun: a multiselect of the four plans and a text). Each run
starts each app's server afresh, in turn (interleaved, the order rotating), so every app sees the same
machine load and every filter state is new to its server. Per run and app:

- warm: the server is started and the page opened once (caches filled, nothing measured), then left until
  its CPU time stands still for a second (work the first open started, such as compressing static files in
  the background, is done);
- first open: a new browser context opens the page; time from `goto` to the first painted map (the floor
  app: its text), and every byte that context receives until the page is quiet;
- reopen: a second tab of that context opens the page again; bytes of catalogue files (/app/static/catalog/)
  fetched from the server rather than the browser's cache, and all bytes;
- five filter changes in the first tab, each to a plan set the session has not shown before: click to
  final picture (a screenshot loop over the map, or the floor's text), bytes received, server CPU.

    python bench/app_speed.py [--runs 3] [--view prw-metro]
"""

from __future__ import annotations

import argparse
import base64
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright  # noqa: E402
from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from streamlit.proto.Alert_pb2 import Alert  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from bench.procstat import cpu_ms  # noqa: E402
from tests.browser import CHROMIUM_ARGS, chromium_executable, running_server  # noqa: E402

CATALOGUE = "/app/static/catalog/"
VIEWPORT = {"width": 1500, "height": 950}
PLAN_FILTER = "规划"  # the plan multiselect's label, in app.py (zh) and the floor app
SHOT = {"format": "jpeg", "quality": 80}  # a third of PNG's capture time; identical pixels give identical bytes
TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Probe:
    """How a page shows the map (the floor app: its text) — the part that changes with the map engine.

    `selector` finds the element whose picture is timed; the scripts run inside it when it is an iframe
    (`in_frame`), else in the page: `painted` says features are drawn, `count` gives what is drawn (a
    number, or the text), and `renders`, for a map that counts its finished renders, tells that a new
    state has been drawn. Without it, the end of the script run and the picture settling tell."""

    name: str
    selector: str
    in_frame: bool
    painted: str
    count: str
    renders: str | None = None


COMPONENT = Probe(
    "plan_map component",
    'iframe[title*="plan_map"]',
    True,
    "Number(document.body.dataset.drawn || 0) > 0",
    "Number(document.body.dataset.drawn || 0)",
    "Number(document.body.dataset.renders || 0)",
)
FOLIUM = Probe(
    "st_folium",
    'iframe[title="streamlit_folium.st_folium"]',
    True,
    "!!window.map_div && document.querySelectorAll('.leaflet-interactive').length > 0",
    "(() => { let n = 0; map_div.eachLayer(l => { if (l.feature) n++; }); return n; })()",
)
TEXT = Probe("text", '[data-testid="stText"]', False, "true", "document.querySelector('[data-testid=\"stText\"]').innerText")
MAPS = (COMPONENT, FOLIUM)  # whichever the app draws


@dataclass(frozen=True)
class App:
    name: str
    script: Path
    probes: tuple[Probe, ...]


APP = App("app.py", ROOT / "app.py", MAPS)
NAIVE = App("naive", ROOT / "bench" / "naive_app.py", MAPS)
FLOOR = App("floor", ROOT / "bench" / "floor_app.py", (TEXT,))


def plan_labels() -> list[str]:
    """The plan filter's option labels, as app.py writes them (title and date)."""
    plans = yaml.safe_load((ROOT / "layers" / "meta" / "plans.yaml").read_text(encoding="utf-8"))["plans"]
    return [f"{p['title_zh']}（{p['date']}）" for p in plans]


def plan_steps(labels: Sequence[str], rotation: int = 0) -> list[tuple[str, str]]:
    """Five filter changes from all four plans, each to a set not shown before in the session:
    {a,b,c}, {b,c}, {b,c,d}, {c,d}, {a,c,d} (a planner exploring, not toggling back and forth)."""
    a, b, _, d = [*labels[rotation:], *labels[:rotation]]
    return [("remove", d), ("remove", a), ("add", d), ("remove", b), ("add", a)]


FINISHED = ForwardMsg.ScriptFinishedStatus


class RunState:
    """A Streamlit session's script runs, followed from the ForwardMsgs its server sends."""

    def __init__(self) -> None:
        self.running = False
        self.finished = 0  # runs that ended (not counting runs cut short by a newer rerun request)
        self.errors = 0  # exceptions and st.error boxes shown, scripts that failed to compile

    def feed(self, data: bytes) -> None:
        msg = ForwardMsg.FromString(data)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.running = True
        elif kind == "session_status_changed":
            self.running = msg.session_status_changed.script_is_running
        elif kind == "script_finished" and msg.script_finished != FINISHED.FINISHED_EARLY_FOR_RERUN:
            self.finished += 1
            self.errors += msg.script_finished == FINISHED.FINISHED_WITH_COMPILE_ERROR
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            kind = element.WhichOneof("type")
            self.errors += kind == "exception" or (kind == "alert" and element.alert.format == Alert.ERROR)


class Watch:
    """One page seen through a CDP session of its own: the bytes it receives (websocket payloads, and
    HTTP responses as transferred, headers included, unless the browser's cache served them), the
    URLs it fetched from the server, the messages it sent, its script runs, and screenshots of a region."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.bytes = 0
        self.catalogue_bytes = 0
        self.runs = RunState()
        self.fetched: list[str] = []
        self.sent: list[bytes] = []
        self._urls: dict[str, str] = {}
        self._cached: set[str] = set()
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.on("Network.requestWillBeSent", lambda e: self._urls.__setitem__(e["requestId"], e["request"]["url"]))
        self.cdp.on("Network.requestServedFromCache", lambda e: self._cached.add(e["requestId"]))
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", self._loaded)
        self.cdp.on("Network.webSocketFrameReceived", self._received)
        self.cdp.on("Network.webSocketFrameSent", self._sent)
        self.cdp.send("Network.enable")

    def _response(self, event: dict) -> None:
        response = event["response"]
        if response.get("fromDiskCache") or response.get("fromServiceWorker") or response.get("fromPrefetchCache"):
            self._cached.add(event["requestId"])

    def _loaded(self, event: dict) -> None:
        url = self._urls.get(event["requestId"], "")
        if event["requestId"] in self._cached or not url.startswith("http"):
            return
        size = int(event["encodedDataLength"])
        self.bytes += size
        self.fetched.append(url)
        if CATALOGUE in url:
            self.catalogue_bytes += size

    def _received(self, event: dict) -> None:
        response = event["response"]
        if response["opcode"] != 2:  # Streamlit sends protobuf in binary frames only
            self.bytes += len(response["payloadData"].encode())
            return
        data = base64.b64decode(response["payloadData"])
        self.bytes += len(data)  # the payload; Streamlit's server negotiates no websocket compression
        self.runs.feed(data)

    def _sent(self, event: dict) -> None:
        if event["response"]["opcode"] == 2:
            self.sent.append(base64.b64decode(event["response"]["payloadData"]))

    def capture(self, clip: dict) -> str:
        return self.cdp.send("Page.captureScreenshot", {**SHOT, "clip": {**clip, "scale": 1}})["data"]

    def quiet(self, after: int = 0, still_s: float = 1.0) -> None:
        """Wait until more than `after` script runs have finished, none is running, and nothing has
        arrived for `still_s`."""
        deadline = time.monotonic() + TIMEOUT_S
        last, since = self.bytes, time.monotonic()
        while time.monotonic() < deadline:
            self.page.wait_for_timeout(100)
            if self.bytes != last:
                last, since = self.bytes, time.monotonic()
            elif self.runs.finished > after and not self.runs.running and time.monotonic() - since >= still_s:
                return
        raise TimeoutError("the page never went quiet")


def in_probe(page: Page, probe: Probe, script: str):
    """Evaluate `script` where the probe's element lives; None while it is missing or being replaced."""
    try:
        element = page.query_selector(probe.selector)
        if element is None:
            return None
        target = element.content_frame() if probe.in_frame else page
        return target.evaluate(script) if target else None
    except PlaywrightError:
        return None


def wait_painted(page: Page, probes: Sequence[Probe]) -> Probe:
    """Poll until one of the probes sees painted features; returns that probe."""
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        for probe in probes:
            if in_probe(page, probe, probe.painted):
                return probe
        page.wait_for_timeout(10)
    raise TimeoutError(f"nothing painted: {', '.join(p.name for p in probes)}")


@dataclass(frozen=True)
class Open:
    seconds: float  # goto to first painted features
    bytes: int  # everything received until the page was quiet
    catalogue_bytes: int  # of which catalogue files fetched from the server


@dataclass(frozen=True)
class Change:
    seconds: float  # click to the first capture of the final picture
    bytes: int
    cpu_ms: float  # server process and children, click to settled


def open_page(context: BrowserContext, url: str, probes: Sequence[Probe]) -> tuple[Page, Watch, Probe, Open]:
    page = context.new_page()
    watch = Watch(page)
    started = time.monotonic()
    page.goto(url, wait_until="commit")
    probe = wait_painted(page, probes)
    seconds = time.monotonic() - started
    watch.quiet()
    return page, watch, probe, Open(seconds, watch.bytes, watch.catalogue_bytes)


def click_point(page: Page, action: str, label: str) -> tuple[float, float]:
    """Where to click for one filter change; an added plan is picked from the opened option list."""
    if action == "remove":
        target = page.get_by_role("button", name=f"Remove {label}", exact=True)
    else:
        page.get_by_role("combobox", name=PLAN_FILTER).click()
        target = page.get_by_role("option", name=label, exact=True)
    target.wait_for(state="visible", timeout=TIMEOUT_S * 1000)
    box = target.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def final_picture(
    watch: Watch, clip: dict, before: str, settled: Callable[[], bool], stable: int = 3, stable_s: float = 0.5
) -> float:
    """Capture `clip` until it differs from `before`, has stayed the same for `stable` captures and
    `stable_s`, and the page has settled; returns when the first capture of that final picture began."""
    deadline = time.monotonic() + TIMEOUT_S
    first, last, count, unchanged = 0.0, None, 0, 0.0
    while time.monotonic() < deadline:
        taken = time.monotonic()
        picture = watch.capture(clip)
        if picture != last:
            first, last, count = taken, picture, 0
        count += 1
        if count >= stable and taken - first >= stable_s and settled():
            if picture != before:
                return first
            # Settled on the same picture: a change this view does not show (e.g. a plan whose features the
            # theme leaves out at this scale). Final once it has stayed so for stable_s.
            unchanged = unchanged or taken
            if taken - unchanged >= stable_s:
                return unchanged
    raise TimeoutError("the picture never settled")


def settled(page: Page, watch: Watch, probe: Probe, finished: int, renders: int) -> bool:
    """The script run the click started is over and the map has drawn (or reports a new render)."""
    if watch.runs.finished <= finished or watch.runs.running:
        return False
    if probe.renders:
        return (in_probe(page, probe, probe.renders) or 0) > renders
    return bool(in_probe(page, probe, probe.painted))


def change(page: Page, watch: Watch, probe: Probe, step: tuple[str, str], pids: Sequence[int]) -> Change:
    clip = page.query_selector(probe.selector).bounding_box()
    before = watch.capture(clip)
    renders = (in_probe(page, probe, probe.renders) or 0) if probe.renders else 0
    finished = watch.runs.finished
    x, y = click_point(page, *step)
    received, cpu = watch.bytes, cpu_ms(pids)
    clicked = time.monotonic()
    page.mouse.click(x, y)
    shown = final_picture(watch, clip, before, lambda: settled(page, watch, probe, finished, renders))
    result = Change(shown - clicked, watch.bytes - received, cpu_ms(pids) - cpu)
    page.keyboard.press("Escape")  # closes the option list an "add" opened
    return result


@dataclass
class Run:
    probe: str = ""
    first: list[Open] = field(default_factory=list)
    reopen: list[Open] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    errors: int = 0


def wait_idle(pids: Sequence[int], still_s: float = 1.0, timeout_s: float = TIMEOUT_S) -> None:
    """Until the server's CPU time has not moved for `still_s` (a tick or less)."""
    deadline = time.monotonic() + timeout_s
    last, since = cpu_ms(pids), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = cpu_ms(pids)
        if now - last > 10:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= still_s:
            return
    raise TimeoutError("the server never went idle")


def new_context(browser: Browser) -> BrowserContext:
    return browser.new_context(viewport=VIEWPORT, locale="zh-CN")


def run_app(browser: Browser, app: App, query: str, steps: Sequence[tuple[str, str]], run: Run) -> None:
    """One run of one app on a fresh server; appends its measures to `run`."""
    with running_server(script=app.script) as server:
        url = f"{server.url}/?{query}"
        warm = new_context(browser)
        open_page(warm, url, app.probes)
        warm.close()
        wait_idle([server.pid])
        context = new_context(browser)
        page, watch, probe, first = open_page(context, url, app.probes)
        again, again_watch, _, reopen = open_page(context, url, app.probes)
        again.close()
        run.changes.extend(change(page, watch, probe, step, [server.pid]) for step in steps)
        run.probe, run.errors = probe.name, run.errors + watch.runs.errors + again_watch.runs.errors
        run.first.append(first)
        run.reopen.append(reopen)
        context.close()


def median(values) -> float:
    return statistics.median(list(values))


def kb(n: float) -> str:
    return f"{n / 1000:,.1f} KB"


@dataclass(frozen=True)
class Row:
    label: str
    value: Callable[[Run], float]
    fmt: Callable[[float], str]
    target: str = "—"
    passes: Callable[[float], bool | str] | None = None  # for app.py; None: no target


def of_changes(name: str) -> Callable[[Run], float]:
    """The median over every filter change of every run."""
    return lambda run: median(getattr(c, name) for c in run.changes)


def of_opens(which: str, name: str) -> Callable[[Run], float]:
    """The median over the runs' first opens or reopens."""
    return lambda run: median(getattr(o, name) for o in getattr(run, which))


def rows(floor: Run, catalogue: bool) -> list[Row]:
    floor_s = of_changes("seconds")(floor)
    limit_s = max(3 * floor_s, floor_s + 0.25)
    seconds, ms = "{:.2f} s".format, "{:.0f} ms".format
    return [
        Row(
            "filter change → final picture",
            of_changes("seconds"),
            seconds,
            f"≤ max(3 × floor, floor + 0.25 s) = {limit_s:.2f} s",
            lambda v: v <= limit_s,
        ),
        Row("bytes received per filter change", of_changes("bytes"), kb, "≤ 50 KB", lambda v: v <= 50_000),
        Row("server CPU per filter change", of_changes("cpu_ms"), ms, "≤ 100 ms", lambda v: v <= 100),
        Row("warm server: open → first painted map", of_opens("first", "seconds"), seconds, "≤ 2 s", lambda v: v <= 2),
        Row("first-open transfer", of_opens("first", "bytes"), kb, "≤ 1.5 MB", lambda v: v <= 1_500_000),
        Row(
            "reopen: catalogue bytes from the server",
            of_opens("reopen", "catalogue_bytes"),
            "{:,.0f} B".format,
            "0" if catalogue else "0 (n/a: no catalogue files)",
            (lambda v: v == 0) if catalogue else (lambda v: "n/a"),
        ),
        Row("reopen: all bytes received", of_opens("reopen", "bytes"), kb),
    ]


def table(results: dict[str, Run]) -> str:
    catalogue = any(o.catalogue_bytes for o in results["app.py"].first)
    lines = ["| measure | app.py | naive | floor | app/floor | target | pass? |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for row in rows(results["floor"], catalogue):
        app, naive, floor = (row.value(results[name]) for name in ("app.py", "naive", "floor"))
        ratio = f"{app / floor:.1f}" if floor else "—"
        verdict = row.passes(app) if row.passes else ""
        verdict = verdict if isinstance(verdict, str) else ("yes" if verdict else "no")
        cells = [row.label, row.fmt(app), row.fmt(naive), row.fmt(floor), ratio, row.target, verdict]
        lines.append(f"| {' | '.join(cells)} |")
    return "\n".join(lines)


def machine() -> str:
    models = [line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if "model name" in line]
    cpu = models[0] if models else "?"
    return f"{len(os.sched_getaffinity(0))} cores ({cpu}), {platform.system()} {platform.release()}"


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--view", default="prw-metro", help="named view the page opens at (hengqin, qinao, prw-metro, gba)")
    args = parser.parse_args()
    query = f"view={args.view}&basemap=none&theme=all"  # everything selected and drawn (the setting)
    apps = [APP, NAIVE, FLOOR]
    results = {app.name: Run() for app in apps}
    steps = plan_steps(plan_labels())
    load_start = loadavg()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        for r in range(args.runs):
            for app in apps[r % 3 :] + apps[: r % 3]:  # interleaved, the order rotating
                run_app(browser, app, query, steps, results[app.name])
        version = browser.version
        browser.close()
    print(f"view {query}; {args.runs} runs, each app's server fresh per run; {len(steps)} filter changes per run")
    print(f"app.py's map: {results['app.py'].probe}; naive's: {results['naive'].probe}; Chromium {version}")
    print(f"machine: {machine()}; load average (1/5/15 min) {load_start} at start, {loadavg()} at end")
    print(f"errors shown (exceptions, st.error): {', '.join(f'{n} {r.errors}' for n, r in results.items())}\n")
    print(table(results))
    print("\nfilter change → final picture, median of each run:")
    for name, run in results.items():
        per_run = [run.changes[i : i + len(steps)] for i in range(0, len(run.changes), len(steps))]
        print(f"  {name}: {', '.join(f'{median(c.seconds for c in changes):.2f} s' for changes in per_run)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
