"""Problems marked in the clerk's own workbook (`publisher check … --annotate DIR`).

For every workbook (.xlsx/.xlsm) with findings, a copy under the same file name in
``DIR``: each problem cell filled red (错误) or yellow (警告) with a comment holding
the messages; a finding about a whole row (no column) marks the row's name cell;
and a first sheet 问题清单 lists every finding of the file (sheet, cell, level,
message) with a link to its cell.  The copy is made with openpyxl, which keeps the
clerk's values, formulas, formats, merged cells, column widths and other sheets
(not pictures or charts); the original file is only read.

CSV, YAML, .xls/.et/.ods sources and files that could not be read at all get the
list only: ``<file name>-问题清单.xlsx`` (openpyxl cannot write those formats back).

Only workbooks that the reader accepted are opened again, and only up to
``MAX_ANNOTATE_BYTES`` unpacked (openpyxl holds the whole workbook in memory);
a larger one gets the list only, and says why.

Used by the command line and by the web server (issue 16): ``annotate_workbooks``.
"""
from __future__ import annotations

import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import LEVEL_TEXT, Finding, Findings, UsageError

LIST_SHEET = "问题清单"
RED = "FFC7CE"            # Excel's own "bad" fill
YELLOW = "FFEB9C"         # Excel's own "neutral" fill
# openpyxl holds the whole workbook: 32 MiB unpacked is a 附件2 of 50,000 rows, marked in ~24 s at a
# peak of ~600 MiB (bench/bench_annotate.py); a larger workbook gets the list only.
MAX_ANNOTATE_BYTES = 32 * 1024 * 1024
MARKABLE = (".xlsx", ".xlsm")
NAME_FIELDS = ("name", "school")      # the cell that stands for a whole row: a person's 姓名, a school's 学校名称


@dataclass
class Marks:
    """What goes into one workbook: findings by (sheet, cell), and the list."""

    findings: list[Finding] = field(default_factory=list)
    cells: dict = field(default_factory=dict)        # (sheet, "F9") -> [Finding]
    name_columns: dict = field(default_factory=dict)  # sheet -> column letter of the row's name cell


def annotate_workbooks(project, findings: Findings, out_dir: Path) -> list[Path]:
    """Write marked-up copies of the project's workbooks that have findings into ``out_dir``
    (same file names; list-only workbooks for the other sources); return the paths written.

    Raises ``UsageError`` when ``out_dir`` would overwrite a source (the folder of the sources)."""
    out_dir = Path(out_dir)
    by_file: dict[str, list[Finding]] = {}
    for finding in findings.sorted():
        by_file.setdefault(finding.location.file, []).append(finding)
    sources = {s.display: s for s in project.all_sources}
    _refuse_overwrite(project, out_dir, by_file)
    written = []
    for display, items in by_file.items():
        source = sources.get(display)
        label = project.label(display)
        if source is not None and source.path.suffix.lower() in MARKABLE and _small(source.path):
            target = _target(out_dir, label)
            _atomic(target, _marked_copy(source, items, project))
        else:
            reason = _list_reason(source, display)
            target = _target(out_dir, label, list_only=True)
            _atomic(target, _list_only(items, project, reason))
        written.append(target)
    return written


# ---------------------------------------------------------------- the marked copy

def _marked_copy(source, items: list[Finding], project) -> bytes:
    from openpyxl import load_workbook
    marks = _marks(source, items)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = load_workbook(source.path, keep_vba=source.path.suffix.lower() == ".xlsm", keep_links=False)
    titles = set(wb.sheetnames)
    links, fills = {}, _fills()
    resolved: dict = {}                                   # a merged range's cells share its first cell
    for (sheet, ref), found in marks.cells.items():
        if sheet not in titles:
            continue
        cell = _top_left(wb[sheet], ref)
        _, merged = resolved.setdefault((sheet, cell.coordinate), (cell, []))
        merged.extend(f for f in found if f not in merged)
        links[(sheet, ref)] = f"{sheet}!{cell.coordinate}"
    for (sheet, _), (cell, found) in resolved.items():
        _mark(cell, found, fills)
        wb[sheet].page_setup.cellComments = "atEnd"      # printed, the comments follow the sheet
    ws = wb.create_sheet(_free_title(titles), 0)
    _fill_list(ws, marks.findings, project, links)
    wb.active = 0
    for other in wb.worksheets[1:]:
        other.sheet_view.tabSelected = False
    return _save(wb)


