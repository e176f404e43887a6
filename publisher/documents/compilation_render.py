"""The provincial compilation as XLSX (汇总, 明细, 报送情况 [, 登记汇总] + a native bar chart),
DOCX and PDF (the same tables, the chart as a picture), A4 landscape.

Every renderer reads the same ``Compilation`` and the same table builders
below, so the three formats cannot disagree.
"""
from __future__ import annotations

import base64
import io

from ..domain.models import COUNT_FIELDS
from ..domain.people import mask_text
from ..render import fonts
from ..text import cn_date
from .compilation import STATUS_TEXT, Compilation, rate_text, rate_value
from .compilation_chart import SIZE_MM, chart_png

COUNT_HEADS = ("当年招收建档立卡贫困家庭子女人数（人）", "建档立卡贫困家庭子女在校生人数（人）",
               "建档立卡贫困家庭子女毕业生人数（人）", "建档立卡贫困家庭子女毕业生就业人数（人）",
               "当年面向建档立卡贫困家庭劳动者开展职业培训人数（人）", "培训后就业创业人数（人）")
SHORT_HEADS = ("当年招收人数", "在校生人数", "毕业生人数", "毕业生就业人数", "职业培训人数", "培训后就业创业人数")
RATE_NOTE = ("毕业生就业率 = 毕业生就业人数 ÷ 毕业生人数；培训后就业创业率 = 培训后就业创业人数 ÷ 培训人数；"
             "分母为 0 时记“—”。")


# ---------------------------------------------------------------- shared tables

def summary_rows(comp: Compilation) -> list[list]:
    """序号, 市, 学校数, six counts, 毕业生就业率, 培训后就业创业率, 备注 — rates as (part, whole)."""
    late = {id(r) for r in comp.late}
    rows = []
    for i, (ret, row) in enumerate(zip(comp.included, comp.rows), start=1):
        note = f"逾期报送（{cn_date(ret.progress.filled_on)}）" if id(ret) in late else ""
        rows.append([i, row.city, row.schools, *[row.counts[f] for f in COUNT_FIELDS],
                     row.employment_rate, row.training_rate, note])
    total = comp.total
    rows.append(["总计", "", total.schools, *[total.counts[f] for f in COUNT_FIELDS],
                 total.employment_rate, total.training_rate, ""])
    return rows


def detail_rows(comp: Compilation) -> list[list]:
    """市, 序号, 学校名称, six counts, two rates, source row — every school of every compiled city."""
    rows = []
    for ret in comp.included:
        for i, school in enumerate(ret.progress.rows, start=1):
            counts = school.counts()
            rows.append([ret.city, i, school.school, *[counts[f] for f in COUNT_FIELDS],
                         _rate(counts["employed"], counts["graduates"]),
                         _rate(counts["trained_employed"], counts["trained"]), comp.shown(str(school.location))])
    return rows


def _rate(part, whole):
    return (part, whole) if whole else None


def status_rows(comp: Compilation) -> list[list[str]]:
    """序号, 市, 报送情况, 填表时间, 报表文件, 问题 — every city of the year, then other files."""
    rows = []
    by_city: dict[str, list] = {}
    for ret in comp.returns:
        by_city.setdefault(ret.city, []).append(ret)
    for city in (comp.cities if comp.period is not None else ()):
        rets = by_city.pop(city, [])
        if not rets:
            rows.append([city, "未报送", "", "", ""])
        for ret in rets:
            rows.append(_status_row(comp, ret))
    for rets in by_city.values():
        rows.extend(_status_row(comp, ret) for ret in rets)
    for finding in comp.other_findings:
        rows.append(["", "无法读取，未计入汇总", "", comp.shown(finding.location.file), comp.shown(finding.message)])
    for reg in comp.registrations:
        state = "附件2 已汇总" if reg.included else "附件2 有错误，未计入登记人数"
        rows.append([reg.city or "（未写明）", state, cn_date(reg.people.filled_on, ""), reg.name,
                     comp.shown(_problems(reg.findings))])
    return [[i, *row] for i, row in enumerate(rows, start=1)]


