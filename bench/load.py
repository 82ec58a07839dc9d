"""Load: concurrent sessions open the page and make 5 filter changes each, on app.py or a running server.

The server is app.py started here on a free port, or one running on this machine (--url; loopback only).
The changes come at a jittered pace.

The sessions are websocket-level clients plus a few real Chromium pages (default 19 + 1). Twenty Chromium
pages on a 2-core machine would measure the browsers, not the server: each parses and draws its own map on
the same two cores the server has. So a Chromium page first records what
the browser sends to open the page and for each change (Streamlit's BackMsg rerun requests, and the HTTP
files it fetches from the server); each websocket session replays one recording on its own connection
(cached-message hashes dropped, so the server sends everything, as to a new browser) and times each change
from the request to the end of the script run it started (the browser's drawing not included). The
Chromium pages make the same kind of changes and time click → repaint as the map reports it (the component:
`dataset.renders` increments and `dataset.drawn` equals the sidebar's count; st_folium: the drawn feature
count changes; the floor: its text changes). Recordings come in 4 variants, the plan order rotated, so the
sessions explore different plan sets.

Server memory and CPU are read from /proc for the started server (or --server-pids) and its children:
RSS with no session, with every session open and idle, at its peak during the changes, and after.

    python bench/load.py [--sessions 20] [--browsers 1] [--pace 5] [--script bench/floor_app.py]
    python bench/load.py --url http://127.0.0.1:8600 --server-pids 1234 1240
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import statistics
import sys
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from websockets.asyncio.client import ClientConnection, connect  # noqa: E402
from websockets.exceptions import ConnectionClosed  # noqa: E402
from websockets.typing import Subprotocol  # noqa: E402

from bench.app_speed import (  # noqa: E402
    COMPONENT,
    FOLIUM,
    TEXT,
    TIMEOUT_S,
    Probe,
    RunState,
    Watch,
    click_point,
    in_probe,
    loadavg,
    machine,
    new_context,
    open_page,
    plan_labels,
    plan_steps,
)
from bench.procstat import cpu_ms, rss_bytes  # noqa: E402
from geo.query.selection import select  # noqa: E402
from geo.sources.mapdata import MapData, load_map_data  # noqa: E402
from geo.style.basemaps import BASEMAP_IDS  # noqa: E402
from geo.style.themes import view_scale  # noqa: E402
from geo.ui.urlstate import parse_query  # noqa: E402
from geo.web.themes_data import drawn_in_theme  # noqa: E402
from tests.browser import CHROMIUM_ARGS, chromium_executable, running_server  # noqa: E402

PROBES = (COMPONENT, FOLIUM, TEXT)
VARIANTS = 4
LOOPBACK = ("127.0.0.1", "localhost", "::1")
MB = 1e6


@dataclass(frozen=True)
class Recording:
    """What one Chromium session sent (rerun requests) and fetched: [0] to open the page, [k] change k."""

    messages: list[list[bytes]]
    fetched: list[list[str]]


@dataclass
class Tally:
    replayed: list[float] = field(default_factory=list)  # websocket sessions: request → run finished
    observed: list[float] = field(default_factory=list)  # Chromium pages: click → repaint
    opened: list[float] = field(default_factory=list)  # websocket sessions: connect → first run finished
    change_bytes: list[int] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)


def rerun_request(data: bytes) -> bytes | None:
    """A recorded BackMsg made replayable: rerun requests only, without the hashes of messages the
    recording browser had cached (another session has none)."""
    msg = BackMsg.FromString(data)
    if msg.WhichOneof("type") != "rerun_script":
        return None  # heartbeats and the like
    msg.rerun_script.ClearField("cached_message_hashes")
    return msg.SerializeToString()


def split(items: list, marks: list[int]) -> list[list]:
    return [items[start:end] for start, end in zip([0, *marks], [*marks, len(items)], strict=True)][:-1]


def record(browser: Browser, url: str, steps: Sequence[tuple[str, str]]) -> Recording:
    context = new_context(browser)
    page, watch, _, _ = open_page(context, url, PROBES)
    marks = [(len(watch.sent), len(watch.fetched))]
    for step in steps:
        finished = watch.runs.finished
        page.mouse.click(*click_point(page, *step))
        watch.quiet(after=finished)
        page.keyboard.press("Escape")
        marks.append((len(watch.sent), len(watch.fetched)))
    context.close()
    messages = [[m for m in map(rerun_request, part) if m] for part in split(watch.sent, [m[0] for m in marks])]
    return Recording(messages, split(watch.fetched, [m[1] for m in marks]))


def fetch(url: str) -> int:
    with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
        return len(response.read())


class Session:
    """One websocket session replaying a recording."""

    def __init__(self, url: str, recording: Recording, tally: Tally) -> None:
        self.stream = urlparse(url)._replace(scheme="ws", path="/_stcore/stream", query="").geturl()
        self.recording, self.tally = recording, tally
        self.runs = RunState()
        self.bytes = 0
        self.closed = False
        self.arrived = asyncio.Event()
        self.ws: ClientConnection | None = None
        self.reader: asyncio.Task | None = None

    async def open(self) -> None:
        started = time.monotonic()
        self.ws = await connect(self.stream, subprotocols=[Subprotocol("streamlit")], max_size=None, compression=None)
        self.reader = asyncio.create_task(self._read())
        await self._replay(0)
        self.tally.opened.append(time.monotonic() - started)

    async def change(self, index: int) -> None:
        started, received = time.monotonic(), self.bytes
        await self._replay(index)
        self.tally.replayed.append(time.monotonic() - started)
        self.tally.change_bytes.append(self.bytes - received)

    async def close(self) -> None:
        if self.ws:
            await self.ws.close()

    async def _replay(self, index: int) -> None:
        errors = self.runs.errors
        for message in self.recording.messages[index]:
            await self._run(message)
        # The files the browser fetched after the run (st_folium reloads its frame), at most 6 at a time.
        sizes = await asyncio.gather(*(asyncio.to_thread(fetch, url) for url in self.recording.fetched[index]))
        self.bytes += sum(sizes)
        if self.runs.errors > errors:
            self.tally.errors["error shown (exception, st.error)"] += self.runs.errors - errors

    async def _run(self, message: bytes) -> None:
        finished = self.runs.finished
        await self.ws.send(message)
        async with asyncio.timeout(TIMEOUT_S):
            while self.runs.finished <= finished or self.runs.running:
                if self.closed:
                    raise ConnectionError("the server closed the websocket")
                self.arrived.clear()
                await self.arrived.wait()

    async def _read(self) -> None:
        try:
            async for data in self.ws:
                if isinstance(data, bytes):
                    self.bytes += len(data)
                    self.runs.feed(data)
                self.arrived.set()
        except ConnectionClosed:
            pass
        finally:
            self.closed = True
            self.arrived.set()


def schedule(rng: random.Random, count: int, pace: float) -> list[float]:
    """Seconds from the start at which to make each change: a first one within `pace`, then one every
    `pace` ± 50 %, kept to even when a change runs late (an open loop, as independent planners would)."""
    times = [rng.uniform(0, pace)]
    for _ in range(count - 1):
        times.append(times[-1] + pace * rng.uniform(0.5, 1.5))
    return times


async def paced(session: Session, start: float, times: list[float]) -> None:
    for index, at in enumerate(times, start=1):
        await asyncio.sleep(max(0.0, start + at - time.monotonic()))
        try:
            await session.change(index)
        except (TimeoutError, ConnectionError, ConnectionClosed, OSError) as error:
            session.tally.errors[f"websocket change: {type(error).__name__}"] += 1


def repaint(page: Page, watch: Watch, probe: Probe, step: tuple[str, str]) -> float:
    """Click → the map has drawn the new state, as the probe reports it (no screenshots: they would
    cost the shared CPU)."""
    finished, count = watch.runs.finished, in_probe(page, probe, probe.count)
    renders = (in_probe(page, probe, probe.renders) or 0) if probe.renders else 0
    x, y = click_point(page, *step)
    clicked = time.monotonic()
    page.mouse.click(x, y)
    while not drawn(page, watch, probe, finished, count, renders):
        if time.monotonic() - clicked > TIMEOUT_S:
            raise TimeoutError("no repaint")
        page.wait_for_timeout(20)
    seconds = time.monotonic() - clicked
    page.keyboard.press("Escape")
    check_count(page, probe)
    return seconds


def drawn(page: Page, watch: Watch, probe: Probe, finished: int, count, renders: int) -> bool:
    if watch.runs.finished <= finished or watch.runs.running:
        return False
    if probe.renders:
        return (in_probe(page, probe, probe.renders) or 0) > renders
    now = in_probe(page, probe, probe.count)
    return now is not None and now != count


class CountMismatch(Exception):
    pass


def expected_drawn(url: str) -> int:
    """What the map must draw for the page's address (Streamlit keeps the filters in it): the selected
    features that the theme shows at the view's scale (a theme leaves some out at the region scale)."""
    data = bench_data()
    state = parse_query({k: v if len(v) > 1 else v[0] for k, v in parse_qs(urlparse(url).query).items()}, data, BASEMAP_IDS)
    scale = view_scale(state.view, 0)
    return sum(drawn_in_theme(item.feature, state.theme, scale) for item in select(data, state.selection))


