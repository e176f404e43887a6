"""Control characters in source text, and what a reader does with them.

Policy (every reader applies it to each text it passes on: a YAML value, a
table cell that becomes a field, a line above or below a table):

- **Removed, with a warning** (``text.control``): C0 control characters except
  tab, line feed and carriage return (NUL, ESC, vertical tab, form feed…), DEL,
  the C1 controls U+0080–U+009F, and code points XML cannot hold at all (lone
  surrogates, U+FFFE, U+FFFF).  They are invisible, never meant, and a DOCX or
  XLSX holding them is refused by Word and Excel.  Typically they come from a
  copy out of another system, so the value without them is what the clerk sees;
  the warning names the cell so it can be corrected at the source.
- **An error** (``text.bidi``): the bidirectional embedding, override and
  isolate controls U+202A–U+202E and U+2066–U+2069.  They make the text shown
  on screen differ from the text stored (a name or an ID number can be shown
  reversed), so no one can tell which one was meant.  The character is removed
  from the value too, so checks and messages see plain text.

Tab and line breaks are ordinary text and are left alone.  Since the value is
cleaned where it is read, every check and every output sees the same text, and
whatever ``check`` accepts the build can render.
"""
from __future__ import annotations

import re

from ..errors import Findings, Location

_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
_BIDI = "\u202a-\u202e\u2066-\u2069"
_ANY = re.compile(f"[{_CONTROL}{_BIDI}]")
_IS_BIDI = re.compile(f"[{_BIDI}]")
_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "退格", 0x0B: "垂直制表符", 0x0C: "换页符", 0x1B: "ESC", 0x7F: "DEL",
          0x202A: "LRE", 0x202B: "RLE", 0x202C: "PDF", 0x202D: "LRO", 0x202E: "RLO",
          0x2066: "LRI", 0x2067: "RLI", 0x2068: "FSI", 0x2069: "PDI"}


def has_controls(text: str) -> bool:
    return _ANY.search(text) is not None


def _names(chars) -> str:
    return "、".join(f"U+{ord(c):04X}" + (f"（{_NAMES[ord(c)]}）" if ord(c) in _NAMES else "")
                    for c in sorted(set(chars)))


def clean(text: str, loc: Location, findings: Findings, label: str = "", field: str | None = None) -> str:
    """``text`` without control characters; a warning (or for bidi controls an error) says which were removed."""
    found = _ANY.findall(text)
    if not found:
        return text
    cleaned = _ANY.sub("", text)
    shown = cleaned if len(cleaned) <= 40 else cleaned[:40] + "…"
    what = f"{label}“{shown}”" if label else f"“{shown}”"
    bidi = [c for c in found if _IS_BIDI.match(c)]
    other = [c for c in found if not _IS_BIDI.match(c)]
    if other:
        findings.warning(loc, "text.control",
                         f"{what}含有看不见的控制字符 {_names(other)}，已删除；请在源文件中核对并改正这一处", field)
    if bidi:
        findings.error(loc, "text.bidi",
                       f"{what}含有改变文字显示方向的控制字符 {_names(bidi)}，屏幕上显示的文字与实际内容不一致；"
                       "请删除这一处的文字后重新输入", field)
    return cleaned
