"""The pages after the notice's main text in DOCX: attachment sections (portrait, or landscape with
the page number turned where the portrait page has it), their content (a form, a plain table from a
source, text, inline tables) and the 版记 at the bottom of the last (even) page."""
from __future__ import annotations

from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ..domain.notice import Notice, parse_body
from ..render.docx import bare_table, cell_border, no_snap, page_setup, run, set_flag, set_grid
from ..render.floating import page_field_runs, turned_text_box
from . import notice_layout as L
from .notice_docx_base import (LINE_PT, body_paragraphs, exact, grid_paragraph, number_footers,
                               title_paragraph)


# A landscape page is printed turned a quarter counter-clockwise on the sheet: its top edge on the
# sheet's left (the binding edge of an odd page: the table head faces it), its left edge on the
# sheet's bottom, its bottom on the sheet's right.  Margins are the portrait ones turned with it.
LANDSCAPE_MARGINS = {"top": L.MARGIN["left"], "bottom": L.MARGIN["right"],
                     "left": L.MARGIN["bottom"], "right": L.MARGIN["top"]}
NUMBER_BOX = 6.0                       # mm: thickness of the page-number text box (one 4号 line)
NUMBER_RUN = 40.0                      # mm: its length along the number


def _landscape_page_number(paragraph, odd: bool, shape_id: int) -> None:
    """"— n —" where the portrait page has it (GBT9704.md tables: a landscape table page keeps the
    page number where a portrait page would have it): a floating text box, its text turned 90°
    clockwise (DrawingML vert="vert", VML layout-flow:vertical), at the landscape page's left
    edge — the sheet's bottom — 7 mm outside the text area; at the end of the text area's
    bottom-side (the sheet's right) less one character on odd pages, from its top side (the
    sheet's left) plus one character on even pages, as the portrait footers align."""
    from ..render.fonts import ROLES
    m = LANDSCAPE_MARGINS
    x = m["left"] - L.PAGE_NO_GAP - NUMBER_BOX                          # glyph tops face the text
    if odd:
        y = L.PAGE_W - m["bottom"] - L.CHAR - NUMBER_RUN
        jc = "right"
    else:
        y = m["top"] + L.CHAR
        jc = "left"
    par = (f'<w:p><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="{L.PAGE_NO_PT * 20}" '
           f'w:lineRule="exact"/><w:ind w:left="0" w:right="0" w:firstLine="0"/><w:jc w:val="{jc}"/></w:pPr>'
           f'{page_field_runs(ROLES["song"].docx_name, L.PAGE_NO_PT)}</w:p>')
    turned_text_box(paragraph, shape_id, f"PageNumber{shape_id}", x, y, NUMBER_BOX, NUMBER_RUN, par)


def _landscape_footers(doc, section) -> None:
    """Footers of a landscape section: only the turned page number, odd and even."""
    index = len(doc.sections)
    # The footer only anchors the floating number: keep it 1 pt high and close to the edge, or
    # Word and LibreOffice raise the text area's bottom over it (a 16 pt line at 22 mm from the
    # edge ends above the 26 mm margin) and a form that fits the page runs onto the next.
    section.footer_distance = Mm(5)
    for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        exact(p, 1)
        no_snap(p)
        for r in list(p._p):
            if r.tag != qn("w:pPr"):
                p._p.remove(r)
        _landscape_page_number(p, odd, 5000 + 2 * index + (0 if odd else 1))


def new_section(doc, landscape: bool, start=WD_SECTION.NEW_PAGE):
    section = doc.add_section(start)
    if landscape:
        page_setup(section, True, LANDSCAPE_MARGINS)
        set_grid(section, 15, 40)
        _landscape_footers(doc, section)
    else:
        page_setup(section)
        set_grid(section)
        if doc.sections[-2].orientation:
            number_footers(section)          # not the landscape section's turned number
    return section


def add_attachment(doc, index: int, count: int, att, model, options) -> None:
    from .notice_attachments import PORTRAIT_COLUMNS, table_rows, table_widths
    landscape = bool(att.form)
    if att.table and not att.form:
        head, rows = table_rows(model, options.mask)
        landscape = len(head) > PORTRAIT_COLUMNS
    new_section(doc, landscape)
    p = grid_paragraph(doc)
    run(p, L.attachment_label(index, count), "hei", L.BODY_PT)
    title_paragraph(doc, L.attachment_title_lines(att.title, landscape), before_lines=1)
    if not att.form:
        grid_paragraph(doc)                 # a form starts with its own 填表单位 line, spaced from the title
    if att.form:
        from .form_render import add_form_docx
        add_form_docx(doc, att.form, model, options, getattr(model, "city", None), with_title=False)
    elif att.table:
        from ..render.docx import repeat_header, table_borders
        table = doc.add_table(rows=1 + len(rows), cols=len(head))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table_borders(table)
        repeat_header(table.rows[0])
        widths = table_widths(head)
        if widths:
            table.autofit = False
            for column, w in zip(table.columns, widths):
                column.width = Mm(L.TEXT_W * w)
        for r, values in enumerate([head, *rows]):
            for c, value in enumerate(values):
                if widths:
                    table.rows[r].cells[c].width = Mm(L.TEXT_W * widths[c])
                cp = table.rows[r].cells[c].paragraphs[0]
                cp.alignment = WD_ALIGN_PARAGRAPH.CENTER
                no_snap(cp)
                run(cp, value, "body", 11)
    else:
        body_paragraphs(doc, parse_body(att.body))
        for table in att.tables:
            add_inline_table(doc, table)