def _status_row(comp: Compilation, ret) -> list[str]:
    state = STATUS_TEXT[ret.status]
    if ret.late:
        state += "；逾期报送（截止 " + cn_date(ret.progress.period.due) + "）"
    if ret.note:
        state += f"；{ret.note}"
    return [ret.city or "（未写明）", state, cn_date(ret.progress.filled_on, ""), ret.name,
            comp.shown(_problems(ret.findings))]


def _problems(findings) -> str:
    """Errors first, then warnings, each with its cell: 'Sheet1!E11 错误：…'."""
    ordered = sorted(findings, key=lambda f: (not f.is_error, f.sort_key()))
    lines = []
    for f in ordered:
        loc = f.location
        where = f"{loc.sheet}!{loc.column or ''}{loc.row}" if loc.row is not None and loc.sheet else (
            f"第{loc.row or loc.line}行" if (loc.row or loc.line) else "")
        lines.append(f"{where} {'错误' if f.is_error else '警告'}：{f.message}".strip())
    return "\n".join(lines)


def registration_tables(comp: Compilation, mask: bool):
    by_city = comp.registrations_by_city()
    by_school = comp.registrations_by_school()
    dups = []
    for f in comp.duplicates_across():
        message = comp.shown(f.message)
        dups.append([comp.shown(str(f.location)), message if not mask else mask_text(message)])
    return by_city, by_school, dups


def chart_picture(comp: Compilation, options) -> bytes:
    rows = comp.rows
    return chart_png([r.city for r in rows], [[r.employment_rate for r in rows], [r.training_rate for r in rows]],
                     options.fonts, rate_text)


# ---------------------------------------------------------------- XLSX

