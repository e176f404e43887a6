"""The rules of SPEC §4, on models read from sources; each finding is located.

``check_project`` is the whole verdict: every rule any command applies runs
here, so what ``publisher check`` passes, every build renders.
"""
from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path

from .domain import people as rules
from .domain.models import (AFFILIATIONS, CATEGORIES, COUNT_FIELDS, COUNT_TITLES, LEVELS,
                            SCHOOL_TYPES, Catalog, PersonList, Progress)
from .domain.notice import FORMS, SEAL_CHOICES, Attachment, Notice, number_problems
from .errors import Findings, Location, UsageError
from .text import cn_date

PERSON_REQUIRED = {"name": "姓名", "gender": "性别", "ethnicity": "民族", "card_no": "扶贫卡编号",
                   "id_no": "身份证号", "address": "家庭详细地址", "school": "拟就读技工院校"}


def check_catalog(catalog: Catalog, findings: Findings) -> None:
    """Catalog rules: a school has majors; levels, types and affiliations are known; no duplicates."""
    if catalog.published_on and catalog.published_on.month > 2 and catalog.year \
            and catalog.published_on.year >= catalog.year:
        last = dt.date(catalog.year, 2, calendar.monthrange(catalog.year, 2)[1])
        findings.warning(catalog.loc("published_on"), "catalog.late",
                         f"发布日期 {cn_date(catalog.published_on)} 晚于规定的 {cn_date(last)}"
                         "（每年2月底前向社会公布）", "published_on")
    if catalog.published_on is None and "published_on" not in catalog.cells:
        findings.warning(catalog.cells.get("title", catalog.location), "catalog.no_date",
                         "目录没有发布日期：标题下应有一行“发布日期：2019年2月27日”（YAML 写 published_on: 2019-02-27）；"
                         "生成的目录中不写发布日期这一行", "published_on")
    if not catalog.schools:
        findings.error(catalog.location, "catalog.empty", "目录中没有任何学校")
    seen_schools = {}
    for school in catalog.schools:
        if not school.name:
            findings.error(school.loc("name"), "required.empty", "学校名称为空", "school")
        elif school.name in seen_schools:
            findings.error(school.loc("name"), "catalog.duplicate_school",
                           f"学校“{school.name}”重复列出（{seen_schools[school.name]} 已有）", "school")
        else:
            seen_schools[school.name] = school.location
        if school.type and school.type not in SCHOOL_TYPES:
            findings.error(school.loc("type"), "catalog.type_unknown",
                           f"学校类别“{school.type}”不正确；应为 {'、'.join(SCHOOL_TYPES)} 之一", "type")
        elif not school.type:
            findings.error(school.loc("type"), "required.empty", f"学校“{school.name}”的学校类别为空", "type")
        if school.affiliation and school.affiliation not in AFFILIATIONS:
            findings.error(school.loc("affiliation"), "catalog.affiliation_unknown",
                           f"隶属关系“{school.affiliation}”不正确；应为 {'、'.join(AFFILIATIONS)} 之一", "affiliation")
        if school.phone and not rules.phone_ok(school.phone):
            findings.warning(school.loc("phone"), "phone.format",
                             f"联系电话“{school.phone}”不像11位手机号或带区号的固定电话", "phone")
        if not school.majors:
            findings.error(school.location, "catalog.no_majors", f"学校“{school.name}”没有列出任何专业", "majors")
        seen_majors = {}
        for major in school.majors:
            key = (major.name, major.level)
            if not major.name:
                findings.error(major.loc("name"), "required.empty", "专业名称为空", "major")
            elif key in seen_majors:
                findings.error(major.loc("name"), "catalog.duplicate_major",
                               f"学校“{school.name}”的专业“{major.name}（{major.level}）”重复列出"
                               f"（{seen_majors[key]} 已有）", "major")
            else:
                seen_majors[key] = major.location
            if not major.level:
                findings.error(major.loc("level"), "required.empty", f"专业“{major.name}”的培养层次为空", "level")
            elif major.level not in LEVELS:
                findings.error(major.loc("level"), "level.unknown",
                               f"培养层次“{major.level}”不正确；应为 中级工、高级工、预备技师（技师） 之一", "level")
            if major.years is None:
                findings.error(major.loc("years"), "required.empty", f"专业“{major.name}”的学制为空", "years")
            elif not 1 <= major.years <= 6:
                findings.error(major.loc("years"), "catalog.years", f"学制 {major.years} 年不合理，应为 1–6 年", "years")
            if major.plan is None:
                findings.error(major.loc("plan"), "required.empty", f"专业“{major.name}”的招生计划为空", "plan")


