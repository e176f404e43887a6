"""Which reader for which file: decided from the bytes, not the name.

- ``PK`` and an OpenDocument ``mimetype`` member: .ods (``calamine.py``); other ``PK``: .xlsx (``xlsx.py``);
- an OLE compound file: an encrypted .xlsx (refused, saying so) or .xls/.et (``calamine.py``);
- .csv/.txt (``csvsrc.py``) and .yaml/.yml by name; anything else is refused, saying what is read.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import Location, SourceError
from .calamine import read_calamine
from .csvsrc import read_csv
from .grid import Sheet
from .xlsx import read_xlsx

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ods")


def sniff(path: Path) -> str:
    """'xlsx', 'ods', 'ole' (.xls/.et), 'csv', 'yaml' or a problem word, from the bytes rather than the name."""
    with open(path, "rb") as file:
        head = file.read(96)
    suffix = path.suffix.lower()
    if not head:
        return "empty"
    if head.startswith(b"PK\x03\x04"):
        return "ods" if _ODS_MIME in head or (suffix == ".ods" and b"mimetype" not in head) else "xlsx"
    if head.startswith(_OLE):
        return "ole"
    if suffix in (".csv", ".txt"):
        return "csv"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix in WORKBOOK_SUFFIXES:
        return "notxlsx"
    return "unknown"


def _encrypted(path: Path, display: str) -> SourceError | None:
    with open(path, "rb") as file:
        data = file.read(32 << 20)      # an encrypted workbook names its streams in the directory, near the start
    if _ENCRYPTED_MARK in data:
        return SourceError(Location(display), "工作簿设置了打开密码，无法读取；"
                           "请在 Excel 中取消密码（文件→信息→保护工作簿）后另存为 .xlsx")
    return None


def read_grid(path: Path, display: str) -> list[Sheet]:
    """All sheets of a workbook (or the one 'sheet' of a CSV) as rows of raw values."""
    kind = sniff(path)
    if kind == "empty":
        raise SourceError(Location(display), "文件是空的（0 字节）")
    if kind == "ole":
        problem = _encrypted(path, display)
        if problem is not None:
            raise problem
        return read_calamine(path, display, "ole")
    if kind == "ods":
        return read_calamine(path, display, "ods")
    if kind == "xlsx":
        return read_xlsx(path, display)
    if kind == "csv":
        return read_csv(path, display)
    raise SourceError(Location(display), "不是 Excel 工作簿（.xlsx、.xls）、WPS 表格（.et）、OpenDocument 表格（.ods）"
                      "或 CSV 文件，无法读取；请确认文件没有损坏")