@cache
def bench_data() -> MapData:
    return load_map_data()


def check_count(page: Page, probe: Probe) -> None:
    """The component's drawn count must equal what the selection rule and the theme give for the address."""
    if not probe.renders:
        return
    drawn_now, expected = in_probe(page, probe, probe.count), expected_drawn(page.url)
    if drawn_now != expected:
        raise CountMismatch(f"drawn {drawn_now}, the selection in the theme has {expected}")


class Observer(threading.Thread):
    """The Chromium pages among the sessions, in a thread of their own (Playwright's sync API)."""

    def __init__(self, url: str, pages: int, pace: float, rng: random.Random, tally: Tally) -> None:
        super().__init__(daemon=True)
        self.url, self.pages, self.pace, self.rng, self.tally = url, pages, pace, rng, tally
        self.opened, self.go = threading.Event(), threading.Event()

    def run(self) -> None:
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
                self._observe(browser)
                browser.close()
        except Exception as error:  # reported, not raised: the load run goes on
            self.tally.errors[f"browser: {type(error).__name__}: {error}"[:120]] += 1
        finally:
            self.opened.set()

    def _observe(self, browser: Browser) -> None:
        opened = [open_page(new_context(browser), self.url, PROBES) for _ in range(self.pages)]
        self.opened.set()
        self.go.wait()
        start = time.monotonic()
        plan = sorted(
            (at, index, step)
            for index in range(self.pages)
            for at, step in zip(schedule(self.rng, 5, self.pace), plan_steps(plan_labels(), index % VARIANTS), strict=True)
        )
        for at, index, step in plan:
            time.sleep(max(0.0, start + at - time.monotonic()))
            page, watch, probe, _ = opened[index]
            try:
                self.tally.observed.append(repaint(page, watch, probe, step))
            except (TimeoutError, CountMismatch) as error:
                self.tally.errors[f"browser change: {type(error).__name__}"] += 1
        shown = sum(o[1].runs.errors for o in opened)
        if shown:
            self.tally.errors["error shown (exception, st.error)"] += shown


