"""The server's reader processes: at most N for all sessions, started before they are needed and reused.

Calls beyond N wait their turn (on_queued lets the page say so). A reader that timed out, died, ran out of
memory or grew large is killed and replaced by a fresh one in the background, and after each hand-out a
spare is started while there is room, so the next upload finds a warm reader instead of paying for
a new interpreter and its imports.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor

from geo.upload.reader_process import ReaderGone, ReaderProcess
from geo.upload.worker import Result, Task

SIZE_VARIABLE = "PLANMAP_UPLOAD_READERS"
PRELOAD = ("geo.upload.reader",)  # geopandas, pyogrio, pyproj and the readers: about 0.4 s to import idle
START_TIMEOUT_S = 120  # imports alone took 20 s on a busy 2-core machine
RETIRE_PEAK_MB = 512  # a reader that grew past this is replaced (a 35 MB GeoJSON peaks at 345, then keeps 275)
log = logging.getLogger(__name__)


class ReaderPool:
    def __init__(self, size: int, preload: tuple[str, ...] = PRELOAD, retire_peak_mb: float = RETIRE_PEAK_MB):
        if size < 1:
            raise ValueError(f"a reader pool needs at least one reader, not {size}")
        self.size, self._preload, self._retire_peak_mb = size, preload, retire_peak_mb
        self._turns = threading.Semaphore(size)  # readings at once
        self._changed = threading.Condition()  # guards everything below
        self._readers: set[ReaderProcess] = set()  # started: idle or reading
        self._idle: list[ReaderProcess] = []
        self._starting = self._waiting = self._failed_starts = 0
        self._closed = False
        # One long-lived thread starts every reader: Linux's parent-death signal fires when the thread that
        # started the child ends, and Streamlit's script threads end after every rerun.
        self._starter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload-reader-starter")
        with self._changed:
            self._start_spare()

    def read(self, task: Task[Result], *, time_limit_s: float, on_queued: Callable[[], None] | None = None) -> Result:
        """task's result (or what it raised) from a reader; ReaderTimedOut or ReaderGone when it gave none."""
        if not self._turns.acquire(blocking=False):
            if on_queued is not None:
                on_queued()
            self._turns.acquire()
        try:
            reader = self._take()
            try:
                return reader.read(task, time_limit_s)
            finally:
                self._give_back(reader)
        finally:
            self._turns.release()

    def pids(self) -> list[int]:
        with self._changed:
            return sorted(reader.pid for reader in self._readers)

    def close(self) -> None:
        with self._changed:
            self._closed = True
            for reader in self._readers:
                reader.kill()
            self._readers.clear()
            self._idle.clear()
            self._changed.notify_all()
        self._starter.shutdown(wait=False, cancel_futures=True)

    def _take(self) -> ReaderProcess:
        with self._changed:
            self._waiting += 1
            failures = self._failed_starts
            try:
                while True:
                    if self._closed:
                        raise ReaderGone("the pool is closed")
                    while self._idle:
                        reader = self._idle.pop()
                        if reader.reusable:
                            if not self._idle:
                                self._start_spare()  # for the next caller, if there is room
                            return reader
                        self._forget(reader)  # died while idle
                    if self._failed_starts > failures:
                        raise ReaderGone("a reader could not start")
                    if self._starting < self._waiting:
                        self._start_spare()
                    self._changed.wait()
            finally:
                self._waiting -= 1

    def _give_back(self, reader: ReaderProcess) -> None:
        with self._changed:
            if reader.reusable and reader.peak_mb <= self._retire_peak_mb and not self._closed:
                self._idle.append(reader)
            else:
                self._forget(reader)
                self._start_spare()
            self._changed.notify_all()

    def _forget(self, reader: ReaderProcess) -> None:
        self._readers.discard(reader)
        reader.kill()

    def _start_spare(self) -> None:
        """With the lock held: start one more reader in the background if there is room for it."""
        if not self._closed and len(self._readers) + self._starting < self.size:
            self._starting += 1
            self._starter.submit(self._start)

    def _start(self) -> None:
        reader = None
        try:
            reader = ReaderProcess(self._preload)
            reader.wait_ready(START_TIMEOUT_S)
        except Exception:
            log.exception("an upload reader could not start")
            if reader is not None:
                reader.kill()
            reader = None
        with self._changed:
            self._starting -= 1
            if reader is None:
                self._failed_starts += 1
            elif self._closed:
                reader.kill()
            else:
                self._readers.add(reader)
                self._idle.append(reader)
            self._changed.notify_all()


_shared: ReaderPool | None = None
_shared_lock = threading.Lock()


def reader_pool() -> ReaderPool:
    """The server's one pool, made on first use (which starts its first reader) and closed at exit."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = ReaderPool(configured_size())
            atexit.register(_shared.close)
        return _shared


def configured_size(environ: Mapping[str, str] = os.environ) -> int:
    """PLANMAP_UPLOAD_READERS, else one reader per CPU core this process may use."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    value = environ.get(SIZE_VARIABLE, "").strip()
    if not value:
        return cores
    if value.isdigit() and int(value) >= 1:
        return int(value)
    log.warning("%s=%r is not a whole number of readers of at least 1; using %d", SIZE_VARIABLE, value, cores)
    return cores
