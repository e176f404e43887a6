"""The catalog's filing (备案): the city's publishing notice (公布通知) and its report to the
province (备案报告), both 公文 made by the notice engine (``notice_layout``, ``notice_pdf``,
``notice_docx``) — one 公文 path for every official document.

- 公布通知: 下行文 with 发文字号 ``filing.notice_number``; 附件 the catalog (a turned table page).
- 备案报告: 上行文 with 发文字号 ``filing.report_number`` and 签发人 ``filing.signer``; 附件1 the
  备案表 (a key/value table and the 调整明细 inside the 版心), 附件2 the catalog; its 版记.

A missing number or signer is a warning of ``checks.check_filing`` and prints as a visible blank
the clerk fills (``济人社字〔2019〕　　号``, ``签发人：　　　``); so does a missing contact
(``联系单位：＿＿＿＿``).
Names derive from ``edition.stem``: ``<stem>-公布通知`` and ``<stem>-备案报告``.
"""
from __future__ import annotations

from pathlib import Path

from ..domain.notice import Attachment, Notice, Table, blank_number, report_code
from ..errors import Location
from ..text import cn_date

POLICY = "《山东省技工院校服务脱贫攻坚工作行动计划》"
PROVINCE_BUREAU = "山东省人力资源和社会保障厅"
# Values to fill in by hand: a line in running text (the body drops spaces), a gap in the 版头.
BLANK = "＿＿＿＿"
BLANK_SIGNER = "　　　"
CHANGE_HEAD = ("序号", "类型", "学校", "专业", "项目", "原值", "新值")
CHANGE_WIDTHS = (10, 12, 30, 28, 18, 29, 29)         # mm of the 156 mm text area: 序号 and 类型 on one line


def _facts(edition) -> dict:
    part = edition.parts[0]
    catalog = part.catalog
    by_type, by_level = {}, {}
    for school in catalog.schools:
        by_type[school.type] = by_type.get(school.type, 0) + 1
        for major in school.majors:
            by_level[major.level] = by_level.get(major.level, 0) + (major.plan or 0)
    return {"city": part.city, "year": catalog.year or "", "date": cn_date(catalog.published_on, "　　年　月　日"),
            "schools": len(catalog.schools), "majors": catalog.major_count, "plan": catalog.plan_total,
            "by_type": "、".join(f"{k}{v}所" for k, v in by_type.items() if k),
            "by_level": "、".join(f"{k}{v}人" for k, v in by_level.items() if k),
            "summary": part.summary, "summary_text": part.summary_text, "previous": part.previous,
            "catalog_title": f"{part.city}{catalog.year or ''}年度精准技能扶贫技工院校和专业目录"}


def _number_year(edition):
    return edition.published_on.year if edition.published_on else edition.year


def notice_number(config, year) -> str:
    """The 公布通知's 发文字号: ``filing.notice_number``, else a blank to fill."""
    return config.filing.notice_number or blank_number(config.issuer.code, year)


def report_number(config, year) -> str:
    """The 备案报告's 发文字号: ``filing.report_number``, else a blank to fill (代字 济人社字 → 济人社报)."""
    return config.filing.report_number or blank_number(report_code(config.issuer.code), year)


def contact_text(contact) -> str:
    return (f"联系单位：{contact.unit or BLANK}；联系人：{contact.person or BLANK}；"
            f"联系电话：{contact.phone or BLANK}。")


def _seal(config) -> str:
    """placeholder | none; an authorised image is the options' (resolved against publisher.yaml)."""
    return config.issuer.seal if config.issuer.seal in ("placeholder", "none") else "placeholder"


def _notice(edition, **fields) -> Notice:
    where = edition.parts[0].catalog.location
    source = Path(where.file)
    return Notice(Location(where.file), path=source.resolve() if source.is_file() else None,
                  issuers=[edition.issuer], mark="文件", date=edition.published_on, seal=_seal(edition.config),
                  printed_by=f"{edition.issuer}办公室", printed_on=edition.published_on, **fields)


def _catalog_attachment(edition, title: str) -> Attachment:
    where = edition.parts[0].catalog.location
    return Attachment(Location(where.file), title=title, table=Path(where.file))


def publishing_notice(edition) -> Notice:
    """关于公布20××年度…目录的通知: the catalog as its 附件."""
    f = _facts(edition)
    paras = [
        f"根据{POLICY}要求，经技工院校申报、审核，确定{f['schools']}所技工院校的{f['majors']}个专业为"
        f"{f['city']}{f['year']}年度承担精准技能扶贫工作的院校和专业，招生计划{f['plan']}人，现予公布。",
        "享受精准技能扶贫政策的建档立卡贫困家庭初、高中毕业未能继续升学人员和退役士兵，可根据本目录自愿到村委"
        "（社区或居委会）报名。各技工院校对就读的建档立卡贫困家庭学生落实“五免一享”政策。",
        "承担院校和专业实行动态调整。" + (f["summary_text"] if f["previous"] is not None else ""),
    ]
    return _notice(edition, number=notice_number(edition.config, _number_year(edition)),
                   title=f"关于公布{f['year']}年度精准技能扶贫技工院校和专业目录的通知",
                   to="各县（市、区）人力资源社会保障局、扶贫办，各技工院校",
                   body="\n\n".join(paras), notes=["此件主动公开"],
                   attachments=[_catalog_attachment(edition, f["catalog_title"])])


