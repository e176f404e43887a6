"""What one request brings: uploaded files saved under safe names, and the build's fields.

A browser sends a file's name as the user's computer spells it (``C:\\资料\\名单.xlsx``,
``../../evil.xlsx``, ``CON.xlsx``, a bidi mark).  Only its last part is kept, made
safe by ``publisher.names.safe_name`` and unique among the request's files ignoring
case (``Names``), so every upload lands directly inside the job's folder.  Sources
(.xlsx .xlsm .xls .csv .yaml .yml) and one letter template (.docx) are taken; any
other file, and ``publisher.yaml`` (the office's settings belong to the IT person),
are refused with a message naming the file.
"""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..config import CONFIG_NAMES
from ..names import Names
from ..sources import SOURCE_SUFFIXES

TEMPLATE_SUFFIX = ".docx"
ACCEPTED = tuple(SOURCE_SUFFIXES) + (TEMPLATE_SUFFIX,)
MAX_FILES = 200
CHUNK = 1 << 20
TRUE = ("1", "true", "on", "yes", "是")
FALSE = ("", "0", "false", "off", "no", "否")


class Refused(Exception):
    """A request the page or a script got wrong (400), with the Chinese message to show."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class Saved:
    names: list[str] = field(default_factory=list)     # saved file names, in the order sent
    renamed: list[tuple[str, str]] = field(default_factory=list)   # (as sent, as saved) when they differ
    template: str | None = None                         # the letter template's saved name


def base_name(sent: str) -> str:
    """The last part of a name as sent, whichever separator the sender's system uses."""
    return re.split(r"[\\/]", sent or "")[-1]


def save_files(files: list, dest: Path) -> Saved:
    """Write the uploaded files (Starlette ``UploadFile``\\ s, read synchronously) into ``dest``."""
    if len(files) > MAX_FILES:
        raise Refused(f"一次最多上传 {MAX_FILES} 个文件，这次有 {len(files)} 个")
    saved, names = Saved(), Names(CONFIG_NAMES)
    for upload in files:
        if not hasattr(upload, "file"):
            raise Refused("files 字段应是上传的文件，不是文字")
        sent = upload.filename or ""
        base = base_name(sent)
        suffix = Path(base).suffix.lower()
        if Path(base).name.lower() in CONFIG_NAMES:
            raise Refused(f"“{_shown(sent)}”是项目设置文件，不能上传；publisher.yaml 放在服务器的项目文件夹里，"
                          "要修改请联系管理员")
        if suffix not in ACCEPTED:
            raise Refused(f"“{_shown(sent)}”不是可以处理的文件；可以上传 Excel 表（.xlsx .xls .xlsm）、"
                          "CSV 表（.csv）、YAML 文件（.yaml .yml）和录取通知书模板（.docx）")
        if suffix == TEMPLATE_SUFFIX and saved.template is not None:
            raise Refused(f"只能上传一个录取通知书模板（.docx）；这次有“{saved.template}”和“{_shown(sent)}”")
        name, _ = names.claim(base[:len(base) - len(suffix)], suffix, default="上传的文件")
        path = dest / name
        if path.parent != dest:          # safe_name never makes a separator; this is the last word on it
            raise Refused(f"“{_shown(sent)}”的文件名无法使用")
        _write(upload.file, path)
        saved.names.append(name)
        if name != sent:
            saved.renamed.append((sent, name))
        if suffix == TEMPLATE_SUFFIX:
            saved.template = name
    return saved


def _write(stream, path: Path) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        stream.seek(0)
        for block in iter(lambda: stream.read(CHUNK), b""):
            handle.write(block)


def _shown(sent: str) -> str:
    """A sent name fit to quote in a message: no control or format characters, not too long."""
    text = "".join(ch for ch in sent if unicodedata.category(ch) not in ("Cc", "Cf"))
    return text if len(text) <= 80 else text[:77] + "…"


# ---------------------------------------------------------------- fields of /api/build

@dataclass(frozen=True)
class Order:
    """What a build asks for: kinds (empty: everything the sources allow), school, formats, mask."""

    kinds: tuple[str, ...] = ()
    school: str | None = None
    formats: str | None = None
    mask: bool | None = None


def read_order(form) -> Order:
    """The ``what``, ``school``, ``format`` and ``mask`` fields, checked against the kinds registry."""
    from .. import kinds as registry
    from ..errors import UsageError
    from ..pipeline import choose_formats
    known = [k.name for k in registry.kinds()]
    what = [w.strip().lower() for w in _text(form, "what").split(",") if w.strip()]
    if what in ([], ["all"]):
        what = []
    unknown = [w for w in what if w not in known]
    if unknown:
        raise Refused(f"what 字段的“{'、'.join(unknown)}”不认识；可用的有 all、{'、'.join(known)}")
    school = _text(form, "school").strip() or None
    if school and ("letters" not in what or any(unicodedata.category(ch) == "Cc" for ch in school)):
        raise Refused("school 字段只用于生成录取通知书（what=letters），且只写学校名称")
    formats = _text(form, "format").strip() or None
    try:
        choose_formats(formats, what or known)
    except UsageError as exc:
        raise Refused(exc.message.removeprefix("错误: ")) from None
    mask = _text(form, "mask").strip().lower()
    if mask not in TRUE + FALSE:
        raise Refused("mask 字段应为 true 或 false")
    return Order(tuple(what), school, formats, True if mask in TRUE else None)


def _text(form, name: str) -> str:
    value = form.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Refused(f"{name} 字段应是文字，不是文件")
    if len(value) > 1000:
        raise Refused(f"{name} 字段太长")
    return value
