"""The server's handle on one reader process (geo.upload.worker): start it, give it a file, kill it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from multiprocessing import Pipe
from typing import cast

from geo.upload.worker import READY, Reply, Result, Task

# A plain interpreter with the server's import path, not multiprocessing's spawn: that one also re-runs
# the server's main script in the child (for Streamlit: all of Streamlit, for nothing).
BOOT = "import json, sys; sys.path[:] = json.loads(sys.argv[1]); from geo.upload.worker import main; main(sys.argv[2:])"


class ReaderTimedOut(Exception):
    """No answer within the time allowed."""


class ReaderGone(Exception):
    """The reader died, ran out of memory, or never started."""


class ReaderProcess:
    def __init__(self, preload: tuple[str, ...]):
        ours, theirs = Pipe()
        with theirs:
            self.process = subprocess.Popen(
                [sys.executable, "-c", BOOT, json.dumps(sys.path), str(theirs.fileno()), str(os.getpid()), *preload],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
            )
        self._connection = ours
        self._answered = False  # False from start to READY, and from each task to its reply
        self.peak_mb = 0.0

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def reusable(self) -> bool:
        """Alive and in step: it answered all it was asked (a timed-out reading may still answer later)."""
        return self._answered and self.process.poll() is None

    def wait_ready(self, timeout_s: float) -> None:
        if self._receive(timeout_s) != READY:
            raise ReaderGone("unexpected first message")
        self._answered = True

    def read(self, task: Task[Result], time_limit_s: float) -> Result:
        """The task's result, or the exception it raised; ReaderTimedOut or ReaderGone when it gave none."""
        self._answered = False
        try:
            self._connection.send(task)
        except OSError:
            raise ReaderGone("could not send the task") from None
        reply = self._receive(time_limit_s)
        if not isinstance(reply, Reply):
            raise ReaderGone("out of step")
        self.peak_mb = reply.peak_mb
        if isinstance(reply.error, MemoryError):  # its heap may be in any state: not to be reused
            raise ReaderGone("out of memory")
        self._answered = True
        if reply.error is not None:
            raise reply.error
        return cast(Result, reply.value)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        self._connection.close()

    def _receive(self, timeout_s: float) -> object:
        try:
            if not self._connection.poll(timeout_s):
                raise ReaderTimedOut
            return self._connection.recv()
        except (EOFError, OSError):
            raise ReaderGone("the reader ended") from None