class Sampler(threading.Thread):
    """The servers' peak RSS, sampled every 0.25 s."""

    def __init__(self, pids: Sequence[int]) -> None:
        super().__init__(daemon=True)
        self.pids, self.peak, self.stop = pids, rss_bytes(pids), threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.25):
            self.peak = max(self.peak, rss_bytes(self.pids))


@dataclass
class Report:
    tally: Tally
    sessions: int
    rss: dict[str, int] = field(default_factory=dict)
    server_cpu_ms: float = 0.0
    driver_cpu_ms: float = 0.0


async def drive(url: str, recordings: list[Recording], pids: Sequence[int], args: argparse.Namespace) -> Report:
    tally, rng = Tally(), random.Random(args.seed)
    sessions = [Session(url, recordings[i % len(recordings)], tally) for i in range(args.sessions - args.browsers)]
    observer = Observer(url, args.browsers, args.pace, random.Random(args.seed + 1), tally)
    report = Report(tally, args.sessions)
    report.rss["no session"] = rss_bytes(pids)
    observer.start()
    await asyncio.gather(*(opened_later(s, i * args.ramp) for i, s in enumerate(sessions)))
    await asyncio.to_thread(observer.opened.wait, TIMEOUT_S * 2)
    await asyncio.sleep(3)  # let the server settle before reading its memory
    report.rss[f"{args.sessions} sessions idle"] = rss_bytes(pids)
    sampler, server_cpu, driver_cpu = Sampler(pids), cpu_ms(pids), own_cpu_ms()
    sampler.start()
    observer.go.set()
    start = time.monotonic()
    await asyncio.gather(*(paced(s, start, schedule(rng, 5, args.pace)) for s in sessions if s.ws))
    await asyncio.to_thread(observer.join, TIMEOUT_S * 10)
    report.server_cpu_ms, report.driver_cpu_ms = cpu_ms(pids) - server_cpu, own_cpu_ms() - driver_cpu
    sampler.stop.set()
    report.rss["peak during the changes"] = max(sampler.peak, rss_bytes(pids))
    report.rss["after the changes"] = rss_bytes(pids)
    await asyncio.gather(*(s.close() for s in sessions))
    await asyncio.sleep(3)
    report.rss["sessions closed"] = rss_bytes(pids)
    return report


