"""Renderers of a ``forms.Form``: XLSX (openpyxl), DOCX (python-docx), HTML/PDF (WeasyPrint).

Kept apart from ``forms`` (which turns sources into a ``Form``) so each file
stays one noun: this one knows page and cell layout only.
"""
from __future__ import annotations

from markupsafe import Markup

from ..domain.people import ETHNIC_GROUPS
from ..render import fonts
from ..render.docx import (cant_split, cell_valign_center, document_bytes, find_or_add, new_document, page_setup,
                           repeat_header, run, set_flag, table_borders)
from ..render.html import render
from ..render.pdf import html_to_pdf
from ..render.seal import add_docx_seal, seal_markup
from ..render.xlsx import formula, print_landscape, put, workbook_bytes
from .forms import PRINT_BLANK_ROWS, XLSX_BLANK_ROWS, build_form, total_texts

# Landscape A4 page of a stand-alone form (mm): room for the page number below.
PAGE_MARGINS = {"top": 20, "bottom": 22, "left": 15, "right": 15}
TEXT_WIDTH_MM = 297 - PAGE_MARGINS["left"] - PAGE_MARGINS["right"]
META_PT = 14            # 四号: 填表单位 / 填表时间 / 填表人 lines
# A filled form's seal: its top this far above the 填表单位 line, below the title (whose box ends
# 5 mm above the line on a form page, one line above it on a notice's attachment page).
SEAL_ABOVE_MM = 3.5
LEFT_ALIGNED = ("school", "address", "major", "category")


def _footer_text(form) -> str:
    return f"填表人：{form.filled_by or ' ' * 12}        联系电话：{form.phone or ' ' * 16}"


# ---------------------------------------------------------------- the writers of the forms kind

def xlsx_writer(spec, options, report=None) -> bytes:
    """A blank form gets 30 ruled rows in XLSX (to type into)."""
    return xlsx_bytes(spec.build(options, XLSX_BLANK_ROWS, wide=True), options)


def docx_writer(spec, options, report=None) -> bytes:
    """A blank form gets one page of ruled rows on paper."""
    return docx_bytes(spec.build(options, PRINT_BLANK_ROWS[spec.form]), options)


def pdf_writer(spec, options, report=None) -> bytes:
    return pdf_bytes(spec.build(options, PRINT_BLANK_ROWS[spec.form]), options)


def form_html(form: str, data, options, city=None, with_title: bool = True) -> str:
    """The form as an HTML fragment for a notice's attachment page (see ``forms``' docstring)."""
    built = build_form(form, data, None, city, data is None, options.mask, blank_rows=PRINT_BLANK_ROWS.get(form, 0))
    return fragment_html(built, options, with_title)


def add_form_docx(document, form: str, data, options, city=None, with_title: bool = True) -> None:
    """Append the form to ``document`` (whose last section is already landscape)."""
    built = build_form(form, data, None, city, data is None, options.mask, blank_rows=PRINT_BLANK_ROWS.get(form, 0))
    add_to_docx(document, built, options, with_label=False, with_title=with_title)


# ---------------------------------------------------------------- XLSX

