"""What runs inside a job's own process: check, then build, then pack — the command line's library calls.

A job process is forked from a clean server process (``multiprocessing``'s
forkserver, with these modules loaded once), so it starts in milliseconds, has one
thread, and can be stopped outright.  It works in the job's source folder as its
current folder, so findings name files as the clerk uploaded them
(``registrations.xlsx:Sheet1!F9``), exactly as ``publisher check`` run in that folder.

It reports through a pipe, in order:
``("checked", {...})`` — findings, the kinds the sources allow, the schools, marked-up workbooks;
``("progress", done, total)`` — from the letters' progress bar;
then ``("done", {...})`` or ``("failed", {...})``.  Nothing it sends is logged by the
server but a failure's exception type and code lines (``trace``), never a message.
"""
from __future__ import annotations

import multiprocessing
import os
import traceback
import zipfile
from pathlib import Path

from .. import kinds as registry
from .. import pipeline
from ..errors import CheckFailed, Findings, Location, PublisherError
from ..workers import guard

ZIP_NAME = "result.zip"
INTERNAL = ("生成时发生了内部错误（软件缺陷，不是您的数据有问题）；请把上传的文件和操作步骤告诉管理员，"
            "管理员可以在服务器的日志中按任务编号查到出错的位置")


def run(spec: dict, conn) -> None:
    """The job process's entry: ``spec`` holds ``src``, ``out``, ``work``, ``office`` and the order."""
    # A forkserver child inherits "forkserver" as its default start method; the letters' worker
    # pool must be our own children (``publisher.workers.guard`` checks its parent), as on the CLI.
    multiprocessing.set_start_method("fork", force=True)
    guard(os.getppid())                 # die with the server; SIGTERM ends us at once
    tell = conn.send
    try:
        _run(spec, tell)
    except BaseException as exc:         # noqa: BLE001 — whatever happens, the page gets Chinese, the log no data
        tell(("failed", {"message": INTERNAL, "trace": trace_of(exc)}))
    finally:
        conn.close()


def _run(spec: dict, tell) -> None:
    from .office import Office
    src, out, work = Path(spec["src"]), Path(spec["out"]), Path(spec["work"])
    try:
        office = Office.scan(Path(spec["office"]) if spec.get("office") else None)
    except PublisherError as exc:
        tell(("failed", {"message": exc.message}))
        return
    notes = [f"上传的“{rel}”代替了服务器项目文件夹中的同名文件（只用于这一次）"
             for rel in office.copy_into(src)]
    os.chdir(src)
    project, findings = pipeline.check([Path(".")])
    outside = _outside(project, src)
    findings = _confined(findings, outside)
    checked = {"findings": _json(findings), "can": can_make(project), "schools": schools(project),
               "annotated": _annotate(project, findings, work / "annotated"), "notes": notes}
    tell(("checked", checked))
    if spec["what"] == "check":
        tell(("done", {}))
        return
    if outside:
        tell(("failed", {"message": "源文件引用了没有一起上传的文件，未生成任何文件；请把它们一起上传", "findings": checked["findings"]}))
        return
    try:
        written, result_notes, findings, rejected = _build(spec, out, tell)
    except CheckFailed as exc:
        tell(("failed", {"message": exc.message, "findings": _json(Findings(exc.findings))}))
        return
    except PublisherError as exc:
        tell(("failed", {"message": exc.message.removeprefix("错误: "), "findings": _json(Findings(exc.findings))}))
        return
    tell(("stage", "pack"))
    files = pack(out, work / ZIP_NAME)
    tell(("done", {"findings": _json(findings), "files": files, "notes": notes + result_notes, "written": written,
                   "rejected": rejected}))


def _build(spec: dict, out: Path, tell):
    """One ``pipeline`` call per group of kinds that take the same parameters; all into ``out``."""
    bar = Progress(tell)
    template = Path(spec["template"]).resolve() if spec.get("template") else None
    kinds = list(spec["kinds"])
    request = dict(formats=spec.get("formats"), mask=spec.get("mask"), letter_template=template, progress=bar)
    if not kinds:
        result = pipeline.build(Path("."), out, pipeline.Request(command="publisher serve（全部）",
                                                                owner="publisher serve all", **request))
        results = [result]
    else:
        groups = [k for k in kinds if k != "letters"], (["letters"] if "letters" in kinds else [])
        results = []
        for group in groups:
            if not group:
                continue
            params = {"school": spec.get("school")} if group == ["letters"] else {}
            name = " ".join(group)
            results.append(pipeline.run(group, [Path(".")], out, pipeline.Request(
                command=f"publisher serve {name}", owner=f"publisher serve {name}", params=params, **request)))
    findings = Findings()
    written, notes = [], []
    for result in results:
        findings.extend(result.findings)
        written += result.written
        notes += result.notes
    bar.finish(len(written))
    rejected = sorted({f.location.file for r in results if r.has_errors for f in r.findings.errors})
    return len(written), notes, findings, rejected


