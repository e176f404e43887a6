"""One pipeline for every document kind: load → check → plan → render → write.

Reads top to bottom like a table of contents (as MkDocs' ``build``): read the
projects, run every check (``checks.check_project``: the same verdict as
``publisher check``), stop when an error remains that no kind of the run reports
itself, make the options once per project, let each kind plan its documents,
then render and write them into one atomic output folder with a manifest.

The library raises (``UsageError``, ``CheckFailed``) and returns a ``Result``;
only ``publisher.cli`` prints.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from . import kinds as registry
from .checks import check_project
from .errors import CheckFailed, Findings, UsageError
from .options import Options, make_options
from .project import Project, load_project


@dataclass
class Report:
    """What a run says besides its files: findings (located) and progress notes (plain)."""

    findings: Findings = field(default_factory=Findings)
    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        self.notes.append(text)


@dataclass
class Request:
    """What the command line asked for, before the project's config is known."""

    formats: str | Sequence[str] | None = None     # "pdf,docx" or a sequence; None: all the kinds make
    mask: bool | None = None
    templates: Path | None = None
    letter_template: Path | None = None
    workers: int | None = None
    progress: Callable | None = None
    params: dict = field(default_factory=dict)     # kind-specific: school, labels, blank, city …
    command: str | None = None                      # as typed, for the manifest
    owner: str | None = None                        # the command without -o: whose outputs a rerun replaces


@dataclass
class Result:
    findings: Findings
    written: list[str]
    notes: list[str]
    projects: int = 1

    @property
    def has_errors(self) -> bool:
        """Some inputs were rejected (their errors reported by a compilation) and the rest was made."""
        return self.findings.has_errors


# ---------------------------------------------------------------- checking

def check(paths, registry_path: Path | None = None) -> tuple[Project, Findings]:
    """`publisher check`: every rule over the sources read together; nothing is written."""
    project = load_project(paths)
    return project, check_project(project, registry_path)


def choose_formats(value, kind_names: Sequence[str]) -> tuple[str, ...]:
    """The formats asked for, checked against what the kinds make (bad usage: exit 2)."""
    made = registry.formats_of(kind_names)
    if not value:
        return made
    words = value.split(",") if isinstance(value, str) else list(value)
    chosen = tuple(dict.fromkeys(w.strip().lower() for w in words if w.strip()))
    unknown = [f for f in chosen if f not in registry.FORMATS]
    if unknown:
        raise UsageError(f"错误: 不认识的格式 {'、'.join(unknown)}；可用的有 {','.join(made)}")
    cannot = [f for f in chosen if f not in made]
    if cannot or not chosen:
        what = "、".join(registry.kind(n).label for n in kind_names)
        raise UsageError(f"错误: {what}不能生成 {'、'.join(cannot) or '空的格式列表'} 格式；"
                         f"可用的有 {','.join(made)}")
    return chosen


# ---------------------------------------------------------------- running

def run(kind_names: Sequence[str], paths, out: Path, request: Request) -> Result:
    """A command for named kinds over the sources ``paths`` (one project)."""
    formats = choose_formats(request.formats, kind_names)
    project = load_project(paths)
    return _run([registry.kind(n) for n in kind_names], [("", project)], out, formats, request, explicit=True)


def build(folder: Path, out: Path, request: Request) -> Result:
    """`publisher build`: every kind each project under ``folder`` holds sources for."""
    every = registry.kinds()
    formats = choose_formats(request.formats, [k.name for k in every])
    notes: list[str] = []
    projects = [(prefix, load_project([path])) for prefix, path in find_projects(folder, notes.append)]
    result = _run(every, projects, out, formats, request, explicit=False)
    result.notes[:0] = notes
    return result


def _run(run_kinds: list, projects: list[tuple[str, Project]], out: Path, formats, request: Request,
         explicit: bool) -> Result:
    from .output import OutputFolder
    report = Report()
    blocking = Findings()
    if explicit:
        _require_sources(run_kinds, projects)
    for _, project in projects:
        report.findings.extend(check_project(project, letter_template=request.letter_template))
        reported = set()
        for k in run_kinds:
            if k.reports is not None and (explicit or k.wants(project)):
                reported |= set(k.reports(project))
        blocking.extend(f for f in project.findings.errors if f.location.file not in reported)
    if blocking.has_errors:
        raise CheckFailed("发现错误，未生成任何文件。请按上面的提示修改源文件后重试。", report.findings.sorted())
    work = []
    if explicit:
        _note_unused(run_kinds, projects, report)
    for prefix, project in projects:
        options = make_options(project.config, formats=formats, mask=request.mask, templates=request.templates,
                               letter_template=request.letter_template, workers=request.workers,
                               progress=request.progress)
        for k in run_kinds:
            if not explicit and not k.wants(project):
                continue
            documents = k.plan(project, options, report, **(request.params if explicit else {}))
            documents = [_under(prefix, d) for d in documents]
            if documents:
                work.append((k, documents, options, project))
    sources = sorted({p for _, project in projects for p in project.source_paths})
    written: list[str] = []
    with OutputFolder(out, sources, request.command, request.owner) as folder:
        for k, documents, options, _ in work:
            if k.render is None:
                documents = [_claim(folder, d, report) for d in documents]
            for rel, data in k.render_documents(documents, options, report):
                folder.write_bytes(rel, data)
                written.append(rel)
    return Result(report.findings, written, report.notes, len(projects))


