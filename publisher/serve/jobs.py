"""Jobs: a bounded pool, each job in its own private folder and its own process.

``Board`` holds the jobs of this server and nothing else: no listing (a job is
found only by its random id), at most ``max_jobs`` running (each a thread waiting
on one job process), at most ``max_waiting`` in line (then ``Busy``: 503).  A job's
folder (mode 700, under the server's own private folder) holds ``src/`` (a copy of
the office's folder and the uploads), ``out/`` (the pipeline's output folder),
``annotated/`` and ``result.zip``; it is removed ``keep`` seconds after the job
ended and when the server stops.  A job past ``time_limit`` is stopped.

Why processes and not threads: the job gets the render time limit that needs the
main thread (the template sandbox's SIGALRM), its own current folder (findings name
the files as uploaded), memory that goes back when it ends, and it can be stopped
outright at shutdown or time-out; WeasyPrint is not documented as thread-safe.
"""
from __future__ import annotations

import logging
import multiprocessing
import secrets
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger("publisher.serve")

PRELOAD = ["publisher.serve.work", "publisher.documents.admissions_run", "publisher.documents.notice_pdf",
           "publisher.documents.catalog_html", "weasyprint", "docx", "docxtpl", "openpyxl"]
STOPPED = "服务器正在停止，任务已取消；请稍后重新上传"


class Busy(Exception):
    """Too many jobs waiting: the request gets 503 with this message."""


@dataclass
class Job:
    id: str
    folder: Path
    what: str                           # "check" or "build"
    state: str = "queued"               # queued | running | done | failed
    stage: str = ""                     # check | build | pack: what a running job is doing
    done: int = 0
    total: int = 0
    findings: list = field(default_factory=list)
    files: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    message: str = ""                   # Chinese: why it failed, or what to know about the result
    can: list = field(default_factory=list)
    schools: list = field(default_factory=list)
    annotated: list = field(default_factory=list)
    ended: float | None = None
    finished: threading.Event = field(default_factory=threading.Event)

    @property
    def src(self) -> Path:
        return self.folder / "src"

    @property
    def zip(self) -> Path:
        from .work import ZIP_NAME
        return self.folder / ZIP_NAME

    def status(self) -> dict:
        """``GET /api/jobs/<id>``."""
        data = {"job": self.id, "what": self.what, "state": self.state, "stage": self.stage, "done": self.done,
                "total": self.total, "findings": self.findings, "files": self.files, "notes": self.notes,
                "message": self.message, "can": self.can, "schools": self.schools,
                "annotated": [{"file": a["file"], "name": a["name"], "url": f"/api/jobs/{self.id}/annotated/{i}"}
                              for i, a in enumerate(self.annotated)]}
        if self.state == "done" and self.what == "build":
            data["download"] = f"/api/jobs/{self.id}/download"
        return data

    def take(self, message: tuple) -> None:
        """Apply one message of the job process (``publisher.serve.work``)."""
        kind, *rest = message
        if kind == "checked":
            info = rest[0]
            self.findings, self.can, self.schools = info["findings"], info["can"], info["schools"]
            self.annotated, self.notes, self.stage = info["annotated"], info["notes"], "build"
        elif kind == "progress":
            self.done, self.total = rest
        elif kind == "stage":
            self.stage = rest[0]
        elif kind == "done":
            info = rest[0]
            if "findings" in info:
                self.findings = info["findings"]
            self.files = info.get("files", [])
            self.notes = info.get("notes", self.notes)
            rejected = info.get("rejected") or []
            if rejected:                  # the command line's exit 3
                self.message = (f"{'、'.join(rejected)} 有错误，已在汇总表的报送情况中列出，未计入总计；"
                                "其余文件照常生成")
            self.end("done")
        elif kind == "failed":
            info = rest[0]
            self.message = info["message"]
            if "findings" in info:
                self.findings = info["findings"]
            if info.get("trace"):
                log.error("job %s: internal error: %s", self.id, info["trace"])
            self.end("failed")

    def end(self, state: str) -> None:
        if self.finished.is_set():
            return
        self.state, self.stage, self.ended = state, "", time.monotonic()
        self.finished.set()