def _marks(source, items: list[Finding]) -> Marks:
    marks = Marks(items, {}, _name_columns(source.model))
    for finding in items:
        loc = finding.location
        if loc.sheet is None or loc.row is None or loc.line is not None:
            continue
        column = loc.column or marks.name_columns.get(loc.sheet) or "A"
        marks.cells.setdefault((loc.sheet, f"{column}{loc.row}"), []).append(finding)
        if finding.code in ("id.duplicate", "id.duplicate_across", "registry.missing") \
                and marks.name_columns.get(loc.sheet) and marks.name_columns[loc.sheet] != column:
            # a duplicate person is a whole row: its 姓名 cell says so too
            marks.cells.setdefault((loc.sheet, f"{marks.name_columns[loc.sheet]}{loc.row}"), []).append(finding)
    return marks


def _name_columns(model) -> dict:
    """sheet -> the column of the cell that names a row (姓名, 学校名称), from the model's cells."""
    rows = getattr(model, "rows", None)
    if rows is None and hasattr(model, "schools"):
        rows = model.schools
    if rows is None and isinstance(model, list):
        rows = model
    columns: dict = {}
    for row in rows or []:
        for name in NAME_FIELDS:
            loc = getattr(row, "cells", {}).get(name)
            if loc is not None and loc.column and loc.sheet not in columns:
                columns[loc.sheet] = loc.column
                break
    return columns


def _top_left(ws, ref: str):
    """The cell itself, or the first cell of the merged range it lies in (only that one holds a value)."""
    from openpyxl.cell.cell import MergedCell
    cell = ws[ref]
    if not isinstance(cell, MergedCell):
        return cell
    for merged in ws.merged_cells.ranges:
        if ref in merged:
            return ws.cell(row=merged.min_row, column=merged.min_col)
    return cell


def _fills() -> dict:
    from openpyxl.styles import PatternFill
    return {colour: PatternFill("solid", fgColor=colour, bgColor=colour) for colour in (RED, YELLOW)}


