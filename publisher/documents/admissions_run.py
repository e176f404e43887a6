"""The rendering half of admissions: jobs spread over worker processes, results written in order.

Jobs are small and independent: a chunk of PDF letters, a chunk of per-student
DOCX files, a school's combined DOCX, roster or labels, and the merge of a
school's PDF chunks.  Workers ignore Ctrl-C; the main process terminates them
(Ctrl-C, SIGTERM, an error) and the OutputFolder leaves no half-written output.
Workers whose parent is killed outright leave on their own (``publisher.workers``).
"""
from __future__ import annotations

import os
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

from .. import workers as worker_guard
from . import admissions_docx, admissions_pdf, admissions_xlsx
from .admissions import SUMMARY

DOCX_CHUNK = 250
_state: dict = {}


def _init(kit, settings, date, parent_pid: int) -> None:
    worker_guard.guard(parent_pid)
    _state.update(kit=kit, settings=settings, date=date)


def _job(kind: str, school: str, letters, extra=None):
    """Run one job in a worker (or inline); returns (kind, school, extra, result)."""
    kit, settings, date = _state["kit"], _state["settings"], _state["date"]
    if kind == "pdf":
        return kind, school, extra, admissions_pdf.render_letters(letters, settings, date)
    if kind == "merge":
        return kind, school, None, admissions_pdf.merge(letters, "录取通知书", date, extra)
    if kind == "docx":
        return kind, school, extra, [(l.docx_name, admissions_docx.student_docx(kit, l)) for l in letters]
    if kind == "combined":
        return kind, school, extra, admissions_docx.combined_docx(kit, letters)
    if kind == "roster":
        return kind, school, extra, admissions_xlsx.roster_xlsx(school, letters, extra, date)
    if kind == "labels":
        return kind, school, extra, admissions_pdf.labels_pdf(letters, settings, extra, date)
    raise ValueError(kind)


class _Inline:
    """The executor interface, run in this process (one core, or tiny runs)."""

    def __init__(self, kit, settings, date):
        _state.update(kit=kit, settings=settings, date=date)

    def submit(self, fn, *args):
        from concurrent.futures import Future
        future = Future()
        future.set_result(fn(*args))
        return future

    def shutdown(self, wait=True, cancel_futures=False):
        pass


def render_all(plan, out, prefix: str, formats, labels: bool, mask: bool, workers=None, progress=None) -> list[str]:
    mask = mask or getattr(plan.config, "mask", False)
    if mask:
        plan = plan.masked()
    settings = admissions_pdf.Settings.of(plan.config)
    kit = admissions_docx.prepare(plan.config, plan.date) if "docx" in formats else None
    workers = workers or min(2, os.cpu_count() or 1)
    if workers > 1 and plan.total >= 20:
        pool = ProcessPoolExecutor(workers, initializer=_init, initargs=(kit, settings, plan.date, os.getpid()))
    else:
        pool = _Inline(kit, settings, plan.date)
    base = {b.name: (f"{prefix}/{b.folder}" if prefix else b.folder) for b in plan.schools}
    made: list[str] = []
    pdf_chunks: dict[str, list] = {}
    pending = set()
    units = sum(len(b.letters) for b in plan.schools) * (("pdf" in formats) + ("docx" in formats))
    bar = progress(units) if progress and units else None

    def submit(*args):
        pending.add(pool.submit(_job, *args))

    def write(rel: str, data: bytes):
        out.write_bytes(rel, data)
        made.append(rel)

    try:
        if bar:
            bar.__enter__()
        for batch in plan.schools:
            letters = batch.letters
            if "pdf" in formats:
                chunks = [letters[i:i + admissions_pdf.CHUNK] for i in range(0, len(letters), admissions_pdf.CHUNK)]
                pdf_chunks[batch.name] = [None] * len(chunks)
                for i, chunk in enumerate(chunks):
                    submit("pdf", batch.name, chunk, i)
            if "docx" in formats:
                for i in range(0, len(letters), DOCX_CHUNK):
                    submit("docx", batch.name, letters[i:i + DOCX_CHUNK], i)
                submit("combined", batch.name, letters)
            if "xlsx" in formats:
                submit("roster", batch.name, letters, mask)
            if labels:
                submit("labels", batch.name, letters, mask)
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=id):
                pending.discard(future)
                kind, school, extra, result = future.result()
                folder = base[school]
                if kind == "pdf":
                    chunks = pdf_chunks[school]
                    chunks[extra] = result
                    if bar:
                        bar.update(min(admissions_pdf.CHUNK, len(plan_letters(plan, school)) - extra * admissions_pdf.CHUNK))
                    if all(c is not None for c in chunks):
                        submit("merge", school, chunks, len(plan_letters(plan, school)))
                elif kind == "merge":
                    write(f"{folder}/录取通知书.pdf", result)
                elif kind == "docx":
                    for name, data in result:
                        write(f"{folder}/通知书/{name}", data)
                    if bar:
                        bar.update(len(result))
                elif kind == "combined":
                    write(f"{folder}/录取通知书.docx", result)
                elif kind == "roster":
                    write(f"{folder}/录取名单.xlsx", result)
                elif kind == "labels":
                    write(f"{folder}/邮寄标签.pdf", result)
        if "xlsx" in formats:
            write(f"{prefix}/{SUMMARY}" if prefix else SUMMARY, admissions_xlsx.summary_xlsx(plan))
    except BaseException:
        _terminate(pool)
        raise
    finally:
        if bar:
            bar.__exit__(None, None, None)
    pool.shutdown(wait=True)
    return sorted(made)


def plan_letters(plan, school: str):
    return next(b.letters for b in plan.schools if b.name == school)


def _terminate(pool) -> None:
    """Stop workers now (Ctrl-C or an error): no job keeps running after we leave."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.terminate()
        except (OSError, ValueError, AttributeError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)
