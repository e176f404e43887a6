"""The rendering half of admissions: jobs spread over worker processes, results written as they come.

Jobs are independent: a batch of PDF chunks (each a chunk of a school's letters
joined into one DOCX; one LibreOffice start converts the whole batch), a chunk of
per-student DOCX files, a school's combined DOCX, roster or labels, and the merge
of a school's PDF chunks.  Each worker compiles the letter template once and keeps
its own LibreOffice profile in the run's temporary folder, removed at the end.
Workers ignore Ctrl-C; the main process terminates them (Ctrl-C, SIGTERM, an
error) and the OutputFolder leaves no half-written output.  Workers whose parent
is killed outright leave on their own (``publisher.workers``), and LibreOffice
with them (``render.office``).
"""
from __future__ import annotations

import math
import os
import shutil
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

from .. import workers as worker_guard
from . import admissions_docx, admissions_pdf, admissions_xlsx
from .admissions import SUMMARY

DOCX_CHUNK = 250
BATCH = 1000                   # letters of PDF chunks one LibreOffice start converts at most
_state: dict = {}


def _init(kit, settings, folder, date, parent_pid: int) -> None:
    worker_guard.guard(parent_pid)
    _state.clear()
    _state.update(kit=kit, settings=settings, folder=folder, date=date)


def _office():
    from ..render.office import Office
    if "office" not in _state:
        _state["office"] = Office(_state["settings"].fonts, _state["folder"])
    return _state["office"]


def _job(kind: str, school: str, payload, chunk: int = 0):
    """Run one job in a worker (or inline); returns (kind, school, chunk, result).

    ``payload`` holds the school's letters of this job (for "pdf": (chunk, letters) pairs,
    for "merge": the PDF chunks to join).  Letters come masked when masking is asked for.
    """
    kit, settings, date = _state["kit"], _state["settings"], _state["date"]
    if kind == "pdf":
        documents = [admissions_docx.combined_docx(kit, letters, marks=True) for _, letters in payload]
        pdfs = _office().convert(documents, pages=sum(len(letters) for _, letters in payload))
        return kind, school, chunk, [(key, pdf, admissions_pdf.letter_pages(pdf, len(letters)))
                                     for (key, letters), pdf in zip(payload, pdfs)]
    if kind == "merge":
        return kind, school, chunk, admissions_pdf.merge(payload, "录取通知书", date)
    if kind == "docx":
        return kind, school, chunk, [(l.docx_name, admissions_docx.student_docx(kit, l)) for l in payload]
    if kind == "combined":
        return kind, school, chunk, admissions_docx.combined_docx(kit, payload)
    if kind == "roster":
        return kind, school, chunk, admissions_xlsx.roster_xlsx(school, payload, False, date)
    if kind == "labels":
        return kind, school, chunk, admissions_pdf.labels_pdf(payload, settings, False, date)
    raise ValueError(kind)


class _Inline:
    """The executor interface, run in this process (one core, or tiny runs)."""

    def __init__(self, kit, settings, folder, date):
        _state.clear()
        _state.update(kit=kit, settings=settings, folder=folder, date=date)

    def submit(self, fn, *args):
        from concurrent.futures import Future
        future = Future()
        future.set_result(fn(*args))
        return future

    def shutdown(self, wait=True, cancel_futures=False):
        pass


def render(documents, options, report):
    """The ``letters`` kind's bulk renderer: (relative path, bytes) of every file, as jobs finish."""
    for document in documents:
        letters, labels, kit = document.model
        prefix = document.stem.rsplit("/", 1)[0] if "/" in document.stem else ""
        yield from render_letters(letters, kit, prefix, options, labels, report)


def pdf_jobs(letter_set, workers: int) -> list[list]:
    """PDF work in batches: [(school, chunk, letters)], chunks of at most ``admissions_pdf.CHUNK`` letters
    of one school, spread over a multiple of ``workers`` batches of at most about ``BATCH`` letters, each as
    large as the others (largest chunk first into the lightest batch), so no worker waits for another."""
    chunks = []
    for batch in letter_set.schools:
        letters = batch.letters
        parts = max(1, math.ceil(len(letters) / admissions_pdf.CHUNK))
        step = math.ceil(len(letters) / parts)
        chunks += [(batch.name, i, letters[i * step:(i + 1) * step]) for i in range(parts)]
    workers = max(workers, 1)
    count = min(len(chunks), workers * math.ceil(letter_set.total / (workers * BATCH)))
    jobs: list[list] = [[] for _ in range(max(count, 1))]
    loads = [0] * len(jobs)
    for chunk in sorted(chunks, key=lambda c: -len(c[2])):
        lightest = loads.index(min(loads))
        jobs[lightest].append(chunk)
        loads[lightest] += len(chunk[2])
    return [job for job in jobs if job]


