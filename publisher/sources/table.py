"""Workbook and CSV readers: a grid of cells, the header row found wherever it is.

A bureau's workbook has title rows, a 填表单位 line and sometimes a merged
two-row header above the data, and 总计 / 填表人 rows below it.  ``read_table``
finds the header by matching the seed's column titles, fills merged cells with
their value on every row they cover, and returns records that remember their
Excel row and column.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from ..errors import Findings, Location, SourceError
from .controls import clean
from .csvsrc import read_csv
from .grid import Sheet
from .schema import SCHEMAS, fold_text, fold_title, title_index
from .values import find_date, parse_date, serial_date
from .xlsx import read_xlsx

HEADER_SCAN_ROWS = 40
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")


@dataclass
class Record:
    """One data row: values by field, and where each value sits."""

    values: dict
    cells: dict                    # field -> Location
    location: Location             # the row (or YAML item) itself
    extras: dict = field(default_factory=dict)   # admissions: column title as typed -> value (other columns)

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
    extras: dict = field(default_factory=dict)   # admissions: title as typed -> column number (letter fields)
    titles: dict = field(default_factory=dict)   # admissions: field -> its title as typed (身份证号码 …)


def sniff(path: Path) -> str:
    """'xlsx', 'csv', 'yaml' or a problem word, from the bytes rather than the name."""
    with open(path, "rb") as file:
        head = file.read(8)
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
    with open(path, "rb") as file:
        data = file.read(32 << 20)      # an encrypted workbook names its streams in the directory, near the start
    if _ENCRYPTED_MARK in data:
        return SourceError(Location(display), f"工作簿设置了打开密码，无法读取；"
                           "请在 Excel 中取消密码（文件→信息→保护工作簿）后另存为 .xlsx")
    return SourceError(Location(display), f"这是旧版 Excel 97-2003 格式（.xls），无法读取；"
                       "请在 Excel 或 WPS 中“另存为” .xlsx 格式后再试")


def read_grid(path: Path, display: str) -> list[Sheet]:
    """All sheets of a workbook (or the one 'sheet' of a CSV) as rows of raw values."""
    kind = sniff(path)
    if kind == "empty":
        raise SourceError(Location(display), f"文件是空的（0 字节）")
    if kind == "ole":
        raise _ole_problem(path, display)
    if kind == "xlsx":
        return read_xlsx(path, display)
    if kind == "csv":
        return read_csv(path, display)
    raise SourceError(Location(display), f"不是 Excel 工作簿（.xlsx）或 CSV 文件，无法读取；"
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


def detect(sheets: list[Sheet], kinds=None):
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


_KNOWN_TITLES = set(title_index(SCHEMAS["admissions"][0]))
_TOTAL_WORDS = ("总计", "合计", "小计")
_FOOTER = re.compile(r"^(填表人|联系电话|审核人|负责人|制表人|注[:：]|说明[:：]|备注[:：])")


def _row_text(values: list) -> list[str]:
    return [fold_text(v) for v in values if v is not None and fold_text(v)]


_LABELS = re.compile(r"^(填表单位(\(盖章\))?|填表时间|填表人|联系电话|发布日期|发布时间)[:：]?$")


def _clean_all(values: list, row_loc: Location, findings: Findings) -> list:
    return [clean(v, row_loc.at(column=get_column_letter(col)), findings) if isinstance(v, str) else v
            for col, v in enumerate(values, start=1)]


def _scan_meta(table: Table, values: list, row_loc: Location, findings: Findings) -> None:
    cells = [(col, fold_text(v), v) for col, v in enumerate(values, start=1) if fold_text(v)]
    for index, (col, text, _) in enumerate(cells):
        value_col, raw = col, None
        if _LABELS.match(text) and index + 1 < len(cells) and not _LABELS.match(cells[index + 1][1]):
            # the label in one cell, its value typed in the next one
            value_col, raw = cells[index + 1][0], cells[index + 1][2]
            text = text + cells[index + 1][1]
        loc = row_loc.at(column=get_column_letter(col))
        for part in re.split(r"(?=填表单位|填表时间|填表人|联系电话|发布日期|发布时间)", text):
            if part.startswith("填表单位"):
                unit = re.sub(r"^填表单位(\(盖章\))?[:：]?", "", part).strip()
                if unit:
                    table.meta.setdefault("unit", unit)
                    table.meta_cells.setdefault("unit", loc)
            elif part.startswith(("填表时间", "发布日期", "发布时间")):
                key = "filled_on" if part.startswith("填表") else "published_on"
                date = _meta_date(part, raw, row_loc.at(column=get_column_letter(value_col)), findings)
                if date and key not in table.meta:
                    table.meta[key] = date
                    table.meta_cells[key] = loc
            elif part.startswith("填表人"):
                name = re.sub(r"^填表人[:：]?", "", part).strip()
                if name:
                    table.meta.setdefault("filled_by", name)
            elif part.startswith("联系电话"):
                phone = re.sub(r"^联系电话[:：]?", "", part).strip()
                if phone:
                    table.meta.setdefault("phone", phone)


def _meta_date(part: str, raw, loc: Location, findings: Findings):
    """The date after 填表时间/发布日期: written out, a date cell, or an Excel serial number (with a warning)."""
    date = find_date(part)
    if date:
        return date
    label = part[:4]
    rest = re.sub(r"^(填表时间|发布日期|发布时间)[:：]?", "", part)
    if serial_date(raw if raw is not None else rest):
        return parse_date(raw if raw is not None else rest, loc, label, findings, None)
    if re.search(r"\d", rest):
        findings.warning(loc, "date.ignored", f"{label}“{rest}”不是完整的日期，已忽略；"
                         "请写成 2019年6月10日 或 2019-06-10", None)
    return None


def read_table(path: Path, display: str, kinds=None, findings: Findings | None = None) -> Table:
    """Read a workbook or CSV source into records of the kind its header shows.

    Control characters are removed from every value passed on, with a finding
    in ``findings`` (see ``controls.py``).
    """
    findings = findings if findings is not None else Findings()
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
    if kind == "admissions":
        header = dict(sheet.rows)[header_row]
        table.titles = {f: re.sub(r"\s+", "", str(header[col - 1])) for f, col in positions.items()}
        table.extras = _extra_columns(header, positions, table, findings)
    for number, values in sheet.rows:
        loc = Location(display, sheet.name, number)
        if number < header_row:
            values = _clean_all(values, loc, findings)
            texts = _row_text(values)
            _scan_meta(table, values, loc, findings)
            if texts and "title" not in table.meta and len(set(texts)) == 1 and len(texts[0]) > 6 \
                    and not texts[0].startswith(("填表", "附件", "发布")):
                table.meta["title"] = texts[0]
                table.meta_cells["title"] = loc
            continue
        texts = _row_text(values)
        if number == header_row or not texts:
            continue
        if {fold_title(v) for v in values if v is not None} <= header_titles | {""}:
            continue                                  # a repeated header row (second page)
        if texts[0] in ("…", "...", "……") and len(texts) == 1:
            continue
        if _FOOTER.match(texts[0]):
            _scan_meta(table, _clean_all(values, loc, findings), loc, findings)
            continue
        seq_col = positions.get("seq")
        if seq_col and all(v is None or not fold_text(v) for c, v in enumerate(values, start=1) if c != seq_col):
            continue                                  # a pre-numbered empty row of a blank form
        record = _record(values, table, positions, number, findings)
        if any(texts[0].startswith(w) for w in _TOTAL_WORDS):
            table.total = record
            continue
        table.records.append(record)
    return table


def _record(values, table: Table, positions: dict, number: int, findings: Findings) -> Record:
    row_values, cells = {}, {}
    for field_name, col in positions.items():
        value = values[col - 1] if col - 1 < len(values) else None
        loc = Location(table.file, table.sheet, number, get_column_letter(col))
        if isinstance(value, str):
            value = clean(value, loc, findings, table.columns[field_name].title, field_name)
            if not value.strip():
                value = None
        row_values[field_name] = value
        cells[field_name] = loc
    extras = {}
    for title, col in table.extras.items():
        value = values[col - 1] if col - 1 < len(values) else None
        loc = Location(table.file, table.sheet, number, get_column_letter(col))
        extras[title] = clean(value, loc, findings, title) if isinstance(value, str) else value
        cells[title] = loc
    return Record(row_values, cells, Location(table.file, table.sheet, number), extras)


def _extra_columns(header: list, positions: dict, table: Table, findings: Findings) -> dict:
    """Title as typed (white space removed) -> column number of every other titled column of an
    admissions list: a school's own columns (宿舍号, 班级 …) become fields of its letter template.
    A title given twice keeps its first column, with a warning at the second."""
    known = set(positions.values())
    extras: dict = {}
    for col, value in enumerate(header, start=1):
        title = re.sub(r"\s+", "", str(value)) if value is not None else ""
        if col in known or not title:
            continue
        loc = Location(table.file, table.sheet, table.header_row, get_column_letter(col))
        if title in extras or fold_title(title) in _KNOWN_TITLES:
            findings.warning(loc, "column.duplicate",
                             f"列标题“{title}”在表头中出现了两次，这一列未使用；请给它另起一个名称", None)
            continue
        extras[title] = col
    return extras


def _missing_columns(display: str, best, kinds) -> SourceError:
    if best is None:
        return SourceError(Location(display), f"表格是空的，找不到表头")
    _, sheet, number, kind, found = best
    columns, needed = SCHEMAS[kind]
    by_field = {c.field: c for c in columns}
    missing = [by_field[n].title for n in needed if n not in found]
    if len(found) < 2:
        return SourceError(Location(display), f"找不到表头行：没有一行含有本系统认识的列标题"
                           f"（如 序号、姓名、身份证号、学校名称、专业名称），请检查是否选错了文件")
    where = Location(display, sheet.name, number)
    return SourceError(where, f"表头缺少必需的列：{'、'.join(missing)}"
                       f"（看起来是{_kind_label(kind)}）；请按附件格式补齐列标题")


def _kind_label(kind: str) -> str:
    from .schema import KIND_NAMES
    return KIND_NAMES.get(kind, kind)
