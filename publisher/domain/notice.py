"""The official notice (公文, SPEC §3 notice): the model, the 发文字号 rule and the body markup.

Pure: nothing here reads files or renders.  ``publisher.sources.notice`` reads
the YAML, ``publisher.checks`` checks it, ``publisher.documents.notice`` lays it
out per GB/T 9704-2012.  Every field keeps the YAML line it came from.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from .models import Located

FORMS = ("attachment1", "attachment2")
SEAL_CHOICES = ("placeholder", "none")
# What an attachment's source may be: a form's ``data`` (by form), or a plain ``table``.
FORM_SOURCE_KINDS = {"attachment1": ("progress",), "attachment2": ("registrations",)}
TABLE_SOURCE_KINDS = ("catalog", "registrations", "admissions", "progress")


@dataclass(frozen=True)
class Table:
    """A table printed inside an attachment page, within the 版心 (portrait).

    ``head`` empty: a key/value table (备案表), the first column the labels; else a table with
    that header row (repeated on every page).  ``caption``: a line above it in 黑体 (调整明细).
    ``widths``: relative column widths (None: equal)."""

    rows: tuple[tuple[str, ...], ...]
    head: tuple[str, ...] = ()
    caption: str = ""
    widths: tuple[float, ...] | None = None
    size_pt: float = 14               # 4号 (a key/value table); 五号–小四 for a wide one

    @property
    def pairs(self) -> bool:
        return not self.head

    @property
    def columns(self) -> int:
        return len(self.head) or max((len(r) for r in self.rows), default=2)

    def column_widths(self) -> list[float]:
        """Relative widths summing to 1."""
        widths = list(self.widths or [1.0] * self.columns)
        total = sum(widths) or 1.0
        return [w / total for w in widths]


@dataclass
class Attachment(Located):
    title: str = ""
    form: str = ""                  # attachment1 | attachment2
    data: Path | None = None        # form data source
    table: Path | None = None       # a table source printed as a plain table
    body: str = ""                  # text content
    tables: list[Table] = field(default_factory=list)   # inline tables after the text (made by a kind)

    def source_ref(self) -> tuple[str, Path, tuple[str, ...]] | None:
        """(field, path, source kinds allowed) of the source this attachment prints, if any:
        a form's ``data`` (form > table > body, as the attachment is rendered) or a ``table``."""
        if self.form:
            kinds = FORM_SOURCE_KINDS.get(self.form)
            return ("data", self.data, kinds) if self.data and kinds else None
        if self.table:
            return "table", self.table, TABLE_SOURCE_KINDS
        return None


@dataclass
class Enclosure(Located):
    title: str = ""
    body: str = ""
    attachments: list[Attachment] = field(default_factory=list)


@dataclass
class Notice(Located):
    path: Path | None = None
    issuers: list[str] = field(default_factory=list)
    mark: str = ""
    number: str = ""
    copy_no: str = ""
    secrecy: str = ""
    urgency: str = ""
    signers: list[str] = field(default_factory=list)
    title: str = ""
    to: str = ""
    body: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    date: dt.date | None = None
    seal: str = "placeholder"
    notes: list[str] = field(default_factory=list)
    enclosure: Enclosure | None = None
    cc: list[str] = field(default_factory=list)
    printed_by: str = ""
    printed_on: dt.date | None = None

    @property
    def all_attachments(self) -> list[Attachment]:
        """Attachment pages in print order: the notice's own, then the enclosure's."""
        return self.attachments + (self.enclosure.attachments if self.enclosure else [])

    def seal_image(self) -> Path | None:
        if self.seal in SEAL_CHOICES or not self.seal:
            return None
        base = self.path.parent if self.path else Path.cwd()
        return (base / self.seal).resolve()


# --- 发文字号 ---------------------------------------------------------------

_NUMBER = re.compile(r"^(?P<code>[^\d〔〕\[\]［］()（）]+?)(?P<open>[〔\[［(（【]?)(?P<year>\d{4})"
                     r"(?P<close>[〕\]］)）】]?)(?P<di>第?)(?P<no>\d+)(?P<hao>号?)$")


def number_problems(number: str) -> str | None:
    """None when the 发文字号 has the form 代字〔年〕号; else the corrected form and why."""
    text = number.replace(" ", "").replace("\u3000", "")
    m = _NUMBER.match(text)
    if not m:
        return (f"发文字号“{number}”格式不对，应为 机关代字〔年份〕序号号，如 鲁人社字〔2017〕100号")
    fixed = f"{m['code']}〔{m['year']}〕{int(m['no'])}号"
    why = []
    if m["open"] != "〔" or m["close"] != "〕":
        why.append("年份应使用六角括号〔〕")
    if m["di"]:
        why.append("序号前不加“第”")
    if m["no"] != str(int(m["no"])):
        why.append("序号不编虚位（不加前导0）")
    if not m["hao"]:
        why.append("序号后应加“号”")
    if fixed == number and not why:
        return None
    return f"发文字号“{number}”应写为“{fixed}”（{'；'.join(why) or '格式调整'}）"


def report_code(code: str) -> str:
    """The 代字 of a report (上行文) from the issuer's 代字: 济人社字 → 济人社报."""
    return code[:-1] + "报" if code.endswith("字") else code


def blank_number(code: str, year: int | None) -> str:
    """A 发文字号 left for the clerk to fill: the 代字 and year, the number a visible blank
    (济人社字〔2019〕　　号); a missing 代字 or year is a blank too."""
    return f"{code or '　　　　'}〔{year or '　　　　'}〕　　号"


# --- body markup ----------------------------------------------------------

_CN = "一二三四五六七八九十"
HEADING_PATTERNS = (
    (1, re.compile(rf"^[{_CN}]+、")),
    (2, re.compile(rf"^[（(][{_CN}]+[）)]")),
    (3, re.compile(r"^\d+[.．](?!\d)")),
    (4, re.compile(r"^[（(]\d+[）)]")),
)
_END = "。！？；：…”’）」』》〉!?;:)"


@dataclass
class Para:
    text: str
    level: int = 0              # 0 body, 1..4 heading level
    head: str = ""              # the part set in the heading font (may be the whole text)
    line: int | None = None     # index of the paragraph within the body (for locating)

    @property
    def rest(self) -> str:
        return self.text[len(self.head):]


def heading_level(text: str) -> int:
    for level, pattern in HEADING_PATTERNS:
        if pattern.match(text):
            return level
    return 0


def parse_body(text: str) -> list[Para]:
    """Paragraphs (blank lines or line ends that close a sentence split them) with heading levels."""
    paras: list[str] = []
    for chunk in re.split(r"\n\s*\n", text or ""):
        lines = [ln.strip().replace("\u3000", "") for ln in chunk.split("\n")]
        lines = [ln for ln in lines if ln]
        current = ""
        for ln in lines:
            if not current:
                current = ln
            elif current[-1] in _END or heading_level(ln) or _is_heading_line(current):
                paras.append(current)
                current = ln
            else:
                current += ln
        if current:
            paras.append(current)
    result = []
    for i, p in enumerate(paras):
        level = heading_level(p)
        head = ""
        if level:
            head = p
            if level in (2, 3):
                cut = p.find("。")
                if 0 <= cut < len(p) - 1:
                    head = p[:cut + 1]
        result.append(Para(p, level, head, i))
    return result


def _is_heading_line(text: str) -> bool:
    return bool(heading_level(text)) and "。" not in text and len(text) <= 40
