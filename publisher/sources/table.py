"""Workbook and CSV readers: a grid of cells, the header row found wherever it is.

A bureau's workbook has title rows, a 填表单位 line and sometimes a merged
two-row header above the data, and 总计 / 填表人 rows below it.  ``read_table``
finds the header by matching the seed's column titles, fills merged cells with
their value on every row they cover, and returns records that remember their
Excel row and column.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from openpyxl.utils import get_column_letter, range_boundaries

from ..errors import Location, SourceError
from .schema import SCHEMAS, fold_text, fold_title, title_index
from .values import find_date

HEADER_SCAN_ROWS = 40
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass
class Record:
    """One data row: values by field, and where each value sits."""

    values: dict
    cells: dict                    # field -> Location
    location: Location             # the row (or YAML item) itself

    def loc(self, field_name: str) -> Location:
        return self.cells.get(field_name, self.location)


@dataclass
class Table:
    kind: str
    file: str
    sheet: str | None
    header_row: int
    columns: dict                  # field -> Column
    letters: dict                  # field -> column letter
    records: list = field(default_factory=list)
    total: Record | None = None    # the 总计 row as typed, if any
    meta: dict = field(default_factory=dict)   # title, unit, filled_on, filled_by, phone, published_on
    meta_cells: dict = field(default_factory=dict)


@dataclass
class _Sheet:
    name: str | None
    rows: list                     # [(excel_row_number, [values...])]


def sniff(path: Path) -> str:
    """'xlsx', 'csv', 'yaml' or a problem word, from the bytes rather than the name."""
    head = path.read_bytes()[:8] if path.stat().st_size else b""
    suffix = path.suffix.lower()
    if not head:
        return "empty"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(_OLE):
        return "ole"
    if suffix in (".csv", ".txt"):
        return "csv"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix in (".xlsx", ".xlsm", ".xls"):
        return "notxlsx"
    return "unknown"


def _ole_problem(path: Path, display: str) -> SourceError:
    data = path.read_bytes()
    if _ENCRYPTED_MARK in data:
        return SourceError(f"{display}: 错误: 工作簿设置了打开密码，无法读取；"
                           "请在 Excel 中取消密码（文件→信息→保护工作簿）后另存为 .xlsx")
    return SourceError(f"{display}: 错误: 这是旧版 Excel 97-2003 格式（.xls），无法读取；"
                       "请在 Excel 或 WPS 中“另存为” .xlsx 格式后再试")


def _merged_ranges(ws) -> list[tuple[int, int, int, int]]:
    """Merged ranges of a read-only worksheet, read from its XML (openpyxl skips them there)."""
    ranges = []
    try:
        with ws._get_source() as source:
            for _, element in ElementTree.iterparse(source):
                if element.tag == f"{_NS}mergeCell":
                    ranges.append(range_boundaries(element.get("ref")))
                elif element.tag == f"{_NS}row":
                    element.clear()
    except (ElementTree.ParseError, KeyError, ValueError, TypeError):
        pass
    return ranges


def _read_xlsx(path: Path, display: str) -> list[_Sheet]:
    import openpyxl  # local: keeps `publisher --help` fast
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except zipfile.BadZipFile:
        raise SourceError(f"{display}: 错误: 工作簿已损坏（不是完整的 .xlsx 文件），请重新保存或重新导出")
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise SourceError(f"{display}: 错误: 工作簿无法打开（{type(exc).__name__}），"
                          "文件可能已损坏；请在 Excel 中打开后重新另存为 .xlsx")
    sheets = []
    try:
        for ws in workbook.worksheets:
            rows = []
            for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
                rows.append((number, list(row)))
            merged = _merged_ranges(ws)
            _fill_merged(rows, merged)
            sheets.append(_Sheet(ws.title, rows))
    except Exception as exc:
        raise SourceError(f"{display}: 错误: 工作簿内容已损坏，读取中断（{type(exc).__name__}）；"
                          "请在 Excel 中打开后重新另存为 .xlsx")
    finally:
        workbook.close()
    return sheets


def _fill_merged(rows: list, merged: list) -> None:
    """Give every cell of a merged range the range's value (SPEC §3)."""
    by_number = {number: values for number, values in rows}
    for min_col, min_row, max_col, max_row in merged:
        top = by_number.get(min_row)
        if top is None or len(top) < min_col:
            continue
        value = top[min_col - 1]
        if value is None:
            continue
        for r in range(min_row, max_row + 1):
            values = by_number.get(r)
            if values is None:
                continue
            if len(values) < max_col:
                values.extend([None] * (max_col - len(values)))
            for c in range(min_col, max_col + 1):
                if values[c - 1] is None:
                    values[c - 1] = value


