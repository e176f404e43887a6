"""Reading sources: YAML, XLSX and CSV, recognised by ``kind:`` or by their header row.

``load_source`` never raises on bad user input except ``SourceError`` (a file
that cannot be read at all); everything else becomes a located finding.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Findings, Location, SourceError
from .formats import sniff
from .table import read_table
from .yamlsrc import LDict, load_yaml

YAML_KINDS = ("catalog", "registrations", "admissions", "progress", "notice", "registry")


@dataclass
class Source:
    path: Path
    display: str
    kind: str
    model: object
    findings: Findings = field(default_factory=Findings)
    sheet: str | None = None
    letters: dict = field(default_factory=dict)     # field -> column letter (tables)


def display_name(path) -> str:
    """How a source is named in findings: relative to the current folder when inside it."""
    path = Path(path)
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def load_source(path, display: str | None = None, kinds=None, config=None) -> Source:
    """Read one source file into its model, collecting findings (SPEC §3)."""
    path = Path(path)
    display = display or str(path)
    if not path.exists():
        raise SourceError(Location(display), "文件不存在")
    if path.is_dir():
        raise SourceError(Location(display), "这是一个文件夹，不是源文件")
    findings = Findings()
    kind = sniff(path)
    if kind == "yaml":
        return _load_yaml_source(path, display, findings, kinds, config)
    if kind == "unknown":
        raise SourceError(Location(display), "无法识别的文件类型；支持 .yaml、.xlsx、.xls、.et、.ods 和 .csv")
    from . import convert
    table = read_table(path, display, kinds, findings)
    if not table.records:
        findings.warning(Location(display, table.sheet, table.header_row), "table.empty",
                         "表头下面没有任何数据行；请确认填写的内容在表头之下、且没有选错文件")
    model = convert.from_table(table, findings, config)
    return Source(path, display, table.kind, model, findings, table.sheet, table.letters)


def _load_yaml_source(path: Path, display: str, findings: Findings, kinds, config) -> Source:
    from . import convert
    data = load_yaml(path, display, findings)
    if path.name in ("publisher.yaml", "publisher.yml"):
        from ..config import config_from_yaml
        return Source(path, display, "config", config_from_yaml(data, path, display, findings), findings)
    if not isinstance(data, LDict):
        raise SourceError(Location(display), f"YAML 顶层应为键值对（如 kind: catalog），这里是{_type_name(data)}")
    kind = data.get("kind")
    if kind not in YAML_KINDS:
        line = data.line_of("kind", 1)
        said = f"“{kind}”" if kind is not None else "缺失"
        raise SourceError(Location(display, line=line), f"kind {said}；应为 "
                          + "、".join(YAML_KINDS) + " 之一")
    if kinds and kind not in kinds:
        raise SourceError(Location(display), f"这里需要{'或'.join(kinds)}，但文件的 kind 是 {kind}")
    if kind == "notice":
        from .notice import notice_from_yaml
        model = notice_from_yaml(data, path, display, findings)
    else:
        model = convert.from_yaml(kind, data, display, findings, config)
    return Source(path, display, kind, model, findings)


def _type_name(value) -> str:
    for kind, name in ((list, "列表"), (str, "文本"), (bool, "真假值"), (int, "数字"), (float, "数字")):
        if isinstance(value, kind):
            return name
    return "空" if value is None else "其他内容"


SOURCE_SUFFIXES = (".yaml", ".yml", ".xlsx", ".xlsm", ".csv", ".xls", ".et", ".ods")


def discover(folder: Path) -> list[Path]:
    """Source files of a project folder, in a stable order (hidden files and output/ skipped)."""
    found = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).parts
        if any(p.startswith((".", "~$")) or p in ("output", "__pycache__") for p in rel):
            continue
        if path.is_file() and path.suffix.lower() in SOURCE_SUFFIXES:
            found.append(path)
    return found