def filing_table(edition) -> list[Table]:
    """The 备案表: the catalog's numbers and contact as key/value rows; the 调整明细 below."""
    f, c = _facts(edition), edition.config.contact
    rows = [("城市", f["city"]), ("年度", str(f["year"])), ("公布日期", f["date"]),
            ("承担院校数（所）", str(f["schools"])), ("专业数（个）", str(f["majors"])),
            ("招生计划（人）", str(f["plan"]))]
    s = f["summary"]
    if f["previous"] is not None:
        rows += [("比对年度", f"{f['previous'].year or ''}年度"),
                 ("新增 / 撤销院校（所）", f"{s['schools_added']} / {s['schools_removed']}"),
                 ("新增 / 撤销专业（个）", f"{s['majors_added']} / {s['majors_removed']}"),
                 ("调整事项（项）", str(s["adjusted"]))]
    rows += [("联系单位", c.unit), ("联系人", c.person), ("联系电话", c.phone)]
    tables = [Table(tuple(rows), widths=(60, 96))]
    if edition.changes:
        changes = tuple((str(i), *change.as_row()) for i, change in enumerate(edition.changes, 1))
        tables.append(Table(changes, CHANGE_HEAD, caption="调整明细", widths=CHANGE_WIDTHS, size_pt=10.5))
    return tables


def filing_report(edition) -> Notice:
    """关于报送20××年度…目录的报告: a 上行文 with 签发人; 附件1 the 备案表, 附件2 the catalog."""
    f, config = _facts(edition), edition.config
    table_title = f"{f['catalog_title']}备案表"
    adjusted = f["summary_text"] + ("具体调整情况见附件1。" if edition.changes else "")
    paras = [
        f"根据{POLICY}关于“各市人力资源社会保障局要把承担精准技能扶贫技工院校和专业于每年2月底前向社会公布"
        f"并报省人力资源社会保障厅备案”的要求，我局确定了{f['catalog_title']}，已于{f['date']}向社会公布。"
        "现将有关情况报告如下：",
        "一、基本情况",
        f"{f['city']}{f['year']}年度共有{f['schools']}所技工院校承担精准技能扶贫工作"
        + (f"（{f['by_type']}）" if f["by_type"] else "")
        + f"，开设{f['majors']}个专业，招生计划{f['plan']}人"
        + (f"（按培养层次：{f['by_level']}）" if f["by_level"] else "") + "。",
        "二、动态调整情况",
        "本年度为首次公布目录，无上年度目录可供比对。" if f["previous"] is None else adjusted,
        "三、联系方式",
        contact_text(config.contact),
    ]
    where = edition.parts[0].catalog.location
    return _notice(edition, number=report_number(config, _number_year(edition)),
                   signers=[config.filing.signer or BLANK_SIGNER],
                   title=f"关于报送{f['year']}年度精准技能扶贫技工院校和专业目录的报告",
                   to=PROVINCE_BUREAU, body="\n\n".join(paras),
                   attachments=[Attachment(Location(where.file), title=table_title, tables=filing_table(edition)),
                                _catalog_attachment(edition, f["catalog_title"])])


# ---------------------------------------------------------------- the document kind

def plan(project, options, report, previous=None) -> list:
    """The filing of each city edition: the publishing notice and the report, both 公文."""
    from ..kinds import Document
    from .catalog import editions
    from .notice import measured
    from .notice_layout import NoticeJob
    from ..checks import check_filing
    if not project.config.file:
        check_filing(project, report.findings, without_config=True)
    documents = []
    for edition in editions(project, previous):
        if edition.merged:
            report.note("提示：全省汇总目录不生成备案报告和公布通知（备案由各市分别报送）。")
            continue
        catalog = edition.parts[0].catalog
        notice = publishing_notice(edition)
        documents.append(Document("filing", f"{edition.stem}-公布通知",
                                  measured(NoticeJob(notice, (catalog,)), options), notice.title))
        filing = filing_report(edition)
        documents.append(Document("filing", f"{edition.stem}-备案报告",
                                  measured(NoticeJob(filing, (None, catalog)), options), filing.title))
    return documents


def _register():
    from ..kinds import Kind, register
    from .notice import WRITERS
    register(Kind("filing", "目录备案报告和公布通知", ("catalog",), ("docx", "pdf"), plan, WRITERS))


_register()
