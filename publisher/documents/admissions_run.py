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


def _job(kind: str, school: str, letters, chunk: int = 0, pages: int | None = None):
    """Run one job in a worker (or inline); returns (kind, school, chunk, result).

    ``letters`` are the school's letters of this job (for "merge": the PDF chunks to join);
    ``chunk`` numbers a job's part of the school's letters; ``pages`` is the page count a
    merged PDF must have.  Letters come masked when masking is asked for.
    """
    kit, settings, date = _state["kit"], _state["settings"], _state["date"]
    if kind == "pdf":
        return kind, school, chunk, admissions_pdf.render_letters(letters, settings, date)
    if kind == "merge":
        return kind, school, chunk, admissions_pdf.merge(letters, "录取通知书", date, pages)
    if kind == "docx":
        return kind, school, chunk, [(l.docx_name, admissions_docx.student_docx(kit, l)) for l in letters]
    if kind == "combined":
        return kind, school, chunk, admissions_docx.combined_docx(kit, letters)
    if kind == "roster":
        return kind, school, chunk, admissions_xlsx.roster_xlsx(school, letters, False, date)
    if kind == "labels":
        return kind, school, chunk, admissions_pdf.labels_pdf(letters, settings, False, date)
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


def render(documents, options, report):
    """The ``letters`` kind's bulk renderer: (relative path, bytes) of every file, as jobs finish."""
    for document in documents:
        letters, labels = document.model
        prefix = document.stem.rsplit("/", 1)[0] if "/" in document.stem else ""
        yield from render_letters(letters, prefix, options, labels)


def render_letters(letter_set, prefix: str, options, labels: bool):
    """Letters come masked when masking is asked for (``LetterSet.masked`` in ``plan``)."""
    formats = options.formats
    settings = admissions_pdf.Settings.of(options)
    kit = admissions_docx.prepare(options, letter_set.date) if "docx" in formats else None
    workers = options.workers or min(2, os.cpu_count() or 1)
    if workers > 1 and letter_set.total >= 20:
        pool = ProcessPoolExecutor(workers, initializer=_init, initargs=(kit, settings, letter_set.date, os.getpid()))
    else:
        pool = _Inline(kit, settings, letter_set.date)
    base = {b.name: (f"{prefix}/{b.folder}" if prefix else b.folder) for b in letter_set.schools}
    pdf_chunks: dict[str, list] = {}
    pending = set()
    units = sum(len(b.letters) for b in letter_set.schools) * (("pdf" in formats) + ("docx" in formats))
    bar = options.progress(units) if options.progress and units else None

    def submit(*args):
        pending.add(pool.submit(_job, *args))

    try:
        if bar:
            bar.__enter__()
        for batch in letter_set.schools:
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
                submit("roster", batch.name, letters)
            if labels:
                submit("labels", batch.name, letters)
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=id):
                pending.discard(future)
                kind, school, chunk, result = future.result()
                folder = base[school]
                if kind == "pdf":
                    chunks = pdf_chunks[school]
                    chunks[chunk] = result
                    count = len(letters_of(letter_set, school))
                    if bar:
                        bar.update(min(admissions_pdf.CHUNK, count - chunk * admissions_pdf.CHUNK))
                    if all(c is not None for c in chunks):
                        submit("merge", school, chunks, 0, count)
                elif kind == "merge":
                    yield f"{folder}/录取通知书.pdf", result
                elif kind == "docx":
                    for name, data in result:
                        yield f"{folder}/通知书/{name}", data
                    if bar:
                        bar.update(len(result))
                elif kind == "combined":
                    yield f"{folder}/录取通知书.docx", result
                elif kind == "roster":
                    yield f"{folder}/录取名单.xlsx", result
                elif kind == "labels":
                    yield f"{folder}/邮寄标签.pdf", result
        if "xlsx" in formats:
            yield (f"{prefix}/{SUMMARY}" if prefix else SUMMARY), admissions_xlsx.summary_xlsx(letter_set)
    except BaseException:
        _terminate(pool)
        raise
    finally:
        if bar:
            bar.__exit__(None, None, None)
    pool.shutdown(wait=True)


def letters_of(letter_set, school: str):
    return next(b.letters for b in letter_set.schools if b.name == school)


def _terminate(pool) -> None:
    """Stop workers now (Ctrl-C or an error): no job keeps running after we leave."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.terminate()
        except (OSError, ValueError, AttributeError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)
