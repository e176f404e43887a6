"""Generate templates/docx/letter.docx, the built-in 录取通知书 template (DOCX and PDF letters alike).

Run from anywhere::

    python tools/make_letter_template.py

The result is an ordinary Word document with ``{{ 字段 }}`` tags named after the
admissions list's columns (``{{ 姓名 }}``, ``{{ 录取专业 }}``) and the fields
publisher derives (``{{ 培养层次 }}``, ``{{ 学校地址 }}`` …; the whole list is in
``publisher/documents/letter_fields.py`` and in the 字段说明 that ``publisher
template letter`` writes beside the template).  The seal goes where
``{{ 印章 }}`` stands: its own one-point line above the signature, centred like
the signature, so the school's name and the date sit just below the seal's centre
(GB/T 9704 7.3.5.1).
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Mm, Pt  # noqa: E402

from publisher.render.docx import document_bytes, new_document, page_setup, run  # noqa: E402

RED = "E8380D"
MARGINS = {"top": 25, "bottom": 20, "left": 28, "right": 26}
SIGN_INDENT_MM = 86          # the signature block is the right 70 mm of the 156 mm text width


def paragraph(doc, align=None, indent_chars=0, before=0, after=0, line=Pt(26), left_mm=0):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    if align is not None:
        p.alignment = align
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing = line
    if left_mm:
        fmt.left_indent = Mm(left_mm)
    if indent_chars:
        # Both forms: Word reads the *Chars attributes, LibreOffice/WPS the twips.
        ind = p._p.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:firstLine"), str(indent_chars * 320))
        ind.set(qn("w:firstLineChars"), str(indent_chars * 100))
    return p


def spacing(r, twips: int) -> None:
    rpr = r._element.get_or_add_rPr()
    el = OxmlElement("w:spacing")
    el.set(qn("w:val"), str(twips))
    rpr.append(el)


def build() -> bytes:
    doc = new_document()
    page_setup(doc.sections[0], margins=MARGINS)
    C = WD_ALIGN_PARAGRAPH.CENTER

    run(paragraph(doc, WD_ALIGN_PARAGRAPH.RIGHT, after=12, line=1.0), "录取编号：{{ 录取编号 }}", "body", 12)
    run(paragraph(doc, C, line=1.0), "{{ 录取院校 }}", "title", 22, color=RED)
    spacing(run(paragraph(doc, C, before=6, after=18, line=1.0), "录取通知书", "title", 36, color=RED), 200)
    p = paragraph(doc)
    r = run(p, "{{ 姓名 }}", "body", 16)
    r.font.underline = True
    run(p, "同学：", "body", 16)
    p = paragraph(doc, indent_chars=2)
    for text, role in (("经审核，你已被我校", "body"), ("{{ 录取专业 }}", "hei"),
                       ("专业（{{ 培养层次 }}，学制{{ 学制 }}年）录取。请于", "body"), ("{{ 报到时间 }}", "hei"),
                       ("持本通知书到{{ 报到地点 }}报到。", "body")):
        run(p, text, role, 16)
    run(paragraph(doc, indent_chars=2),
        "报到时请携带：录取通知书、身份证、户口本复印件、扶贫卡（建档立卡证明）、一寸照片等。", "body", 16)
    run(paragraph(doc, indent_chars=2), "你作为建档立卡贫困家庭学生，在校期间享受以下政策：", "body", 16)
    for item in ("一、“五免一享”：免学费、免住宿费、免教材费、免费提供勤工俭学岗位、免费推荐就业岗位，享受国家助学金政策；",
                 "二、雨露计划补助：按照每生每年3000元的标准给予补助；",
                 "三、毕业时参加所学专业职业技能鉴定的，免收职业技能鉴定费和证书费。"):
        p = paragraph(doc)
        ind = p._p.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:left"), "1280")
        ind.set(qn("w:hanging"), "640")
        ind.set(qn("w:leftChars"), "400")
        ind.set(qn("w:hangingChars"), "200")
        run(p, item, "body", 16)
    run(paragraph(doc, indent_chars=2, before=6, line=Pt(22)), "学校地址：{{ 学校地址 }}", "body", 14)
    run(paragraph(doc, indent_chars=2, line=Pt(22), after=30), "联系电话：{{ 学校联系电话 }}", "body", 14)
    # The seal: a one-point line right above the signature, centred as the signature is (no space before
    # it: the seal's centre is 6 mm below the top of the mark's paragraph, so name and date sit just below it).
    run(paragraph(doc, C, left_mm=SIGN_INDENT_MM, line=Pt(1)), "{{ 印章 }}", "body", 16)
    run(paragraph(doc, C, left_mm=SIGN_INDENT_MM), "{{ 录取院校 }}", "body", 16)
    run(paragraph(doc, C, left_mm=SIGN_INDENT_MM), "{{ 落款日期 }}", "body", 16)
    return document_bytes(doc, dt.date(2019, 1, 1))


def main() -> None:
    target = ROOT / "templates" / "docx" / "letter.docx"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(build())
    print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
