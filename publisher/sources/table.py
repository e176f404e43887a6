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
from .formats import read_grid
from .grid import Sheet
from .schema import SCHEMAS, fold_text, fold_title, title_index
from .values import find_date, parse_date, serial_date

HEADER_SCAN_ROWS = 40
# Sheets that hold no data by their name: instructions, and the catalog XLSX's own 调整情况 sheet.
NOTE_SHEETS = ("填表说明", "说明", "注意事项", "调整情况")


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
    totals: list = field(default_factory=list)   # (总计 row as typed, how many records its sheet has), a sheet each
    sheets: list = field(default_factory=list)   # the sheets read, in workbook order
    meta: dict = field(default_factory=dict)   # title, unit, filled_on, filled_by, phone, published_on
    meta_cells: dict = field(default_factory=dict)
    extras: dict = field(default_factory=dict)   # admissions: title as typed -> column number (letter fields)
    titles: dict = field(default_factory=dict)   # admissions: field -> its title as typed (身份证号码 …)

    @property
    def total(self) -> Record | None:
        """The 总计 row of a table read from one sheet (None when several sheets were read)."""
        return self.totals[0][0] if len(self.totals) == 1 and len(self.sheets) == 1 else None


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

    Every sheet whose header is of that kind is read, in workbook order (a county's
    sheet added beside the city's): records and findings name their sheet, and the
    first sheet's title and 填表 lines win.  A visible sheet holding something else
    is not read, and a warning names it.  Control characters are removed from every
    value passed on, with a finding in ``findings`` (see ``controls.py``).
    """
    findings = findings if findings is not None else Findings()
    sheets = read_grid(path, display)
    best = detect(sheets, kinds)
    if best is None or not best[0][0]:
        raise _missing_columns(display, best, kinds)
    _, sheet, header_row, kind, found = best
    table = Table(kind, display, sheet.name, header_row, {f: c for f, (_, c) in found.items()},
                  {f: get_column_letter(col) for f, (col, _) in found.items()})
    for other in sheets:
        if other is sheet:
            _read_sheet(table, other, header_row, found, findings)
            continue
        header = detect([other], (kind,))
        if header is not None and header[0][0] and other.hidden:
            findings.warning(Location(display, other.name, header[2]), "sheet.hidden",
                             f"工作表“{other.name}”是隐藏的，虽然有{_kind_label(kind)}的表头，但未读取；"
                             "如果其中的数据也要报送，请在 Excel 中取消隐藏（右键工作表标签→取消隐藏）")
        elif header is not None and header[0][0]:
            _read_sheet(table, other, header[2], header[4], findings)
        elif other.rows and not other.hidden and fold_text(other.name) not in NOTE_SHEETS:
            _skipped_sheet(table, other, findings)
    return table


def _read_sheet(table: Table, sheet: Sheet, header_row: int, found: dict, findings: Findings) -> None:
    """The records, 总计 row and 填表 lines of one sheet whose header row is ``header_row``."""
    display = table.file
    positions = {f: col for f, (col, _) in found.items()}
    for f, (_, column) in found.items():
        table.columns.setdefault(f, column)
    table.sheets.append(sheet.name)
    header_titles = {fold_title(v) for v in dict(sheet.rows)[header_row] if v is not None}
    first = len(table.records)
    extras: dict = {}
    if table.kind == "admissions":
        header = dict(sheet.rows)[header_row]
        for f, col in positions.items():
            table.titles.setdefault(f, re.sub(r"\s+", "", str(header[col - 1])))
        extras = _extra_columns(header, positions, table, sheet.name, header_row, findings)
        for title, col in extras.items():
            table.extras.setdefault(title, Location(display, sheet.name, header_row, get_column_letter(col)))
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
        record = _record(values, table, positions, sheet.name, number, findings, extras)
        if any(texts[0].startswith(w) for w in _TOTAL_WORDS):
            table.totals.append((record, len(table.records) - first))
            continue
        table.records.append(record)


def _skipped_sheet(table: Table, sheet: Sheet, findings: Findings) -> None:
    """A visible sheet with content that is not of the table's kind: said, never skipped in silence."""
    from .schema import KIND_NAMES, SCHEMAS
    columns, needed = SCHEMAS[table.kind]
    titles = "、".join(c.title for c in columns if c.field in needed)
    other = detect([sheet])
    where = Location(table.file, sheet.name, sheet.rows[0][0])
    if other is not None and other[0][0] and other[3] != table.kind:
        findings.warning(where, "sheet.other_kind",
                         f"工作表“{sheet.name}”看起来是{KIND_NAMES.get(other[3], other[3])}，"
                         f"而本工作簿按{KIND_NAMES.get(table.kind, table.kind)}读取，这张表未读取；"
                         "一个工作簿只能报送一种表格，请把它另存为单独的文件")
        return
    near = ""
    if other is not None and len(other[4]) >= 2:
        where = Location(table.file, sheet.name, other[2])
        missing = [c.title for c in columns if c.field in needed and c.field not in other[4]]
        near = f"（第{other[2]}行像表头，但缺少 {'、'.join(missing)}）" if missing else ""
    findings.warning(where, "sheet.skipped",
                     f"工作表“{sheet.name}”有 {len(sheet.rows)} 行内容，但找不到"
                     f"{KIND_NAMES.get(table.kind, table.kind)}的表头{near}，未读取；"
                     f"如果其中有要报送的数据，请按工作表“{table.sheets[0] if table.sheets else table.sheet}”"
                     f"的格式写好列标题（需要 {titles}）")


def _record(values, table: Table, positions: dict, sheet: str | None, number: int, findings: Findings,
            extra_columns: dict | None = None) -> Record:
    row_values, cells = {}, {}
    for field_name, col in positions.items():
        value = values[col - 1] if col - 1 < len(values) else None
        loc = Location(table.file, sheet, number, get_column_letter(col))
        if isinstance(value, str):
            value = clean(value, loc, findings, table.columns[field_name].title, field_name)
            if not value.strip():
                value = None
        row_values[field_name] = value
        cells[field_name] = loc
    extras = {}
    for title, col in (extra_columns or {}).items():
        value = values[col - 1] if col - 1 < len(values) else None
        loc = Location(table.file, sheet, number, get_column_letter(col))
        extras[title] = clean(value, loc, findings, title) if isinstance(value, str) else value
        cells[title] = loc
    return Record(row_values, cells, Location(table.file, sheet, number), extras)


def _extra_columns(header: list, positions: dict, table: Table, sheet: str | None, header_row: int,
                   findings: Findings) -> dict:
    """Title as typed (white space removed) -> column number of every other titled column of an
    admissions list's sheet: a school's own columns (宿舍号, 班级 …) become fields of its letter
    template.  A title given twice keeps its first column, with a warning at the second."""
    known = set(positions.values())
    extras: dict = {}
    for col, value in enumerate(header, start=1):
        title = re.sub(r"\s+", "", str(value)) if value is not None else ""
        if col in known or not title:
            continue
        loc = Location(table.file, sheet, header_row, get_column_letter(col))
        if title in extras or fold_title(title) in _KNOWN_TITLES:
            findings.warning(loc, "column.duplicate",
                             f"列标题“{title}”在表头中出现了两次，这一列未使用；请给它另起一个名称", None)
            continue
        extras[title] = col
    return extras


def _missing_columns(display: str, best, kinds) -> SourceError:
    if best is None:
        return SourceError(Location(display), "表格是空的，找不到表头")
    _, sheet, number, kind, found = best
    columns, needed = SCHEMAS[kind]
    by_field = {c.field: c for c in columns}
    missing = [by_field[n].title for n in needed if n not in found]
    if len(found) < 2:
        return SourceError(Location(display), "找不到表头行：没有一行含有本系统认识的列标题"
                           "（如 序号、姓名、身份证号、学校名称、专业名称），请检查是否选错了文件")
    where = Location(display, sheet.name, number)
    return SourceError(where, f"表头缺少必需的列：{'、'.join(missing)}"
                       f"（看起来是{_kind_label(kind)}）；请按附件格式补齐列标题")


def _kind_label(kind: str) -> str:
    from .schema import KIND_NAMES
    return KIND_NAMES.get(kind, kind)