def xlsx_bytes(form, options) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    body_font = fonts.ROLES["body"].docx_name
    wb = Workbook()
    ws = wb.active
    ws.title = form.label
    n = len(form.columns)
    last = get_column_letter(n)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    cell_font = Font(name=body_font, size=11)

    put(ws["A1"], form.label)
    ws["A1"].font = Font(name=fonts.ROLES["hei"].docx_name, size=16)
    ws.merge_cells(f"A2:{last}2")
    put(ws["A2"], form.title)
    ws["A2"].font = Font(name=fonts.ROLES["title"].docx_name, size=20)
    ws["A2"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[2].height = 36
    split = max(2, n - 3)
    ws.merge_cells(f"A3:{get_column_letter(split)}3")
    ws.merge_cells(f"{get_column_letter(split + 1)}3:{last}3")
    put(ws["A3"], f"填表单位（盖章）：{form.unit}")
    date_cell = ws.cell(3, split + 1)
    put(date_cell, f"填表时间：{form.date}")
    for cell in (ws["A3"], date_cell):
        cell.font = Font(name=body_font, size=12)
    ws["A3"].alignment = Alignment(horizontal="left", vertical="center")
    date_cell.alignment = Alignment(horizontal="right", vertical="center")
    ws.row_dimensions[3].height = 24

    top = 4
    for head in form.head:
        cell = ws.cell(top + head.row, head.col + 1)
        put(cell, head.text)
        if head.rowspan > 1 or head.colspan > 1:
            ws.merge_cells(start_row=top + head.row, start_column=head.col + 1,
                           end_row=top + head.row + head.rowspan - 1, end_column=head.col + head.colspan)
    for r in range(top, top + form.head_rows):
        for c in range(1, n + 1):
            cell = ws.cell(r, c)
            cell.font = Font(name=fonts.ROLES["hei"].docx_name, size=11)
            cell.alignment = centre
            cell.border = border
    if form.head_rows == 2:
        ws.row_dimensions[top].height = 24
        ws.row_dimensions[top + 1].height = 72
    else:
        ws.row_dimensions[top].height = 36
    first = top + form.head_rows

    for i, row in enumerate(form.rows):
        r = first + i
        for c, (col, value) in enumerate(zip(form.columns, row), 1):
            cell = ws.cell(r, c)
            if form.blank and col.kind == "seq":
                # Numbered once a name is typed, so untouched rows read back as blank rows.
                formula(cell, f'=IF(B{r}="","",ROW()-{first - 1})')
            elif value is not None and value != "":
                put(cell, value if col.kind in ("int", "seq") else str(value))
            if col.kind == "id":
                cell.number_format = "@"      # typed numbers stay text (ID, card, phone)
            cell.font = cell_font
            cell.alignment = left if col.key in LEFT_ALIGNED else centre
            cell.border = border
        ws.row_dimensions[r].height = _row_height(form, row)
    end = first + len(form.rows) - 1
    total_row = first + len(form.rows)
    for c, (col, value) in enumerate(zip(form.columns, form.total), 1):
        cell = ws.cell(total_row, c)
        letter = get_column_letter(c)
        if form.blank and form.rows and col.kind == "int":
            formula(cell, f"=SUM({letter}{first}:{letter}{end})")
        elif form.blank and form.rows and form.form == "attachment2" and c == 2:
            formula(cell, f"=COUNTA({letter}{first}:{letter}{end})")
        elif value is not None:
            put(cell, value)
        if form.form == "attachment2" and c == 2:
            cell.number_format = '0"人"'
        cell.font = Font(name=fonts.ROLES["hei"].docx_name, size=11)
        cell.alignment = centre
        cell.border = border
    if form.total_span > 1:
        ws.merge_cells(start_row=total_row, start_column=1, end_row=total_row, end_column=form.total_span)
    footer = total_row + 1
    ws.merge_cells(f"A{footer}:{last}{footer}")
    put(ws.cell(footer, 1), _footer_text(form))
    ws.cell(footer, 1).font = Font(name=body_font, size=12)
    ws.row_dimensions[footer].height = 24

    for c, col in enumerate(form.columns, 1):
        ws.column_dimensions[get_column_letter(c)].width = col.xlsx_width
    ws.freeze_panes = ws.cell(first, 3)
    print_landscape(ws, f"{top}:{top + form.head_rows - 1}", (0.6, 0.7))
    ws.page_margins.bottom = 0.8
    ws.oddFooter.center.text = "— &P —"

    if form.blank and form.rows:
        _validations(wb, ws, form, first, end, DataValidation, get_column_letter)
    return workbook_bytes(wb, form.doc_date)


def _row_height(form, row) -> float:
    """Points: room for the wrapped lines of the longest cell (Excel does not grow rows itself)."""
    lines = 1
    for col, value in zip(form.columns, row):
        text = "" if value is None else str(value)
        units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
        lines = max(lines, -(-units // max(1, int(col.xlsx_width - 1))))
    return max(20, 15 * lines)


def _validations(wb, ws, form, first, end, DataValidation, get_column_letter) -> None:
    """Drop-downs and checks that help a city type the blank form right."""
    lists = wb.create_sheet("lists")
    lists.sheet_state = "hidden"
    for i, name in enumerate(ETHNIC_GROUPS, 1):
        put(lists.cell(i, 1), name)
    for i, name in enumerate(form.schools, 1):
        put(lists.cell(i, 2), name)
    keys = {col.key: get_column_letter(c) for c, col in enumerate(form.columns, 1)}

    def add(dv, key):
        letter = keys[key]
        dv.add(f"{letter}{first}:{letter}{end}")
        ws.add_data_validation(dv)

    if form.form == "attachment1":
        for col in form.columns:
            if col.kind == "int":
                add(DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                                   showErrorMessage=True, errorTitle="人数有误",
                                   error="请填写不小于0的整数（人数）"), col.key)
        if form.schools:
            add(DataValidation(type="list", formula1=f"lists!$B$1:$B${len(form.schools)}",
                               showErrorMessage=True, errorStyle="warning", errorTitle="学校不在目录中",
                               error="请从下拉列表中选择目录中的技工院校"), "school")
        return
    add(DataValidation(type="list", formula1='"男,女"', showErrorMessage=True,
                       errorTitle="性别有误", error="请选择“男”或“女”"), "gender")
    add(DataValidation(type="list", formula1=f"lists!$A$1:$A${len(ETHNIC_GROUPS)}", showErrorMessage=True,
                       errorTitle="民族有误", error="请从下拉列表中选择56个民族之一（如“汉族”）"), "ethnicity")
    add(DataValidation(type="textLength", operator="equal", formula1="18", showErrorMessage=True,
                       errorTitle="身份证号有误", error="身份证号应为18位（最后一位可为X），请以文本格式填写"), "id_no")
    if form.schools:
        add(DataValidation(type="list", formula1=f"lists!$B$1:$B${len(form.schools)}", showErrorMessage=True,
                           errorStyle="warning", errorTitle="院校不在目录中",
                           error="请从下拉列表中选择本市目录中的技工院校"), "school")


# ---------------------------------------------------------------- HTML / PDF

def _widths(form) -> list[float]:
    total = sum(c.weight for c in form.columns)
    return [round(c.weight * 100 / total, 3) for c in form.columns]


def _scoped_font_css(options) -> str:
    rules = [line for line in fonts.css(options.fonts).splitlines() if line.startswith("@font-face")]
    for key in fonts.ROLES:
        rules.append(f".pub-form .f-{key} {{ font-family: {fonts.stack(key, options.fonts)}; "
                     f"font-weight: {fonts.weight(key, options.fonts)}; }}")
    return "\n".join(rules)


def _context(form, options, with_label: bool, with_title: bool) -> dict:
    head = [[h for h in form.head if h.row == r] for r in range(form.head_rows)]
    rows = [[{"text": "" if v is None else str(v),
              "cls": ("left" if col.key in LEFT_ALIGNED else "center") + (" nowrap" if col.kind == "id" else "")}
             for col, v in zip(form.columns, row)] for row in form.rows]
    texts = [t for t in total_texts(form)]
    total = [{"text": texts[0], "colspan": form.total_span}] + [{"text": t, "colspan": 1} for t in texts[form.total_span:]]
    seal = seal_markup(options, label="centre") if not form.blank else ""
    return {
        "form": form, "label": form.label if with_label else "", "with_title": with_title,
        "head": head, "rows": rows, "total": total, "widths": _widths(form),
        "unit_text": form.unit, "date_text": form.date, "filled_by": form.filled_by, "phone": form.phone,
        "blank": form.blank, "table_pt": form.table_pt, "seal": Markup(seal),
        "seal_mm": options.layout.seal_mm, "seal_above_mm": SEAL_ABOVE_MM,
        "font_css": Markup(_scoped_font_css(options)),
    }


def fragment_html(form, options, with_title: bool = True) -> str:
    return render("html/form_body.html.j2", _context(form, options, False, with_title), options.templates)


def page_html(form, options) -> str:
    context = _context(form, options, True, True)
    context["page_css"] = Markup(
        fonts.css(options.fonts) + "\n@page { size: A4 landscape; "
        f"margin: {PAGE_MARGINS['top']}mm {PAGE_MARGINS['right']}mm {PAGE_MARGINS['bottom']}mm "
        f"{PAGE_MARGINS['left']}mm; @bottom-center {{ content: \"— \" counter(page) \" —\"; "
        f"font-family: {fonts.stack('song', options.fonts)}; font-size: 14pt; }} }}")
    return render("html/form.html.j2", context, options.templates)


def pdf_bytes(form, options) -> bytes:
    return html_to_pdf(page_html(form, options), base_url=options.base_url, date=form.doc_date,
                       title=form.title)


# ---------------------------------------------------------------- DOCX

def docx_bytes(form, options) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    document = new_document()
    section = document.sections[0]
    page_setup(section, landscape=True, margins=PAGE_MARGINS)
    section.footer_distance = _mm(10)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    from ..render.docx import add_page_field
    run(footer, "— ", "song", 14)
    add_page_field(footer, "song", 14)
    run(footer, " —", "song", 14)
    add_to_docx(document, form, options, with_label=True, with_title=True, first=True)
    return document_bytes(document, form.doc_date)


def _mm(value):
    from docx.shared import Mm
    return Mm(value)


def _text_width_mm(document) -> float:
    section = document.sections[-1]
    return (section.page_width - section.left_margin - section.right_margin) / 36000


def add_to_docx(document, form, options, with_label: bool = False, with_title: bool = True,
                first: bool = False) -> None:
    """Append label, title, 填表单位 line (with seal), table and 填表人 line."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Pt

    width_mm = _text_width_mm(document)
    paragraph = document.paragraphs[0] if first and document.paragraphs and not document.paragraphs[0].text \
        else document.add_paragraph()
    if with_label:
        run(paragraph, form.label, "hei", 16)
        paragraph = document.add_paragraph()
    if with_title:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before = Pt(6)
        paragraph.paragraph_format.space_after = Pt(12)
        run(paragraph, form.title, "title", 22)
        paragraph = document.add_paragraph()
    paragraph.paragraph_format.tab_stops.add_tab_stop(_mm(width_mm), WD_TAB_ALIGNMENT.RIGHT)
    paragraph.paragraph_format.space_after = Pt(4)
    prefix = "填表单位（盖章）："
    run(paragraph, prefix + form.unit, "body", META_PT)
    run(paragraph, "\t填表时间：" + form.date, "body", META_PT)
    if not form.blank:                   # a blank form is sent out to be filled: no issuer seal
        d = options.layout.seal_mm
        char_mm = META_PT * 25.4 / 72
        centre = (len(prefix) + len(form.unit.strip() or form.unit) / 2) * char_mm
        # Centred on the unit name, its top just above the line, clear of the title (as in the PDF).
        add_docx_seal(paragraph, options, max(0.0, centre - d / 2), -SEAL_ABOVE_MM, label="centre")

    n = len(form.columns)
    table = document.add_table(rows=form.head_rows + len(form.rows) + 1, cols=n)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    table_borders(table)
    _fixed_layout(table)
    widths = [_mm(width_mm * w / 100) for w in _widths(form)]
    _grid(table, widths)
    size = form.table_pt
    rows = table.rows
    cells_by_row = [row.cells for row in rows]
    for r, row in enumerate(rows):
        for c, cell in enumerate(cells_by_row[r]):
            cell.width = widths[c]
        cant_split(row)
    for head in form.head:
        cell = cells_by_row[head.row][head.col]
        if head.rowspan > 1 or head.colspan > 1:
            cell = cell.merge(cells_by_row[head.row + head.rowspan - 1][head.col + head.colspan - 1])
        _fill(cell, head.text, "hei", size, "center")
    for r in range(form.head_rows):
        repeat_header(rows[r])
        rows[r].height = _mm(8)                                      # at least
    for i, values in enumerate(form.rows):
        cells = cells_by_row[form.head_rows + i]
        for c, (col, value) in enumerate(zip(form.columns, values)):
            _fill(cells[c], "" if value is None else str(value), "body", size,
                  "left" if col.key in LEFT_ALIGNED else "center")
        rows[form.head_rows + i].height = _mm(6 if form.blank else 7)     # at least; 6 mm as in the PDF
    total_cells = cells_by_row[-1]
    texts = total_texts(form)
    label_cell = total_cells[0]
    if form.total_span > 1:
        label_cell = label_cell.merge(total_cells[form.total_span - 1])
    _fill(label_cell, texts[0], "hei", size, "center")
    for c in range(form.total_span, n):
        _fill(total_cells[c], texts[c], "body", size, "center")
    rows[-1].height = _mm(7)

    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(6)
    run(paragraph, _footer_text(form), "body", META_PT)


def _fill(cell, text: str, role: str, size: float, align: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if align == "center" else WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.line_spacing = 1.0      # single, not the template's 1.15 (PDF: 1.3 em)
    _mark_size(paragraph, size)
    lines = text.split("\n")
    for k, line in enumerate(lines):
        r = run(paragraph, line, role, size)
        if k < len(lines) - 1:
            r.add_break()
    cell_valign_center(cell)


def _mark_size(paragraph, size: float) -> None:
    """The paragraph mark in the cell's size: an empty cell's line is as high as its mark, and
    the Normal style's 16 pt would make every blank row 8 mm instead of the PDF's 6 mm."""
    rpr = find_or_add(paragraph._p.get_or_add_pPr(), "w:rPr")      # put in schema order on save
    for tag in ("w:sz", "w:szCs"):
        set_flag(rpr, tag, str(round(size * 2)))


def _grid(table, widths) -> None:
    """Column widths in the table grid and the table width (LibreOffice and WPS read these)."""
    from docx.oxml.ns import qn
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(width.twips)))
    tbl_w = find_or_add(table._tbl.tblPr, "w:tblW")
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(int(sum(w.twips for w in widths))))


def _fixed_layout(table) -> None:
    table.autofit = False          # w:tblLayout fixed, once and in schema order