def own_cpu_ms() -> float:
    """This process's CPU (the websocket sessions), not its children's: the Chromium pages exit before
    the end and their time is not always reaped into ours."""
    times = os.times()
    return (times.user + times.system) * 1000


async def opened_later(session: Session, delay: float) -> None:
    await asyncio.sleep(delay)
    try:
        await session.open()
    except (TimeoutError, ConnectionError, ConnectionClosed, OSError) as error:
        session.tally.errors[f"websocket open: {type(error).__name__}"] += 1
        session.ws = None


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def spread(values: Sequence[float]) -> str:
    if not values:
        return "none"
    return f"{percentile(values, 50):.2f} / {percentile(values, 95):.2f} / {max(values):.2f} s (n = {len(values)})"


def rows(report: Report, pids: Sequence[int]) -> list[tuple[str, str, str, bool | None]]:
    """(measure, value, target, passes); passes is None where there is no target."""
    tally, rss = report.tally, report.rss
    changes = len(tally.replayed) + len(tally.observed)
    errors = sum(tally.errors.values())
    detail = "; ".join(f"{kind}: {n}" for kind, n in tally.errors.items())
    found = [
        (f"filter change, {label} (p50 / p95 / max)", spread(values), "p95 ≤ 2 s", bool(values) and percentile(values, 95) <= 2)
        for label, values in (
            ("websocket sessions: request → run finished", tally.replayed),
            ("Chromium pages: click → repaint", tally.observed),
        )
    ]
    found.append(("errors", f"{errors}{f' ({detail})' if detail else ''}", "0", errors == 0))
    if pids:
        idle = (rss[f"{report.sessions} sessions idle"] - rss["no session"]) / report.sessions
        peak = rss["peak during the changes"]
        cpu = report.server_cpu_ms / max(changes, 1)
        found += [
            ("server RSS, peak", f"{peak / MB:,.0f} MB", "≤ 1.5 GB", peak <= 1.5e9),
            ("memory per idle session", f"{idle / MB:.1f} MB", "≤ 20 MB", idle <= 20 * MB),
            (f"server RSS: {' / '.join(rss)}", " / ".join(f"{v / MB:,.0f}" for v in rss.values()) + " MB", "—", None),
            (f"server CPU per filter change (its CPU during the changes ÷ {changes})", f"{cpu:.0f} ms", "—", None),
        ]
    found.append(("websocket sessions: open → first run finished (p50 / p95 / max)", spread(tally.opened), "—", None))
    if tally.change_bytes:
        found.append(
            (
                "websocket sessions: bytes per change (median)",
                f"{statistics.median(tally.change_bytes) / 1000:,.1f} KB",
                "—",
                None,
            )
        )
    return found