def _read_csv(path: Path, display: str) -> list[_Sheet]:
    from .yamlsrc import read_text
    text = read_text(path, display)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = [(n, [cell if cell != "" else None for cell in row])
            for n, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1)]
    return [_Sheet(None, rows)]


def read_grid(path: Path, display: str) -> list[_Sheet]:
    """All sheets of a workbook (or the one 'sheet' of a CSV) as rows of raw values."""
    kind = sniff(path)
    if kind == "empty":
        raise SourceError(f"{display}: 错误: 文件是空的（0 字节）")
    if kind == "ole":
        raise _ole_problem(path, display)
    if kind == "xlsx":
        return _read_xlsx(path, display)
    if kind == "csv":
        return _read_csv(path, display)
    raise SourceError(f"{display}: 错误: 不是 Excel 工作簿（.xlsx）或 CSV 文件，无法读取；"
                      "请确认文件没有损坏")


def _match_row(values: list, index: dict) -> dict:
    """field -> (column number, Column) for the titles found in one row."""
    found = {}
    for col, value in enumerate(values, start=1):
        if value is None:
            continue
        column = index.get(fold_title(value))
        if column and column.field not in found:
            found[column.field] = (col, column)
    return found


def detect(sheets: list[_Sheet], kinds=None):
    """The best (sheet, row number, kind, matches) over the first rows of every sheet."""
    best = None
    for sheet in sheets:
        for number, values in sheet.rows[:HEADER_SCAN_ROWS]:
            for kind, (columns, needed) in SCHEMAS.items():
                if kinds and kind not in kinds:
                    continue
                found = _match_row(values, title_index(columns))
                complete = all(n in found for n in needed)
                # registrations beat a registry list when their own columns are there
                score = (complete, len(found), -list(SCHEMAS).index(kind))
                if best is None or score > best[0]:
                    best = (score, sheet, number, kind, found)
    return best


_TOTAL_WORDS = ("总计", "合计", "小计")
_FOOTER = re.compile(r"^(填表人|联系电话|审核人|负责人|制表人|注[:：]|说明[:：]|备注[:：])")


def _row_text(values: list) -> list[str]:
    return [fold_text(v) for v in values if v is not None and fold_text(v)]


_LABELS = re.compile(r"^(填表单位(\(盖章\))?|填表时间|填表人|联系电话|发布日期|发布时间)[:：]?$")


def _scan_meta(table: Table, values: list, row_loc: Location) -> None:
    cells = [(col, fold_text(v)) for col, v in enumerate(values, start=1) if fold_text(v)]
    for index, (col, text) in enumerate(cells):
        if _LABELS.match(text) and index + 1 < len(cells) and not _LABELS.match(cells[index + 1][1]):
            # the label in one cell, its value typed in the next one
            text = text + cells[index + 1][1]
        loc = row_loc.at(column=get_column_letter(col))
        for part in re.split(r"(?=填表单位|填表时间|填表人|联系电话|发布日期|发布时间)", text):
            if part.startswith("填表单位"):
                unit = re.sub(r"^填表单位(\(盖章\))?[:：]?", "", part).strip()
                if unit:
                    table.meta.setdefault("unit", unit)
                    table.meta_cells.setdefault("unit", loc)
            elif part.startswith(("填表时间", "发布日期", "发布时间")):
                date = find_date(part)
                key = "filled_on" if part.startswith("填表") else "published_on"
                if date:
                    table.meta.setdefault(key, date)
                    table.meta_cells.setdefault(key, loc)
            elif part.startswith("填表人"):
                name = re.sub(r"^填表人[:：]?", "", part).strip()
                if name:
                    table.meta.setdefault("filled_by", name)
            elif part.startswith("联系电话"):
                phone = re.sub(r"^联系电话[:：]?", "", part).strip()
                if phone:
                    table.meta.setdefault("phone", phone)