def check_people(people: PersonList, findings: Findings, catalog: Catalog | None = None,
                 today: dt.date | None = None) -> None:
    """附件2 / admissions rules: IDs, gender, 民族, duplicates, required cells, catalog membership."""
    today = today or people.filled_on or dt.date.today()
    first_row_of = {}
    for person in people.rows:
        for field, label in PERSON_REQUIRED.items():
            if not getattr(person, field):
                findings.error(person.loc(field), "required.empty", f"{label}为空，这是必填项", field)
        id_ok = False
        if person.id_no:
            person.id_no = rules.normalise_id(person.id_no)
            problem = rules.id_problem(person.id_no, today)
            if problem:
                findings.error(person.loc("id_no"), problem[0], problem[1], "id_no")
            else:
                id_ok = True
            if person.id_no in first_row_of:
                first = first_row_of[person.id_no]
                findings.error(person.loc("id_no"), "id.duplicate",
                               f"身份证号 {person.id_no} 重复：与 {first.loc('id_no')}（{first.name}）相同，"
                               "同一人只能登记一次", "id_no")
            else:
                first_row_of[person.id_no] = person
        if id_ok and person.gender:
            expected = rules.gender_of(person.id_no)
            if person.gender not in ("男", "女"):
                findings.error(person.loc("gender"), "gender.invalid",
                               f"性别“{person.gender}”应为 男 或 女（按身份证号应为 {expected}）", "gender")
            elif person.gender != expected:
                findings.error(person.loc("gender"), "id.gender",
                               f"性别“{person.gender}”与身份证号不符：第17位为{'奇' if expected == '男' else '偶'}数，"
                               f"应为 {expected}", "gender")
        elif person.gender and person.gender not in ("男", "女"):
            findings.error(person.loc("gender"), "gender.invalid", f"性别“{person.gender}”应为 男 或 女", "gender")
        if person.ethnicity:
            standard, alias = rules.ethnicity(person.ethnicity)
            if standard is None:
                findings.error(person.loc("ethnicity"), "ethnicity.unknown",
                               f"民族“{person.ethnicity}”不是56个民族之一（GB/T 3304），请写全称，如 汉族、回族", "ethnicity")
            elif alias:
                findings.warning(person.loc("ethnicity"), "ethnicity.alias",
                                 f"民族“{person.ethnicity}”已按“{standard}”读取，请写全称", "ethnicity")
                person.ethnicity = standard
        if person.phone and not rules.phone_ok(person.phone):
            findings.warning(person.loc("phone"), "phone.format",
                             f"联系电话“{person.phone}”不像11位手机号（1开头）或带区号的固定电话", "phone")
        if person.category and person.category not in CATEGORIES:
            findings.error(person.loc("category"), "category.unknown",
                           f"人员类别“{person.category}”应为 {'、'.join(CATEGORIES)} 之一", "category")
        if id_ok and person.category != "退役士兵":
            age = rules.age_on(rules.birth_date(person.id_no), today)
            if not 14 <= age <= 30:
                findings.warning(person.loc("id_no"), "age.range",
                                 f"{person.name}按身份证号计算为 {age} 岁，超出初、高中毕业生通常的 14–30 岁，请核对", "id_no")
        if catalog is not None:
            _check_against_catalog(person, people.kind, catalog, findings)
    totals = people.totals or ([(people.declared_total, people.total_location, len(people.rows))]
                               if people.declared_total is not None else [])
    for declared, where, counted in totals:
        if declared is not None and declared != counted:
            sheet = f"工作表“{where.sheet}”中" if len(totals) > 1 and where.sheet else "表中"
            findings.error(where, "total.mismatch",
                           f"总计写的是 {declared} 人，但{sheet}实际有 {counted} 行登记", "total")


