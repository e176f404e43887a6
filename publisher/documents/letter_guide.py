"""`publisher template letter`: the built-in letter template and its 字段说明, for a school to start from.

Written as a templates folder (``DIR/docx/letter.docx``), so ``templates: DIR`` in
``publisher.yaml`` uses the school's edited copy at once, beside ``DIR/字段说明.docx``:
how to write a field (``{{ 姓名 }}`` or Word's 插入合并域 «姓名»), a condition, the
seal's place, and every field with what it holds.  An edited letter.docx is never
overwritten.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..errors import UsageError
from ..render.html import builtin_templates
from . import letter_fields
from .letter_template import TEMPLATE

GUIDE = "字段说明.docx"
WIDTHS_MM = (32, 45, 83)
USAGE = (
    ("怎样写字段", "在 Word 或 WPS 中，把要逐人填写的地方写成 {{ 字段名 }}，如 {{ 姓名 }}、{{ 录取专业 }}；"
               "也可以用 Word 的“邮件合并 → 插入合并域”，插入 «姓名» 这样的合并域。字段名就是录取名单的列标题，"
               "名单中学校自己加的列（如 宿舍号）同样可用：{{ 宿舍号 }}。同一个字段的 {{ }} 要一次打完，不要中途改字体。"),
    ("按条件写", "{% if 性别 == '女' %}女生公寓{% else %}男生公寓{% endif %}：{{ 宿舍号 }}。"
             "条件跨几个段落时，把 {%p if 性别 == '女' %} 和 {%p endif %} 各写在单独的一段。"),
    ("页眉、页脚、表格、图片", "页眉页脚和表格中的字段同样逐人填写；学校的标志、图片、字体、页面设置按模板原样保留，"
                      "PDF 与 Word 文件都由这同一个模板生成。"),
    ("印章", "在落款处写 {{ 印章 }}：印章圆心左右对准这个标记，上下在它所在段落顶端以下 6 毫米（要居中盖在落款上，"
           "就把它单独写在落款正上方、与落款同样居中、段前不留空的一行，落款和日期便在圆心稍下）；"
           "也可以把一个图片或形状命名为“印章”，印章就放在它的位置、取它的大小。"
           "模板中没有这个标记时不加印章。印章是红色虚线圆圈（印章）占位，配置了授权印章图片时用该图片。"),
    ("放在哪里", "把改好的 letter.docx 放在项目 templates: 文件夹的 docx/ 下（即本文件夹的结构），"
             "或运行 publisher admissions 名单.xlsx --template letter.docx。先运行 publisher check 核对字段。"),
    ("隐去号码", "使用 --mask（或 publisher.yaml 中 mask: true）时，身份证号、联系电话、家庭详细地址中的号码"
             "以及学校自己加的列中的号码都隐去中间几位。"),
)


def export(out: Path, when: dt.date | None = None) -> list[Path]:
    """Write ``out/docx/letter.docx`` and ``out/字段说明.docx``; an edited letter.docx there is kept (UsageError)."""
    from ..output import OutputFolder
    template = (builtin_templates() / TEMPLATE).read_bytes()
    existing = Path(out) / TEMPLATE
    if existing.is_file() and existing.read_bytes() != template:
        raise UsageError(f"{existing}: 错误: 这里已有一份改过的通知书模板，为免覆盖，未写入任何文件；"
                         "请用 -o 指定另一个文件夹")
    with OutputFolder(out) as folder:
        folder.write_bytes(TEMPLATE, template)
        folder.write_bytes(GUIDE, guide_docx(when))
    return [Path(out) / TEMPLATE, Path(out) / GUIDE]


def guide_docx(when: dt.date | None = None) -> bytes:
    """The 字段说明: how to write fields, then every field with what it holds."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm
    from ..render.docx import document_bytes, new_document, page_setup, run, table_borders
    doc = new_document()
    page_setup(doc.sections[0], margins={"top": 25, "bottom": 20, "left": 25, "right": 25})
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(title, "录取通知书模板字段说明", "title", 22)
    for heading, text in USAGE:
        p = doc.add_paragraph()
        run(p, heading + "　", "hei", 12)
        run(p, text, "body", 12)
    p = doc.add_paragraph()
    run(p, "可用的字段", "hei", 14)
    table = doc.add_table(rows=1, cols=3)
    table.autofit = False
    table_borders(table)
    for column, width in zip(table.columns, WIDTHS_MM):       # the grid: what LibreOffice and WPS lay out by
        column.width = Mm(width)
    for cell, width in zip(table.rows[0].cells, WIDTHS_MM):
        cell.width = Mm(width)
    for cell, text in zip(table.rows[0].cells, ("字段", "写法", "内容")):
        run(cell.paragraphs[0], text, "hei", 11)
    for name, note in letter_fields.described():
        cells = table.add_row().cells
        for cell, width in zip(cells, WIDTHS_MM):
            cell.width = Mm(width)
        run(cells[0].paragraphs[0], name, "body", 11)
        usage = "{{ " + (letter_fields.identifier(name) or name) + " }}"
        run(cells[1].paragraphs[0], usage, "body", 11)
        run(cells[2].paragraphs[0], note, "body", 11)
    p = doc.add_paragraph()
    run(p, "列标题带括号的字段（如 县（市、区））也可写成 {{ 县市区 }} 或 {{ 字段['县（市、区）'] }}。"
           "旧版模板的英文字段名（name、school、major 等）仍然有效。", "body", 11)
    return document_bytes(doc, when or dt.date(2019, 1, 1))
