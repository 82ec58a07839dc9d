"""The upload readers' pool with real reader processes: bounded, queued, limited, replaced, and gone with
the server. The readers below are module-level so that reader processes can import them by name."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from shapely.geometry import Point

from geo.upload import UploadError, list_layers, read_upload
from geo.upload.isolated import run_isolated
from geo.upload.pool import SIZE_VARIABLE, ReaderPool, configured_size

ROOT = Path(__file__).resolve().parent.parent
SMALL = b'{"type":"Point","coordinates":[113.54,22.12]}'  # 45 bytes


def _timed_sleep(name: str, seconds: float) -> tuple[str, int, float, float]:
    started = time.time()  # wall clock: comparable between processes
    time.sleep(seconds)
    return name, os.getpid(), started, time.time()


def _greedy(name: str, size: int) -> bytearray:
    return bytearray(size)


def _crash(name: str) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.fixture()
def pool():
    """Two readers, both ready (the first hand-out starts the second), so that timings are the readings'."""
    readers = ReaderPool(2)
    run_isolated(_timed_sleep, "warm.geojson", 0, pool=readers)
    deadline = time.monotonic() + 120
    while len(readers.pids()) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    yield readers
    readers.close()


@pytest.fixture()
def one_reader():
    readers = ReaderPool(1)
    yield readers
    readers.close()


def _gone(pid: int) -> bool:
    """Ended: no such process, or a zombie waiting for whoever adopted it to reap it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def _wait_until_gone(pids: list[int], seconds: float = 5) -> list[int]:
    deadline = time.monotonic() + seconds
    while (alive := [pid for pid in pids if not _gone(pid)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


def test_at_most_n_readings_at_once_and_the_others_say_they_are_queued(pool):
    together, queued_at, results = threading.Barrier(4), {}, {}

    def submit(i: int) -> None:
        together.wait()
        name = f"file-{i}.geojson"
        results[name] = run_isolated(
            _timed_sleep, name, 1.0, pool=pool, on_queued=lambda: queued_at.setdefault(name, time.time())
        )

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(results) == [f"file-{i}.geojson" for i in range(4)]
    assert all(name == returned for name, (returned, *_) in results.items())
    spans = [(started, ended) for _, _, started, ended in results.values()]
    at_once = max(sum(s <= started < e for s, e in spans) for started, _ in spans)
    assert at_once == 2
    assert len(queued_at) == 2
    for name, when in queued_at.items():
        assert when < results[name][2], "queued is said before the reading starts"
    assert len({pid for _, pid, _, _ in results.values()}) <= 2 and len(pool.pids()) <= 2


def test_too_slow_kills_the_reader_and_a_fresh_one_reads_the_next_file(one_reader):
    killed = run_isolated(_timed_sleep, "warm.geojson", 0, pool=one_reader)[1]
    with pytest.raises(UploadError) as info:
        run_isolated(_timed_sleep, "slow.geojson", 30, time_limit_s=1, pool=one_reader)
    assert info.value.key == "too_slow" and "slow.geojson" in info.value.en and "1 seconds" in info.value.en
    assert _wait_until_gone([killed]) == []
    overlay = run_isolated(read_upload, "after.geojson", SMALL, pool=one_reader)
    assert list(overlay.frame.geometry) == [Point(113.54, 22.12)]
    assert killed not in one_reader.pids()


def test_out_of_memory_gives_reader_died_and_a_fresh_reader_reads_the_next_file(one_reader):
    killed = run_isolated(_timed_sleep, "warm.geojson", 0, pool=one_reader)[1]
    with pytest.raises(UploadError) as info:
        run_isolated(_greedy, "huge.geojson", 2 * 1024**3, memory_limit_mb=512, pool=one_reader)
    assert info.value.key == "reader_died" and "512 MB" in info.value.en
    assert _wait_until_gone([killed]) == []
    assert run_isolated(list_layers, "after.geojson", SMALL, pool=one_reader) == ["after"]
    assert killed not in one_reader.pids()


def test_a_reader_that_crashes_gives_reader_died_and_the_pool_reads_on(one_reader):
    with pytest.raises(UploadError) as info:
        run_isolated(_crash, "crash.geojson", pool=one_reader)
    assert info.value.key == "reader_died"
    assert run_isolated(list_layers, "after.geojson", SMALL, pool=one_reader) == ["after"]


def test_a_warm_pool_reads_a_small_upload_without_starting_a_process(pool):
    before = pool.pids()
    assert run_isolated(list_layers, "point.geojson", SMALL, pool=pool) == ["point"]
    overlay = run_isolated(read_upload, "point.geojson", SMALL, pool=pool)
    assert list(overlay.frame.geometry) == [Point(113.54, 22.12)]
    assert pool.pids() == before


def test_readers_outlive_the_thread_that_first_needed_them():
    """Linux's parent-death signal follows the thread that started a child: Streamlit's script threads end
    after every rerun, and must not take the readers with them."""
    made = []

    def script_run() -> None:
        made.append(ReaderPool(1))
        run_isolated(_timed_sleep, "in-a-thread.geojson", 0, pool=made[0])

    thread = threading.Thread(target=script_run)
    thread.start()
    thread.join(timeout=60)
    (pool,) = made
    try:
        (pid,) = pool.pids()
        time.sleep(1)
        assert run_isolated(_timed_sleep, "later.geojson", 0, pool=pool)[1] == pid
    finally:
        pool.close()


SERVER = """
import json, sys, threading, time
from geo.upload.isolated import run_isolated
from geo.upload.pool import ReaderPool
from tests.test_reader_pool import _timed_sleep

pool = ReaderPool(2)
run_isolated(_timed_sleep, "warm.geojson", 0, pool=pool)  # its hand-out starts the second reader
while len(pool.pids()) < 2:
    time.sleep(0.1)
threading.Thread(target=run_isolated, args=(_timed_sleep, "busy.geojson", 50), kwargs={"pool": pool}).start()
time.sleep(0.5)
print(json.dumps(pool.pids()), flush=True)
time.sleep(60)
"""


def test_killing_the_server_leaves_no_reader():
    server = subprocess.Popen([sys.executable, "-c", SERVER], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        pids = json.loads(server.stdout.readline())
        assert len(pids) == 2 and not any(_gone(pid) for pid in pids)
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait()
    assert _wait_until_gone(pids) == []


def test_a_reader_whose_server_died_before_it_could_watch_exits_at_once():
    """The race prctl cannot cover (and the only guard off Linux): the server was gone before the reader
    started watching, so the reader's parent is no longer the server it was started for."""
    departed = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    watch = "import time; from geo.upload.parent_death import die_with_parent; "
    watch += f"die_with_parent({departed.stdout.strip()}); time.sleep(30)"
    reader = subprocess.Popen([sys.executable, "-c", watch], cwd=ROOT)
    assert reader.wait(timeout=15) == 1


@pytest.mark.parametrize(("value", "expected"), [("3", 3), (" 1 ", 1), ("", None), ("0", None), ("many", None)])
def test_the_number_of_readers_comes_from_the_environment_or_the_cores(value, expected):
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert configured_size({SIZE_VARIABLE: value}) == (expected or cores)
