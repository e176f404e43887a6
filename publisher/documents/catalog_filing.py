"""The catalog's filing (备案): the report to the province with its 备案表, and the city's publishing notice.

Both are short official letters laid out after GB/T 9704 (A4, 37/35/28/26 mm
margins, 2号 title, 3号 仿宋 body, signature with the seal placeholder).  The
notice engine (``publisher.documents.notice``) was not available when this was
written, so the publishing notice is made here the same way as the report.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from markupsafe import Markup

from ..render import docx as d
from ..render import fonts
from ..render.html import render
from ..render.pdf import html_to_pdf
from ..text import cn_date

POLICY = "《山东省技工院校服务脱贫攻坚工作行动计划》"
PROVINCE_BUREAU = "山东省人力资源和社会保障厅"


def _facts(edition) -> dict:
    part = edition.parts[0]
    catalog = part.catalog
    by_type = {}
    for school in catalog.schools:
        by_type[school.type] = by_type.get(school.type, 0) + 1
    by_level = {}
    for school in catalog.schools:
        for major in school.majors:
            by_level[major.level] = by_level.get(major.level, 0) + (major.plan or 0)
    return {"city": part.city, "year": catalog.year or "", "date": cn_date(catalog.published_on, "　　年　月　日"),
            "schools": len(catalog.schools), "majors": catalog.major_count, "plan": catalog.plan_total,
            "by_type": "、".join(f"{k}{v}所" for k, v in by_type.items() if k),
            "by_level": "、".join(f"{k}{v}人" for k, v in by_level.items() if k),
            "summary": part.summary, "summary_text": part.summary_text, "previous": part.previous}


def report_letter(edition) -> dict:
    """关于报送20××年度…目录的报告 with a 备案表 attachment."""
    f = _facts(edition)
    c = edition.config.contact
    title_catalog = f"{f['year']}年度精准技能扶贫技工院校和专业目录"
    paras = [
        (0, f"根据{POLICY}关于“各市人力资源社会保障局要把承担精准技能扶贫技工院校和专业于每年2月底前向社会公布"
            f"并报省人力资源社会保障厅备案”的要求，我局确定了{f['city']}{title_catalog}，已于{f['date']}向社会公布。"
            "现将有关情况报告如下："),
        (1, "一、基本情况"),
        (0, f"{f['city']}{f['year']}年度共有{f['schools']}所技工院校承担精准技能扶贫工作"
            + (f"（{f['by_type']}）" if f["by_type"] else "")
            + f"，开设{f['majors']}个专业，招生计划{f['plan']}人"
            + (f"（按培养层次：{f['by_level']}）" if f["by_level"] else "") + "。"),
        (1, "二、动态调整情况"),
    ]
    if f["previous"] is None:
        paras.append((0, "本年度为首次公布目录，无上年度目录可供比对。"))
    else:
        paras.append((0, f["summary_text"] + ("具体调整情况见附件。" if edition.changes else "")))
    paras += [(1, "三、联系方式"),
              (0, "联系单位：" + (c.unit or "　") + "；联系人：" + (c.person or "　") + "；联系电话："
               + (c.phone or "　") + "。")]
    table = [["城市", f["city"]], ["年度", str(f["year"])], ["公布日期", f["date"]],
             ["承担院校数（所）", str(f["schools"])], ["专业数（个）", str(f["majors"])],
             ["招生计划（人）", str(f["plan"])]]
    s = f["summary"]
    if f["previous"] is not None:
        table += [["比对年度", f"{f['previous'].year or ''}年度"],
                  ["新增 / 撤销院校（所）", f"{s['schools_added']} / {s['schools_removed']}"],
                  ["新增 / 撤销专业（个）", f"{s['majors_added']} / {s['majors_removed']}"],
                  ["调整事项（项）", str(s["adjusted"])]]
    table += [["联系单位", c.unit], ["联系人", c.person], ["联系电话", c.phone]]
    return {
        "title": f"关于报送{f['year']}年度精准技能扶贫技工院校和专业目录的报告",
        "to": f"{PROVINCE_BUREAU}：", "paras": paras,
        "attachments": [f"{f['city']}{f['year']}年度精准技能扶贫技工院校和专业目录备案表",
                        f"{f['city']}{title_catalog}"],
        "annex": {"title": f"{f['city']}{f['year']}年度精准技能扶贫技工院校和专业目录备案表", "table": table,
                  "changes": [ch.as_row() for ch in edition.changes]},
        "notes": [],
    }


def notice_letter(edition) -> dict:
    """关于公布20××年度…目录的通知 (the city's publishing notice)."""
    f = _facts(edition)
    title_catalog = f"{f['year']}年度精准技能扶贫技工院校和专业目录"
    paras = [
        (0, f"根据{POLICY}要求，经技工院校申报、审核，确定{f['schools']}所技工院校的{f['majors']}个专业为"
            f"{f['city']}{f['year']}年度承担精准技能扶贫工作的院校和专业，招生计划{f['plan']}人，现予公布。"),
        (0, "享受精准技能扶贫政策的建档立卡贫困家庭初、高中毕业未能继续升学人员和退役士兵，可根据本目录自愿到村委"
            "（社区或居委会）报名。各技工院校对就读的建档立卡贫困家庭学生落实“五免一享”政策。"),
        (0, "承担院校和专业实行动态调整。" + (f["summary_text"] if f["previous"] is not None else "")),
    ]
    return {"title": f"关于公布{title_catalog}的通知",
            "to": "各县（市、区）人力资源社会保障局、扶贫办，各技工院校：", "paras": paras,
            "attachments": [f"{f['city']}{title_catalog}"], "annex": None, "notes": ["此件主动公开"]}


# ---------------------------------------------------------------- rendering

def pdf_bytes(letter: dict, edition, options) -> bytes:
    from ..render.seal import seal_markup
    html = render("html/catalog_filing.html.j2",
                  dict(letter, issuer=edition.issuer, date=cn_date(edition.published_on, "　　年　月　日"),
                       fonts_css=Markup(fonts.css(options.fonts)), seal=Markup(seal_markup(options))),
                  options.templates)
    return html_to_pdf(html, base_url=options.base_url, date=edition.published_on, title=letter["title"])


def _p(doc, text="", role="body", size=16, align=None, indent=False, before=0):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_before = Pt(before)
    p.paragraph_format.line_spacing = Pt(28.95)
    if indent:
        p.paragraph_format.first_line_indent = Pt(32)
    if text:
        d.run(p, text, role, size)
    return p


def docx_bytes(letter: dict, edition, options) -> bytes:
    doc = d.new_document()
    section = doc.sections[0]
    d.page_setup(section)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.run(footer, "— ", "song", 14)
    d.add_page_field(footer, "song", 14)
    d.run(footer, " —", "song", 14)
    _p(doc)
    _p(doc, letter["title"], "title", 22, WD_ALIGN_PARAGRAPH.CENTER)
    _p(doc)
    _p(doc, letter["to"])
    for level, text in letter["paras"]:
        _p(doc, text, "hei" if level == 1 else "body", 16, indent=True)
    if letter["attachments"]:
        _p(doc)
        for i, title in enumerate(letter["attachments"], 1):
            p = _p(doc, ("附件：" if i == 1 else "") + (f"{i}." if len(letter["attachments"]) > 1 else "") + title)
            p.paragraph_format.left_indent = Pt(32 if i == 1 else 32 + 48)
    _p(doc)
    _p(doc)
    name = _p(doc, edition.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    name.paragraph_format.right_indent = Pt(16 * 2)
    date = _p(doc, cn_date(edition.published_on, "　　年　月　日"), align=WD_ALIGN_PARAGRAPH.RIGHT)
    date.paragraph_format.right_indent = Pt(16 * 4)
    from ..render.seal import add_docx_seal
    seal = options.layout.seal_mm
    # centred over the date (text width 156 mm, date right-indented 4 characters ≈ 22.6 mm)
    add_docx_seal(name, options, 156 - 22.6 - 30 - seal / 2, -seal / 2 + 3)
    for note in letter["notes"]:
        _p(doc, f"（{note}）", indent=True)
    annex = letter["annex"]
    if annex:
        p = _p(doc, "附件1", "hei")
        p.paragraph_format.page_break_before = True
        _p(doc)
        _p(doc, annex["title"], "title", 18, WD_ALIGN_PARAGRAPH.CENTER)
        table = doc.add_table(rows=0, cols=2)
        d.table_borders(table)
        for column, width in zip(table.columns, (60, 96)):
            column.width = Mm(width)
        for label, value in annex["table"]:
            cells = table.add_row().cells
            for cell, text, width in zip(cells, (label, value), (60, 96)):
                cell.width = Mm(width)
                d.run(cell.paragraphs[0], text or "", "body", 14)
                d.cell_valign_center(cell)
        if annex["changes"]:
            _p(doc, "调整明细", "hei", 16, before=12)
            table = doc.add_table(rows=1, cols=6)
            d.table_borders(table)
            widths = (14, 30, 28, 20, 32, 32)
            for cell, text, width in zip(table.rows[0].cells, ("类型", "学校", "专业", "项目", "原值", "新值"), widths):
                cell.width = Mm(width)
                d.run(cell.paragraphs[0], text, "hei", 10.5)
            d.repeat_header(table.rows[0])
            for column, width in zip(table.columns, widths):
                column.width = Mm(width)
            for row in annex["changes"]:
                cells = table.add_row().cells
                for cell, text, width in zip(cells, row, widths):
                    cell.width = Mm(width)
                    d.run(cell.paragraphs[0], text, "song", 10.5)
    return d.document_bytes(doc, edition.published_on)


def publishing_notice(edition):
    """The publishing notice as a 公文 for the notice engine (GB/T 9704), the catalog as its 附件."""
    from ..domain.notice import Attachment, Notice
    from ..errors import Location
    letter = notice_letter(edition)
    where = edition.parts[0].catalog.location
    source = Path(where.file)
    return Notice(Location(where.file), path=source.resolve() if source.is_file() else None,
                  issuers=[edition.issuer], mark="文件",
                  title=letter["title"], to=letter["to"],
                  body="\n\n".join(text for _, text in letter["paras"]),
                  attachments=[Attachment(Location(where.file), title=letter["attachments"][0], table=source)],
                  date=edition.published_on, notes=list(letter["notes"]),
                  seal=edition.config.issuer.seal or "placeholder",
                  printed_by=f"{edition.issuer}办公室", printed_on=edition.published_on)


# ---------------------------------------------------------------- the document kind

@dataclass(frozen=True)
class Report:
    """The 备案报告 with its 备案表 (laid out here, not yet by the notice engine)."""

    letter: dict
    edition: object


def plan(project, options, report, previous=None) -> list:
    """The filing of each city edition: the publishing notice (a 公文 through the notice
    engine, the catalog as its 附件) and the report to the province with its 备案表."""
    from ..kinds import Document
    from .catalog import editions
    from .notice import measured
    from .notice_layout import NoticeJob
    documents = []
    for edition in editions(project, previous):
        if edition.merged:
            report.note("提示：全省汇总目录不生成备案报告和公布通知（备案由各市分别报送）。")
            continue
        notice = publishing_notice(edition)
        job = NoticeJob(notice, (edition.parts[0].catalog,))
        documents.append(Document("filing", f"{edition.stem}-公布通知", measured(job, options), notice.title))
        documents.append(Document("filing", f"{edition.stem}-备案报告", Report(report_letter(edition), edition),
                                  "备案报告"))
    return documents


def filing_pdf(model, options, report) -> bytes:
    if isinstance(model, Report):
        return pdf_bytes(model.letter, model.edition, options)
    from .notice_pdf import pdf_bytes as notice_pdf
    return notice_pdf(model, options, report)


def filing_docx(model, options, report) -> bytes:
    if isinstance(model, Report):
        return docx_bytes(model.letter, model.edition, options)
    from .notice_docx import docx_bytes as notice_docx
    return notice_docx(model, options, report)


def _register():
    from ..kinds import Kind, register
    here = "publisher.documents.catalog_filing"
    register(Kind("filing", "目录备案报告和公布通知", ("catalog",), ("docx", "pdf"), plan,
                  {"docx": f"{here}:filing_docx", "pdf": f"{here}:filing_pdf"}))


_register()