def _check_against_catalog(person, kind: str, catalog: Catalog, findings: Findings) -> None:
    field = "admitted_school" if kind == "admissions" and person.admitted_school else "school"
    name = person.target_school if kind == "admissions" else person.school
    if not name:
        return
    school = catalog.school(name)
    label = "录取院校" if field == "admitted_school" else "拟就读技工院校"
    where = f"{catalog.city}{catalog.year or ''}年度目录"
    if school is None:
        findings.error(person.loc(field), "school.unknown",
                       f"{label}“{name}”不在{where}中；目录中的学校有：{'、'.join(s.name for s in catalog.schools[:8])}"
                       + ("等" if len(catalog.schools) > 8 else ""), field)
        return
    major_field = "admitted_major" if kind == "admissions" and person.admitted_major else "major"
    major = person.target_major if kind == "admissions" else person.major
    if kind == "admissions" and not major:
        findings.error(person.loc("admitted_major"), "required.empty", "录取专业为空，这是必填项", "admitted_major")
    elif major and school.major(major) is None:
        findings.error(person.loc(major_field), "major.unknown",
                       f"“{name}”在目录中没有“{major}”专业；该校的专业有：{'、'.join(m.name for m in school.majors)}",
                       major_field)


def check_progress(progress: Progress, findings: Findings) -> None:
    """附件1 rules: counts whole and non-negative, employed ≤ graduates, totals agree."""
    if not progress.city:
        findings.error(progress.loc("unit"), "progress.city",
                       "找不到填表单位（应写“填表单位（盖章）：××市人力资源社会保障局”，或在 YAML 中写 city）", "city")
    if progress.period and progress.filled_on and progress.filled_on > progress.period.due:
        findings.warning(progress.loc("filled_on"), "report.late",
                         f"填表时间 {cn_date(progress.filled_on)} 晚于{progress.period.label}报送截止日 "
                         f"{cn_date(progress.period.due)}", "filled_on")
    for row in progress.rows:
        if not row.school:
            findings.error(row.loc("school"), "required.empty", "学校名称为空", "school")
        for field in COUNT_FIELDS:
            if getattr(row, field) is None and field in row.cells and not _has_other_error(findings, row.loc(field)):
                findings.warning(row.loc(field), "number.blank",
                                 f"{COUNT_TITLES[field]}为空，按 0 计；如确为 0 请填 0", field)
        _pair_rule(row, "employed", "graduates", "progress.employed_gt_graduates", "毕业生就业人数", "毕业生人数", findings)
        _pair_rule(row, "trained_employed", "trained", "progress.trained_employed_gt_trained",
                   "培训后就业创业人数", "培训人数", findings)
    for total in progress.declared_totals or ([progress.declared_total] if progress.declared_total else []):
        several = len({r.location.sheet for r in progress.rows}) > 1
        computed = progress.totals(total.location.sheet if several else ...)
        for field in COUNT_FIELDS:
            declared = getattr(total, field)
            if declared is not None and declared != computed[field]:
                findings.error(total.loc(field), "total.mismatch",
                               f"总计中{COUNT_TITLES[field]}写的是 {declared}，但各行相加为 {computed[field]}", field)


def _has_other_error(findings: Findings, loc) -> bool:
    return any(f.location == loc for f in findings)


def _pair_rule(row, part: str, whole: str, code: str, part_label: str, whole_label: str, findings: Findings) -> None:
    a, b = getattr(row, part), getattr(row, whole)
    if a is not None and b is not None and a > b:
        findings.error(row.loc(part), code,
                       f"{row.school}：{part_label} {a} 大于{whole_label} {b}，应不超过 {b}", part)


def check_registry(people: PersonList, registry: list, findings: Findings) -> None:
    """精准比对 (seed 四(二)): each registration against the 建档立卡 list."""
    by_id = {rules.normalise_id(entry.id_no): entry for entry in registry if entry.id_no}
    for person in people.rows:
        if not person.id_no:
            continue
        entry = by_id.get(rules.normalise_id(person.id_no))
        if entry is None:
            findings.error(person.loc("id_no"), "registry.missing",
                           f"{person.name}（{person.id_no}）不在建档立卡贫困人口名单中，不能享受精准技能扶贫政策", "id_no")
            continue
        if entry.card_no and person.card_no and entry.card_no != person.card_no:
            findings.error(person.loc("card_no"), "registry.card_no",
                           f"扶贫卡编号“{person.card_no}”与名单不符，名单中为“{entry.card_no}”（{entry.location}）", "card_no")
        if entry.name and person.name and entry.name != person.name:
            findings.error(person.loc("name"), "registry.name",
                           f"姓名“{person.name}”与名单不符，名单中该身份证号的姓名为“{entry.name}”（{entry.location}）", "name")


