"""Read an upload in a child process with a time and memory limit, so a hostile or pathological file
(a GDAL parser bug, a slow input, a memory blow-up) costs the child, never the app's server."""

from __future__ import annotations

import multiprocessing
import resource
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from geo.upload.messages import fail
from geo.upload.reader import Datum, Overlay, list_layers, read_upload

TIME_LIMIT_S = 60
MEMORY_LIMIT_MB = 3072
Result = TypeVar("Result")


def read_upload_isolated(
    name: str, data: bytes, *, layer: str | None = None, source_crs: str | int | None = None, datum: Datum = "wgs84"
) -> Overlay:
    """read_upload in a fresh process; UploadError also when it runs out of time or memory, or dies."""
    return run_isolated(read_upload, name, data, layer=layer, source_crs=source_crs, datum=datum)


def list_layers_isolated(name: str, data: bytes) -> list[str]:
    return run_isolated(list_layers, name, data)


def run_isolated(
    read: Callable[..., Result],
    name: str,
    *args: object,
    time_limit_s: float = TIME_LIMIT_S,
    memory_limit_mb: int = MEMORY_LIMIT_MB,
    **kwargs: object,
) -> Result:
    # "spawn": a clean interpreter, not a fork of the threaded Streamlit server.
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_limit_memory, initargs=(memory_limit_mb,))
    try:
        return pool.submit(read, name, *args, **kwargs).result(timeout=time_limit_s)
    except FutureTimeout:
        raise fail("too_slow", name=name, limit=int(time_limit_s)) from None
    except (BrokenProcessPool, MemoryError):
        raise fail("reader_died", name=name, limit=memory_limit_mb) from None
    finally:
        for process in list(getattr(pool, "_processes", {}).values()):  # a timed-out child is still working
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)


def _limit_memory(limit_mb: int) -> None:
    limit = limit_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
