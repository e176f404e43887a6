"""Letter templates as a school would make them, for tests and benchmarks (none of them ships).

    python bench/make_letter_templates.py OUT_DIR

- ``school_template``: a docxtpl template in the school's own wording and fonts: a logo
  and ``{{ 录取院校 }}招生办公室`` in the page header, a footer with the page number, a
  table, a condition on 性别 and the school's own column 宿舍号, a loop, the seal mark;
- ``mailmerge_template``: a Word 邮件合并 main document: «姓名» «录取院校» «录取专业»
  «宿舍号» as MERGEFIELDs (both of Word's forms), an IF field on «性别», the data-source
  link Word keeps (a local path) and a picture named 印章 where the seal goes.
"""
from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def logo_png(size: int = 240, color=(0, 82, 155)) -> bytes:
    """A round school badge (deterministic PNG)."""
    from PIL import Image, ImageDraw
    image = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(image)
    u = size / 24
    draw.ellipse((u, u, size - u, size - u), outline=color, width=round(1.5 * u))
    draw.ellipse((4 * u, 4 * u, size - 4 * u, size - 4 * u), fill=color)
    draw.rectangle((11 * u, 7 * u, 13 * u, size - 7 * u), fill="white")
    draw.rectangle((7 * u, 11 * u, size - 7 * u, 13 * u), fill="white")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    return out.getvalue()


def _run(paragraph, text: str, font: str = "宋体", size: float = 14, bold: bool = False, color=None):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = font
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if color:
        run.font.color.rgb = RGBColor(*color)
    return run


