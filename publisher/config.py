"""publisher.yaml -> typed project settings, every key validated, every problem collected.

The keys are declared once, in ``SCHEMA`` (as MkDocs declares its config): each
with its type, range or choices, and what a right value looks like.  Reading
never raises on a bad value: the value's YAML line gets a finding that says what
would be right, the default stands in, and ``check`` reports it.  So what
``check`` passes, every renderer can use without guarding (no ``getattr`` and
``float()`` calls downstream).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Callable

from .errors import Findings, Location
from .sources.values import clean_text
from .sources.yamlsrc import LDict

SEAL_CHOICES = ("placeholder", "none")
PAPERS = ("A4", "A5")
CONFIG_NAMES = ("publisher.yaml", "publisher.yml")


@dataclass(frozen=True)
class Issuer:
    name: str = ""
    code: str = ""
    seal: str = "placeholder"          # placeholder | none | path to an authorised PNG


@dataclass(frozen=True)
class Contact:
    unit: str = ""
    person: str = ""
    phone: str = ""

    @property
    def empty(self) -> bool:
        return not (self.unit or self.person or self.phone)


@dataclass(frozen=True)
class Layout:
    """GB/T 9704 conventions where the standard leaves a choice (GBT9704.md 'cfg')."""

    red: str = "#E8380D"
    seal_mm: float = 42.0
    double_sided: bool = True
    bold_levels_3_4: bool = False
    paper: str = "A4"                 # admission letters: A4 | A5


@dataclass(frozen=True)
class Filing:
    """The catalog filing's 发文字号 and 签发人 (SPEC §3 publisher.yaml ``filing:``)."""

    notice_number: str = ""           # 公布通知
    report_number: str = ""           # 备案报告 (a 上行文)
    signer: str = ""                  # 签发人 of the report


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
    filing: Filing = field(default_factory=Filing)
    file: str | None = None            # the publisher.yaml read, as displayed (None: defaults)
    lines: dict = field(default_factory=dict, repr=False)   # dotted key -> YAML line

    def seal_image(self) -> Path | None:
        """The authorised seal image, when the config names one."""
        if self.issuer.seal in SEAL_CHOICES or not self.issuer.seal:
            return None
        return (self.root / self.issuer.seal).resolve()

    def loc(self, key: str) -> Location:
        """Where a (dotted) key was written; the file itself when it was not."""
        return Location(self.file or "publisher.yaml", line=self.lines.get(key, 1 if self.file else None))


# ---------------------------------------------------------------- value types
# A checker takes (value, Context) and returns the typed value, or raises Bad(message)
# saying what a right value looks like.

class Bad(Exception):
    """A value that is not right; ``warning``: the default stands in and the run goes on."""

    def __init__(self, message: str, warning: bool = False):
        super().__init__(message)
        self.warning = warning


@dataclass
class Context:
    root: Path


def text(value, ctx) -> str:
    if isinstance(value, (dict, list)):
        raise Bad("应为一段文字")
    return clean_text(value)


def boolean(value, ctx) -> bool:
    if isinstance(value, bool):
        return value
    folded = clean_text(value).lower()
    if folded in ("true", "yes", "on", "是"):
        return True
    if folded in ("false", "no", "off", "否"):
        return False
    raise Bad("应为 true 或 false")


def integer(low: int, high: int) -> Callable:
    def check(value, ctx) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            text_value = clean_text(value)
            if not re.fullmatch(r"\d+", text_value):
                raise Bad(f"应为 {low}–{high} 之间的整数")
            value = int(text_value)
        if not low <= value <= high:
            raise Bad(f"应为 {low}–{high} 之间的整数")
        return value
    return check


def number(low: float, high: float, unit: str) -> Callable:
    def check(value, ctx) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            try:
                value = float(clean_text(value))
            except ValueError:
                raise Bad(f"应为 {low:g}–{high:g} 之间的数字（{unit}）") from None
        if not low <= value <= high:
            raise Bad(f"应为 {low:g}–{high:g} 之间的数字（{unit}）")
        return float(value)
    return check


def choice(options: tuple[str, ...]) -> Callable:
    def check(value, ctx) -> str:
        folded = clean_text(value).upper() if all(o.isupper() for o in options) else clean_text(value)
        if folded not in options:
            raise Bad("应为 " + "、".join(options) + " 之一")
        return folded
    return check


def colour(value, ctx) -> str:
    found = clean_text(value)
    if not re.fullmatch(r"#[0-9A-Fa-f]{6}", found):
        raise Bad("应为 #RRGGBB 形式的颜色，如 #E8380D（GB/T 9704 红色）或 #FF0000")
    return found.upper()


def folder(what: str) -> Callable:
    def check(value, ctx) -> Path:
        name = clean_text(value)
        path = (ctx.root / name).resolve()
        if not name or not path.is_dir():
            raise Bad(f"文件夹“{name}”不存在（相对于 publisher.yaml 所在文件夹），将使用内置{what}", warning=True)
        return path
    return check


