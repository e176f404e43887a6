"""The notice as DOCX (python-docx): GB/T 9704 page, 22 x 28 grid, odd/even footers, red mark and
rule, floating seal placeholders, landscape sections for form pages, the 版记 at the page bottom."""
from __future__ import annotations

import math

from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ..domain.notice import Notice, parse_body
from ..render.docx import (add_page_field, bare_table, cell_border, cell_valign_center, document_bytes,
                           new_document, no_snap, page_setup, paragraph_border, run, set_flag, set_grid)
from ..render.floating import page_field_runs, turned_text_box
from ..render.seal import docx_seal
from . import notice_layout as L
from .notice_layout import MeasuredNotice

# The line pitch in whole twips, rounded down (579 = 28.95 pt): 22 lines of 580 would not fit
# the 12,756-twip text area, and Word would move the 22nd line of every page to the next.
LINE_PT = math.floor(L.LINE / L.PT * 20) / 20
RULE_GAP = 1.7                         # mm: empty paragraph whose bottom border is the red rule
RULE_H = RULE_GAP + (1 + 1.5) * L.PT   # + border space (1 pt) and width (12 eighths = 1.5 pt)
HEAD_FONT = {1: "hei", 2: "kai", 3: "body", 4: "body"}


def _exact(paragraph, pt: float = LINE_PT) -> None:
    pf = paragraph.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(pt)
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)


def _para(doc, align=None, first_chars: float = 0, before_lines: float = 0, pt: float = LINE_PT):
    p = doc.add_paragraph()
    _exact(p, pt)
    if align is not None:
        p.alignment = align
    if first_chars:
        p.paragraph_format.first_line_indent = Mm(first_chars * L.CHAR)
    if before_lines:
        p.paragraph_format.space_before = Pt(before_lines * LINE_PT)
    return p


