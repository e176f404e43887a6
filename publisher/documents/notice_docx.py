"""The notice as DOCX (python-docx): GB/T 9704 page, 22 x 28 grid, the 版头 (red mark, 发文字号,
签发人, red rule), title, body, 附件说明, 署名 with floating seal placeholders and 附注; the pages
after them (attachments, 版记) are ``notice_docx_pages``, the grid paragraphs ``notice_docx_base``."""
from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ..domain.notice import Notice, parse_body
from ..render.docx import (bare_table, cell_valign_center, document_bytes, new_document, no_snap, page_setup,
                           paragraph_border, run, set_flag, set_grid)
from ..render.seal import docx_seal
from . import notice_layout as L
from .notice_docx_base import body_paragraphs, exact, grid_paragraph, number_footers, title_paragraph
from .notice_docx_pages import add_attachment, add_banji, new_section
from .notice_layout import MeasuredNotice

RULE_GAP = 1.7                         # mm: empty paragraph whose bottom border is the red rule
RULE_H = RULE_GAP + (1 + 1.5) * L.PT   # + border space (1 pt) and width (12 eighths = 1.5 pt)


def _mark(doc, notice: Notice, red: str) -> None:
    mark = L.mark_layout(notice)
    size_pt = mark.size_mm / L.PT
    if len(mark.names) == 1:
        # Exact line spacing of the glyph size, as in the PDF (the mark's height is part of where
        # the body ends on page 1, which the signature layout is fitted to).
        p = grid_paragraph(doc, WD_ALIGN_PARAGRAPH.CENTER, pt=size_pt)
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
        exact(p, size_pt)
        no_snap(p)
        if i < len(mark.names) - 1:
            p.paragraph_format.space_after = Pt(mark.gap / L.PT)
        p.alignment = WD_ALIGN_PARAGRAPH.DISTRIBUTE
        run(p, name, "title", size_pt, color=red)
    if cols == 2:
        cell = table.rows[0].cells[1]
        cell_valign_center(cell)
        p = cell.paragraphs[0]
        exact(p, size_pt)
        no_snap(p)
        p.paragraph_format.left_indent = Mm(mark.suffix_indent)
        run(p, mark.suffix, "title", size_pt, color=red)


def _attachment_note(doc, items) -> None:
    if not items:
        return
    if len(items) == 1:
        p = grid_paragraph(doc, before_lines=1)
        p.paragraph_format.left_indent = Mm(5 * L.CHAR)
        p.paragraph_format.first_line_indent = Mm(-3 * L.CHAR)
        p.paragraph_format.keep_together = True
        run(p, "附件：" + items[0].title, "body", L.BODY_PT)
        return
    for i, item in enumerate(items, 1):
        p = grid_paragraph(doc, before_lines=1 if i == 1 else 0)
        p.paragraph_format.left_indent = Mm(6 * L.CHAR)
        p.paragraph_format.first_line_indent = Mm((-4 if i == 1 else -1) * L.CHAR)
        # The 附件说明 is one block: its lines never part over a page end.
        p.paragraph_format.keep_together = True
        p.paragraph_format.keep_with_next = i < len(items)
        run(p, ("附件：" if i == 1 else "") + f"{i}." + item.title, "body", L.BODY_PT)


