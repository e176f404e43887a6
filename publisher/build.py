"""`publisher build`: every document a project folder's sources call for.

Reads top to bottom: find the projects, read and check every source, stop if
anything is wrong, then let each document kind make its outputs into one
atomic output folder with a manifest.
"""
from __future__ import annotations

import importlib
from pathlib import Path

from .errors import CheckFailed, Findings
from .names import Names, clash_text
from .output import MANIFEST, OutputFolder
from .project import Project, load_project, run_checks

# Document kinds taking part in a build, in the order they are made.
BUILDERS = (
    "publisher.documents.catalog",
    "publisher.documents.forms",
    "publisher.documents.notice",
    "publisher.documents.admissions",
    "publisher.documents.compilation",
)


def default_source_dir() -> Path:
    """./catalogs where it exists, else the demo shipped inside the package."""
    local = Path("catalogs")
    if local.is_dir():
        return local
    return Path(__file__).resolve().parent / "demo"      # shipped as publisher.demo


def is_project(folder: Path) -> bool:
    return (folder / "publisher.yaml").is_file() or (folder / "publisher.yml").is_file()


def find_projects(folder: Path, echo=print) -> list[tuple[str, Path]]:
    """(output prefix, folder) for the folder itself or each project folder inside it.

    A prefix is the project folder's name made safe and unique (``publisher.names``):
    two folders that Windows would take for one (``甲`` and ``甲.``, ``A`` and ``a``) get ``-2``.
    """
    if is_project(folder):
        return [("", folder)]
    names = Names([MANIFEST])
    inner = []
    for sub in sorted(folder.iterdir()):
        if sub.is_dir() and is_project(sub):
            prefix, clash = names.claim(sub.name)
            if clash:
                echo(f"{sub}: 警告: 项目文件夹{clash_text(clash)}")
            inner.append((prefix, sub))
    return inner or [("", folder)]


def _builders():
    for name in BUILDERS:
        try:
            yield importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def blocking(project: Project, findings: Findings) -> Findings:
    """Errors that stop the build: all, except those in returns a compilation reports itself."""
    claimed = set()
    for module in _builders():
        claim = getattr(module, "claims", None)
        if claim:
            claimed |= set(claim(project))
    return Findings([f for f in findings.errors if f.location.file not in claimed])


def build_all(folder: Path, out: Path, formats, mask: bool = False, echo=print) -> int:
    """Check every project under ``folder``, then write all outputs into ``out`` at once."""
    projects = []
    all_findings = Findings()
    for prefix, path in find_projects(folder, echo):
        project = load_project([path])
        findings = run_checks(project)
        all_findings.extend(findings)
        projects.append((prefix, project, blocking(project, findings)))
    for finding in all_findings.sorted():
        echo(str(finding))
    errors = Findings([f for _, _, b in projects for f in b])
    returned = sorted({f.location.file for f in all_findings.errors} - {f.location.file for f in errors})
    if returned and not errors.has_errors:
        echo(f"注意：{'、'.join(returned)} 有错误，已在汇总表的报送情况中列出，未计入总计；其余文件照常生成。")
    if errors.has_errors:
        raise CheckFailed(f"发现 {len(errors)} 个错误，未生成任何文件。请按上面的提示修改源文件后重试。")
    sources = [s.path for _, p, _ in projects for s in p.sources]
    made = []
    with OutputFolder(out, sources) as folder_out:
        for prefix, project, _ in projects:
            project.config.mask = mask or project.config.mask
            for module in _builders():
                made += module.build_project(project, folder_out, prefix, formats, mask, echo)
    return len(made)