def xlsx_bytes(comp: Compilation, options, report=None) -> bytes:
    mask = options.mask
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.label import DataLabelList
    from openpyxl.styles import Alignment, Border, Font, Side

    from ..render.xlsx import print_landscape, put, workbook_bytes

    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    head_font = Font(name="黑体", size=10, bold=True)
    body_font = Font(name="仿宋_GB2312", size=11)

    def grid(ws, top, rows, widths=None, aligns=None):
        for r, values in enumerate(rows, start=top):
            for c, value in enumerate(values, start=1):
                cell = ws.cell(r, c)
                put(cell, value)
                cell.border = box
                cell.font = body_font
                cell.alignment = (aligns or {}).get(c, centre)

    def title(ws, text, ncols, sub=None):
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
        put(ws.cell(1, 1), text).font = Font(name="方正小标宋简体", size=18)
        ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
        ws.row_dimensions[1].height = 36
        if sub:
            ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
            put(ws.cell(2, 1), sub).font = body_font
        print_landscape(ws, margins=(ws.page_margins.left, ws.page_margins.top))

    def heads(ws, row, values):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row, c)
            put(cell, value)
            cell.font = head_font
            cell.alignment = centre
            cell.border = box

    wb = Workbook()
    sub = f"汇总单位（盖章）：{comp.issuer}        汇总日期：{cn_date(comp.date)}"

    # 汇总
    ws = wb.active
    ws.title = "汇总"
    if comp.period is not None:
        title(ws, comp.title, 12, sub)
        heads(ws, 3, ["序号", "市", "学校数（所）", "技工教育情况", None, None, None, "毕业生就业率",
                      "职业培训情况", None, "培训后就业创业率", "备注"])
        heads(ws, 4, [None, None, None, *COUNT_HEADS[:4], None, *COUNT_HEADS[4:], None, None])
        for col in ("A", "B", "C", "H", "K", "L"):
            ws.merge_cells(f"{col}3:{col}4")
        ws.merge_cells("D3:G3")
        ws.merge_cells("I3:J3")
        ws.row_dimensions[4].height = 66
        rows = summary_rows(comp)
        values = [[r[0], r[1], r[2], r[3], r[4], r[5], r[6], rate_value(r[9]), r[7], r[8], rate_value(r[10]), r[11]]
                  for r in rows]
        grid(ws, 5, values)
        last = 4 + len(values)
        for r in range(5, last + 1):
            for col in (8, 11):
                if isinstance(ws.cell(r, col).value, float):
                    ws.cell(r, col).number_format = "0.0%"
            ws.cell(r, 12).alignment = Alignment(vertical="center", wrap_text=True)
        ws.merge_cells(start_row=last, start_column=1, end_row=last, end_column=2)
        for c in range(1, 13):
            ws.cell(last, c).font = Font(name="黑体", size=11)
        note_row = last + 1
        ws.merge_cells(start_row=note_row, start_column=1, end_row=note_row, end_column=12)
        put(ws.cell(note_row, 1), "说明：" + comp.summary_note() + RATE_NOTE).alignment = wrap
        ws.cell(note_row, 1).font = body_font
        ws.row_dimensions[note_row].height = 48
        for col, width in zip("ABCDEFGHIJKL", (6, 10, 8, 13, 13, 13, 13, 11, 15, 13, 12, 22)):
            ws.column_dimensions[col].width = width
        if comp.rows:
            chart = BarChart()
            chart.type = "col"
            chart.grouping = "clustered"
            chart.title = "各市毕业生就业率与培训后就业创业率"
            chart.y_axis.title = "比率"
            chart.y_axis.number_format = "0%"
            chart.y_axis.scaling.min = 0
            chart.y_axis.scaling.max = 1
            chart.y_axis.delete = False
            chart.x_axis.delete = False
            first, end = 5, 4 + len(comp.rows)
            for col in (8, 11):
                data = Reference(ws, min_col=col, min_row=first, max_row=end)
                chart.add_data(data, titles_from_data=False)
            chart.series[0].tx = _series_title("毕业生就业率")
            chart.series[1].tx = _series_title("培训后就业创业率")
            chart.set_categories(Reference(ws, min_col=2, min_row=first, max_row=end))
            chart.dataLabels = DataLabelList()
            chart.dataLabels.showVal = True
            chart.dataLabels.numFmt = "0.0%"
            chart.legend.position = "t"
            chart.width, chart.height = 24, 9
            ws.add_chart(chart, f"A{note_row + 2}")
        ws.freeze_panes = "C5"

        # 明细
        ds = wb.create_sheet("明细")
        title(ds, f"{comp.title}——各院校明细", 12, sub)
        heads(ds, 3, ["市", "序号", "学校名称", *COUNT_HEADS, "毕业生就业率", "培训后就业创业率", "来源（文件:工作表!行）"])
        ds.row_dimensions[3].height = 66
        rows = detail_rows(comp)
        grid(ds, 4, [[*r[:9], rate_value(r[9]), rate_value(r[10]), r[11]] for r in rows],
             aligns={3: Alignment(vertical="center", wrap_text=True), 12: Alignment(vertical="center", wrap_text=True)})
        for r in range(4, 4 + len(rows)):
            for col in (10, 11):
                if isinstance(ds.cell(r, col).value, float):
                    ds.cell(r, col).number_format = "0.0%"
        for col, width in zip("ABCDEFGHIJKL", (9, 6, 24, 12, 12, 12, 12, 14, 12, 11, 13, 34)):
            ds.column_dimensions[col].width = width
        ds.freeze_panes = "D4"

    # 报送情况
    ss = wb.create_sheet("报送情况") if comp.period is not None else ws
    if comp.period is None:
        ss.title = "报送情况"
    title(ss, f"{comp.title}——报送情况", 6, sub)
    heads(ss, 3, ["序号", "市", "报送情况", "填表时间", "报表文件", "问题（位置：内容）"])
    rows = status_rows(comp)
    left = Alignment(vertical="center", wrap_text=True)
    grid(ss, 4, rows, aligns={3: left, 5: left, 6: left})
    for r, values in enumerate(rows, start=4):
        lines = max(1, str(values[5]).count("\n") + 1, len(str(values[5])) // 60 + 1)
        ss.row_dimensions[r].height = max(18, 15 * lines)
    for col, width in zip("ABCDEF", (6, 10, 30, 16, 30, 90)):
        ss.column_dimensions[col].width = width

    # 登记汇总
    if comp.registrations:
        rs = wb.create_sheet("登记汇总")
        title(rs, f"{'山东省'}精准技能扶贫对象登记情况汇总（{comp.year}年）", 4, sub)
        by_city, by_school, dups = registration_tables(comp, mask)
        heads(rs, 3, ["市", "登记人数（人）", "拟就读院校数（所）", None])
        grid(rs, 4, [[c, n, s] for c, n, s in by_city] + [["总计", sum(n for _, n, _ in by_city), "" if not by_city else
                                                           len({(c, s) for c, s, _ in by_school}), ]])
        put(rs.cell(5 + len(by_city), 1), "说明：" + comp.registration_note()).font = body_font
        row = 4 + len(by_city) + 3
        heads(rs, row, ["市", "拟就读技工院校", "登记人数（人）", None])
        grid(rs, row + 1, [list(r) for r in by_school], aligns={2: left})
        row += len(by_school) + 3
        put(rs.cell(row, 1), "跨市重复登记（同一身份证号在两个市登记）").font = head_font
        heads(rs, row + 1, ["位置", "说明", None, None])
        rs.merge_cells(start_row=row + 1, start_column=2, end_row=row + 1, end_column=4)
        if dups:
            grid(rs, row + 2, dups, aligns={1: left, 2: left})
            for i in range(len(dups)):
                rs.merge_cells(start_row=row + 2 + i, start_column=2, end_row=row + 2 + i, end_column=4)
                rs.row_dimensions[row + 2 + i].height = 45
        else:
            put(rs.cell(row + 2, 1), "无")
        for col, width in zip("ABCD", (34, 30, 18, 40)):
            rs.column_dimensions[col].width = width
    return workbook_bytes(wb, comp.date)


def _series_title(text: str):
    from openpyxl.chart.series import SeriesLabel
    return SeriesLabel(v=text)


# ---------------------------------------------------------------- HTML / PDF

def html_text(comp: Compilation, options) -> str:
    from ..render.html import render
    from ..render.seal import seal_markup
    fonts_dir = options.fonts
    chart = None
    if comp.period is not None and comp.rows:
        chart = "data:image/png;base64," + base64.b64encode(chart_picture(comp, options)).decode("ascii")
    seal = seal_markup(options)
    by_city, by_school, dups = registration_tables(comp, options.mask) if comp.registrations else ([], [], [])
    context = {
        "font_css": fonts.css(fonts_dir),
        "comp": comp,
        "title": comp.title,
        "issuer": comp.issuer,
        "date": cn_date(comp.date),
        "count_heads": COUNT_HEADS,
        "summary": [[*r[:9], rate_text(r[9]), rate_text(r[10]), r[11]] for r in summary_rows(comp)]
        if comp.period is not None else [],
        "detail": [[*r[:9], rate_text(r[9]), rate_text(r[10]), r[11]] for r in detail_rows(comp)]
        if comp.period is not None else [],
        "status": status_rows(comp),
        "note": comp.summary_note() if comp.period is not None else "",
        "rate_note": RATE_NOTE,
        "chart": chart,
        "chart_mm": SIZE_MM,
        "seal": seal,
        "reg_by_city": by_city,
        "reg_by_school": by_school,
        "reg_total": sum(n for _, n, _ in by_city),
        "dups": dups,
        "reg_note": comp.registration_note() if comp.registrations else "",
    }
    from markupsafe import Markup
    context["seal"] = Markup(seal)
    context["font_css"] = Markup(context["font_css"])
    return render("html/compilation.html.j2", context, options.templates)


def pdf_bytes(comp: Compilation, options, report=None) -> bytes:
    from ..render.pdf import html_to_pdf
    from ..render.html import builtin_templates
    html = html_text(comp, options)
    base = (options.templates or builtin_templates()) / "html"
    return html_to_pdf(html, base_url=str(base) + "/", date=comp.date, title=comp.title)


# ---------------------------------------------------------------- DOCX

def docx_bytes(comp: Compilation, options, report=None) -> bytes:
    mask = options.mask
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    from ..render import docx as d

    doc = d.new_document()
    section = doc.sections[0]
    d.page_setup(section, landscape=True, margins={"top": 20, "bottom": 18, "left": 20, "right": 20})
    width_mm = 297 - 40

    def para(text="", role="body", size=12, align=None, bold=False, before=0, after=0):
        p = doc.add_paragraph()
        if text:
            d.run(p, text, role, size, bold)
        if align is not None:
            p.alignment = align
        p.paragraph_format.space_before = Pt(before)
        p.paragraph_format.space_after = Pt(after)
        return p

    def heading(text):
        return para(text, "hei", 14, before=8, after=4)

    def table(head_rows, rows, widths_mm, merges=(), left_cols=(), size=10.5, bold_last=False):
        nrows = len(head_rows) + len(rows)
        t = doc.add_table(rows=nrows, cols=len(widths_mm))
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        d.table_borders(t)
        t.autofit = False
        for r, values in enumerate([*head_rows, *rows]):
            row = t.rows[r]
            is_head = r < len(head_rows)
            if is_head:
                d.repeat_header(row)
            d.cant_split(row)
            for c, value in enumerate(values):
                cell = row.cells[c]
                cell.width = Mm(widths_mm[c])
                if value is None:
                    continue
                p = cell.paragraphs[0]
                lines = str(value).split("\n")
                for k, line in enumerate(lines):
                    if k:
                        p = cell.add_paragraph()
                    bold = is_head or (bold_last and r == nrows - 1)
                    d.run(p, line, "hei" if bold else "body", size - (0.5 if is_head else 0))
                    p.alignment = (WD_ALIGN_PARAGRAPH.LEFT if (c in left_cols and not is_head)
                                   else WD_ALIGN_PARAGRAPH.CENTER)
                d.cell_valign_center(cell)
        for (r0, c0, r1, c1) in merges:
            a, b = t.cell(r0, c0), t.cell(r1, c1)
            texts = a.text
            merged = a.merge(b)
            # merging concatenates paragraphs; keep only the first one's text
            for extra in merged.paragraphs[1:]:
                if not extra.text or extra.text == texts:
                    extra._element.getparent().remove(extra._element)
        for c, width in enumerate(widths_mm):
            for cell in t.columns[c].cells:
                cell.width = Mm(width)
        # LibreOffice/WPS lay out by the grid, Word by the cells: give both the same widths
        for col, width in zip(t._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm):
            col.set(qn("w:w"), str(round(width / 25.4 * 1440)))
        t.autofit = False
        return t

    para(comp.title, "title", 20, WD_ALIGN_PARAGRAPH.CENTER, after=6)
    para(f"汇总单位（盖章）：{comp.issuer}　　　　汇总日期：{cn_date(comp.date)}", "body", 12, after=4)

    if comp.period is not None:
        head1 = ["序号", "市", "学校数（所）", "技工教育情况", None, None, None, "毕业生就业率", "职业培训情况", None,
                 "培训后就业创业率", "备注"]
        head2 = [None, None, None, *COUNT_HEADS[:4], None, *COUNT_HEADS[4:], None, None]
        rows = [[r[0], r[1], r[2], r[3], r[4], r[5], r[6], rate_text(r[9]), r[7], r[8], rate_text(r[10]), r[11]]
                for r in summary_rows(comp)]
        widths = [11, 17, 15, 24, 24, 24, 24, 18, 27, 22, 20, 25]
        merges = [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (0, 7, 1, 7), (0, 10, 1, 10), (0, 11, 1, 11),
                  (0, 3, 0, 6), (0, 8, 0, 9), (1 + len(rows), 0, 1 + len(rows), 1)]
        table([head1, head2], rows, widths, merges, left_cols=(11,), bold_last=True)
        para("说明：" + comp.summary_note() + RATE_NOTE, "body", 10.5, before=4)
        _signature(doc, comp, options, para)
        if comp.rows:
            p = para(before=0)
            p.add_run().add_break(WD_BREAK.PAGE)
            heading("各市毕业生就业率与培训后就业创业率")
            pic = para(align=WD_ALIGN_PARAGRAPH.CENTER)
            pic.add_run().add_picture(io.BytesIO(chart_picture(comp, options)), width=Mm(SIZE_MM[0]))
    heading("报送情况")
    table([["序号", "市", "报送情况", "填表时间", "报表文件", "问题（位置：内容）"]], status_rows(comp),
          [11, 17, 45, 27, 50, width_mm - 150], left_cols=(2, 4, 5), size=9.5)
    if comp.period is not None:
        heading("各院校明细（已汇总的市）")
        rows = [[r[0], r[1], r[2], *r[3:9], rate_text(r[9]), rate_text(r[10])] for r in detail_rows(comp)]
        table([["市", "序号", "学校名称", *SHORT_HEADS, "毕业生就业率", "培训后就业创业率"]], rows,
              [16, 11, 50, 18, 18, 18, 22, 22, 24, 20, 22], left_cols=(2,), size=9.5)
    if comp.registrations:
        by_city, by_school, dups = registration_tables(comp, mask)
        heading("附件2 登记情况：各市登记人数")
        table([["市", "登记人数（人）", "拟就读院校数（所）"]],
              [[c, n, s] for c, n, s in by_city] + [["总计", sum(n for _, n, _ in by_city), ""]],
              [60, 50, 50], bold_last=True)
        para("说明：" + comp.registration_note(), "body", 10.5, before=4)
        heading("各院校登记人数")
        table([["市", "拟就读技工院校", "登记人数（人）"]], [list(r) for r in by_school], [40, 90, 40], left_cols=(1,))
        heading("跨市重复登记")
        if dups:
            table([["位置", "说明"]], dups, [70, width_mm - 70], left_cols=(0, 1), size=9.5)
        else:
            para("未发现同一身份证号在两个市登记。", "body", 12)
        if comp.period is None:
            _signature(doc, comp, options, para)
    return d.document_bytes(doc, comp.date)


def _signature(doc, comp, options, para) -> None:
    """Issuer and date at the right, the seal placeholder over them (GB/T 9704 7.3.5.1 style)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm
    name = para(comp.issuer, "body", 14, WD_ALIGN_PARAGRAPH.RIGHT, before=18)
    name.paragraph_format.right_indent = Mm(20)
    name.paragraph_format.keep_with_next = True
    date = para(cn_date(comp.date), "body", 14, WD_ALIGN_PARAGRAPH.RIGHT)
    date.paragraph_format.right_indent = Mm(28)
    from ..render.seal import add_docx_seal
    diameter = options.layout.seal_mm
    text_width = 297 - 40
    # centre the circle over the issuer name, its middle at the line between name and date
    centre_x = text_width - 20 - len(comp.issuer) * 14 * 25.4 / 72 / 2
    add_docx_seal(name, options, centre_x - diameter / 2, -diameter / 2 + 2)