def add_inline_table(doc, spec) -> None:
    """A ``domain.notice.Table`` across the text area, as in the PDF (``notice_pdf.inline_table_html``)."""
    from ..render.docx import cell_valign_center, repeat_header, table_borders
    if spec.caption:
        p = grid_paragraph(doc)
        p.paragraph_format.space_before = Pt(LINE_PT / 2)
        p.paragraph_format.keep_with_next = True
        run(p, spec.caption, "hei", L.BODY_PT)
    rows = ([list(spec.head)] if spec.head else []) + [list(r) for r in spec.rows]
    widths = [Mm(L.TEXT_W * w) for w in spec.column_widths()]
    table = doc.add_table(rows=len(rows), cols=spec.columns)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    table_borders(table, 6)
    for column, width in zip(table.columns, widths):
        column.width = width
    if spec.head:
        repeat_header(table.rows[0])
    for r, values in enumerate(rows):
        cells = table.rows[r].cells
        for c, (cell, value) in enumerate(zip(cells, values)):
            cell.width = widths[c]
            cp = cell.paragraphs[0]
            left = spec.pairs and c > 0
            cp.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
            no_snap(cp)
            cp.paragraph_format.line_spacing = 1.2
            cp.paragraph_format.space_before = Pt(3)
            cp.paragraph_format.space_after = Pt(3)
            run(cp, value, "body", spec.size_pt)
            cell_valign_center(cell)


def add_banji(doc, notice: Notice, banji: dict | None) -> None:
    if banji is None:
        return
    if banji["new_page"]:
        # An even page: Word inserts the blank page itself when the body ends on an even page.
        # The 版记 page keeps its number unless that blank page precedes it (GB/T 9704 7.5).
        section = new_section(doc, False, WD_SECTION.EVEN_PAGE)
        if banji["blank_before"]:
            for footer in (section.footer, section.even_page_footer):
                footer.is_linked_to_previous = False
                for p in footer.paragraphs:
                    for r in list(p.runs):
                        r._r.getparent().remove(r._r)
        set_flag(section._sectPr, "w:vAlign", "bottom")
        holder = doc.paragraphs[-1]
    else:
        holder = None
    rows = [("cc", banji["cc"])] if banji["cc"] else []
    rows.append(("pr", ""))
    table = doc.add_table(rows=len(rows), cols=1)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    bare_table(table)
    for i, (kind, text) in enumerate(rows):
        cell = table.rows[i].cells[0]
        cell.width = Mm(L.TEXT_W)
        p = cell.paragraphs[0]
        exact(p, 14 * 1.5)
        no_snap(p)
        p.paragraph_format.left_indent = Pt(14)
        p.paragraph_format.right_indent = Pt(14)
        if kind == "cc":
            p.paragraph_format.left_indent = Pt(14 * 4)
            p.paragraph_format.first_line_indent = Pt(-14 * 3)
            run(p, "抄送：" + text, "body", L.BANJI_PT)
        else:
            p.paragraph_format.tab_stops.add_tab_stop(Mm(L.TEXT_W) - Pt(28), WD_TAB_ALIGNMENT.RIGHT)
            run(p, banji["by"] + "\t" + banji["on"], "body", L.BANJI_PT)
        if i == 0:
            cell_border(cell, "top", 8)
        cell_border(cell, "bottom", 8 if i == len(rows) - 1 else 6)
    # A document cannot end with a table: Word adds an empty 3号 paragraph after it, which would
    # lift a bottom-aligned 版记 6 mm off the text area's bottom edge. End with a 1 pt one.
    end = grid_paragraph(doc, pt=1)
    no_snap(end)
    if holder is None:
        # Float the table at the bottom of the text area of the page it lands on.
        tbl_pr = table._tbl.tblPr
        pos = OxmlElement("w:tblpPr")
        pos.set(qn("w:vertAnchor"), "margin")
        pos.set(qn("w:horzAnchor"), "margin")
        pos.set(qn("w:tblpXSpec"), "center")
        pos.set(qn("w:tblpYSpec"), "bottom")
        tbl_pr.insert(0, pos)
