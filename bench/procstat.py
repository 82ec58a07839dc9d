"""CPU time and resident memory of server processes and their children, read from /proc (Linux)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


def _stat(pid: int) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name (which may hold spaces): [0] is field 3."""
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()


def _tree(roots: Iterable[int]) -> list[int]:
    """The roots and every live descendant (Streamlit apps may start helper processes)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with suppress(OSError, IndexError):  # exited while we looked
                children.setdefault(int(_stat(int(entry.name))[1]), []).append(int(entry.name))
    found, todo = [], list(roots)
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def cpu_ms(roots: Iterable[int]) -> float:
    """User + system CPU of the processes and their descendants, including children already reaped
    (cutime, cstime), in milliseconds. The kernel counts in clock ticks: 10 ms at the usual 100 Hz."""
    ticks = 0
    for pid in _tree(roots):
        try:
            fields = _stat(pid)
        except OSError:
            continue
        ticks += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime (fields 14-17)
    return ticks * 1000 / CLOCK_TICKS


def rss_bytes(roots: Iterable[int]) -> int:
    """Resident memory of the processes and their descendants (shared pages counted in each)."""
    total = 0
    for pid in _tree(roots):
        try:
            total += int(_stat(pid)[21]) * PAGE_BYTES  # rss (field 24), in pages
        except OSError:
            continue
    return total
