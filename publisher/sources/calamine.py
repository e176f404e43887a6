"""Older and other workbook formats — Excel 97-2003 (.xls), WPS (.et), OpenDocument (.ods) —
read with python-calamine (a maintained Rust reader) into the same ``Sheet`` grids as
``xlsx.py``, so header finding, merged cells and every check are the same.

Limits (``limits.py``) stay meaningful:

- the file itself: at most ``MAX_BINARY_BYTES`` (calamine holds a sheet in memory;
  an .xls sheet has at most 65,536 rows × 256 columns by its format);
- every row kept is charged to the file's ``Budget`` (rows, values), as for .xlsx;
- an .ods is a ZIP: its directory is checked before anything is unpacked
  (``xlsxzip.check_archive``), and ``content.xml`` is streamed once first to add up
  what its repeated rows and cells would expand to (``table:number-rows-repeated``
  × ``table:number-columns-repeated`` on cells holding a value), so a 10 KB file
  claiming a million filled rows is refused before calamine expands it.  The same
  pass reads the merged ranges (``table:number-rows-spanned``), which calamine does
  not report for .ods.
"""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError, iterparse

from openpyxl.utils import get_column_letter

from ..errors import Location, SourceError
from . import limits
from .grid import Budget, Sheet, check_length, fill_merged

FORMATS = {"ole": "旧版 Excel 97-2003 格式（.xls）或 WPS 表格格式（.et）", "ods": "OpenDocument 表格格式（.ods）"}
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_T = "{%s}" % _TABLE
TABLE, ROW, CELL, COVERED = _T + "table", _T + "table-row", _T + "table-cell", _T + "covered-table-cell"
VALUE_TYPE = "{%s}value-type" % _OFFICE


def read_calamine(path: Path, display: str, kind: str) -> list[Sheet]:
    """Every worksheet of an .xls/.et (``kind`` 'ole') or .ods (``kind`` 'ods') workbook."""
    try:
        import python_calamine
    except ImportError:                                  # pragma: no cover - a dependency of publisher
        raise SourceError(Location(display), f"无法读取{FORMATS[kind]}：缺少 python-calamine 组件；"
                          "请在 Excel 或 WPS 中“另存为” .xlsx 格式后再试，或请维护人员安装 python-calamine")
    size = path.stat().st_size
    if size > limits.MAX_BINARY_BYTES:
        raise SourceError(Location(display), f"工作簿有 {limits.size_text(size)}，超过上限 "
                          f"{limits.size_text(limits.MAX_BINARY_BYTES)}；请把数据拆分成几个文件")
    merges = _ods_scan(path, display) if kind == "ods" else {}
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        raise SourceError(Location(display), "工作簿设置了打开密码，无法读取；请在 Excel 或 WPS 中取消密码后"
                          "另存为 .xlsx")
    except Exception:  # calamine raises its own errors (and ValueError) on damaged files
        raise SourceError(Location(display), f"这是{FORMATS[kind]}的文件，但文件结构无法识别，"
                          "文件可能已损坏；请在 Excel 或 WPS 中打开后“另存为” .xlsx 格式再试")
    budget, sheets = Budget(), []
    with workbook:
        for meta in workbook.sheets_metadata:
            if "WorkSheet" not in str(meta.typ):
                continue                                 # chart sheets, macro sheets
            loc = Location(display, meta.name)
            try:
                sheet = workbook.get_sheet_by_name(meta.name)
                ranges = merges.get(meta.name) if kind == "ods" else sheet.merged_cell_ranges
                sheets.append(_sheet(sheet, loc, budget, ranges or [], "Visible" not in str(meta.visible)))
            except SourceError:
                raise
            except Exception:
                raise SourceError(loc, "工作表无法读取（内容已损坏），"
                                  "请在 Excel 或 WPS 中打开后“另存为” .xlsx 格式再试")
    return sheets