def table(report: Report, pids: Sequence[int]) -> str:
    lines = ["| measure | value | target | pass? |", "| --- | --- | --- | --- |"]
    for label, value, goal, passes in rows(report, pids):
        lines.append(f"| {label} | {value} | {goal} | {'' if passes is None else 'yes' if passes else 'no'} |")
    return "\n".join(lines)


@contextmanager
def target(args: argparse.Namespace):
    """The server to load: the one at --url, or the script started here. Yields its URL and process ids."""
    if args.url:
        if urlparse(args.url).hostname not in LOOPBACK:
            raise SystemExit("--url must be on this machine (127.0.0.1, localhost or ::1)")
        yield args.url.rstrip("/"), args.server_pids
        return
    with running_server(script=args.script) as server:
        yield server.url, [server.pid]


def record_all(url: str) -> list[Recording]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        recordings = [record(browser, url, plan_steps(plan_labels(), v)) for v in range(VARIANTS)]
        browser.close()
    return recordings


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, choices=range(1, 51), metavar="1..50", help="all sessions")
    parser.add_argument("--browsers", type=int, default=1, choices=range(4), metavar="0..3", help="of which Chromium pages")
    parser.add_argument("--pace", type=float, default=5.0, help="seconds between a session's changes (± 50 %%)")
    parser.add_argument("--ramp", type=float, default=0.25, help="seconds between session opens")
    parser.add_argument("--query", default="view=prw-metro&basemap=none&theme=all", help="the page's query string")
    parser.add_argument("--url", help="a running server on this machine, e.g. nginx at http://127.0.0.1:8600")
    parser.add_argument("--server-pids", type=int, nargs="*", default=[], help="with --url: processes to read RSS/CPU of")
    parser.add_argument("--script", type=Path, default=ROOT / "app.py", help="without --url: the app to start")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--max-seconds", type=float, default=900, help="stop the whole run after this long")
    args = parser.parse_args()
    if not 2 <= args.pace <= 60 or args.browsers > args.sessions:
        parser.error("--pace must be 2..60 s, and --browsers at most --sessions")
    return args


def main() -> int:
    args = arguments()
    load_start = loadavg()
    with target(args) as (url, pids):
        page_url = f"{url}/?{args.query}"
        recordings = record_all(page_url)
        time.sleep(3)  # the recording sessions end; the server settles
        report = asyncio.run(asyncio.wait_for(drive(page_url, recordings, pids, args), args.max_seconds))
    ws = args.sessions - args.browsers
    print(f"{page_url} ({'given' if args.url else f'{args.script.name} started here'}); driver: {ws} websocket sessions")
    print(
        f"replaying {VARIANTS} recorded variants, + {args.browsers} Chromium page(s); 5 changes each, every {args.pace:g} s ±50%"
    )
    print(f"machine: {machine()}; load average (1/5/15 min) {load_start} at start, {loadavg()} at end")
    print(f"the websocket driver's own CPU during the changes: {report.driver_cpu_ms / 1000:.1f} s\n")
    print(table(report, pids))
    return 0


if __name__ == "__main__":
    sys.exit(main())
