"""The catalog as XLSX: school cells merged, print-ready, and a 调整情况 sheet.

The 目录 sheet keeps the source workbook's own layout (title row, 发布日期 row,
the SPEC's column titles, 总计 row), so the output can be read back as a source.
"""
from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..render.xlsx import print_landscape, put, workbook_bytes
from .catalog_html import context

COLUMNS = (("序号", 6), ("学校名称", 24), ("学校类别", 12), ("隶属关系", 9), ("专业代码", 9), ("专业名称", 24),
           ("培养层次", 10), ("学制（年）", 8), ("招生计划（人）", 10), ("学校地址", 34), ("联系电话", 15), ("备注", 22))
TEXT_COLUMNS = (5, 11)                 # 专业代码, 联系电话: text, so 0103 keeps its zero
SCHOOL_COLUMNS = (1, 2, 3, 4, 10, 11)  # merged down over the school's majors
CHANGE_COLUMNS = (("序号", 6), ("类型", 8), ("学校", 24), ("专业", 24), ("项目", 12), ("原值", 40), ("新值", 40))

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="EEEEEE")
FONT = "宋体"
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")


def _print_ready(ws, header_row: int, last_col: int) -> None:
    print_landscape(ws, f"{header_row}:{header_row}", (0.5, 0.6))
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)


def _header(ws, row: int, columns) -> None:
    for col, (title, width) in enumerate(columns, 1):
        cell = put(ws.cell(row=row, column=col), title)
        cell.font = Font(name="黑体", size=11)
        cell.alignment = CENTER
        cell.border = BORDER
        cell.fill = HEAD_FILL
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[row].height = 30


def _title(ws, row: int, text: str, last_col: int, size=16, name="黑体", align=CENTER, height=30) -> None:
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
    cell = put(ws.cell(row=row, column=1), text)
    cell.font = Font(name=name, size=size, bold=size > 14)
    cell.alignment = align
    ws.row_dimensions[row].height = height


def _catalog_sheet(ws, ctx) -> None:
    n = len(COLUMNS)
    _title(ws, 1, ctx["title"], n, 16, height=34)
    _title(ws, 2, f"发布日期：{ctx['date']}" if ctx["date"] else "", n, 11, FONT, height=20)
    header = 3
    _header(ws, header, COLUMNS)
    row = header + 1
    for part in ctx["parts"]:
        if ctx["merged"]:
            _title(ws, row, f"{part['city']}（学校{part['school_count']}所，专业{part['major_count']}个，"
                            f"招生计划{part['plan']}人）", n, 11, "黑体", LEFT, 22)
            for col in range(1, n + 1):
                ws.cell(row=row, column=col).border = BORDER
            row += 1
        for school in part["schools"]:
            first = row
            for m in school["majors"]:
                values = [school["no"], school["name"], school["type"], school["affiliation"], m["code"], m["name"],
                          m["level"], m["years"], m["plan"], school["address"], school["phone"], m["note"]]
                for col, value in enumerate(values, 1):
                    if row > first and col in SCHOOL_COLUMNS:
                        value = None
                    cell = ws.cell(row=row, column=col)
                    if col in TEXT_COLUMNS and value not in (None, ""):
                        value = str(value)
                        cell.number_format = "@"
                    put(cell, value if value != "" else None)
                    cell.font = Font(name=FONT, size=10.5)
                    cell.border = BORDER
                    cell.alignment = LEFT if col in (2, 6, 10, 12) else (RIGHT if col == 9 else CENTER)
                row += 1
            if row - 1 > first:
                for col in SCHOOL_COLUMNS:
                    ws.merge_cells(start_row=first, start_column=col, end_row=row - 1, end_column=col)
    ws.auto_filter.ref = f"A{header}:{get_column_letter(n)}{max(row - 1, header)}"
    totals = ctx["totals"]
    put(ws.cell(row=row, column=1), "总计")
    put(ws.cell(row=row, column=2), f"{totals['schools']}所学校" + (f"（{totals['cities']}个市）" if ctx["merged"] else ""))
    put(ws.cell(row=row, column=6), f"{totals['majors']}个专业")
    put(ws.cell(row=row, column=9), totals["plan"])
    for col in range(1, n + 1):
        cell = ws.cell(row=row, column=col)
        cell.font = Font(name="黑体", size=10.5)
        cell.border = BORDER
        cell.alignment = RIGHT if col == 9 else CENTER
    row += 2
    put(ws.cell(row=row, column=10), ctx["issuer"]).font = Font(name=FONT, size=12)
    put(ws.cell(row=row + 1, column=10), ctx["date"]).font = Font(name=FONT, size=12)
    _print_ready(ws, header, n)


def _changes_sheet(ws, ctx) -> None:
    columns = CHANGE_COLUMNS if not ctx["merged"] else CHANGE_COLUMNS[:1] + (("城市", 10),) + CHANGE_COLUMNS[1:]
    n = len(columns)
    _title(ws, 1, f"{ctx['title']}调整情况（与{ctx['previous_year'] or '上'}年度相比）", n, 14, height=30)
    summary = "；".join((f"{p['city']}：" if ctx["merged"] else "") + p["summary_text"]
                        for p in ctx["parts"] if p["summary_text"])
    _title(ws, 2, summary, n, 10.5, FONT, LEFT, 32)
    header = 3
    _header(ws, header, columns)
    for i, c in enumerate(ctx["changes"], 1):
        values = [i] + ([c["city"]] if ctx["merged"] else []) + [c["kind"], c["school"], c["major"], c["item"],
                                                                 c["old"], c["new"]]
        for col, value in enumerate(values, 1):
            cell = put(ws.cell(row=header + i, column=col), value if value != "" else None)
            cell.font = Font(name=FONT, size=10.5)
            cell.border = BORDER
            cell.alignment = LEFT if columns[col - 1][0] in ("学校", "专业", "原值", "新值") else CENTER
    last = header + max(len(ctx["changes"]), 0)
    ws.auto_filter.ref = f"A{header}:{get_column_letter(n)}{last}"
    _print_ready(ws, header, n)


def render(edition, options, report=None) -> bytes:
    ctx = context(edition, options)
    wb = Workbook()
    ws = wb.active
    ws.title = "目录"
    _catalog_sheet(ws, ctx)
    if ctx["has_previous"]:
        _changes_sheet(wb.create_sheet("调整情况"), ctx)
    return workbook_bytes(wb, edition.published_on)