def _sheet(sheet, loc: Location, budget: Budget, ranges: list, hidden: bool) -> Sheet:
    if len(ranges) > limits.MAX_MERGES:
        raise SourceError(loc, f"工作表有超过 {limits.MAX_MERGES:,} 个合并单元格，未予读取；"
                          "请取消不必要的合并单元格后重新保存")
    rows = []
    start = sheet.start or (0, 0)
    first_row, first_col = start
    for offset, raw in enumerate(sheet.iter_rows()):
        number = first_row + offset + 1
        values = [_value(v) for v in raw]
        while values and values[-1] is None:
            values.pop()
        if not values:
            continue
        values = [None] * first_col + values
        for column, value in enumerate(values, start=1):
            if isinstance(value, str) and len(value) > limits.MAX_CELL_CHARS:
                check_length(loc.at(row=number, column=get_column_letter(column)), value)
        budget.add_row(loc.at(row=number), len(values))
        rows.append((number, values))
    refs = [_ref(r) for r in ranges]
    fill_merged(rows, [r for r in refs if r], loc, budget)
    return Sheet(loc.sheet, rows, hidden)


def _value(value):
    """calamine's value as the .xlsx reader gives it: None for empty, whole floats as int."""
    if value == "" or value is None:
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, (dt.time, dt.timedelta)):
        return str(value)
    return value


def _ref(merged) -> str | None:
    """((row, col), (row, col)) counted from 0 -> 'A1:B2'."""
    try:
        (r1, c1), (r2, c2) = merged
        return f"{get_column_letter(c1 + 1)}{r1 + 1}:{get_column_letter(c2 + 1)}{r2 + 1}"
    except (TypeError, ValueError):
        return None


def _ods_scan(path: Path, display: str) -> dict:
    """Refuse an .ods whose repeated rows and cells would expand past ``limits.MAX_GRID`` values;
    return its merged ranges (sheet name -> [((row, col), (row, col))]) counted from 0."""
    from .xlsxzip import Runs, check_archive
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise SourceError(Location(display), "OpenDocument 表格已损坏（不是完整的 .ods 文件），请重新保存")
    merges: dict = {}
    with archive:
        check_archive(archive, display)
        try:
            source = archive.open("content.xml")
        except KeyError:
            raise SourceError(Location(display), "OpenDocument 表格缺少 content.xml，文件已损坏；请重新保存")
        values, elements, sheet, row, row_repeat, column, stack = 0, 0, None, 0, 1, 0, []
        loc = Location(display)
        try:
            with source:
                for event, element in iterparse(Runs(source, loc), events=("start", "end")):
                    tag = element.tag
                    if event == "start":
                        stack.append(element)
                        if tag == TABLE:
                            sheet, row = element.get(_T + "name"), 0
                            merges.setdefault(sheet, [])
                        elif tag == ROW:
                            row_repeat, column = _count(element, "number-rows-repeated"), 0
                        continue
                    stack.pop()
                    elements += 1
                    if elements > limits.MAX_XML_ELEMENTS:
                        raise SourceError(loc.at(sheet=sheet), f"表格内容过多（超过 {limits.MAX_XML_ELEMENTS:,} 个"
                                          "单元格和格式元素），读取已停止；请把数据拆分成几个文件")
                    if tag in (CELL, COVERED):
                        repeat = _count(element, "number-columns-repeated")
                        if tag == CELL and (element.get(VALUE_TYPE) or len(element)):
                            values += repeat * row_repeat
                            if values > limits.MAX_GRID:
                                raise SourceError(loc.at(sheet=sheet, row=min(row + 1, limits.EXCEL_MAX_ROWS)),
                                                  f"表格的单元格总数超过 {limits.MAX_GRID:,} 个（重复的行和单元格展开后）；"
                                                  "请删除多余的行和列后重新保存")
                            spans = _count(element, "number-rows-spanned"), _count(element, "number-columns-spanned")
                            if spans != (1, 1) and sheet is not None:
                                merges[sheet].append(((row, column), (row + spans[0] - 1, column + spans[1] - 1)))
                        column += repeat
                        if sum(len(m) for m in merges.values()) > limits.MAX_MERGES:
                            raise SourceError(loc.at(sheet=sheet), f"表格有超过 {limits.MAX_MERGES:,} 个合并单元格，"
                                              "未予读取；请取消不必要的合并单元格后重新保存")
                    elif tag == ROW:
                        row += row_repeat
                    if stack and tag != TABLE:
                        del stack[-1][-1]        # the finished element leaves its parent: memory stays flat
        except ParseError as exc:
            raise SourceError(loc, f"OpenDocument 表格的内容不是合法的 XML（{exc}），文件已损坏；请重新保存")
    return merges


def _count(element, name: str) -> int:
    try:
        return max(1, int(element.get(_T + name) or 1))
    except ValueError:
        return 1
