"""A set of sources read together: a project folder or the paths given on the command line.

``load_project`` reads the config and every source once, including the sources a
notice's attachments name (``Project.attached``), so checks and renderers see the
same objects and nothing is read twice.  The rules themselves live in
``publisher.checks``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .config import CONFIG_NAMES, ProjectConfig, load_config
from .domain.models import Catalog
from .errors import Findings, Location, SourceError, UsageError
from .sources import Source, discover, display_name, load_source


@dataclass
class Project:
    config: ProjectConfig
    sources: list[Source] = field(default_factory=list)
    findings: Findings = field(default_factory=Findings)
    root: Path | None = None
    labels: dict[str, str] = field(default_factory=dict)     # display -> the name outputs show
    attached: dict = field(default_factory=dict)     # resolved path -> Source, for notice attachments

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

    def attachment_source(self, attachment) -> Source | None:
        """The source a notice attachment prints (loaded by ``load_project``), or None."""
        ref = attachment.source_ref()
        if ref is None:
            return None
        return self.attached.get(_key(ref[1]))

    def describe(self) -> str:
        """What the given files are, for a message saying none of them is what a command needs."""
        if not self.sources:
            return "给出的文件都无法读取或没有给出文件"
        return "；".join(f"{s.display} 是{_kind_label(s.kind)}" for s in self.sources)

    @property
    def all_sources(self) -> list[Source]:
        """The project's sources and the attachment sources that are not among them."""
        primary = {id(s) for s in self.sources}
        return self.sources + [s for s in self.attached.values() if id(s) not in primary]

    @property
    def source_paths(self) -> list[Path]:
        return [s.path for s in self.all_sources]


def _key(path: Path) -> str:
    return str(Path(path).resolve())


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
            config_file = str(folder / CONFIG_NAMES[0])
            findings.error(exc.location, "file.unreadable", exc.problem)
            config = ProjectConfig(root=folder.resolve(), file=config_file)
    project = Project(config, findings=findings, root=root)
    files = []
    for path in paths:
        files.extend((found, path) for found in (discover(path) if path.is_dir() else [path]))
    labels = source_labels(paths, files)
    for path, _ in files:
        if path.name in CONFIG_NAMES and path.parent.resolve() == config.root:
            continue
        display = display_name(path)
        project.labels[display] = labels[path]
        source = _read(path, display, kinds, config, findings)
        if source is None or source.kind == "config":
            continue
        project.sources.append(source)
    _load_attachments(project)
    return project


def _read(path: Path, display: str, kinds, config, findings: Findings, where: Location | None = None,
          what: str = "") -> Source | None:
    """One source, its findings collected; None when it cannot be read (a finding says why)."""
    try:
        source = load_source(path, display, kinds, config)
    except SourceError as exc:
        if where is None:
            findings.error(exc.location, "file.unreadable", exc.problem)
        else:
            findings.error(where, "notice.attachment_source", f"{what}无法使用：{exc.message}")
        return None
    except RecursionError:
        findings.error(where or Location(display), "file.unreadable", "文件嵌套层次过深，无法读取")
        return None
    findings.extend(source.findings)
    return source


def _load_attachments(project: Project) -> None:
    """The sources notices' attachments name, each read once (a project source is reused)."""
    by_path = {_key(s.path): s for s in project.sources}
    for notice_source in project.of_kind("notice"):
        for att in notice_source.model.all_attachments:
            ref = att.source_ref()
            if ref is None:
                continue
            name, path, kinds = ref
            key = _key(path)
            if key in project.attached:
                continue
            where = att.loc(name)
            if not path.exists():
                project.findings.error(where, "notice.attachment_source",
                                       f"附件的数据文件“{path.name}”不存在（按 YAML 文件所在文件夹查找：{path}）", name)
                continue
            source = by_path.get(key)
            if source is None:
                source = _read(path, display_name(path), kinds, project.config, project.findings, where,
                               "附件的数据文件")
            elif source.kind not in kinds:
                project.findings.error(where, "notice.attachment_source",
                                       f"附件的数据文件“{path.name}”是{_kind_label(source.kind)}，"
                                       f"这里需要{'或'.join(_kind_label(k) for k in kinds)}", name)
                continue
            if source is not None:
                project.attached[key] = source


def _kind_label(kind: str) -> str:
    from .sources.schema import KIND_NAMES
    return KIND_NAMES.get(kind, kind)