def _footers(section) -> None:
    section.footer_distance = Mm(L.MARGIN["bottom"] - L.PAGE_NO_GAP - 6)
    for footer, align, side in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
                                (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = align
        if side == "right":
            p.paragraph_format.right_indent = Mm(L.CHAR)
        else:
            p.paragraph_format.left_indent = Mm(L.CHAR)
        run(p, "— ", "song", L.PAGE_NO_PT)
        add_page_field(p, "song", L.PAGE_NO_PT)
        run(p, " —", "song", L.PAGE_NO_PT)


def _mark(doc, notice: Notice, red: str) -> None:
    mark = L.mark_layout(notice)
    size_pt = mark.size_mm / L.PT
    if len(mark.names) == 1:
        # Exact line spacing of the glyph size, as in the PDF (the mark's height is part of where
        # the body ends on page 1, which the signature layout is fitted to).
        p = _para(doc, WD_ALIGN_PARAGRAPH.CENTER, pt=size_pt)
        no_snap(p)
        run(p, mark.names[0] + mark.suffix, "title", size_pt, color=red)
        return
    cols = 2 if mark.suffix else 1
    table = doc.add_table(rows=1, cols=cols)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    bare_table(table)
    # Each column its text's width plus up to 0.5 mm (so rounding to twips never wraps a name),
    # the table never wider than the text area (GB/T 9704: the mark within the 版心).
    ease = min(0.5, max(L.TEXT_W - mark.total_width, 0) / cols)
    widths = [mark.width + ease, mark.total_width - mark.width + ease][:cols]
    table.autofit = False
    for column, cell, w in zip(table.columns, table.rows[0].cells, widths):
        column.width = Mm(w)
        cell.width = Mm(w)
    names = table.rows[0].cells[0]
    for i, name in enumerate(mark.names):
        p = names.paragraphs[0] if i == 0 else names.add_paragraph()
        _exact(p, size_pt)
        no_snap(p)
        if i < len(mark.names) - 1:
            p.paragraph_format.space_after = Pt(mark.gap / L.PT)
        p.alignment = WD_ALIGN_PARAGRAPH.DISTRIBUTE
        run(p, name, "title", size_pt, color=red)
    if cols == 2:
        cell = table.rows[0].cells[1]
        cell_valign_center(cell)
        p = cell.paragraphs[0]
        _exact(p, size_pt)
        no_snap(p)
        p.paragraph_format.left_indent = Mm(mark.suffix_indent)
        run(p, mark.suffix, "title", size_pt, color=red)


def _body(doc, paras, bold34: bool = False) -> None:
    for para in paras:
        p = _para(doc, WD_ALIGN_PARAGRAPH.JUSTIFY, first_chars=2)
        if para.level and not para.rest:
            p.paragraph_format.keep_with_next = True       # a heading line never ends a page
        if para.level:
            run(p, para.head, HEAD_FONT[para.level], L.BODY_PT, bold=bold34 and para.level >= 3)
            if para.rest:
                run(p, para.rest, "body", L.BODY_PT)
        else:
            run(p, para.text, "body", L.BODY_PT)


def _attachment_note(doc, items) -> None:
    if not items:
        return
    if len(items) == 1:
        p = _para(doc, before_lines=1)
        p.paragraph_format.left_indent = Mm(5 * L.CHAR)
        p.paragraph_format.first_line_indent = Mm(-3 * L.CHAR)
        p.paragraph_format.keep_together = True
        run(p, "附件：" + items[0].title, "body", L.BODY_PT)
        return
    for i, item in enumerate(items, 1):
        p = _para(doc, before_lines=1 if i == 1 else 0)
        p.paragraph_format.left_indent = Mm(6 * L.CHAR)
        p.paragraph_format.first_line_indent = Mm((-4 if i == 1 else -1) * L.CHAR)
        # The 附件说明 is one block: its lines never part over a page end.
        p.paragraph_format.keep_together = True
        p.paragraph_format.keep_with_next = i < len(items)
        run(p, ("附件：" if i == 1 else "") + f"{i}." + item.title, "body", L.BODY_PT)


def _title(doc, lines, before_lines: float = 0) -> None:
    p = _para(doc, WD_ALIGN_PARAGRAPH.CENTER, before_lines=before_lines)
    for i, line in enumerate(lines):
        r = run(p, line, "title", L.TITLE_PT)
        if i < len(lines) - 1:
            r.add_break()


def _signature(doc, notice: Notice, sign: L.SignatureLayout, red: str, image) -> L.SignatureLayout:
    """署名, date and seals with the measured vertical numbers (``sign``, chosen for the room
    left on the page; see ``notice_layout.fit_signature``)."""
    if sign.sealed:
        # An empty paragraph as tall as the gap down to the first 署名 row holds the seals.
        # These lines are off the 22-line grid: snapToGrid off, or LibreOffice/WPS put each
        # line on the grid whatever its exact spacing.
        anchor = _para(doc, pt=sign.name_top / L.PT)
        anchor.paragraph_format.keep_with_next = True
        no_snap(anchor)
        for r in range(sign.rows):
            p = _para(doc, pt=sign.pitch / L.PT)
            p.paragraph_format.keep_with_next = True
            no_snap(p)
            for n in sign.names:
                p.paragraph_format.tab_stops.add_tab_stop(Mm(n.centre), WD_TAB_ALIGNMENT.CENTER)
            run(p, "".join("\t" + (n.lines[r] if r < len(n.lines) else "") for n in sign.names), "body", L.BODY_PT)
        for centre, top in sign.seals:
            docx_seal(anchor, sign.diameter, centre - sign.diameter / 2, top, red, image)
        p = _para(doc, WD_ALIGN_PARAGRAPH.RIGHT, pt=sign.pitch / L.PT)
        no_snap(p)
        p.paragraph_format.right_indent = Mm(4 * L.CHAR)
        run(p, sign.date, "body", L.BODY_PT)
        below = sign.height - (sign.date_top + sign.pitch)
        if below > 0.05 and notice.notes:
            p.paragraph_format.space_after = Pt(below / L.PT)
    else:
        anchor = _para(doc)
        anchor.paragraph_format.keep_with_next = True
        for n in sign.names:
            p = _para(doc, WD_ALIGN_PARAGRAPH.RIGHT)
            p.paragraph_format.keep_with_next = True
            p.paragraph_format.right_indent = Mm(2 * L.CHAR)
            run(p, n.lines[0], "body", L.BODY_PT)
        p = _para(doc)
        p.paragraph_format.left_indent = Mm(sign.date_left)
        run(p, sign.date, "body", L.BODY_PT)
    return sign


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
        _exact(p, 1)
        no_snap(p)
        for r in list(p._p):
            if r.tag != qn("w:pPr"):
                p._p.remove(r)
        _landscape_page_number(p, odd, 5000 + 2 * index + (0 if odd else 1))


def _new_section(doc, landscape: bool, start=WD_SECTION.NEW_PAGE):
    section = doc.add_section(start)
    if landscape:
        page_setup(section, True, LANDSCAPE_MARGINS)
        set_grid(section, 15, 40)
        _landscape_footers(doc, section)
    else:
        page_setup(section)
        set_grid(section)
        if doc.sections[-2].orientation:
            _footers(section)          # not the landscape section's turned number
    return section


def _attachment(doc, index: int, count: int, att, model, options) -> None:
    from .notice_pdf import PORTRAIT_COLUMNS, table_rows, table_widths
    landscape = bool(att.form)
    if att.table and not att.form:
        head, rows = table_rows(model, options.mask)
        landscape = len(head) > PORTRAIT_COLUMNS
    _new_section(doc, landscape)
    p = _para(doc)
    run(p, L.attachment_label(index, count), "hei", L.BODY_PT)
    _title(doc, L.attachment_title_lines(att.title, landscape), before_lines=1)
    if not att.form:
        _para(doc)                 # a form starts with its own 填表单位 line, spaced from the title
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
        _body(doc, parse_body(att.body))
        for table in att.tables:
            _inline_table(doc, table)


def _inline_table(doc, spec) -> None:
    """A ``domain.notice.Table`` across the text area, as in the PDF (``notice_pdf.inline_table_html``)."""
    from ..render.docx import cell_valign_center, repeat_header, table_borders
    if spec.caption:
        p = _para(doc)
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


def _banji(doc, notice: Notice, banji: dict | None) -> None:
    if banji is None:
        return
    if banji["new_page"]:
        # An even page: Word inserts the blank page itself when the body ends on an even page.
        # The 版记 page keeps its number unless that blank page precedes it (GB/T 9704 7.5).
        section = _new_section(doc, False, WD_SECTION.EVEN_PAGE)
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
        _exact(p, 14 * 1.5)
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
    end = _para(doc, pt=1)
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


def _default_size(doc, size_pt: float) -> None:
    """The document-grid character pitch counts from the default size: make it 3号 (16 pt)."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for tag in ("w:sz", "w:szCs"):
        set_flag(rpr, tag, str(int(size_pt * 2)))


def _own_grid(doc) -> None:
    """Lay every paragraph out by its own numbers, never by the document grid.

    The section keeps the 22 x 28 grid (Word's Page Setup shows 22 行 x 28 字, as in every
    公文 template), but applications read a grid whose character pitch is smaller than the
    3号 glyph differently: Word adds the (negative) charSpace to each character, LibreOffice
    gives each character whole grid cells and spreads the text over two cells a character.
    So the Normal style, which every paragraph here and every paragraph a user types uses,
    switches the grid off (snapToGrid 0) and carries it itself: exact 28.95 pt lines (set on
    each paragraph) and a character spacing that puts 28 3号 characters on a line (CHAR_SPACING).
    Like the PDF, closing punctuation never hangs in the margin (overflowPunct 0: the character
    before it moves down) and no extra space is put between Chinese and digits or Latin letters
    (autoSpaceDE/DN 0), so Word breaks lines where the PDF does.
    """
    normal = doc.styles["Normal"].element
    ppr = normal.get_or_add_pPr()
    # No widow/orphan control either: every page holds its 22 lines, as in the PDF.
    for tag in ("w:widowControl", "w:overflowPunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:snapToGrid"):
        set_flag(ppr, tag)
    set_flag(normal.get_or_add_rPr(), "w:spacing", str(L.CHAR_SPACING))


def docx_bytes(measured: MeasuredNotice, options, report=None) -> bytes:
    """The DOCX writer, on the layout the measuring stage decided (``notice_pdf.measure``)."""
    job, layout = measured.job, measured.layout
    notice = job.notice
    red = options.layout.red
    bold34 = options.layout.bold_levels_3_4
    doc = new_document()
    doc.settings.odd_and_even_pages_header_footer = True
    _default_size(doc, L.BODY_PT)
    _own_grid(doc)
    section = doc.sections[0]
    page_setup(section)
    set_grid(section)
    _footers(section)
    body = doc.element.body
    first = doc.paragraphs[0] if doc.paragraphs else None
    if first is not None and not first.text:
        body.remove(first._p)
    # 版头
    pre = [(notice.copy_no, "body"), (notice.secrecy, "hei"), (notice.urgency, "hei")]
    pre = [(t, role) for t, role in pre if t]
    for text, role in pre:
        p = _para(doc)
        run(p, text, role, L.BODY_PT)
    spacer = _para(doc, pt=max(L.MARK_TOP - len(pre) * L.LINE, 1) / L.PT)
    no_snap(spacer)
    _mark(doc, notice, red)
    p = _para(doc, WD_ALIGN_PARAGRAPH.CENTER, before_lines=2)
    if notice.signers:
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT
        p.paragraph_format.left_indent = Mm(L.CHAR)
        # Tab stops count from the text area's left edge (not the indent): the name ends one
        # character in from the right, as in the PDF.
        p.paragraph_format.tab_stops.add_tab_stop(Mm(L.TEXT_W - L.CHAR), WD_TAB_ALIGNMENT.RIGHT)
        run(p, notice.number + "\t签发人：", "body", L.BODY_PT)
        run(p, "　".join(notice.signers), "kai", L.BODY_PT)
    else:
        run(p, notice.number, "body", L.BODY_PT)
    # The rule 1.7 mm below the 发文字号's line (about 4 mm below its glyphs); the title's
    # two blank lines count from the 发文字号's line, so the rule paragraph takes no line.
    rule = _para(doc, pt=RULE_GAP / L.PT)
    no_snap(rule)
    paragraph_border(rule, "bottom", 12, red, space=1)
    # 主体
    _title(doc, L.title_lines(notice.title), before_lines=2 - RULE_H / L.LINE)
    if notice.to:
        p = _para(doc, before_lines=1)
        run(p, notice.to if notice.to.endswith("：") else notice.to + "：", "body", L.BODY_PT)
    _body(doc, parse_body(notice.body), bold34)
    _attachment_note(doc, notice.attachments)
    if doc.paragraphs:
        # Word keeps the last body line(s) with the signature (widow control moves two lines),
        # as the PDF does: a signature never starts a page without body text.
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    sign = _signature(doc, notice, layout.signature, red, job.seal_image(options))
    for note in notice.notes:
        p = _para(doc, first_chars=2, pt=sign.note_pitch / L.PT)
        if abs(sign.note_pitch - L.LINE) > 0.01:
            no_snap(p)
        run(p, f"（{note}）", "body", L.BODY_PT)
    if notice.enclosure:
        # "Page break before" on the title, not a paragraph holding a break: that paragraph
        # would not fit under the 附注 of a full page 1 and leave a blank page 2.
        _title(doc, L.title_lines(notice.enclosure.title))
        doc.paragraphs[-1].paragraph_format.page_break_before = True
        _para(doc)
        _body(doc, parse_body(notice.enclosure.body), bold34)
        _attachment_note(doc, notice.enclosure.attachments)
    pairs = job.attachments()
    for i, (att, model) in enumerate(pairs, 1):
        _attachment(doc, i, len(pairs), att, model, options)
    if pairs and doc.sections[-1].orientation and layout.banji and not layout.banji["new_page"]:
        _new_section(doc, False)
    _banji(doc, notice, layout.banji)
    return document_bytes(doc, notice.date)
