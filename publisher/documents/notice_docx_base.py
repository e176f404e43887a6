"""Paragraphs of the notice's DOCX on the 22 x 28 grid: exact line pitch, indents in characters,
titles, body text with heading fonts, the odd/even page-number footers (shared by ``notice_docx``
and ``notice_docx_pages``)."""
from __future__ import annotations

import math

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Mm, Pt

from ..render.docx import add_page_field, run
from . import notice_layout as L

# The line pitch in whole twips, rounded down (579 = 28.95 pt): 22 lines of 580 would not fit
# the 12,756-twip text area, and Word would move the 22nd line of every page to the next.
LINE_PT = math.floor(L.LINE / L.PT * 20) / 20
HEAD_FONT = {1: "hei", 2: "kai", 3: "body", 4: "body"}


def exact(paragraph, pt: float = LINE_PT) -> None:
    pf = paragraph.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(pt)
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)


def grid_paragraph(doc, align=None, first_chars: float = 0, before_lines: float = 0, pt: float = LINE_PT):
    p = doc.add_paragraph()
    exact(p, pt)
    if align is not None:
        p.alignment = align
    if first_chars:
        p.paragraph_format.first_line_indent = Mm(first_chars * L.CHAR)
    if before_lines:
        p.paragraph_format.space_before = Pt(before_lines * LINE_PT)
    return p


def number_footers(section) -> None:
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


def body_paragraphs(doc, paras, bold34: bool = False) -> None:
    for para in paras:
        p = grid_paragraph(doc, WD_ALIGN_PARAGRAPH.JUSTIFY, first_chars=2)
        if para.level and not para.rest:
            p.paragraph_format.keep_with_next = True       # a heading line never ends a page
        if para.level:
            run(p, para.head, HEAD_FONT[para.level], L.BODY_PT, bold=bold34 and para.level >= 3)
            if para.rest:
                run(p, para.rest, "body", L.BODY_PT)
        else:
            run(p, para.text, "body", L.BODY_PT)


def title_paragraph(doc, lines, before_lines: float = 0) -> None:
    p = grid_paragraph(doc, WD_ALIGN_PARAGRAPH.CENTER, before_lines=before_lines)
    for i, line in enumerate(lines):
        r = run(p, line, "title", L.TITLE_PT)
        if i < len(lines) - 1:
            r.add_break()
