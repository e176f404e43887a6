"""Worker processes that never outlive the run that started them.

A worker of ``ProcessPoolExecutor`` blocks on its call queue; when the parent is
killed outright (``kill -9``, the OOM killer, a closed terminal) nothing tells the
worker, and with fork every worker holds the queue's write end itself, so it
waits for ever holding a few hundred MB.  ``guard`` (the pool's initializer) makes
the worker leave on its own:

- Linux: ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` — the kernel kills the worker the
  moment its parent dies;
- everywhere: a daemon thread that checks twice a second whether the parent is
  gone (POSIX: we were re-parented, ``os.getppid()`` changed; Windows: the parent's
  process handle, ``multiprocessing.parent_process().sentinel``, is signalled) and
  then ends the process with ``os._exit``.

It also gives the worker default signal handling: Ctrl-C goes to the whole
process group, and the parent decides (it terminates the workers itself);
SIGTERM from the parent's ``terminate()`` must end a worker at once, whatever
handler the parent had installed before forking it.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1
POLL = 0.5                 # seconds between checks of the watch thread


def guard(parent_pid: int) -> None:
    """Call first in every worker process (``initializer=``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
    _die_with_parent()
    if sys.platform != "win32" and os.getppid() != parent_pid:
        os._exit(1)        # the parent died before the line above took effect
    threading.Thread(target=_watch, args=(parent_pid,), name="publisher-parent-watch", daemon=True).start()


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass               # no prctl (an unusual libc): the watch thread still ends us


def _watch(parent_pid: int) -> None:
    parent = multiprocessing.parent_process()
    if sys.platform == "win32" and parent is not None and parent.sentinel is not None:
        from multiprocessing.connection import wait
        while not wait([parent.sentinel], timeout=None):
            pass
        os._exit(1)
    import time
    while True:
        time.sleep(POLL)
        if os.getppid() != parent_pid:
            os._exit(1)
