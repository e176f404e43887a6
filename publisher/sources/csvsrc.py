"""Reading a CSV file (UTF-8 with or without BOM, or GB18030/GBK) into one grid.

Files saved by Excel on Windows end lines with CR LF, by old Mac Excel with CR,
and hand edits mix them; every line ending is read as one.  A row is located by
its record number (the row Excel shows when it opens the file); a problem the
csv module finds is reported with the physical line it was found on.
Fields longer than an Excel cell holds (``limits.MAX_CELL_CHARS``) are refused.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl.utils import get_column_letter

from ..errors import Location, SourceError
from . import limits
from .grid import Budget, Sheet, check_length


def read_csv(path: Path, display: str) -> list[Sheet]:
    """The one 'sheet' of a CSV file: rows of text values (None for an empty field)."""
    from .yamlsrc import read_text
    size = path.stat().st_size
    if size > limits.MAX_CSV_BYTES:
        raise SourceError(Location(display), f"CSV 文件有 {limits.size_text(size)}，超过上限 "
                          f"{limits.size_text(limits.MAX_CSV_BYTES)}；请把数据拆分成几个文件")
    text = read_text(path, display).replace("\r\n", "\n").replace("\r", "\n")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    lines = _Lines(text, display)
    reader = csv.reader(lines, dialect)
    budget, rows = Budget(), []
    try:
        for number, row in enumerate(reader, start=1):
            values = [cell if cell != "" else None for cell in row]
            while values and values[-1] is None:
                values.pop()
            for column, value in enumerate(values, start=1):
                if value is not None:
                    check_length(Location(display, row=number, column=get_column_letter(column)), value)
            if values:
                budget.add_row(Location(display, row=number), len(values))
                rows.append((number, values))
    except csv.Error as exc:
        where = Location(display, row=lines.number)
        if "field larger than field limit" in str(exc):
            raise SourceError(where, f"这一行有一个字段超过 {csv.field_size_limit():,} 个字符"
                              f"（Excel 一个单元格最多 {limits.MAX_CELL_CHARS:,} 个字符）；"
                              "请检查是否少了一个引号（\"），或删去多余的内容")
        raise SourceError(where, f"CSV 格式有误（{exc}）；"
                          "请在 Excel 中打开后另存为“CSV UTF-8（逗号分隔）”")
    return [Sheet(None, rows)]


class _Lines:
    """The physical lines of a text, counted, each refused past ``MAX_CSV_LINE_CHARS``."""

    def __init__(self, text: str, display: str) -> None:
        self._lines = io.StringIO(text)           # splits at "\n" only (a vertical tab is no line break)
        self._display = display
        self.number = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = self._lines.readline(limits.MAX_CSV_LINE_CHARS + 1)
        if not line:
            raise StopIteration
        self.number += 1
        if len(line) > limits.MAX_CSV_LINE_CHARS:
            raise SourceError(Location(self._display, row=self.number), f"这一行超过 "
                              f"{limits.MAX_CSV_LINE_CHARS:,} 个字符，不像正常的表格数据；"
                              "请检查文件是否选错，或在 Excel 中打开后重新另存为 CSV")
        return line