# ---------------------------------------------------------------- notices

def check_notice(notice: Notice, findings: Findings) -> None:
    """SPEC §4: title, issuer and date required; 发文字号 form; seal; attachments well formed."""
    if not notice.title:
        findings.error(notice.loc("title"), "notice.title_missing", "公文缺少标题（title），请填写，如：关于……的通知",
                       "title")
    if not notice.issuers:
        findings.error(notice.loc("issuers"), "notice.issuer_missing",
                       "公文缺少发文机关（issuers），请填写，如：issuers: [山东省人力资源和社会保障厅]", "issuers")
    if notice.date is None and not _has_error(findings, notice.loc("date")):
        findings.error(notice.loc("date"), "notice.date_missing",
                       "公文缺少成文日期（date），请填写，如：date: 2017-12-23", "date")
    if notice.number:
        problem = number_problems(notice.number)
        if problem:
            findings.error(notice.loc("number"), "notice.number_format", problem, "number")
    if notice.seal not in SEAL_CHOICES:
        image = notice.seal_image()
        if image is None or not image.is_file():
            findings.error(notice.loc("seal"), "notice.seal_missing",
                           f"印章图片“{notice.seal}”不存在；seal 应为 placeholder、none 或已授权印章图片的路径", "seal")
    if notice.date and notice.printed_on and notice.printed_on < notice.date:
        findings.warning(notice.loc("printed_on"), "notice.printed_before",
                         "印发日期早于成文日期，请核对", "printed_on")
    if notice.enclosure is not None and not notice.enclosure.title:
        findings.error(notice.enclosure.loc("title") if "title" in notice.enclosure.cells else notice.enclosure.location,
                       "notice.enclosure_title", "印发的文件（enclosure）缺少标题 title", "enclosure")
    for att in notice.all_attachments:
        _check_attachment(att, findings)


def _has_error(findings: Findings, location: Location) -> bool:
    return any(f.location == location and f.is_error for f in findings)


def _check_attachment(att: Attachment, findings: Findings) -> None:
    if not att.title:
        findings.error(att.location, "notice.attachment_title", "附件缺少标题 title", "attachments")
    kinds = [k for k in ("form", "table", "body") if getattr(att, k)]
    if att.form and att.form not in FORMS:
        findings.error(att.loc("form"), "notice.attachment_form",
                       f"附件表格“{att.form}”未知；form 应为 attachment1（进展情况表）或 attachment2（登记汇总表）", "form")
    if len(kinds) > 1:
        findings.warning(att.location, "notice.attachment_kind",
                         "附件同时写了 " + "、".join(kinds) + "，只使用第一个（form > table > body）", "attachments")
    if att.data and not att.form:
        findings.warning(att.loc("data"), "notice.attachment_data", "data 只用于内置表格（form），已忽略", "data")


# ---------------------------------------------------------------- the catalog's filing

FILING_KEYS = (("notice_number", "公布通知的发文字号 notice_number"), ("report_number", "备案报告的发文字号 report_number"),
               ("signer", "备案报告的签发人 signer"))


