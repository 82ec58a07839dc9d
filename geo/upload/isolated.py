"""Read an upload in a reader process (geo.upload.pool) with a time and memory limit, so a hostile or
pathological file (a GDAL parser bug, a slow input, a memory blow-up) costs that process, never the server."""

from __future__ import annotations

from collections.abc import Callable

from geo.upload.messages import fail
from geo.upload.pool import ReaderPool, reader_pool
from geo.upload.reader import Datum, Overlay, list_layers, read_upload
from geo.upload.reader_process import ReaderGone, ReaderTimedOut
from geo.upload.worker import Result, Task

TIME_LIMIT_S = 60  # the reading itself, not the wait for a free reader
MEMORY_LIMIT_MB = 3072  # the reader's address space, its imports included
OnQueued = Callable[[], None] | None  # called once if all readers are busy, before waiting for one


def read_upload_isolated(
    name: str,
    data: bytes,
    *,
    layer: str | None = None,
    source_crs: str | int | None = None,
    datum: Datum = "wgs84",
    on_queued: OnQueued = None,
) -> Overlay:
    """read_upload in a reader process; UploadError also when it runs out of time or memory, or dies."""
    return run_isolated(read_upload, name, data, layer=layer, source_crs=source_crs, datum=datum, on_queued=on_queued)


def list_layers_isolated(name: str, data: bytes, *, on_queued: OnQueued = None) -> list[str]:
    return run_isolated(list_layers, name, data, on_queued=on_queued)


def run_isolated(
    read: Callable[..., Result],
    name: str,
    *args: object,
    time_limit_s: float = TIME_LIMIT_S,
    memory_limit_mb: int = MEMORY_LIMIT_MB,
    on_queued: OnQueued = None,
    pool: ReaderPool | None = None,
    **kwargs: object,
) -> Result:
    """read(name, *args, **kwargs) in a reader of pool (the server's by default); read must be module-level."""
    task = Task(read, name, args, kwargs, memory_limit_mb)
    try:
        return (pool or reader_pool()).read(task, time_limit_s=time_limit_s, on_queued=on_queued)
    except ReaderTimedOut:
        raise fail("too_slow", name=name, limit=int(time_limit_s)) from None
    except ReaderGone:
        raise fail("reader_died", name=name, limit=memory_limit_mb) from None