class Progress:
    """``Options.progress``: a factory of click-progressbar-like bars; every bar of a job adds to one count."""

    def __init__(self, tell):
        self.tell = tell
        self.done = 0
        self.total = 0

    def __call__(self, total: int) -> "Progress":
        self.total += total
        self.tell(("progress", self.done, self.total))
        return self

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        return None

    def update(self, n: int) -> None:
        self.done += n
        self.tell(("progress", self.done, self.total))

    def finish(self, files: int) -> None:
        """Runs without a bar (no letters) count what they made; a bar's count stays as it was."""
        if not self.total:
            self.done = self.total = files
        self.tell(("progress", self.total, self.total))


def can_make(project) -> list[dict]:
    """The kinds these sources allow, as ``publisher build`` decides (``Kind.wants``), in build order."""
    return [{"what": k.name, "label": k.label, "formats": list(k.formats)} for k in registry.kinds()
            if k.wants(project)]


def schools(project) -> list[str]:
    """Schools admitted students go to (for “letters for one school”), in the order of the lists."""
    seen: dict[str, None] = {}
    for source in project.of_kind("admissions"):
        for person in source.model.rows:
            if person.target_school:
                seen.setdefault(person.target_school, None)
    return list(seen)


def _outside(project, src: Path) -> dict[str, Location]:
    """Sources a notice's attachment names outside the job's folder: display -> where it is named.

    On the command line a notice may print any table on the user's own disk; on the page it may
    print only what was uploaded with it (or the office's folder holds), never a file of the server."""
    root = src.resolve()
    far = {}
    for notice in project.of_kind("notice"):
        for att in notice.model.all_attachments:
            ref = att.source_ref()
            if ref is not None and not Path(ref[1]).resolve().is_relative_to(root):
                far[str(ref[1])] = att.loc(ref[0])
    return far


def _confined(findings: Findings, outside: dict[str, Location]) -> Findings:
    """Findings without those located in files outside the job (they could quote a server file),
    and one error at each attachment that names such a file."""
    if not outside:
        return findings
    from ..sources import display_name
    far = {display_name(Path(p)) for p in outside} | set(outside)
    kept = Findings([f for f in findings if f.location.file not in far])
    for path, where in outside.items():
        kept.error(where, "serve.outside", f"附件的数据文件“{Path(path).name}”不在上传的文件中；"
                   "在网页上只能引用一起上传的文件，请把它一起上传，并在 YAML 中只写文件名")
    return kept


def _annotate(project, findings: Findings, dest: Path) -> list[dict]:
    """Marked-up copies of the workbooks with findings (``publisher check --annotate``), when the
    module is there: ``[{"file": display, "name": path under dest}]``, one call per file so each copy
    is known to belong to its file."""
    if not len(findings):
        return []
    try:
        from ..annotate import annotate_workbooks
    except ImportError:
        return []
    dest.mkdir(parents=True, exist_ok=True)
    made = []
    for display in dict.fromkeys(f.location.file for f in findings.sorted()):
        mine = Findings([f for f in findings if f.location.file == display])
        for path in annotate_workbooks(project, mine, dest):
            made.append({"file": display, "name": Path(path).resolve().relative_to(dest.resolve()).as_posix()})
    return made


def _json(findings: Findings) -> list[dict]:
    return [f.as_json() for f in findings.sorted()]


def pack(out: Path, target: Path) -> list[str]:
    """Every file of the output folder (manifest.json included) into one ZIP; the files' names."""
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()
                   and not any(part.startswith(".") for part in p.relative_to(out).parts))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.write(out / name, name)
    return names


def trace_of(exc: BaseException) -> str:
    """Where an exception came from — type and code lines only, never its message (it may hold data)."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames[-6:]))
    return f"{type(exc).__name__} at {where}"