def check_filing(project, findings: Findings, without_config: bool = False) -> None:
    """A city catalog is filed (``publisher build``, ``catalog --filing``): the 发文字号 and 签发人 of
    the 公布通知 and 备案报告 come from publisher.yaml ``filing:``, the contact from ``contact:``.
    What is missing prints as a blank to fill by hand — say so, at publisher.yaml.  Sources checked
    without a publisher.yaml are data to check, not a project that files: ``catalog --filing`` says
    it then (``without_config``), at the catalog."""
    from .domain.notice import blank_number, report_code
    catalogs = [s.model for s in project.of_kind("catalog")]
    config = project.config
    if not config.file and not without_config:
        return
    if not catalogs or len({c.city or config.city for c in catalogs}) > 1:
        return                                       # no catalog, or a province merge: no filing
    current = max(catalogs, key=lambda c: c.year or 0)
    where = config.loc("filing") if config.file else current.location
    yaml = "publisher.yaml 的 " if config.file else "项目文件夹中没有 publisher.yaml，"
    missing = [label for key, label in FILING_KEYS if not getattr(config.filing, key)]
    if missing:
        year = current.published_on.year if current.published_on else current.year
        blanks = []
        if not config.filing.notice_number:
            blanks.append(f"公布通知印“{blank_number(config.issuer.code, year)}”")
        if not config.filing.report_number:
            blanks.append(f"备案报告印“{blank_number(report_code(config.issuer.code), year)}”")
        if not config.filing.signer:
            blanks.append("签发人处留空")
        findings.warning(where, "filing.missing",
                         f"{yaml}filing: 中没有填写{'、'.join(missing)}；目录备案的{'，'.join(blanks)}，"
                         "需手工填写。应写如 filing: {notice_number: 济人社字〔2019〕8号, "
                         "report_number: 济人社报〔2019〕3号, signer: 李明}", "filing")
    contact = config.contact
    absent = [label for label, value in (("联系单位 unit", contact.unit), ("联系人 person", contact.person),
                                         ("联系电话 phone", contact.phone)) if not value]
    if absent:
        at = config.loc("contact") if config.file else current.location
        findings.warning(at, "contact.missing",
                         f"{yaml}contact: 中没有填写{'、'.join(absent)}；备案报告“联系方式”和备案表中"
                         "这些项将留空待填。应写如 contact: {unit: 职业能力建设处, person: 王老师, phone: 0531-86000000}",
                         "contact")


# ---------------------------------------------------------------- admissions

def check_admission_numbers(people: PersonList, findings: Findings) -> None:
    """录取编号 typed in the list are unique within a school (letters, rosters and labels key on them)."""
    first: dict[tuple[str, str], object] = {}
    for person in people.rows:
        if not person.admission_no:
            continue
        key = (person.target_school, person.admission_no)
        other = first.get(key)
        if other is None:
            first[key] = person
            continue
        findings.error(person.loc("admission_no"), "admission.duplicate_no",
                       f"录取编号 {person.admission_no} 重复：与 {other.loc('admission_no')}（{other.name}）相同，"
                       "同一学校的录取编号应各不相同", "admission_no")


def check_admissions_against_catalog(people: PersonList, catalog: Catalog | None, findings: Findings) -> None:
    """What letters need from the catalog: a report date and place for every student."""
    if catalog is None:
        return
    by_school: dict[str, list] = {}
    for person in people.rows:
        by_school.setdefault(person.target_school, []).append(person)
    for school in catalog.schools:
        persons = by_school.get(school.name, [])
        _check_plan(school, persons, catalog, findings)
        if persons and not (school.report_date or school.report_place) and \
                any(not p.report_date or not p.report_place for p in persons):
            findings.warning(school.location, "admission.report_missing",
                             f"“{school.name}”有学生没有报到时间或报到地点，目录中该校也没有填写；"
                             "通知书中将写“另行通知”", "report")


def _check_plan(school, persons: list, catalog: Catalog, findings: Findings) -> None:
    """Admitted per major beyond the catalog's 招生计划: a warning at the first student past the plan."""
    by_major: dict[str, list] = {}
    for person in persons:
        if person.target_major:
            by_major.setdefault(person.target_major, []).append(person)
    for name, admitted in by_major.items():
        majors = [m for m in school.majors if m.name == name]
        if not majors or any(m.plan is None for m in majors):
            continue
        plan = sum(m.plan for m in majors)
        if len(admitted) <= plan:
            continue
        first = admitted[plan]
        field = "admitted_major" if "admitted_major" in first.cells else "major"
        findings.warning(first.loc(field), "admission.over_plan",
                         f"{school.name}“{name}”专业录取 {len(admitted)} 人，超过{catalog.city}{catalog.year or ''}"
                         f"年度目录的招生计划 {plan} 人（{majors[0].loc('plan')}）；从这一行起的 "
                         f"{len(admitted) - plan} 人超出计划，请核对录取名单或目录", field)


# ---------------------------------------------------------------- the whole verdict

