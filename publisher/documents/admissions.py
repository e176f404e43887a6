"""录取通知书 in bulk (SPEC §1, seed 三(二)): the ``letters`` kind — letters per school as PDF
and DOCX, rosters, labels.

Reads top to bottom: from a checked project (the admissions list against the
catalog), turn each admitted student into a ``Letter`` (plain strings, so worker
processes can take them), grouped per school into a ``LetterSet``; then
``admissions_run`` renders per school:

    <school>/录取通知书.pdf        the combined DOCX through LibreOffice (chunks in workers, merged)
    <school>/录取通知书.docx       every letter of the school, each from a new page (``letter_book``)
    <school>/通知书/<录取编号>-<姓名>.docx   the letter template filled for one student
    <school>/录取名单.xlsx         the roster
    <school>/邮寄标签.pdf          with --labels
    录取情况汇总.xlsx              per school and major against the catalog plan

Every letter is the school's letter template filled for one student
(``letter_template``: one DOCX template for DOCX and PDF alike; the fields are the
list's own column titles and what ``letter_fields`` derives).

录取编号 rule, when the source gives none: ``YYYY SS NNNN`` — the catalog year,
the school's position in the catalog (01, 02, …) and the student's position
among that school's admitted students ordered by 身份证号 (0001, …), skipping
numbers the source already uses.  The same input therefore always gives the
same numbers, whatever the row order.

Names: ``<school>`` and ``<录取编号>-<姓名>.docx`` are made by ``publisher.names`` —
safe on every file system, and unique: school folders are named over the whole
catalog in catalog order (so a school's folder does not depend on who was admitted
or on ``--school``), letters in 录取编号 order; a name taken already gets ``-2``,
``-3``…, with a warning naming both schools or students.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from ..errors import Findings, UsageError
from ..names import Names
from ..output import MANIFEST
from ..text import cn_date

FORMATS = ("pdf", "docx", "xlsx")
SUMMARY = "录取情况汇总.xlsx"


@dataclass
class Letter:
    """One admitted student, as the templates show it (strings only)."""

    number: str
    school: str
    name: str
    gender: str
    ethnicity: str
    id_no: str
    card_no: str
    phone: str
    home: str                # 家庭详细地址
    major: str
    level: str
    years: str
    report_date: str
    report_place: str
    address: str             # the school's
    school_phone: str
    signed_on: str
    listed: dict = field(default_factory=dict)   # the seed's other columns (序号, 人员类别 …) by letter_fields key
    extra: dict = field(default_factory=dict)    # the list's own columns (宿舍号 …), title as typed -> text
    docx_name: str = ""      # <录取编号>-<姓名>.docx, unique in the school's folder (set by ``plan``)

    def masked(self) -> "Letter":
        """This letter with every ID and phone number masked (``--mask``): in its personal fields and in
        the list's own columns, which may hold a parent's phone."""
        from ..domain.people import mask_text
        return replace(self, id_no=mask_text(self.id_no), phone=mask_text(self.phone), home=mask_text(self.home),
                       extra={k: mask_text(v) for k, v in self.extra.items()})


@dataclass
class SchoolLetters:
    name: str
    index: int                               # position in the catalog, 1-based
    folder: str = ""                         # the school's output folder name (safe, unique)
    letters: list[Letter] = field(default_factory=list)


@dataclass
class LetterSet:
    """Every letter a run makes, per school, decided before anything is rendered."""

    city: str
    year: int | None
    date: dt.date | None                     # the document date (reproducible outputs)
    catalog: object
    schools: list[SchoolLetters]
    config: object
    aliases: dict = field(default_factory=dict)   # the list's own titles of the seed's columns -> the seed's
    extras: list = field(default_factory=list)    # the list's own columns, in order

    @property
    def shared(self) -> dict:
        """The fields every letter of the run has alike (年度, 城市)."""
        return {"year": str(self.year or ""), "city": self.city or ""}

    @property
    def total(self) -> int:
        return sum(len(s.letters) for s in self.schools)

    def masked(self) -> "LetterSet":
        """The same letters, every one masked, so no template (the school's own either) sees a whole number."""
        schools = [replace(s, letters=[l.masked() for l in s.letters]) for s in self.schools]
        return replace(self, schools=schools)


# ---------------------------------------------------------------- assigning letters
def assign_letters(project, findings: Findings, school: str | None = None) -> LetterSet:
    """Letters per school from a checked project; numbering, catalog look-ups and file names
    happen here (a name clash is a warning in ``findings``)."""
    lists = project.of_kind("admissions")
    if not lists:
        raise UsageError(f"错误: 没有找到录取名单（{project.describe()}）；录取名单应有 录取院校、录取专业 等列，"
                         "或在 YAML 中写 kind: admissions")
    catalog = None
    people = []
    aliases, extras = {}, {}
    for source in lists:
        model = source.model
        year = model.filled_on.year if model.filled_on else project.config.year
        catalog = catalog or project.catalog_for(model.city, year)
        people.extend(model.rows)
        aliases.update(list_aliases(model))
        extras.update(dict.fromkeys(model.extras))
    if catalog is None:
        raise UsageError("错误: 没有找到本年度目录；请用 --catalog 指定目录文件（XLSX 或 YAML）")
    first = lists[0].model
    date = first.filled_on or catalog.published_on
    year = catalog.year or project.config.year or (date.year if date else None)
    signed_on = cn_date(date) if date else "      年   月   日"

    if school is not None and catalog.school(school) is None:
        raise UsageError(f"错误: --school “{school}”不在目录中；目录中的学校有："
                         + "、".join(s.name for s in catalog.schools))
    by_school: dict[str, list] = {}
    for person in people:
        by_school.setdefault(person.target_school, []).append(person)

    batches = []
    folders = Names([SUMMARY, MANIFEST])
    for index, cat_school in enumerate(catalog.schools, 1):
        folder, clash = folders.claim(cat_school.name)
        persons = by_school.get(cat_school.name, [])
        if not persons or (school is not None and cat_school.name != school):
            continue
        if clash:
            findings.warning(cat_school.loc("name"), "output.name_clash",
                             f"学校“{clash.text}”与{clash.other}用作文件夹名时相同（“{clash.plain}”），"
                             f"其通知书放在文件夹“{folder}”中", "name")
        numbers = _numbers(persons, year, index)
        batch = SchoolLetters(cat_school.name, index, folder)
        owners = {}
        for person in persons:
            major = cat_school.major(person.target_major)
            report_date = person.report_date or cat_school.report_date
            batch.letters.append(Letter(
                number=numbers[id(person)], school=cat_school.name, name=person.name, gender=person.gender,
                ethnicity=person.ethnicity, id_no=person.id_no, card_no=person.card_no, phone=person.phone,
                home=person.address, major=person.target_major, level=major.level if major else "",
                years=str(major.years) if major and major.years else "",
                report_date=cn_date(report_date) if report_date else "另行通知的时间",
                report_place=person.report_place or cat_school.report_place or "学校（地点另行通知）",
                address=cat_school.address, school_phone=cat_school.phone, signed_on=signed_on,
                listed={"seq": person.seq, "wished_school": person.school, "wished_major": person.major,
                        "category": person.category, "county": person.county, "town": person.town,
                        "village": person.village},
                extra={title: person.extra.get(title, "") for title in extras}))
            owners[id(batch.letters[-1])] = person
        batch.letters.sort(key=lambda l: l.number)
        _name_files(batch, owners, findings)
        batches.append(batch)
    if not batches:
        raise UsageError("错误: 录取名单中没有可生成通知书的学生" + (f"（--school {school}）" if school else ""))
    return LetterSet(catalog.city or first.city or project.config.city, year, date, catalog, batches,
                     project.config, aliases, list(extras))


def list_aliases(people) -> dict:
    """A list's own titles of the seed's columns (身份证号码 for 身份证号), as template fields."""
    from ..sources.schema import SCHEMAS
    seed = {column.field: column.title for column in SCHEMAS["admissions"][0]}
    return {typed: seed[name] for name, typed in getattr(people, "titles", {}).items()
            if name in seed and typed != seed[name]}


def _name_files(batch: SchoolLetters, owners: dict, findings: Findings) -> None:
    """Each letter's DOCX name, unique in the school's 通知书 folder (same number and name: ``-2``)."""
    files = Names()
    for letter in batch.letters:
        letter.docx_name, clash = files.claim(f"{letter.number}-{letter.name}", ".docx")
        if clash:
            person = owners[id(letter)]
            findings.warning(person.loc("name"), "output.name_clash",
                             f"“{clash.text}”与{clash.other}（{batch.name}）用作文件名时相同（“{clash.plain}”），"
                             f"其通知书改名为“{letter.docx_name}”", "name")


def _numbers(persons, year, school_index: int) -> dict:
    """id(person) -> 录取编号: the source's where given (``checks`` has made sure they are unique
    within the school), else the stable rule of the module docstring."""
    given = {}
    numbers = {}
    for person in persons:
        if person.admission_no:
            given.setdefault(person.admission_no, person)
            numbers[id(person)] = person.admission_no
    seq = 0
    for person in sorted(persons, key=lambda p: (p.id_no, p.location.row or p.location.line or 0)):
        if id(person) in numbers:
            continue
        while True:
            seq += 1
            number = f"{year or ''}{school_index:02d}{seq:04d}"
            if number not in given:
                break
        numbers[id(person)] = number
    return numbers


# ---------------------------------------------------------------- the document kind
def plan(project, options, report, school: str | None = None, labels: bool = False) -> list:
    """One document: the whole letter set and its template (rendered in bulk by ``admissions_run.render``)."""
    from ..kinds import Document
    from . import admissions_docx, letter_template
    letters = assign_letters(project, report.findings, school)
    if options.mask:
        letters = letters.masked()
    kit = None
    if {"pdf", "docx"} & set(options.formats):
        path, builtin = letter_template.template_path(options.templates, options.letter_template)
        template = letter_template.load(path, builtin, options)
        kit = admissions_docx.prepare(template, letters)
        if not builtin:
            report.note(f"通知书模板：{template.path}")
    report.note(f"录取通知书：{len(letters.schools)} 所学校、{letters.total} 份录取通知书")
    return [Document("letters", "", (letters, labels, kit), "录取通知书")]


def _register():
    from ..kinds import Kind, register
    register(Kind("letters", "录取通知书", ("admissions", "catalog"), ("pdf", "docx", "xlsx"), plan, needs=("admissions",),
                  render="publisher.documents.admissions_run:render",
                  applies=lambda project: bool(project.of_kind("admissions") and project.of_kind("catalog"))))


_register()
