"""The benchmark harness still runs: bench/app_speed.py's measures and bench/load.py's replay, once each, on
the floor app (cheap). No timing is asserted; the numbers come from running the benches themselves."""

from __future__ import annotations

import ast
import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.app_speed import FLOOR, Run, plan_labels, plan_steps, run_app
from bench.load import Session, Tally, record
from tests.browser import running_server

QUERY = "view=prw-metro&basemap=none"


def test_the_floor_app_offers_app_pys_plan_labels():
    """The benches click the same buttons in both apps: a plan's new date must reach the floor's labels too."""
    source = (Path(__file__).parents[1] / "bench" / "floor_app.py").read_text(encoding="utf-8")
    plans = next(
        ast.literal_eval(node.value)
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "PLANS"
    )
    assert list(plans) == plan_labels()


def test_app_speed_measures_the_floor_app(browser):
    run = Run()
    run_app(browser, FLOOR, QUERY, plan_steps(plan_labels())[:1], run)  # the floor's labels are app.py's
    assert run.probe == "text" and run.errors == 0
    (first,), (reopen,) = run.first, run.reopen
    assert first.seconds > 0 and first.bytes > 100_000  # Streamlit's own page and scripts
    assert 0 < reopen.bytes < first.bytes and first.catalogue_bytes == reopen.catalogue_bytes == 0
    (change,) = run.changes
    assert 0 < change.seconds < 30 and 0 < change.bytes < 50_000 and change.cpu_ms >= 0


def test_load_replays_a_recorded_session_on_the_floor_app(browser):
    with running_server(script=FLOOR.script) as server:
        url = f"{server.url}/?{QUERY}"
        recording = record(browser, url, plan_steps(plan_labels())[:1])
        assert [len(messages) for messages in recording.messages] == [1, 1]  # open, one change
        tally = Tally()

        async def replay() -> None:
            session = Session(url, recording, tally)
            await session.open()
            await session.change(1)
            await session.close()

        with ThreadPoolExecutor(1) as thread:  # Playwright's sync API holds this thread's event loop
            thread.submit(asyncio.run, replay()).result()
    assert len(tally.opened) == len(tally.replayed) == 1 and tally.change_bytes[0] > 0 and not tally.errors
