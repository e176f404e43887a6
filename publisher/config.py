"""publisher.yaml -> typed project settings; every problem collected, located by line."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import Findings, Location
from .sources.values import clean_text, parse_int
from .sources.yamlsrc import LDict

SEAL_CHOICES = ("placeholder", "none")


@dataclass
class Issuer:
    name: str = ""
    code: str = ""
    seal: str = "placeholder"          # placeholder | none | path to an authorised PNG


@dataclass
class Contact:
    unit: str = ""
    person: str = ""
    phone: str = ""


@dataclass
class Layout:
    """GB/T 9704 conventions where the standard leaves a choice (GBT9704.md 'cfg')."""

    red: str = "#E8380D"
    seal_mm: float = 42.0
    double_sided: bool = True
    bold_levels_3_4: bool = False
    paper: str = "A4"                 # admission letters: A4 | A5


@dataclass
class ProjectConfig:
    root: Path = field(default_factory=Path.cwd)
    issuer: Issuer = field(default_factory=Issuer)
    city: str = ""
    year: int | None = None
    contact: Contact = field(default_factory=Contact)
    fonts: Path | None = None
    templates: Path | None = None
    layout: Layout = field(default_factory=Layout)
    mask: bool = False

    def seal_image(self) -> Path | None:
        """The authorised seal image, when the config names one."""
        if self.issuer.seal in SEAL_CHOICES or not self.issuer.seal:
            return None
        return (self.root / self.issuer.seal).resolve()


def config_from_yaml(data, path: Path, display: str, findings: Findings) -> ProjectConfig:
    """Build settings from parsed YAML; unknown or wrong values become findings."""
    config = ProjectConfig(root=path.parent.resolve())
    if not isinstance(data, LDict):
        findings.error(Location(display, line=1), "config.invalid", "publisher.yaml 顶层应为键值对（issuer:、city: 等）")
        return config

    def loc(mapping: LDict, key: str) -> Location:
        return Location(display, line=mapping.line_of(key))

    known = {"issuer", "city", "year", "contact", "fonts", "templates", "layout", "mask"}
    for key in data:
        if key not in known:
            findings.warning(loc(data, key), "config.unknown_key",
                             f"未知的配置项“{key}”，已忽略；可用的有：{'、'.join(sorted(known))}", str(key))
    issuer = data.get("issuer")
    if isinstance(issuer, LDict):
        config.issuer = Issuer(clean_text(issuer.get("name")), clean_text(issuer.get("code")),
                               clean_text(issuer.get("seal")) or "placeholder")
        if config.issuer.seal not in SEAL_CHOICES:
            seal = config.root / config.issuer.seal
            if not seal.is_file():
                findings.error(loc(issuer, "seal"), "config.seal_missing",
                               f"印章图片“{config.issuer.seal}”不存在；应为 placeholder、none 或一张已授权的 PNG 图片的路径",
                               "seal")
    elif issuer is not None:
        findings.error(loc(data, "issuer"), "config.invalid", "issuer 应为键值对：name、code、seal", "issuer")
    config.city = clean_text(data.get("city"))
    if data.get("year") is not None:
        config.year = parse_int(data.get("year"), loc(data, "year"), "year（年度）", findings, "year")
    contact = data.get("contact")
    if isinstance(contact, LDict):
        config.contact = Contact(clean_text(contact.get("unit")), clean_text(contact.get("person")),
                                 clean_text(contact.get("phone")))
    for key in ("fonts", "templates"):
        value = clean_text(data.get(key))
        if value:
            folder = (config.root / value).resolve()
            if not folder.is_dir():
                findings.warning(loc(data, key), f"config.{key}_missing",
                                 f"{key} 指定的文件夹“{value}”不存在，将使用内置{'字体' if key == 'fonts' else '模板'}", key)
            else:
                setattr(config, key, folder)
    if data.get("mask") is not None:
        if isinstance(data.get("mask"), bool):
            config.mask = data.get("mask")
        else:
            findings.error(loc(data, "mask"), "config.invalid", "mask 应为 true 或 false", "mask")
    layout = data.get("layout")
    if isinstance(layout, LDict):
        for key, value in layout.items():
            if hasattr(config.layout, key):
                setattr(config.layout, key, value)
    return config


def load_config(folder: Path, findings: Findings) -> ProjectConfig:
    """The project's publisher.yaml, or defaults when the folder has none."""
    from .sources.yamlsrc import load_yaml
    for name in ("publisher.yaml", "publisher.yml"):
        path = folder / name
        if path.is_file():
            data = load_yaml(path, str(path), findings)
            return config_from_yaml(data, path, str(path), findings)
    return ProjectConfig(root=folder.resolve())