def seal(value, ctx) -> str:
    name = clean_text(value) or "placeholder"
    if name in SEAL_CHOICES:
        return name
    path = (ctx.root / name)
    if not path.is_file():
        raise Bad(f"应为 placeholder、none 或一张已授权的 PNG 印章图片的路径；“{name}”不存在")
    with open(path, "rb") as handle:
        if handle.read(8) != b"\x89PNG\r\n\x1a\n":
            raise Bad(f"印章图片“{name}”不是 PNG 图片；请用透明背景的 PNG")
    return name


def doc_number(value, ctx) -> str:
    from .domain.notice import number_problems
    found = clean_text(value)
    problem = number_problems(found) if found else None
    if problem:
        raise Bad(problem)
    return found


@dataclass(frozen=True)
class Key:
    """One key of publisher.yaml: its Chinese label and checker (or the keys of a section)."""

    label: str
    check: Callable | None = None
    keys: dict | None = None            # a section: key -> Key
    target: type | None = None          # the dataclass a section becomes


SCHEMA: dict[str, Key] = {
    "issuer": Key("发文机关", keys={"name": Key("名称", text), "code": Key("发文机关代字", text),
                                   "seal": Key("印章", seal)}, target=Issuer),
    "city": Key("城市", text),
    "year": Key("年度", integer(2000, 2100)),
    "contact": Key("联系方式", keys={"unit": Key("联系单位", text), "person": Key("联系人", text),
                                   "phone": Key("联系电话", text)}, target=Contact),
    "fonts": Key("授权字体文件夹", folder("字体")),
    "templates": Key("模板文件夹", folder("模板")),
    "mask": Key("隐去身份证号和联系电话", boolean),
    "layout": Key("版式", keys={"red": Key("红色", colour), "seal_mm": Key("印章直径", number(30, 50, "毫米")),
                               "double_sided": Key("双面印刷", boolean),
                               "bold_levels_3_4": Key("三、四级标题加粗", boolean),
                               "paper": Key("录取通知书纸张", choice(PAPERS))}, target=Layout),
    "filing": Key("目录备案", keys={"notice_number": Key("公布通知的发文字号", doc_number),
                                  "report_number": Key("备案报告的发文字号", doc_number),
                                  "signer": Key("备案报告的签发人", text)}, target=Filing),
}


def config_from_yaml(data, path: Path, display: str, findings: Findings) -> ProjectConfig:
    """Typed settings from parsed YAML; unknown keys and bad values become located findings."""
    config = ProjectConfig(root=path.parent.resolve(), file=display)
    if not isinstance(data, LDict):
        findings.error(Location(display, line=1), "config.invalid",
                       "publisher.yaml 顶层应为键值对（issuer:、city: 等）")
        return config
    ctx = Context(config.root)
    values = _section(data, SCHEMA, "", display, ctx, config, findings)
    for name, value in values.items():
        setattr(config, name, value)
    return config


def _section(data: LDict, schema: dict, prefix: str, display: str, ctx: Context, config: ProjectConfig,
             findings: Findings) -> dict:
    values: dict[str, Any] = {}
    for key in data:
        dotted = f"{prefix}{key}"
        line = data.line_of(key)
        config.lines[dotted] = line
        where = Location(display, line=line)
        spec = schema.get(key)
        if spec is None:
            findings.warning(where, "config.unknown_key",
                             f"未知的配置项“{dotted}”，已忽略；{'此处' if prefix else ''}可用的有："
                             + "、".join(schema), str(dotted))
            continue
        value = data[key]
        if spec.keys is not None:
            if value is None:
                continue
            if not isinstance(value, LDict):
                findings.error(where, "config.invalid",
                               f"{dotted}（{spec.label}）应为键值对：" + "、".join(spec.keys), dotted)
                continue
            inner = _section(value, spec.keys, f"{dotted}.", display, ctx, config, findings)
            values[key] = replace(spec.target(), **inner)
            continue
        if value is None:
            continue
        try:
            values[key] = spec.check(value, ctx)
        except Bad as bad:
            add = findings.warning if bad.warning else findings.error
            add(where, "config.value", f"{dotted}（{spec.label}）的值“{_show(value)}”不正确：{bad}", dotted)
    return values


def _show(value) -> str:
    text_value = clean_text(value) if not isinstance(value, (dict, list)) else type(value).__name__
    return text_value if len(text_value) <= 40 else text_value[:40] + "…"


def load_config(folder: Path, findings: Findings) -> ProjectConfig:
    """The project's publisher.yaml, or defaults when the folder has none."""
    from .sources.yamlsrc import load_yaml
    for name in CONFIG_NAMES:
        path = folder / name
        if path.is_file():
            data = load_yaml(path, str(path), findings)
            return config_from_yaml(data, path, str(path), findings)
    return ProjectConfig(root=folder.resolve())


def known_keys() -> list[str]:
    """Every dotted key publisher.yaml may hold (for documentation and tests)."""
    out = []
    for key, spec in SCHEMA.items():
        out += [f"{key}.{inner}" for inner in spec.keys] if spec.keys else [key]
    return out


__all__ = ["ProjectConfig", "Issuer", "Contact", "Layout", "Filing", "SCHEMA", "config_from_yaml", "load_config",
           "known_keys", "fields"]