def _mark(cell, found: list[Finding], fills: dict) -> None:
    from openpyxl.comments import Comment
    cell.fill = fills[RED if any(f.is_error for f in found) else YELLOW]
    text = "\n".join(f"{LEVEL_TEXT[f.level]}：{f.message}" for f in found)
    if cell.comment is not None and cell.comment.text:
        text = f"{cell.comment.text}\n—— publisher 检查 ——\n{text}"
    comment = Comment(text, "publisher")
    comment.width, comment.height = 320, min(60 + 18 * len(text) // 20, 400)
    cell.comment = comment


def _free_title(titles: set) -> str:
    title, n = LIST_SHEET, 1
    while title in titles:
        n += 1
        title = f"{LIST_SHEET}{n}"
    return title


# ---------------------------------------------------------------- the list

HEAD = (("序号", 6), ("文件", 24), ("工作表", 12), ("单元格", 10), ("级别", 7), ("问题", 90))


def _fill_list(ws, items: list[Finding], project, links: dict, note: str = "") -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink
    from .render.xlsx import put
    errors = sum(f.is_error for f in items)
    ws.sheet_properties.tabColor = "C00000" if errors else "FFC000"
    title = ws.cell(row=1, column=1)
    put(title, f"共 {errors} 个错误、{len(items) - errors} 个警告。点“单元格”一列的链接跳到出问题的格子；"
               "红色为错误（必须改正），黄色为警告（请核对）。改好后请在原文件中修改，再重新检查。" + note)
    title.font = Font(bold=True, size=12)
    title.alignment = Alignment(wrap_text=True, vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEAD))
    ws.row_dimensions[1].height = 36 if not note else 54
    for c, (text, width) in enumerate(HEAD, 1):
        cell = put(ws.cell(row=2, column=c), text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
        ws.column_dimensions[get_column_letter(c)].width = width
    fills, wrap, top = _fills(), Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")
    link_font = Font(color="0563C1", underline="single")
    rows_of = {}
    for (s, r), v in links.items():
        rows_of.setdefault((s, r[len(r.rstrip("0123456789")):]), v)
    for i, finding in enumerate(items, 1):
        loc = finding.location
        where = f"{loc.column or ''}{loc.row}" if loc.row is not None else (f"第{loc.line}行" if loc.line else "")
        values = (i, project.label(loc.file), loc.sheet or "", where, LEVEL_TEXT[finding.level],
                  project.shown(finding.message))
        row = i + 2
        for c, value in enumerate(values, 1):
            cell = put(ws.cell(row=row, column=c), value)
            cell.alignment = wrap if c == 6 else top
        ws.cell(row=row, column=5).fill = fills[RED if finding.is_error else YELLOW]
        key = (loc.sheet, f"{loc.column or ''}{loc.row}") if loc.column else None
        target = links.get(key) if key else None
        if target is None and loc.sheet and loc.row is not None:
            target = rows_of.get((loc.sheet, str(loc.row)))
        if target:
            sheet, _, ref = target.rpartition("!")
            link = ws.cell(row=row, column=4)
            quoted = sheet.replace("'", "''")                 # Excel doubles a quote inside a sheet name
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{quoted}'!{ref}", display=where)
            link.font = link_font
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{get_column_letter(len(HEAD))}{len(items) + 2}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _list_only(items: list[Finding], project, reason: str) -> bytes:
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = LIST_SHEET
    _fill_list(ws, items, project, {}, reason)
    return _save(wb)


def _list_reason(source, display: str) -> str:
    if source is None:
        return "（这个文件无法读取或不是源表格，只列出问题。）"
    suffix = source.path.suffix.lower()
    if suffix in MARKABLE:
        return (f"（工作簿解压后超过 {MAX_ANNOTATE_BYTES >> 20} MB，不在原表中标注，只列出问题。）")
    if suffix in (".xls", ".et", ".ods"):
        return "（这种格式无法写回标注；如需在原表中标出问题，请另存为 .xlsx 后重新检查。）"
    return "（CSV、YAML 文件无法标注颜色和批注，只列出问题；行号即文件中的行。）"


# ---------------------------------------------------------------- files

def _small(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(i.file_size for i in archive.infolist()) <= MAX_ANNOTATE_BYTES
    except (zipfile.BadZipFile, OSError):
        return False


def _target(out_dir: Path, label: str, list_only: bool = False) -> Path:
    from .names import safe_name
    parts = [safe_name(p) for p in label.split("/") if p not in ("", ".", "..")] or ["源文件"]
    if list_only:
        parts[-1] = safe_name(f"{parts[-1]}-{LIST_SHEET}.xlsx")      # reg.csv-问题清单.xlsx: says which file
    return out_dir.joinpath(*parts)


def _refuse_overwrite(project, out_dir: Path, by_file: dict) -> None:
    """The original is never touched: DIR may not be where a source with findings would be replaced."""
    sources = {s.display: s for s in project.all_sources}
    for display in by_file:
        source = sources.get(display)
        if source is None:
            continue
        target = _target(out_dir, project.label(display))
        if target.exists() and target.resolve() == source.path.resolve():
            raise UsageError(f"错误: --annotate {out_dir} 是源文件所在的文件夹，标注副本会覆盖原文件"
                             f" {source.path.name}；请另选一个文件夹，如 --annotate 标注")


def _atomic(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".publisher-", suffix=".xlsx", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)            # as any file the clerk saves, not mkstemp's 0600
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _save(wb) -> bytes:
    import io
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
