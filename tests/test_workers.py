"""A killed run leaves no process and no temporary folder behind (issue 11, item 6).

Real runs in a subprocess, big enough to start worker processes; children are found
through /proc, so these tests run on Linux only.  Deadlines below are generous limits
for a process to go away, not timings.
"""
from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")

# The CLI with two workers even on a one-core machine (admissions uses min(2, cpu_count) workers).
DRIVER = "import os, sys; os.cpu_count = lambda: 2; from publisher.cli import main; sys.exit(main())"
DEADLINE = 30


def stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    return fields[0], int(fields[1])


def alive(pid: int) -> bool:
    found = stat(pid)
    return found is not None and found[0] not in ("Z", "X")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            info = stat(int(entry.name))
            if info and info[1] == pid and info[0] not in ("Z", "X"):
                found.append(int(entry.name))
    return found


def wait_until(predicate, what: str):
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.1)
    pytest.fail(f"not within {DEADLINE} s: {what}")


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("make_admissions", ROOT / "bench" / "make_admissions.py")
    maker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(maker)
    return maker.make(tmp_path_factory.mktemp("big"), 800, schools=2)


@pytest.fixture
def reap():
    """Kill (by pid) whatever a failing test left running, so a failure does not leak processes."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


def start(big, tmp_path, reap):
    adm, cat = big
    (tmp_path / "tmp").mkdir(exist_ok=True)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
               TMPDIR=str(tmp_path / "tmp"))
    proc = subprocess.Popen([sys.executable, "-c", DRIVER, "admissions", str(adm), "--catalog", str(cat),
                             "-o", "out", "--format", "pdf"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    workers: list[int] = []

    def started():
        if proc.poll() is not None:
            pytest.fail(f"the run ended before its workers started: {proc.communicate()}")
        workers[:] = children(proc.pid)
        return len(workers) >= 2
    reap.append(proc.pid)
    wait_until(started, "two worker processes")
    reap.extend(workers)
    return proc, workers


def offices(folder: Path) -> list[int]:
    """LibreOffice processes working in ``folder`` (their profile lives in the run's temporary folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
        if entry.name.isdigit() and "soffice" in command and str(folder) in command and alive(int(entry.name)):
            found.append(int(entry.name))
    return found


@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_killed_run_leaves_no_libreoffice(big, tmp_path, reap, how):
    """Letters' PDF comes from LibreOffice started by the workers: it goes with them, and (SIGTERM) the
    run's temporary folder with its LibreOffice profiles goes too."""
    proc, workers = start(big, tmp_path, reap)
    running: list[int] = []
    wait_until(lambda: running.extend(offices(tmp_path / "tmp")) or running, "LibreOffice started")
    reap.extend(running)
    proc.send_signal(getattr(signal, how))
    proc.communicate(timeout=DEADLINE)
    wait_until(lambda: not offices(tmp_path / "tmp"), f"LibreOffice {running} gone")
    if how == "SIGTERM":
        assert list((tmp_path / "tmp").iterdir()) == []


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if ".tmp-" in p.name or ".old-" in p.name]


def test_sigterm_stops_workers_and_removes_the_temporary_folder(big, tmp_path, reap):
    proc, workers = start(big, tmp_path, reap)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=DEADLINE)       # hangs while an orphan worker holds the pipes
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert "已终止" in err and "Traceback" not in err and "内部错误" not in err
    wait_until(lambda: not any(alive(pid) for pid in workers), f"workers {workers} gone")
    assert leftovers(tmp_path) == [] and not (tmp_path / "out").exists()


def test_sigkill_of_the_parent_ends_the_workers(big, tmp_path, reap):
    proc, workers = start(big, tmp_path, reap)
    proc.kill()
    proc.communicate(timeout=DEADLINE)
    wait_until(lambda: not any(alive(pid) for pid in workers), f"workers {workers} gone")


WATCHED = """
import os, sys, time
from concurrent.futures import ProcessPoolExecutor
from publisher import workers
workers._die_with_parent = lambda: None          # the portable fallback alone
pool = ProcessPoolExecutor(1, initializer=workers.guard, initargs=(os.getpid(),))
print(pool.submit(os.getpid).result(), flush=True)
time.sleep(600)
"""


def test_watch_thread_ends_a_worker_without_prctl(tmp_path, reap):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.Popen([sys.executable, "-c", WATCHED], stdout=subprocess.PIPE, text=True, env=env)
    reap.append(proc.pid)
    worker = int(proc.stdout.readline())
    reap.append(worker)
    assert alive(worker)
    proc.kill()
    proc.wait(timeout=DEADLINE)
    wait_until(lambda: not alive(worker), f"worker {worker} gone")