def check_letter_template(project, findings: Findings, chosen: Path | None = None) -> None:
    """The letter template admissions would fill (``--template``, the project's templates: folder, or the
    built-in one): readable, no syntax error, no field that no letter has (each located by part and
    paragraph, with the fields there are), a place for the seal; an HTML letter template left over is said."""
    from .documents import letter_fields, letter_template
    from .documents.admissions import list_aliases
    from .errors import SourceError
    lists = [source.model for source in project.of_kind("admissions")]
    if not lists:
        return
    config = project.config
    retired = Path(config.templates) / "html" / "letter.html.j2" if config.templates else None
    if retired is not None and retired.is_file():
        findings.warning(Location(str(retired)), "template.retired",
                         "通知书不再使用 HTML 模板：PDF 和 DOCX 都由同一个 Word 模板 docx/letter.docx 生成，"
                         "这个文件已不起作用；请把改动做到 Word 模板中（publisher template letter 可导出默认模板）")
    try:
        path, builtin = letter_template.template_path(config.templates, chosen)
        template = letter_template.load(path, builtin)
    except SourceError as exc:
        findings.error(exc.location, "template.unreadable", exc.problem)
        return
    aliases, extras = {}, {}
    for people in lists:
        aliases.update(list_aliases(people))
        extras.update(dict.fromkeys(people.extras))
    known = letter_fields.known_names(aliases, extras)
    available = letter_fields.available(aliases, extras)
    for place, code, message in letter_template.problems(template, known, available):
        findings.error(Location(template.path, place), code, message)
    for place, message in template.problems:
        findings.error(Location(template.path, place), "template.mergefield", message)
    if not template.seals and (config.issuer.seal or "placeholder") != "none":
        findings.warning(Location(template.path), "template.no_seal",
                         "模板中没有标出印章的位置，通知书将不加印章；需要印章时，在落款处写 {{ 印章 }}（或插入合并域“印章”），"
                         "或把一个图片或形状命名为“印章”")


def check_project(project, registry_path: Path | None = None, letter_template: Path | None = None) -> Findings:
    """Every rule of SPEC §4 over a loaded project (its sources and its notices' attachment
    sources); returns the project's findings, which reading has already begun to fill.
    ``letter_template``: the letter template the command was given (``--template``)."""
    findings = project.findings
    for source in project.all_sources:
        model = source.model
        if source.kind == "catalog":
            check_catalog(model, findings)
        elif source.kind in ("registrations", "admissions"):
            year = model.filled_on.year if model.filled_on else project.config.year
            catalog = project.catalog_for(model.city, year)
            check_people(model, findings, catalog)
            if source.kind == "admissions":
                check_admission_numbers(model, findings)
                check_admissions_against_catalog(model, catalog, findings)
        elif source.kind == "progress":
            check_progress(model, findings)
        elif source.kind == "notice":
            check_notice(model, findings)
    if registry_path is not None:
        registry = _load_registry(Path(registry_path), findings)
        if registry is not None:
            for source in project.sources:
                if source.kind in ("registrations", "admissions"):
                    check_registry(source.model, registry, findings)
    check_ids_across(project, findings)
    check_filing(project, findings)
    check_letter_template(project, findings, letter_template)
    from .glyphs import check_glyphs
    check_glyphs(project, findings)
    return findings


def _load_registry(path: Path, findings: Findings):
    from .errors import SourceError
    from .sources import display_name, load_source
    try:
        source = load_source(path, display_name(path), kinds=("registry", "registrations"))
    except SourceError as exc:
        raise UsageError(f"--registry {exc.message}")
    findings.extend(source.findings)
    if source.kind == "registrations":
        return list(source.model.rows)
    return source.model


def check_ids_across(project, findings: Findings) -> None:
    """The same ID registered in two different sources (e.g. two cities) is an error."""
    first = {}
    for source in project.sources:
        if source.kind != "registrations":
            continue
        for person in source.model.rows:
            if not person.id_no:
                continue
            if person.id_no in first and first[person.id_no][0] is not source:
                other_source, other = first[person.id_no]
                findings.error(person.loc("id_no"), "id.duplicate_across",
                               f"身份证号 {person.id_no}（{person.name}）已在 {other.loc('id_no')}"
                               f"（{other_source.model.city or other_source.display}）登记，同一人不能在两处登记", "id_no")
            else:
                first.setdefault(person.id_no, (source, person))
