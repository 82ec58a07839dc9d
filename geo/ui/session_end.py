"""When a browser session ends, free what it kept and give the memory back to the system.

Streamlit 1.67 keeps a left session for `server.disconnectedSessionTTL` seconds, so that a tab that lost its
connection resumes it, and then only drops it from its session store: the session is never shut down, so the
files it uploaded (Streamlit's uploaded-file manager keeps them per session id) and the bytes of its download
buttons and images (media files) stay in memory for the life of the server. The one hook Streamlit gives a
session's end is the release of a session-scoped cached resource, called when the session's websocket closes.
From there we wait out the TTL and, if the session has not come back, close it as Streamlit does at logout
(Runtime.close_session), then collect its garbage and ask glibc to return freed pages.
"""

from __future__ import annotations

import asyncio
import ctypes
import gc
import logging
from dataclasses import dataclass

import streamlit as st
from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

GRACE_S = 5  # after the TTL, so that Streamlit's own store has let the session go
log = logging.getLogger(__name__)
_pending: dict[str, asyncio.TimerHandle] = {}  # session id → its check; only touched on the event loop


@dataclass(frozen=True)
class SessionTicket:
    session_id: str


def watch_session_end() -> None:
    """Call once per run: the session's ticket is released (and its end noticed) when its websocket closes."""
    _ticket()


def _ended(ticket: SessionTicket) -> None:
    try:
        loop = asyncio.get_running_loop()  # a websocket closing runs on Streamlit's event loop
    except RuntimeError:
        return  # released by a cache clear on a script thread: the session goes on
    _check_later(loop, ticket.session_id)


@st.cache_resource(show_spinner=False, scope="session", on_release=_ended)
def _ticket() -> SessionTicket:
    ctx = get_script_run_ctx()
    return SessionTicket(ctx.session_id if ctx else "")


def _check_later(loop: asyncio.AbstractEventLoop, session_id: str) -> None:
    if not session_id:
        return
    if session_id in _pending:
        _pending.pop(session_id).cancel()
    delay = st.get_option("server.disconnectedSessionTTL") + GRACE_S
    _pending[session_id] = loop.call_later(delay, _close_if_gone, loop, session_id)


def _close_if_gone(loop: asyncio.AbstractEventLoop, session_id: str) -> None:
    _pending.pop(session_id, None)
    if not runtime.exists():
        return
    app = runtime.get_instance()
    if app.is_active_session(session_id):  # it came back: look again after its next chance to leave
        _check_later(loop, session_id)
        return
    app.close_session(session_id)  # a no-op for the session itself if the store already dropped it ...
    app.uploaded_file_mgr.remove_session_files(session_id)  # ... so its files are removed here either way
    app.media_file_mgr.clear_session_refs(session_id)
    app.media_file_mgr.remove_orphaned_files()
    loop.run_in_executor(None, give_memory_back)  # a full collection can take a moment: not on the event loop


def give_memory_back() -> None:
    """Collect cycles (a session's state holds some), then return glibc's freed heap pages to the system:
    without malloc_trim, memory freed in the main arena stays in the process's RSS."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        log.debug("no glibc malloc_trim here; freed memory stays with the process until reused")