def _signature(doc, notice: Notice, sign: L.SignatureLayout, red: str, image) -> L.SignatureLayout:
    """署名, date and seals with the measured vertical numbers (``sign``, chosen for the room
    left on the page; see ``notice_layout.fit_signature``)."""
    if sign.sealed:
        # An empty paragraph as tall as the gap down to the first 署名 row holds the seals.
        # These lines are off the 22-line grid: snapToGrid off, or LibreOffice/WPS put each
        # line on the grid whatever its exact spacing.
        anchor = grid_paragraph(doc, pt=sign.name_top / L.PT)
        anchor.paragraph_format.keep_with_next = True
        no_snap(anchor)
        for r in range(sign.rows):
            p = grid_paragraph(doc, pt=sign.pitch / L.PT)
            p.paragraph_format.keep_with_next = True
            no_snap(p)
            for n in sign.names:
                p.paragraph_format.tab_stops.add_tab_stop(Mm(n.centre), WD_TAB_ALIGNMENT.CENTER)
            run(p, "".join("\t" + (n.lines[r] if r < len(n.lines) else "") for n in sign.names), "body", L.BODY_PT)
        for centre, top in sign.seals:
            docx_seal(anchor, sign.diameter, centre - sign.diameter / 2, top, red, image)
        p = grid_paragraph(doc, WD_ALIGN_PARAGRAPH.RIGHT, pt=sign.pitch / L.PT)
        no_snap(p)
        p.paragraph_format.right_indent = Mm(4 * L.CHAR)
        run(p, sign.date, "body", L.BODY_PT)
        below = sign.height - (sign.date_top + sign.pitch)
        if below > 0.05 and notice.notes:
            p.paragraph_format.space_after = Pt(below / L.PT)
    else:
        anchor = grid_paragraph(doc)
        anchor.paragraph_format.keep_with_next = True
        for n in sign.names:
            p = grid_paragraph(doc, WD_ALIGN_PARAGRAPH.RIGHT)
            p.paragraph_format.keep_with_next = True
            p.paragraph_format.right_indent = Mm(2 * L.CHAR)
            run(p, n.lines[0], "body", L.BODY_PT)
        p = grid_paragraph(doc)
        p.paragraph_format.left_indent = Mm(sign.date_left)
        run(p, sign.date, "body", L.BODY_PT)
    return sign


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
    number_footers(section)
    body = doc.element.body
    first = doc.paragraphs[0] if doc.paragraphs else None
    if first is not None and not first.text:
        body.remove(first._p)
    # 版头
    pre = [(notice.copy_no, "body"), (notice.secrecy, "hei"), (notice.urgency, "hei")]
    pre = [(t, role) for t, role in pre if t]
    for text, role in pre:
        p = grid_paragraph(doc)
        run(p, text, role, L.BODY_PT)
    spacer = grid_paragraph(doc, pt=max(L.MARK_TOP - len(pre) * L.LINE, 1) / L.PT)
    no_snap(spacer)
    _mark(doc, notice, red)
    p = grid_paragraph(doc, WD_ALIGN_PARAGRAPH.CENTER, before_lines=2)
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
    rule = grid_paragraph(doc, pt=RULE_GAP / L.PT)
    no_snap(rule)
    paragraph_border(rule, "bottom", 12, red, space=1)
    # 主体
    title_paragraph(doc, L.title_lines(notice.title), before_lines=2 - RULE_H / L.LINE)
    if notice.to:
        p = grid_paragraph(doc, before_lines=1)
        run(p, notice.to if notice.to.endswith("：") else notice.to + "：", "body", L.BODY_PT)
    body_paragraphs(doc, parse_body(notice.body), bold34)
    if notice.attachments and doc.paragraphs:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True    # the 附件说明 never leaves the 正文
    _attachment_note(doc, notice.attachments)
    if doc.paragraphs:
        # Word keeps the last body line(s) with the signature (widow control moves two lines),
        # as the PDF does: a signature never starts a page without body text.
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    sign = _signature(doc, notice, layout.signature, red, job.seal_image(options))
    for note in notice.notes:
        p = grid_paragraph(doc, first_chars=2, pt=sign.note_pitch / L.PT)
        if abs(sign.note_pitch - L.LINE) > 0.01:
            no_snap(p)
        run(p, f"（{note}）", "body", L.BODY_PT)
    if notice.enclosure:
        # "Page break before" on the title, not a paragraph holding a break: that paragraph
        # would not fit under the 附注 of a full page 1 and leave a blank page 2.
        title_paragraph(doc, L.title_lines(notice.enclosure.title))
        doc.paragraphs[-1].paragraph_format.page_break_before = True
        grid_paragraph(doc)
        body_paragraphs(doc, parse_body(notice.enclosure.body), bold34)
        _attachment_note(doc, notice.enclosure.attachments)
    pairs = job.attachments()
    for i, (att, model) in enumerate(pairs, 1):
        add_attachment(doc, i, len(pairs), att, model, options)
    if pairs and doc.sections[-1].orientation and layout.banji and not layout.banji["new_page"]:
        new_section(doc, False)
    add_banji(doc, notice, layout.banji)
    return document_bytes(doc, notice.date)