def _require_sources(run_kinds, projects) -> None:
    """A command given none of the sources its kinds need is bad usage (exit 2), said before the
    sources' own errors: the user picked the wrong file."""
    from .sources.schema import KIND_NAMES
    for k in run_kinds:
        needs = k.sources if k.needs is None else k.needs
        for _, project in projects:
            if needs and not any(project.of_kind(n) for n in needs):
                wanted = "或".join(KIND_NAMES.get(n, n) for n in needs)
                raise UsageError(f"错误: 没有找到{wanted}（{project.describe()}）；请检查给出的文件",
                                 project.findings.sorted())


def _note_unused(run_kinds, projects, report: Report) -> None:
    """Sources given to a command that none of its kinds reads: said, not silently dropped."""
    from .sources.schema import KIND_NAMES
    wanted = {k for kind in run_kinds for k in kind.sources}
    what = "、".join(k.label for k in run_kinds)
    for _, project in projects:
        for source in project.sources:
            if source.kind not in wanted:
                report.note(f"{source.display}: 提示: 这是{KIND_NAMES.get(source.kind, source.kind)}，"
                            f"生成{what}用不到，已跳过")


def _claim(folder, document, report: Report):
    """The document's stem made safe and unique in its folder (``publisher.names``): two notices
    named ``CON.yaml`` and ``con.yaml`` get ``CON_`` and ``con_-2``, with a warning."""
    from dataclasses import replace
    from .names import clash_text
    parent, _, base = document.stem.rpartition("/")
    stem, clash = folder.names(parent).claim(base)
    if clash:
        report.note(f"警告: {clash_text(clash)}")
    return replace(document, stem=f"{parent}/{stem}" if parent else stem)


def _under(prefix: str, document):
    if not prefix:
        return document
    from dataclasses import replace
    return replace(document, stem=f"{prefix}/{document.stem}")


# ---------------------------------------------------------------- projects

def default_source_dir() -> Path:
    """./catalogs where it exists, else the demo shipped with publisher: ``publisher.demo`` where
    the package is installed (pyproject maps the repository's catalogs/ there; an editable install
    finds it through its import hook, not under ``publisher/``), else a checkout's catalogs/."""
    import importlib.util
    local = Path("catalogs")
    if local.is_dir():
        return local
    try:
        spec = importlib.util.find_spec("publisher.demo")
    except (ImportError, ValueError):
        spec = None
    for location in (spec.submodule_search_locations or []) if spec is not None else []:
        if Path(location).is_dir():
            return Path(location)
    checkout = Path(__file__).resolve().parent.parent / "catalogs"
    if checkout.is_dir():
        return checkout
    return Path(__file__).resolve().parent / "demo"


CATALOG_WORDS = ("目录", "catalog")


def catalog_beside(source: Path) -> tuple[Path, str]:
    """The catalog an admissions list uses when ``--catalog`` is not given: in the list's own folder,
    a file whose name says 目录/catalog first (else any other source there), read as a catalog; the
    latest year wins.  Returns (path, a sentence saying which); ``UsageError`` when there is none."""
    from .errors import SourceError
    from .sources import SOURCE_SUFFIXES, display_name, load_source
    source = Path(source)
    if not source.exists():
        raise UsageError(f"{source}: 错误: 文件或文件夹不存在")
    folder = source if source.is_dir() else source.parent
    files = [p for p in sorted(folder.iterdir()) if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES
             and not p.name.startswith((".", "~$")) and p.resolve() != source.resolve()
             and p.name not in ("publisher.yaml", "publisher.yml")]
    named = [p for p in files if any(w in p.name.lower() for w in CATALOG_WORDS)]
    found = []
    for path in named or files:
        try:
            loaded = load_source(path, display_name(path), kinds=("catalog",))
        except (SourceError, RecursionError):
            continue
        if loaded.kind == "catalog":
            found.append((loaded.model.year or 0, path))
    if not found:
        raise UsageError(f"错误: 没有给出 --catalog，在 {display_name(folder) or '.'} 中也没有找到目录；"
                         "请用 --catalog 指定本年度的技能扶贫技工院校和专业目录")
    year, path = max(found, key=lambda item: (item[0], item[1].name))
    others = [p.name for _, p in found if p != path]
    why = f"（{year}年度，年份最新；另有 {'、'.join(others)}）" if others else (f"（{year}年度）" if year else "")
    return path, f"未给出 --catalog，使用同一文件夹中的目录 {display_name(path)}{why}"


def is_project(folder: Path) -> bool:
    from .config import CONFIG_NAMES
    return any((folder / name).is_file() for name in CONFIG_NAMES)


def find_projects(folder: Path, note=lambda text: None) -> list[tuple[str, Path]]:
    """(output prefix, folder) for the folder itself or each project folder inside it.

    A prefix is the project folder's name made safe and unique (``publisher.names``):
    two folders that Windows would take for one (``甲`` and ``甲.``, ``A`` and ``a``) get ``-2``.
    """
    from .names import Names, clash_text
    from .output import MANIFEST
    if is_project(folder):
        return [("", folder)]
    names = Names([MANIFEST])
    inner = []
    for sub in sorted(folder.iterdir()):
        if sub.is_dir() and is_project(sub):
            prefix, clash = names.claim(sub.name)
            if clash:
                note(f"{sub}: 警告: 项目文件夹{clash_text(clash)}")
            inner.append((prefix, sub))
    return inner or [("", folder)]


__all__ = ["Options", "Report", "Request", "Result", "build", "check", "choose_formats", "run"]
