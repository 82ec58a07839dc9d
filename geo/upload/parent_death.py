"""Make a child process die with its parent, so a reader never outlives a server that was killed (kill -9
leaves no chance to clean up: without this the reader would run on under PID 1)."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_INTERVAL_S = 0.5


def die_with_parent(parent_pid: int) -> None:
    """Linux: the kernel sends SIGKILL when the parent ends. Everywhere: a thread exits when the parent
    changes, which also covers a parent that died before prctl ran (we would already be PID 1's)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    threading.Thread(target=_watch, args=(parent_pid,), name="parent-watchdog", daemon=True).start()


def _watch(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(WATCH_INTERVAL_S)
    os._exit(1)  # no cleanup: nobody is left to read our answer