def render_letters(letter_set, kit, prefix: str, options, labels: bool, report=None):
    """Letters come masked when masking is asked for (``LetterSet.masked`` in ``plan``)."""
    formats = options.formats
    settings = admissions_pdf.Settings.of(options)
    workers = options.workers or min(2, os.cpu_count() or 1)
    folder = Path(tempfile.mkdtemp(prefix="publisher-letters-"))
    if workers > 1 and letter_set.total >= 20:
        pool = ProcessPoolExecutor(workers, initializer=_init,
                                   initargs=(kit, settings, folder, letter_set.date, os.getpid()))
    else:
        pool = _Inline(kit, settings, folder, letter_set.date)
    base = {b.name: (f"{prefix}/{b.folder}" if prefix else b.folder) for b in letter_set.schools}
    letters_of = {b.name: b.letters for b in letter_set.schools}
    pdf_parts: dict[str, dict] = {b.name: {} for b in letter_set.schools}
    expected: dict[str, int] = {}            # school -> its number of PDF chunks
    pending = set()
    units = letter_set.total * (("pdf" in formats) + ("docx" in formats))
    bar = options.progress(units) if options.progress and units else None

    def submit(*args):
        pending.add(pool.submit(_job, *args))

    try:
        if bar:
            bar.__enter__()
        if "pdf" in formats:
            jobs = pdf_jobs(letter_set, workers)
            for job in jobs:
                for school, _, _ in job:
                    expected[school] = expected.get(school, 0) + 1
                submit("pdf", "", [((school, i), chunk) for school, i, chunk in job])
        for batch in letter_set.schools:
            letters = batch.letters
            if "docx" in formats:
                for i in range(0, len(letters), DOCX_CHUNK):
                    submit("docx", batch.name, letters[i:i + DOCX_CHUNK], i)
                submit("combined", batch.name, letters)
            if "xlsx" in formats:
                submit("roster", batch.name, letters)
            if labels:
                submit("labels", batch.name, letters)
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=id):
                pending.discard(future)
                kind, school, chunk, result = future.result()
                if kind == "pdf":
                    for (name, i), pdf, pages in result:
                        parts = pdf_parts[name]
                        parts[i] = (pdf, pages)
                        if bar:
                            bar.update(len(pages))
                        if len(parts) == expected[name]:
                            chunks = [parts[k] for k in sorted(parts)]
                            pages = [p for _, ps in chunks for p in ps]
                            note = admissions_pdf.check_pages(name, letters_of[name], pages)
                            if note and report is not None:
                                report.note(note)
                            submit("merge", name, [pdf for pdf, _ in chunks])
                elif kind == "merge":
                    yield f"{base[school]}/录取通知书.pdf", result
                elif kind == "docx":
                    for name, data in result:
                        yield f"{base[school]}/通知书/{name}", data
                    if bar:
                        bar.update(len(result))
                elif kind == "combined":
                    yield f"{base[school]}/录取通知书.docx", result
                elif kind == "roster":
                    yield f"{base[school]}/录取名单.xlsx", result
                elif kind == "labels":
                    yield f"{base[school]}/邮寄标签.pdf", result
        if "xlsx" in formats:
            yield (f"{prefix}/{SUMMARY}" if prefix else SUMMARY), admissions_xlsx.summary_xlsx(letter_set)
    except BaseException:
        _terminate(pool)
        raise
    finally:
        if bar:
            bar.__exit__(None, None, None)
        pool.shutdown(wait=True)
        _remove(folder)


def _remove(folder: Path) -> None:
    """The run's temporary folder, once the LibreOffice of a stopped worker (killed with it, a moment
    later) has stopped writing into it."""
    for _ in range(50):
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            return
        time.sleep(0.1)


def _terminate(pool) -> None:
    """Stop workers now (Ctrl-C or an error): no job keeps running after we leave."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.terminate()
        except (OSError, ValueError, AttributeError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)
