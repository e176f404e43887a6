"""The raw grid a table reader returns, and the budget that keeps it small.

Both the workbook reader (``xlsx.py``) and the CSV reader (``csvsrc.py``) give
``Sheet``s of ``(row number, [values...])``, each row only as wide as its last
filled cell, and charge every row to one ``Budget`` per file, which refuses the
file with a located ``SourceError`` once a limit of ``limits.py`` is passed.
``fill_merged`` gives merged cells their value over the rows and columns that exist.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from ..errors import Location, SourceError
from . import limits


@dataclass
class Sheet:
    name: str | None
    rows: list                     # [(row number, [values...])], rows without any value left out
    hidden: bool = False           # hidden in Excel (a form's drop-down lists): not data the clerk sees


class Budget:
    """What one file's reader has kept so far: data rows, values, parsed XML, merged cells."""

    def __init__(self) -> None:
        self.rows = 0
        self.grid = 0
        self.elements = 0
        self.merged = 0

    def add_row(self, loc: Location, width: int) -> None:
        self.rows += 1
        if self.rows > limits.MAX_ROWS:
            raise SourceError(loc, f"有数据的行超过 {limits.MAX_ROWS:,} 行，"
                              f"本系统一次最多读取 {limits.MAX_ROWS:,} 行；请把数据拆分成几个文件")
        self.add_values(loc, width)

    def add_values(self, loc: Location, count: int) -> None:
        self.grid += count
        if self.grid > limits.MAX_GRID:
            from openpyxl.utils import get_column_letter
            raise SourceError(loc, f"表格的单元格总数超过 {limits.MAX_GRID:,} 个（很多行在很靠右的列里"
                              f"还有内容，这一行一直到 {get_column_letter(min(count, 16384))} 列）；"
                              "请删除数据右侧多余的列后重新保存")

    def add_elements(self, loc: Location, count: int) -> None:
        self.elements += count
        if self.elements > limits.MAX_XML_ELEMENTS:
            raise SourceError(loc, f"工作簿内容过多（超过 {limits.MAX_XML_ELEMENTS:,} 个单元格和格式元素），"
                              "读取已停止；请删除不需要的工作表、空白行和格式，或把数据拆分成几个文件")

    def add_merged(self, loc: Location, ref: str, area: int) -> None:
        self.merged += area
        if self.merged > limits.MAX_MERGED_CELLS:
            raise SourceError(loc, f"合并单元格 {ref} 等覆盖的单元格超过 {limits.MAX_MERGED_CELLS:,} 个；"
                              "请取消不必要的合并单元格（开始→合并后居中→取消单元格合并）后重新保存")


def check_length(loc: Location, value: str) -> None:
    """Refuse a text longer than an Excel cell can hold (nothing downstream may see it)."""
    if len(value) > limits.MAX_CELL_CHARS:
        raise too_long(loc, len(value))


def too_long(loc: Location, length: int, limit: int = limits.MAX_CELL_CHARS, what: str = "单元格") -> SourceError:
    return SourceError(loc, f"{what}有 {length:,} 个字符，超过上限 {limit:,} 个字符"
                            f"（Excel 一个单元格最多 {limits.MAX_CELL_CHARS:,} 个字符）；请删去多余的内容")


def fill_merged(rows: list, merges: list, loc: Location, budget: Budget) -> None:
    """Give every cell of a merged range the range's value (SPEC §3), over the rows and columns that exist."""
    from openpyxl.utils import range_boundaries
    if not rows or not merges:
        return
    numbers = [number for number, _ in rows]
    by_number = dict(rows)
    width = max(len(values) for _, values in rows)
    for ref in merges:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (ValueError, TypeError):
            continue
        if min_col is None and min_row is None:
            continue
        min_col, min_row, max_row = min_col or 1, min_row or 1, max_row or numbers[-1]   # "A:C" or "2:5"
        top = by_number.get(min_row)
        if top is None or len(top) < min_col or top[min_col - 1] is None:
            continue
        value = top[min_col - 1]
        max_col = min(max_col or width, width)
        covered = numbers[bisect_left(numbers, min_row):bisect_right(numbers, max_row)]
        budget.add_merged(loc.at(row=min_row), ref, len(covered) * max(0, max_col - min_col + 1))
        for number in covered:
            values = by_number[number]
            if len(values) < max_col:
                budget.add_values(loc.at(row=number), max_col - len(values))
                values.extend([None] * (max_col - len(values)))
            for c in range(min_col - 1, max_col):
                if values[c] is None:
                    values[c] = value
