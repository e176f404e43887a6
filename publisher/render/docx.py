"""python-docx helpers shared by every DOCX document: fonts by role, pages, grids, tables.

Every run names its font for ascii, hAnsi and eastAsia, so Word and WPS on an
office PC show the official font whatever the script of the text.
"""
from __future__ import annotations

import datetime as dt
import io
import math

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .docx_lang import chinese
from .fonts import ROLES
from .ooxml import ordered
from .package import build_date, normalise_zip

# GB/T 9704: top 37 mm, bottom 35 mm, binding (left) 28 mm, outer (right) 26 mm.
GBT_MARGINS = {"top": 37, "bottom": 35, "left": 28, "right": 26}


_DROPPED_PARTS = ("stylesWithEffects", "thumbnail")


def new_document() -> Document:
    document = Document()
    styles = document.styles
    normal = styles["Normal"]
    set_style_font(normal, "body", 16)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    return document


def set_style_font(style, role: str, size_pt: float) -> None:
    style.font.size = Pt(size_pt)
    style.font.name = ROLES[role].docx_name
    rpr = style.element.get_or_add_rPr()
    _set_fonts(rpr, ROLES[role].docx_name)


def _set_fonts(rpr, name: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def run(paragraph, text: str, role: str = "body", size_pt: float = 16, bold: bool = False,
        color: str | None = None):
    """Add a run in a font role; the role's official name is set for every script."""
    r = paragraph.add_run(text)
    r.font.size = Pt(size_pt)
    r.font.bold = bold
    r.font.name = ROLES[role].docx_name
    _set_fonts(r._element.get_or_add_rPr(), ROLES[role].docx_name)
    if color:
        r.font.color.rgb = RGBColor.from_string(color.lstrip("#").upper())
    return r


def page_setup(section, landscape: bool = False, margins: dict | None = None) -> None:
    """A4 portrait or landscape; margins in mm (default GB/T 9704's)."""
    m = margins or GBT_MARGINS
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(m["top"]), Mm(m["bottom"])
    section.left_margin, section.right_margin = Mm(m["left"]), Mm(m["right"])


def set_grid(section, lines: int = 22, chars: int = 28) -> None:
    """Word's 文档网格 “指定行和字符网格”: ``lines`` × ``chars`` over the section's text area.

    Both pitches are rounded down to what Word stores (twips; 1/4096 pt), so that ``lines``
    lines and ``chars`` characters really fit: a pitch rounded up (580 twips for 225 mm / 22)
    makes Word count 21 lines a page and LibreOffice centre 21 lines in the text area.
    """
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    height = section.page_height.twips - section.top_margin.twips - section.bottom_margin.twips
    width = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    line_pitch = height // lines                                        # twips
    char_pitch_pt = width / chars / 20
    # charSpace is the difference from the default font size (16 pt here) in 1/4096 pt.
    char_space = math.floor((char_pitch_pt - 16) * 4096)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(line_pitch))
    grid.set(qn("w:charSpace"), str(char_space))


def repeat_header(row) -> None:
    """Mark a table row to repeat at the top of every page."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))      # on (no w:val: "true" is not in every schema)


def cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def border(edge: str, size_eighths: int = 4, color: str = "000000", space: int = 0, val: str = "single"):
    """One ``w:top``/``w:bottom``/… border element (size in eighths of a point)."""
    el = OxmlElement(f"w:{edge}")
    el.set(qn("w:val"), val)
    if val != "nil":
        el.set(qn("w:sz"), str(size_eighths))
        el.set(qn("w:space"), str(space))
        el.set(qn("w:color"), color.lstrip("#").upper())
    return el


def table_borders(table, size_eighths: int = 4) -> None:
    """Single black borders on every cell edge."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(border(edge, size_eighths))
    table._tbl.tblPr.append(borders)


def cell_valign_center(cell, value: str = "center") -> None:
    set_flag(cell._tc.get_or_add_tcPr(), "w:vAlign", value)


def set_flag(parent, tag: str, value: str = "0"):
    """Find or create ``tag`` under ``parent`` and set its ``w:val`` — a property python-docx has no
    attribute for (snapToGrid, widowControl, vAlign …); ``document_bytes`` puts it in schema order."""
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        parent.append(el)
    el.set(qn("w:val"), value)
    return el


def find_or_add(parent, tag: str):
    """The child ``tag`` of ``parent``, created (empty) when missing."""
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        parent.append(el)
    return el


def no_snap(paragraph) -> None:
    """snapToGrid off: the paragraph keeps its own line spacing and glyph widths instead of the
    document grid's."""
    set_flag(paragraph._p.get_or_add_pPr(), "w:snapToGrid")


def paragraph_border(paragraph, edge: str, eighths: int, color: str = "000000", space: int = 0) -> None:
    """A border on one edge of a paragraph (a rule under the 发文字号)."""
    borders = find_or_add(paragraph._p.get_or_add_pPr(), "w:pBdr")
    borders.append(border(edge, eighths, color, space=space))


def bare_table(table) -> None:
    """No borders and no cell margins (Word's default 1.9 mm a side would wrap a table's text
    and move it off its indents)."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(border(edge, val="nil"))
    tbl_pr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), "0")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tbl_pr.append(margins)


def cell_border(cell, edge: str, eighths: int, color: str = "000000") -> None:
    """A border on one edge of a table cell."""
    find_or_add(cell._tc.get_or_add_tcPr(), "w:tcBorders").append(border(edge, eighths, color))


def add_page_field(paragraph, role: str = "song", size_pt: float = 14) -> None:
    """A PAGE field, so Word numbers the pages itself."""
    r = run(paragraph, "", role, size_pt)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            r._element.append(fld)
        else:
            tag = "w:instrText" if text.strip() == "PAGE" else "w:t"
            el = OxmlElement(tag)
            el.set(qn("xml:space"), "preserve")
            el.text = text
            r._element.append(el)


def document_bytes(document, date: dt.date | None = None) -> bytes:
    """Save with fixed core-property dates and ZIP timestamps (reproducible), as a zh-CN document
    (``docx_lang.chinese``), every property element in the schema order Word requires
    (``ooxml.ordered``)."""
    when = build_date(date)
    # python-docx's template (and a template made from it) carries a Word 2010 stylesWithEffects
    # part that our style changes leave out of step with styles.xml (Word may then call the file
    # unreadable), and a thumbnail of an empty page that file browsers would show: drop both.
    for owner in (document.part, document.part.package):
        for r_id, rel in list(owner.rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in _DROPPED_PARTS:
                del owner.rels[r_id]
    props = document.core_properties
    props.created = when
    props.modified = when
    props.last_printed = when
    props.author = "publisher"
    props.last_modified_by = "publisher"
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(ordered(chinese(buffer.getvalue())), when)
