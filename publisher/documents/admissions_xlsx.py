"""录取名单 (per school) and 录取情况汇总 (per city) as printable XLSX, rows streamed (write_only)."""
from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from ..domain.people import mask_text
from ..render.xlsx import new_cell, print_landscape, workbook_bytes

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FONT = Font(name="黑体", size=11, bold=True)
BODY_FONT = Font(name="仿宋_GB2312", size=11)
TITLE_FONT = Font(name="方正小标宋简体", size=16)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)

ROSTER = (  # title, width, text (IDs kept as text)
    ("序号", 6, False), ("录取编号", 13, True), ("姓名", 9, False), ("性别", 6, False), ("民族", 8, False),
    ("身份证号", 21, True), ("扶贫卡编号", 21, True), ("联系电话", 14, True), ("家庭详细地址", 32, False),
    ("录取专业", 14, False), ("培养层次", 9, False), ("学制（年）", 8, False), ("报到时间", 14, False),
)
SUMMARY = (("序号", 6), ("学校名称", 24), ("专业名称", 16), ("培养层次", 10), ("学制（年）", 8),
           ("招生计划（人）", 12), ("录取人数（人）", 12), ("完成计划", 10))


def _cell(ws, value, font=BODY_FONT, align=CENTRE, text=False, number_format=None):
    cell = new_cell(ws, value)
    cell.font, cell.alignment, cell.border = font, align, BOX
    if text:
        cell.number_format = "@"
    elif number_format:
        cell.number_format = number_format
    return cell


def _sheet(wb, title: str, columns, heading: str):
    from openpyxl.utils import get_column_letter
    ws = wb.create_sheet(title)
    for i, col in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = col[1]
    print_landscape(ws, "1:2", (0.5, ws.page_margins.top))
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.freeze_panes = "A3"
    title = new_cell(ws, heading)
    title.font, title.alignment = TITLE_FONT, Alignment(horizontal="left", vertical="center")
    ws.append([title])
    ws.append([_cell(ws, c[0], HEAD_FONT) for c in columns])
    return ws


def roster_xlsx(school: str, letters, mask: bool, date=None) -> bytes:
    """录取名单 of one school: one row per letter, IDs as text, landscape with print titles."""
    wb = Workbook(write_only=True)
    ws = _sheet(wb, "录取名单", ROSTER, f"{school}录取名单（共{len(letters)}人）")
    for i, l in enumerate(letters, 1):
        id_no, phone, home = (mask_text(l.id_no), mask_text(l.phone), mask_text(l.home)) if mask else \
            (l.id_no, l.phone, l.home)
        values = (i, l.number, l.name, l.gender, l.ethnicity, id_no, l.card_no, phone, home, l.major,
                  l.level, int(l.years) if l.years.isdigit() else l.years, l.report_date)
        ws.append([_cell(ws, v, align=LEFT if c[0] == "家庭详细地址" else CENTRE, text=c[2])
                   for v, c in zip(values, ROSTER)])
    return workbook_bytes(wb, date)


def summary_xlsx(letter_set) -> bytes:
    """录取情况汇总: admitted per school and major against the catalog plan, with totals."""
    wb = Workbook(write_only=True)
    ws = _sheet(wb, "录取情况汇总", SUMMARY, f"{letter_set.city}{letter_set.year or ''}年技工院校录取情况汇总")
    seq = 0
    grand_plan = grand_done = 0
    for batch in letter_set.schools:
        school = letter_set.catalog.school(batch.name)
        counts = {}
        for l in batch.letters:
            counts[(l.major, l.level)] = counts.get((l.major, l.level), 0) + 1
        school_plan = school_done = 0
        for major in school.majors:
            done = counts.pop((major.name, major.level), 0)
            seq += 1
            school_plan += major.plan or 0
            school_done += done
            ws.append([_cell(ws, v) for v in (seq, batch.name, major.name, major.level, major.years, major.plan,
                                              done)] + [_percent(ws, done, major.plan)])
        for (name, level), done in sorted(counts.items()):   # not in the catalog under that level
            seq += 1
            school_done += done
            ws.append([_cell(ws, v) for v in (seq, batch.name, name, level, "", "", done, "")])
        ws.append([_cell(ws, v, HEAD_FONT) for v in ("", f"{batch.name} 小计", "", "", "", school_plan,
                                                     school_done)] + [_percent(ws, school_done, school_plan, HEAD_FONT)])
        grand_plan += school_plan
        grand_done += school_done
    ws.append([_cell(ws, v, HEAD_FONT) for v in ("", "总计", "", "", "", grand_plan, grand_done)]
              + [_percent(ws, grand_done, grand_plan, HEAD_FONT)])
    return workbook_bytes(wb, letter_set.date)


def _percent(ws, done: int, planned, font=BODY_FONT):
    """完成计划 as a number shown as 42% (so it can be summed and sorted), empty without a plan."""
    return _cell(ws, round(done / planned, 4) if planned else None, font, number_format="0%")
