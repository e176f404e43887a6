"""Reading a workbook (.xlsx) into grids of values, within the limits of ``limits.py``.

openpyxl reads the workbook's small parts (sheet names, styles, date formats);
the shared strings and the sheets are streamed here, element by element, so
that nothing a sheet claims (a ``<dimension>`` of A1:XFD1048576, a merged range
over the whole sheet, a cell far to the right) makes the reader allocate more
than the cells that really hold values:

- the ZIP package is checked before anything is unpacked (``xlsxzip.py``), and
  text between two tags is limited while the bytes stream in;
- every finished XML element is dropped from its parent, so memory stays flat;
- a row keeps only the values up to its last filled cell; empty rows are left out;
- a merged range fills only the rows and columns that hold values.

Strings are decoded as Excel writes them: ``_x001B_`` is the character U+001B,
``_x005F_`` an underscore (control characters are then findings: ``table.py``).
"""
from __future__ import annotations

import re
import warnings
import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError, iterparse

from openpyxl.utils.datetime import from_excel, from_ISO8601

from ..errors import Location, SourceError
from . import limits
from .grid import Budget, Sheet, check_length, fill_merged, too_long
from .xlsxzip import BROKEN, Runs, cell_at, check_archive

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
ROW, CELL, VALUE, INLINE, TEXT, PHONETIC, ITEM, MERGE = (
    _NS + tag for tag in ("row", "c", "v", "is", "t", "rPh", "si", "mergeCell"))
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_LETTERS = re.compile(r"[A-Za-z]+")


class TooLong:
    """A shared string longer than a cell may hold: refused where a cell uses it."""

    def __init__(self, length: int) -> None:
        self.length = length


def unescape(text: str) -> str:
    """Excel's escapes in XML text: ``_x000D_`` -> U+000D, ``_x005F_`` -> ``_``."""
    if "_x" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def read_xlsx(path: Path, display: str) -> list[Sheet]:
    """Every worksheet of a workbook as rows of raw values (SourceError past a limit)."""
    from openpyxl.reader.excel import ExcelReader  # local: keeps `publisher --help` fast

    class Workbook(ExcelReader):
        """openpyxl's reader, with the shared strings streamed and the sheets left to us."""

        def read_strings(self):
            from openpyxl.xml.constants import SHARED_STRINGS
            part = self.package.find(SHARED_STRINGS)
            if part is not None:
                with self.archive.open(part.PartName[1:]) as source:
                    self.shared_strings = _shared_strings(Runs(source, Location(display)), Location(display),
                                                          self.budget)

        def read_worksheets(self):
            self.sheet_parts = [(sheet.name, rel.target, sheet.state not in (None, "visible"))
                                for sheet, rel in self.parser.find_sheets()
                                if rel.target in self.valid_files and "chartsheet" not in rel.Type]

    with open(path, "rb") as file:
        try:
            reader = Workbook(file, read_only=True, data_only=True, keep_links=False)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            raise SourceError(Location(display), "工作簿已损坏（不是完整的 .xlsx 文件），请重新保存或重新导出")
        with reader.archive:
            try:
                check_archive(reader.archive, display)
                reader.budget = Budget()
                with warnings.catch_warnings():      # openpyxl's warnings are for programmers, not clerks
                    warnings.simplefilter("ignore")
                    reader.read()
            except SourceError:
                raise
            except Exception as exc:  # openpyxl and zipfile raise many kinds on damaged files
                raise SourceError(Location(display), f"工作簿无法打开（{type(exc).__name__}），{BROKEN}")
            wb = reader.wb
            styles = (wb._date_formats, wb._timedelta_formats, wb.epoch)
            sheets = []
            for name, part, hidden in reader.sheet_parts:
                loc = Location(display, name)
                try:
                    sheet = _read_sheet(reader.archive, part, reader.shared_strings, styles, loc, reader.budget)
                    sheet.hidden = hidden
                    sheets.append(sheet)
                except SourceError:
                    raise
                except Exception as exc:  # a damaged ZIP member (CRC, zlib) or sheet
                    raise SourceError(loc, f"工作簿内容已损坏，读取中断（{type(exc).__name__}）；{BROKEN}")
            return sheets


def _shared_strings(source, loc: Location, budget: Budget) -> list:
    """The shared-string table, streamed: the text of each ``<si>`` without phonetic runs."""
    strings, parts, phonetic, root, inside, elements = [], [], 0, None, 0, 0
    try:
        for event, element in iterparse(source, events=("start", "end")):
            if event == "start":
                if root is None:
                    root = element
                elif element.tag == PHONETIC:
                    phonetic += 1
                inside += 1
                if inside > limits.MAX_ROW_ELEMENTS:
                    raise SourceError(loc, f"共享字符串表中的一项含有超过 {limits.MAX_ROW_ELEMENTS:,} 个格式片段，"
                                      f"未予读取；{BROKEN}")
                continue
            elements += 1
            if element.tag == TEXT and not phonetic:
                parts.append(element.text or "")
            elif element.tag == PHONETIC:
                phonetic -= 1
            elif element.tag == ITEM:
                text = unescape("".join(parts))
                strings.append(text if len(text) <= limits.MAX_CELL_CHARS else TooLong(len(text)))
                budget.add_elements(loc, elements)
                parts, inside, elements = [], 0, 0
                root.clear()                     # the finished items are read: keep memory flat
    except ParseError as exc:
        raise SourceError(loc, f"工作簿的共享字符串表不是合法的 XML（{exc}），{BROKEN}")
    return strings


