"""A set of sources read together: a project folder or the paths given on the command line.

Checks across sources (a registration's school against the catalog) run here,
so ``publisher check registrations.xlsx catalog.yaml`` and ``check DIR`` agree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import checks
from .config import ProjectConfig, load_config
from .domain.models import Catalog
from .errors import Findings, Location, SourceError, UsageError
from .sources import Source, discover, load_source


@dataclass
class Project:
    config: ProjectConfig
    sources: list[Source] = field(default_factory=list)
    findings: Findings = field(default_factory=Findings)
    root: Path | None = None
    labels: dict[str, str] = field(default_factory=dict)     # display -> the name outputs show

    def of_kind(self, kind: str) -> list[Source]:
        return [s for s in self.sources if s.kind == kind]

    def label(self, display: str) -> str:
        """The name a source has in outputs: its file name (see ``source_labels``)."""
        return self.labels.get(display, display)

    def shown(self, text: str) -> str:
        """``text`` (a location, a message) with every source path in it replaced by its label."""
        for display in sorted(self.labels, key=len, reverse=True):
            if display != self.labels[display] and display in text:
                text = text.replace(display, self.labels[display])
        return text

    def catalog_for(self, city: str = "", year: int | None = None) -> Catalog | None:
        """The catalog that governs a city's registrations: same city, latest year not after ``year``."""
        catalogs = [s.model for s in self.of_kind("catalog")]
        if city:
            same_city = [c for c in catalogs if not c.city or c.city == city]
            catalogs = same_city or catalogs
        if year:
            earlier = [c for c in catalogs if not c.year or c.year <= year]
            catalogs = earlier or catalogs
        return max(catalogs, key=lambda c: c.year or 0, default=None)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def source_labels(arguments: list[Path], files: list[tuple[Path, Path]]) -> dict[Path, str]:
    """file -> its name in outputs, the same from any working folder and holding no local path.

    A file's label is its path inside what was given on the command line: a file given
    -> its name; a file found in a given folder -> its path within that folder.  Two
    files with one label (``济南/附件1.xlsx`` and ``青岛/附件1.xlsx`` given as two folders)
    get the given folder's name in front.
    """
    labels = {}
    for path, given in files:
        base = given if given.is_dir() else given.parent
        try:
            labels[path] = path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            labels[path] = path.name
    counts: dict[str, int] = {}
    for label in labels.values():
        counts[label] = counts.get(label, 0) + 1
    for path, given in files:
        if counts[labels[path]] > 1 and given.is_dir():
            labels[path] = f"{given.resolve().name}/{labels[path]}"
    return labels


def load_project(paths, config: ProjectConfig | None = None, kinds=None) -> Project:
    """Read every source under ``paths`` (files or folders); unreadable files become findings."""
    paths = [Path(p) for p in paths]
    findings = Findings()
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: 错误: 文件或文件夹不存在")
    root = next((p for p in paths if p.is_dir()), None)
    if config is None:
        folder = root or (paths[0].parent if paths else Path.cwd())
        try:
            config = load_config(folder, findings)
        except SourceError as exc:
            config_file = str(folder / "publisher.yaml")
            findings.error(_where(config_file, exc.message), "file.unreadable", _strip(exc.message))
            config = ProjectConfig(root=folder.resolve())
    project = Project(config, findings=findings, root=root)
    files = []
    for path in paths:
        files.extend((found, path) for found in (discover(path) if path.is_dir() else [path]))
    labels = source_labels(paths, files)
    for path, _ in files:
        if path.name in ("publisher.yaml", "publisher.yml") and path.parent == config.root:
            continue
        display = _display(path)
        project.labels[display] = labels[path]
        try:
            source = load_source(path, display, kinds, config)
        except SourceError as exc:
            findings.error(_where(display, exc.message), "file.unreadable", _strip(exc.message))
            continue
        except RecursionError:
            findings.error(Location(display), "file.unreadable", "文件嵌套层次过深，无法读取")
            continue
        if source.kind == "config":
            continue
        project.sources.append(source)
        findings.extend(source.findings)
    return project


def _where(display: str, message: str) -> Location:
    """The location a SourceError message starts with, kept: 'FILE:LINE', 'FILE:SHEET!第N行',
    'FILE:SHEET!B7', 'FILE:SHEET', and for a CSV 'FILE:第N行' or 'FILE:B7'."""
    prefix = message.split(": 错误: ", 1)[0] if ": 错误: " in message else ""
    rest = prefix[len(display):] if prefix.startswith(display) else ""
    match = re.fullmatch(r":(\d+)", rest)
    if match and not display.lower().endswith((".xlsx", ".xlsm", ".csv")):   # a sheet may be named 2019
        return Location(display, line=int(match.group(1)))
    match = re.fullmatch(r":(?:(.+?)!)?(?:第(\d+)行|([A-Z]{1,3})(\d+))", rest)
    if match:
        sheet, row, column, cell_row = match.groups()
        return Location(display, sheet, int(row or cell_row), column)
    match = re.fullmatch(r":([^!]+)", rest)
    if match:
        return Location(display, match.group(1))
    return Location(display)


def _strip(message: str) -> str:
    """SourceError messages carry 'FILE: 错误: ' already; findings add their own location."""
    return message.split(": 错误: ", 1)[-1]


def run_checks(project: Project, registry_path: Path | None = None) -> Findings:
    """Every rule of SPEC §4 over the project's sources; returns all findings, sorted."""
    findings = project.findings
    for source in project.sources:
        model = source.model
        if source.kind == "catalog":
            checks.check_catalog(model, findings)
        elif source.kind in ("registrations", "admissions"):
            catalog = project.catalog_for(model.city, model.filled_on.year if model.filled_on else project.config.year)
            checks.check_people(model, findings, catalog)
        elif source.kind == "progress":
            checks.check_progress(model, findings)
        elif source.kind == "notice":
            from .domain.notice import check_notice
            check_notice(model, findings, project)
    if registry_path is not None:
        registry = _load_registry(Path(registry_path), findings)
        if registry is not None:
            for source in project.sources:
                if source.kind in ("registrations", "admissions"):
                    checks.check_registry(source.model, registry, findings)
    _check_ids_across(project, findings)
    from .glyphs import check_glyphs
    check_glyphs(project, findings)
    return findings


def _load_registry(path: Path, findings: Findings):
    display = _display(path)
    try:
        source = load_source(path, display, kinds=("registry", "registrations"))
    except SourceError as exc:
        raise UsageError(f"--registry {exc.message}")
    findings.extend(source.findings)
    if source.kind == "registrations":
        return [p for p in source.model.rows]
    return source.model


def _check_ids_across(project: Project, findings: Findings) -> None:
    """The same ID registered in two different sources (e.g. two cities) is an error."""
    first = {}
    for source in project.sources:
        if source.kind != "registrations":
            continue
        for person in source.model.rows:
            if not person.id_no:
                continue
            if person.id_no in first and first[person.id_no][0] is not source:
                other_source, other = first[person.id_no]
                findings.error(person.loc("id_no"), "id.duplicate_across",
                               f"身份证号 {person.id_no}（{person.name}）已在 {other.loc('id_no')}"
                               f"（{other_source.model.city or other_source.display}）登记，同一人不能在两处登记", "id_no")
            else:
                first.setdefault(person.id_no, (source, person))