class Board:
    """The server's jobs."""

    def __init__(self, settings, root: Path):
        self.settings = settings
        self.root = root
        self._jobs: dict[str, Job] = {}
        self._running: dict[str, object] = {}          # job id -> its process
        self._lock = threading.Lock()
        self._closing = False
        self._pool = ThreadPoolExecutor(settings.max_jobs, thread_name_prefix="publisher-job")
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(PRELOAD)

    def new(self, what: str) -> Job:
        """A job with its private folder, not yet started; ``Busy`` when too many wait."""
        with self._lock:
            waiting = sum(1 for j in self._jobs.values() if j.state == "queued")
            if self._closing or waiting >= self.settings.max_waiting:
                raise Busy("服务器正忙（排队的任务太多），请过几分钟再试")
            job_id = secrets.token_urlsafe(16)
            folder = self.root / job_id
            folder.mkdir(mode=0o700)
            job = Job(job_id, folder, what)
            job.src.mkdir(mode=0o700)
            self._jobs[job_id] = job
        return job

    def start(self, job: Job, spec: dict) -> None:
        spec = dict(spec, src=str(job.src), out=str(job.folder / "out"), work=str(job.folder), what=job.what,
                    office=str(self.settings.folder) if self.settings.folder else None)
        log.info("job %s: %s queued", job.id, job.what)
        self._pool.submit(self._execute, job, spec)

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def discard(self, job: Job) -> None:
        """Forget a job that never started (its request was refused) and remove its folder."""
        with self._lock:
            self._jobs.pop(job.id, None)
        shutil.rmtree(job.folder, ignore_errors=True)

    def sweep(self, now: float | None = None) -> int:
        """Remove the jobs that ended more than ``keep`` seconds ago; how many went."""
        now = time.monotonic() if now is None else now
        with self._lock:
            old = [j for j in self._jobs.values() if j.ended is not None and now - j.ended > self.settings.keep]
            for job in old:
                del self._jobs[job.id]
        for job in old:
            shutil.rmtree(job.folder, ignore_errors=True)
            log.info("job %s: removed", job.id)
        return len(old)

    def close(self) -> None:
        """Stop: waiting jobs are cancelled, running ones stopped, every job folder removed."""
        with self._lock:
            self._closing = True
            running = list(self._running.values())
        for process in running:
            _stop(process)
        self._pool.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            jobs = list(self._jobs.values())
            self._jobs.clear()
        for job in jobs:
            job.message = job.message or STOPPED
            job.end("failed")
            shutil.rmtree(job.folder, ignore_errors=True)

    # ---------------------------------------------------------------- inside a pool thread

    def _execute(self, job: Job, spec: dict) -> None:
        if self._closing:
            return
        job.state, job.stage = "running", "check"
        log.info("job %s: running", job.id)
        try:
            self._supervise(job, spec)
        except Exception as exc:          # a bug here must not leave the job running for ever
            from .work import INTERNAL, trace_of
            job.take(("failed", {"message": INTERNAL, "trace": trace_of(exc)}))
        finally:
            job.end("failed")             # no-op when the job ended properly
            log.info("job %s: %s", job.id, job.state)

    def _supervise(self, job: Job, spec: dict) -> None:
        from . import work
        receiver, sender = self._context.Pipe(duplex=False)
        process = self._context.Process(target=work.run, args=(spec, sender), name=f"publisher-job-{job.id[:6]}")
        with self._lock:
            if self._closing:
                return
            process.start()
            self._running[job.id] = process
        sender.close()
        deadline = time.monotonic() + self.settings.time_limit
        try:
            while True:
                if receiver.poll(0.2):
                    try:
                        job.take(receiver.recv())
                    except EOFError:
                        break
                    continue
                if not process.is_alive() and not receiver.poll(0):
                    break
                if time.monotonic() > deadline:
                    _stop(process)
                    minutes = round(self.settings.time_limit / 60)
                    job.take(("failed", {"message": f"任务超过了 {minutes} 分钟的时间限制，已停止；"
                                                    "请减少一次处理的数据量，或请管理员调整"}))
                    break
        finally:
            receiver.close()
            process.join(5)
            if process.is_alive():
                _stop(process)
            with self._lock:
                self._running.pop(job.id, None)
        if not job.finished.is_set():
            stopped = self._closing
            job.take(("failed", {"message": STOPPED if stopped else
                                 f"生成过程意外中止（退出码 {process.exitcode}），可能是内存不足；请减少一次处理的数据量后重试"}))


def _stop(process) -> None:
    """End a job process now (its letter workers die with it: ``publisher.workers``)."""
    try:
        process.terminate()
        process.join(3)
        if process.is_alive():
            process.kill()
            process.join(3)
    except (OSError, ValueError, AttributeError):
        pass
