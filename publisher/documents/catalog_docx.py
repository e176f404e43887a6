"""The catalog as DOCX: A4 landscape, school cells merged down over their majors, header repeated."""
from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ..render import docx as d
from .catalog_html import context

MARGINS = {"top": 18, "bottom": 20, "left": 20, "right": 20}
COLUMNS = (("序号", 9), ("学校名称", 33), ("类别", 17), ("隶属关系", 13), ("地址", 42), ("电话", 25),
           ("专业代码", 13), ("专业名称", 38), ("培养层次", 16), ("学制（年）", 11), ("招生计划（人）", 15),
           ("备注", 25))
CHANGE_COLUMNS = (("序号", 10), ("类型", 14), ("学校", 45), ("专业", 45), ("项目", 22), ("原值", 60), ("新值", 61))
SIZE = 10.5


def _para(container, text="", role="song", size=SIZE, align=None, bold=False, before=0, after=0):
    p = container.add_paragraph() if hasattr(container, "add_paragraph") else container
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_before = Pt(before)
    p.paragraph_format.space_after = Pt(after)
    if text:
        d.run(p, text, role, size, bold=bold)
    return p


def _cell(cell, text, align=WD_ALIGN_PARAGRAPH.CENTER, role="song", size=SIZE):
    p = cell.paragraphs[0]
    p.alignment = align
    p.paragraph_format.line_spacing = 1.0
    if text not in (None, ""):
        d.run(p, str(text), role, size)
    d.cell_valign_center(cell)


def _table(doc, columns):
    table = doc.add_table(rows=1, cols=len(columns))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    d.table_borders(table)
    header = table.rows[0]
    for cell, (title, width) in zip(header.cells, columns):
        cell.width = Mm(width)
        _cell(cell, title, role="hei")
        shade = OxmlElement("w:shd")
        shade.set(qn("w:val"), "clear")
        shade.set(qn("w:fill"), "EEEEEE")
        cell._tc.get_or_add_tcPr().append(shade)
    d.repeat_header(header)
    for column, (_, width) in zip(table.columns, columns):
        column.width = Mm(width)         # the grid, which LibreOffice/WPS follow
    return table


def _add_row(table, columns, values, aligns):
    row = table.add_row()
    d.cant_split(row)
    for cell, (_, width), value, align in zip(row.cells, columns, values, aligns):
        cell.width = Mm(width)
        _cell(cell, value, align)
    return row


def _span_row(table, columns, text, role="hei"):
    row = table.add_row()
    d.cant_split(row)
    merged = row.cells[0].merge(row.cells[-1])
    _cell(merged, text, WD_ALIGN_PARAGRAPH.LEFT, role)
    return row


L, C, R = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT


def render(edition, options, report=None) -> bytes:
    ctx = context(edition, options)
    doc = d.new_document()
    section = doc.sections[0]
    d.page_setup(section, landscape=True, margins=MARGINS)
    footer = section.footer.paragraphs[0]
    footer.alignment = C
    d.run(footer, "— ", "song", 12)
    d.add_page_field(footer, "song", 12)
    d.run(footer, " —", "song", 12)

    _para(doc, ctx["title"], "title", 20, C, after=4)
    if ctx["date"]:                    # no date in the source: the line is left out (check warns)
        _para(doc, f"发布日期：{ctx['date']}", "body", 12, C, after=6)

    if ctx["merged"]:
        cities_cols = (("序号", 12), ("城市", 40), ("学校（所）", 30), ("专业（个）", 30), ("招生计划（人）", 34),
                       ("发布日期", 40))
        cities = _table(doc, cities_cols)
        for i, p in enumerate(ctx["parts"], 1):
            _add_row(cities, cities_cols, [i, p["city"], p["school_count"], p["major_count"], p["plan"], p["date"]],
                     [C, C, R, R, R, C])
        _add_row(cities, cities_cols, ["", "合计", ctx["totals"]["schools"], ctx["totals"]["majors"],
                                       ctx["totals"]["plan"], ""], [C, C, R, R, R, C])
        _para(doc, "", after=6)

    table = _table(doc, COLUMNS)
    aligns = [C, L, C, C, L, C, C, L, C, C, R, L]
    for part in ctx["parts"]:
        if ctx["merged"]:
            _span_row(table, COLUMNS, f"{part['city']}（学校{part['school_count']}所，专业{part['major_count']}个，"
                                      f"招生计划{part['plan']}人）")
        for school in part["schools"]:
            rows = []
            for i, m in enumerate(school["majors"]):
                head = [school["no"], school["name"], school["type"], school["affiliation"], school["address"],
                        school["phone"]] if i == 0 else [""] * 6
                rows.append(_add_row(table, COLUMNS, head + [m["code"], m["name"], m["level"], m["years"],
                                                             m["plan"], m["note"]], aligns))
            if len(rows) > 1:
                for col in range(6):
                    rows[0].cells[col].merge(rows[-1].cells[col])
            for row in rows[:-1]:
                # keep a school's rows on one page where they fit
                for p in row.cells[7].paragraphs:
                    p.paragraph_format.keep_with_next = True
    totals = ctx["totals"]
    _span_row(table, COLUMNS, ("合计：" + (f"{totals['cities']}个市，" if ctx["merged"] else "")
                               + f"学校{totals['schools']}所，专业{totals['majors']}个，招生计划{totals['plan']}人。"))

    if ctx["has_previous"]:
        _para(doc, f"调整情况（与{ctx['previous_year'] or '上'}年度目录相比）", "hei", 14, L, before=12, after=4)
        for part in ctx["parts"]:
            if part["summary_text"]:
                p = _para(doc, (f"{part['city']}：" if ctx["merged"] else "") + part["summary_text"], "body", 12,
                          after=4)
                p.paragraph_format.first_line_indent = Pt(24)
        if ctx["changes"]:
            cols = CHANGE_COLUMNS if not ctx["merged"] else (("序号", 10), ("城市", 18)) + CHANGE_COLUMNS[1:3] \
                + (("专业", 40), ("项目", 20), ("原值", 56), ("新值", 57))
            changes = _table(doc, cols)
            for i, c in enumerate(ctx["changes"], 1):
                values = [i] + ([c["city"]] if ctx["merged"] else []) + [c["kind"], c["school"], c["major"],
                                                                         c["item"], c["old"], c["new"]]
                _add_row(changes, cols, values, [C] * (3 if ctx["merged"] else 2) + [L, L, C, L, L])

    _signature(doc, ctx, options)
    return d.document_bytes(doc, edition.published_on)


def _signature(doc, ctx, options) -> None:
    """Issuer and date right of centre, the seal placeholder centred over both."""
    spacer = _para(doc, "", after=0)
    spacer.paragraph_format.space_before = Pt(74)
    spacer.paragraph_format.keep_with_next = True
    name = _para(doc, ctx["issuer"], "body", 14, C)
    name.paragraph_format.left_indent = Mm(140)
    name.paragraph_format.keep_with_next = True
    date = _para(doc, ctx["date"] or "　　年　月　日", "body", 14, C)
    date.paragraph_format.left_indent = Mm(140)
    from ..render.seal import add_docx_seal
    diameter = options.layout.seal_mm
    # centre of the 117 mm wide signature column (257 − 140), over the issuer line
    add_docx_seal(name, options, 140 + (257 - 140) / 2 - diameter / 2, -diameter / 2 - 3)