def read_table(path: Path, display: str, kinds=None) -> Table:
    """Read a workbook or CSV source into records of the kind its header shows."""
    sheets = read_grid(path, display)
    best = detect(sheets, kinds)
    if best is None or not best[0][0]:
        raise _missing_columns(display, best, kinds)
    _, sheet, header_row, kind, found = best
    columns = {f: c for f, (_, c) in found.items()}
    positions = {f: col for f, (col, _) in found.items()}
    table = Table(kind, display, sheet.name, header_row, columns,
                  {f: get_column_letter(col) for f, col in positions.items()})
    header_titles = {fold_title(v) for v in dict(sheet.rows)[header_row] if v is not None}
    for number, values in sheet.rows:
        loc = Location(display, sheet.name, number)
        texts = _row_text(values)
        if number < header_row:
            _scan_meta(table, values, loc)
            if texts and "title" not in table.meta and len(set(texts)) == 1 and len(texts[0]) > 6 \
                    and not texts[0].startswith(("填表", "附件", "发布")):
                table.meta["title"] = texts[0]
                table.meta_cells["title"] = loc
            continue
        if number == header_row or not texts:
            continue
        if {fold_title(v) for v in values if v is not None} <= header_titles | {""}:
            continue                                  # a repeated header row (second page)
        if texts[0] in ("…", "...", "……") and len(texts) == 1:
            continue
        if _FOOTER.match(texts[0]):
            _scan_meta(table, values, loc)
            continue
        seq_col = positions.get("seq")
        if seq_col and all(v is None or not fold_text(v) for c, v in enumerate(values, start=1) if c != seq_col):
            continue                                  # a pre-numbered empty row of a blank form
        record = _record(values, positions, display, sheet.name, number)
        if any(texts[0].startswith(w) for w in _TOTAL_WORDS):
            table.total = record
            continue
        table.records.append(record)
    return table


def _record(values, positions, display, sheet, number) -> Record:
    row_values, cells = {}, {}
    for field_name, col in positions.items():
        value = values[col - 1] if col - 1 < len(values) else None
        if isinstance(value, str) and not value.strip():
            value = None
        row_values[field_name] = value
        cells[field_name] = Location(display, sheet, number, get_column_letter(col))
    return Record(row_values, cells, Location(display, sheet, number))


def _missing_columns(display: str, best, kinds) -> SourceError:
    if best is None:
        return SourceError(f"{display}: 错误: 表格是空的，找不到表头")
    _, sheet, number, kind, found = best
    columns, needed = SCHEMAS[kind]
    by_field = {c.field: c for c in columns}
    missing = [by_field[n].title for n in needed if n not in found]
    if len(found) < 2:
        return SourceError(f"{display}: 错误: 找不到表头行：没有一行含有本系统认识的列标题"
                           f"（如 序号、姓名、身份证号、学校名称、专业名称），请检查是否选错了文件")
    where = f"{display}:{sheet.name}!第{number}行" if sheet.name else f"{display}:第{number}行"
    return SourceError(f"{where}: 错误: 表头缺少必需的列：{'、'.join(missing)}"
                       f"（看起来是{_kind_label(kind)}）；请按附件格式补齐列标题")


def _kind_label(kind: str) -> str:
    from .schema import KIND_NAMES
    return KIND_NAMES.get(kind, kind)