def _save(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def school_template() -> bytes:
    """The docxtpl template of 济南技师学院 (its own layout; see the module docstring)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(30), Mm(25), Mm(25), Mm(25)
    head = section.header.paragraphs[0]
    head.add_run().add_picture(io.BytesIO(logo_png()), width=Mm(12))
    _run(head, "  {{ 录取院校 }}招生办公室", "黑体", 10.5)
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(foot, "{{ 学校地址 }}  电话：{{ 学校联系电话 }}", "宋体", 9)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, "{{ 录取院校 }}", "黑体", 24, True, (0, 82, 155))
    sub = doc.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(sub, "新 生 入 学 通 知 书", "黑体", 20, True)
    _run(doc.add_paragraph(), "{{ 姓名 }} 同学：", "宋体", 14)
    body = doc.add_paragraph()
    body.paragraph_format.first_line_indent = Pt(28)
    _run(body, "祝贺你！经{{ 城市 }}{{ 年度 }}年技工院校招生录取，你已被我院 ", "宋体", 14)
    _run(body, "{{ 录取专业 }}", "黑体", 14, True)
    _run(body, " 专业录取，学制{{ 学制 }}年。请于{{ 报到时间 }}凭本通知书到{{ 报到地点 }}报到。", "宋体", 14)
    dorm = doc.add_paragraph()
    dorm.paragraph_format.first_line_indent = Pt(28)
    _run(dorm, "住宿安排：{% if 性别 == '女' %}女生公寓{% else %}男生公寓{% endif %}：{{ 宿舍号 }}", "宋体", 14)
    bring = doc.add_paragraph()
    bring.paragraph_format.first_line_indent = Pt(28)
    _run(bring, "报到须带：{% for item in ['本通知书', '身份证', '户口本复印件', '一寸照片4张'] %}"
                "{{ loop.index }}.{{ item }}{% if not loop.last %}；{% endif %}{% endfor %}。", "宋体", 14)
    table = doc.add_table(rows=2, cols=4)
    table.style = doc.styles["Table Grid"]
    for row, cells in zip(table.rows, (("姓名", "{{ 姓名 }}", "录取编号", "{{ 录取编号 }}"),
                                       ("专业", "{{ 录取专业 }}", "培养层次", "{{ 培养层次 }}"))):
        for cell, text in zip(row.cells, cells):
            _run(cell.paragraphs[0], text, "宋体", 12)
    note = doc.add_paragraph()
    note.paragraph_format.space_before = Pt(12)
    note.paragraph_format.space_after = Pt(30)
    _run(note, "我院实行“五免一享”政策，欢迎你的到来！", "楷体", 14)
    mark = doc.add_paragraph()
    mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    mark.paragraph_format.left_indent = Mm(80)
    mark.paragraph_format.space_before = Pt(0)
    mark.paragraph_format.line_spacing = Pt(1)
    _run(mark, "{{ 印章 }}", "宋体", 14)
    for text in ("{{ 录取院校 }}招生办公室", "{{ 落款日期 }}"):
        sign = doc.add_paragraph()
        sign.alignment = WD_ALIGN_PARAGRAPH.CENTER
        sign.paragraph_format.left_indent = Mm(80)
        _run(sign, text, "宋体", 14)
    return _save(doc)


def _field_runs(name: str, rpr: str = "") -> str:
    """Word's begin/instrText/separate/«result»/end runs of a MERGEFIELD."""
    return (f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r>{rpr}<w:instrText xml:space="preserve"> MERGEFIELD </w:instrText></w:r>'
            f'<w:r>{rpr}<w:instrText>{name}</w:instrText></w:r>'
            f'<w:r>{rpr}<w:instrText xml:space="preserve"> \\* MERGEFORMAT </w:instrText></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r>{rpr}<w:t>«{name}»</w:t></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>')


def mailmerge_template() -> bytes:
    """A Word mail-merge letter (see the module docstring)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    rpr = '<w:rPr><w:rFonts w:ascii="仿宋" w:eastAsia="仿宋" w:hAnsi="仿宋"/><w:sz w:val="30"/></w:rPr>'
    head = section.header.paragraphs[0]
    head._p.append(parse_xml(f'<w:fldSimple {W_NS} w:instr=" MERGEFIELD 录取院校 "><w:r>{rpr}<w:t>«录取院校»</w:t></w:r>'
                             '</w:fldSimple>'))
    _run(head, "（新生报到通知）", "仿宋", 10.5)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, "录取通知书", "黑体", 26, True, (200, 0, 0))
    lines = [
        [("field", "姓名"), ("text", "同学：")],
        [("text", "    你已被"), ("simple", "录取院校"), ("text", "录取，专业："), ("field", "录取专业"),
         ("text", "。")],
        [("text", "    宿舍："), ("if", None), ("text", " "), ("field", "宿舍号"), ("text", "。")],
    ]
    for parts in lines:
        paragraph = doc.add_paragraph()
        xml = ""
        for kind, value in parts:
            if kind == "text":
                xml += f'<w:r>{rpr}<w:t xml:space="preserve">{value}</w:t></w:r>'
            elif kind == "field":
                xml += _field_runs(value, rpr)
            elif kind == "simple":
                xml += (f'<w:fldSimple w:instr=" MERGEFIELD {value} \\* MERGEFORMAT "><w:r>{rpr}<w:t>«{value}»</w:t>'
                        '</w:r></w:fldSimple>')
            elif kind == "if":
                xml += (f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
                        f'<w:r>{rpr}<w:instrText xml:space="preserve"> IF </w:instrText></w:r>'
                        + _field_runs("性别", rpr).replace("«性别»", "女") +
                        f'<w:r>{rpr}<w:instrText xml:space="preserve"> = "女" "女生公寓" "男生公寓" </w:instrText></w:r>'
                        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
                        f'<w:r>{rpr}<w:t>女生公寓</w:t></w:r>'
                        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>')
        for element in parse_xml(f"<w:p {W_NS}>{xml}</w:p>"):
            paragraph._p.append(element)
    seal = doc.add_paragraph()
    seal.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    seal.add_run().add_picture(io.BytesIO(logo_png(120, (180, 180, 180))), width=Mm(40))
    seal._p.xpath(".//wp:docPr")[0].set("name", "印章")
    sign = doc.add_paragraph()
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sign._p.append(parse_xml(f'<w:fldSimple {W_NS} w:instr=" MERGEFIELD 录取院校 "><w:r>{rpr}<w:t>«录取院校»</w:t></w:r>'
                             '</w:fldSimple>'))
    return _with_data_source(_save(doc))


def _with_data_source(data: bytes) -> bytes:
    """The settings Word writes for a merge document: its data source, a workbook on the clerk's desktop."""
    source = "C:\\Users\\张老师\\Desktop\\录取名单.xlsx"
    merge = ('<w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:linkToQuery/><w:dataType w:val="native"/>'
             f'<w:connectString w:val="Provider=Microsoft.ACE.OLEDB.12.0;Data Source={source};"/>'
             '<w:query w:val="SELECT * FROM `录取名单$`"/><w:dataSource r:id="rId1"/>'
             '<w:viewMergedData/></w:mailMerge>')
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "word/settings.xml":
                text = content.decode("utf-8")
                if "xmlns:r=" not in text.split(">", 2)[1]:
                    text = text.replace("<w:settings ", '<w:settings xmlns:r="http://schemas.openxmlformats.org/'
                                        'officeDocument/2006/relationships" ', 1)
                content = re.sub(r"(<w:settings[^>]*>)", lambda m: m.group(1) + merge, text, count=1).encode("utf-8")
            dst.writestr(info, content)
        dst.writestr("word/_rels/settings.xml.rels",
                     '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
                     'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                     'openxmlformats.org/officeDocument/2006/relationships/mailMergeSource" '
                     f'Target="file:///{source}" TargetMode="External"/></Relationships>')
    return out.getvalue()


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "bench-templates")
    out.mkdir(parents=True, exist_ok=True)
    (out / "school.docx").write_bytes(school_template())
    (out / "mailmerge.docx").write_bytes(mailmerge_template())
    print(f"wrote {out / 'school.docx'} and {out / 'mailmerge.docx'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