def _read_sheet(archive, part: str, strings: list, styles: tuple, loc: Location, budget: Budget) -> Sheet:
    """One worksheet, streamed: rows of values and its merged ranges filled in."""
    rows, merges, stack, row_elements, elements, row = [], [], [], -1, 0, None
    try:
        with archive.open(part) as source:
            for event, element in iterparse(Runs(source, loc), events=("start", "end")):
                if event == "start":
                    stack.append(element)
                    if element.tag == ROW:
                        row_elements, row = 0, element
                    elif row_elements >= 0:
                        row_elements += 1
                        if row_elements > limits.MAX_ROW_ELEMENTS:
                            raise SourceError(loc.at(row=_row_number(row, rows)), f"这一行含有超过 "
                                              f"{limits.MAX_ROW_ELEMENTS:,} 个单元格和格式元素，未予读取；{BROKEN}")
                    continue
                stack.pop()
                elements += 1
                if element.tag == ROW:
                    budget.add_elements(loc, elements)
                    elements, row_elements = 0, -1
                    _add_row(element, rows, strings, styles, loc, budget)
                elif row_elements >= 0:
                    continue                     # a cell's parts stay until its row is read
                elif element.tag == MERGE:
                    merges.append(element.get("ref") or "")
                    if len(merges) > limits.MAX_MERGES:
                        raise SourceError(loc, f"工作表有超过 {limits.MAX_MERGES:,} 个合并单元格，未予读取；"
                                          "请取消不必要的合并单元格后重新保存")
                elif elements > 4096:
                    budget.add_elements(loc, elements)
                    elements = 0
                if stack:
                    del stack[-1][-1]            # the finished element leaves its parent: memory stays flat
        budget.add_elements(loc, elements)
    except ParseError as exc:
        cell = cell_at(archive, part, *exc.position)
        where = loc.at(row=int(cell[1]), column=cell[0]) if cell else loc
        raise SourceError(where, f"工作表不是合法的 XML（{exc}），多半是单元格里有 XML 不允许的控制字符；"
                          "Excel 打开时会提示修复：修复并核对这一格后另存为 .xlsx")
    rows = sorted(dict(rows).items())            # Excel writes rows in order, once each; others may not
    fill_merged(rows, merges, loc, budget)
    return Sheet(loc.sheet, rows)


def _row_number(element, rows: list) -> int:
    try:
        return int(element.get("r") or "")
    except ValueError:
        return rows[-1][0] + 1 if rows else 1


_COLUMNS: dict = {}


def _column(letters: str) -> int:
    number = _COLUMNS.get(letters)
    if number is None:
        number = 0
        for ch in letters.upper():
            number = number * 26 + ord(ch) - 64
        if len(_COLUMNS) < 20_000:
            _COLUMNS[letters] = number
    return number


def _add_row(element, rows: list, strings: list, styles: tuple, loc: Location, budget: Budget) -> None:
    from openpyxl.utils import get_column_letter
    number = _row_number(element, rows)
    if not 1 <= number <= limits.EXCEL_MAX_ROWS:
        raise SourceError(loc, f"行号 {number} 超出了 Excel 的范围（1–{limits.EXCEL_MAX_ROWS:,}）；{BROKEN}")
    cells, column = {}, 0
    for cell in element:
        if cell.tag != CELL:
            continue
        ref = cell.get("r")
        match = _LETTERS.match(ref) if ref else None
        column = _column(match.group()) if match else column + 1
        if column > limits.EXCEL_MAX_COLUMNS:
            raise SourceError(loc.at(row=number), f"单元格 {ref or column} 超出了 Excel 的最后一列 XFD；{BROKEN}")
        value = _value(cell, strings, styles)
        if value is None:
            continue
        if isinstance(value, TooLong):
            raise too_long(loc.at(row=number, column=get_column_letter(column)), value.length)
        if isinstance(value, str) and len(value) > limits.MAX_CELL_CHARS:
            check_length(loc.at(row=number, column=get_column_letter(column)), value)
        cells[column] = value
    element.clear()
    if not cells:
        return
    values = [None] * max(cells)
    for column, value in cells.items():
        values[column - 1] = value
    budget.add_row(loc.at(row=number), len(values))
    rows.append((number, values))


def _value(cell, strings: list, styles: tuple):
    """A cell's value as Excel last saved it (cached formula results; dates by number format)."""
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        node = cell.find(INLINE)
        if node is None:
            return None
        phonetic = _phonetic_texts(node)
        return unescape("".join(t.text or "" for t in node.iter(TEXT) if t not in phonetic))
    text = cell.findtext(VALUE)
    if not text:
        return None
    if kind == "s":
        return strings[int(text)]
    if kind == "n":
        number = float(text) if any(c in text for c in ".Ee") else int(text)
        date_formats, timedelta_formats, epoch = styles
        style = int(cell.get("s") or 0)
        if style in date_formats:
            try:
                return from_excel(number, epoch, timedelta=style in timedelta_formats)
            except (OverflowError, ValueError):
                return number
        return number
    if kind == "b":
        return text.strip() in ("1", "true")
    if kind == "d":
        return from_ISO8601(text)
    return unescape(text)                        # str (a formula's text result) and e (#DIV/0!)


def _phonetic_texts(node) -> set:
    return {t for ph in node.iter(PHONETIC) for t in ph.iter(TEXT)} if node.find(PHONETIC) is not None else set()
