"""Inside a reader process: import the readers once, then read one file at a time for the server's pool
(geo.upload.pool) until the pool closes the connection, or the server dies and takes this process with it."""

from __future__ import annotations

import importlib
import resource
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

from geo.upload.parent_death import die_with_parent

Result = TypeVar("Result")
READY = "ready"
MB = 1024 * 1024


@dataclass(frozen=True)
class Task(Generic[Result]):
    """One reading: read(name, *args, **kwargs) within memory_limit_mb of address space."""

    read: Callable[..., Result]  # module-level, so that it pickles by name
    name: str
    args: tuple[object, ...]
    kwargs: dict[str, object]
    memory_limit_mb: int


@dataclass(frozen=True)
class Reply:
    value: object
    error: Exception | None  # what the reading raised, instead of a value
    peak_mb: float  # this process's peak resident memory so far: the pool retires readers that grew


def main(argv: list[str]) -> None:
    """argv: the connection's file descriptor, the server's PID, then the modules to import up front."""
    fd, parent_pid, preload = int(argv[0]), int(argv[1]), argv[2:]
    die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in the server's terminal is for the server
    for module in preload:
        importlib.import_module(module)
    with Connection(fd) as connection:
        connection.send(READY)
        while True:
            try:
                task = connection.recv()
            except EOFError:  # the pool let go of this reader
                return
            connection.send(_run(task))


def _run(task: Task[object]) -> Reply:
    try:
        with _memory_limit(task.memory_limit_mb):
            value = task.read(task.name, *task.args, **task.kwargs)
    except Exception as exc:  # raised again in the server: UploadError, MemoryError, …
        return Reply(None, exc, _peak_mb())
    return Reply(value, None, _peak_mb())


@contextmanager
def _memory_limit(limit_mb: int) -> Iterator[None]:
    """RLIMIT_AS for the reading only: receiving the next file must not fail for the last one's limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = limit_mb * MB if hard == resource.RLIM_INFINITY else min(limit_mb * MB, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _peak_mb() -> float:
    """This reader's own peak. Linux carries ru_maxrss over fork and exec from the parent (a large server or
    test process would make every fresh reader look grown), so read the current memory's high-water mark."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass  # not Linux
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / MB if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux
