"""录取通知书 in bulk (SPEC §1, seed 三(二)): letters per school as PDF and DOCX, rosters, labels.

Reads top to bottom: check the admissions source against the catalog, turn each
admitted student into a ``Letter`` (plain strings, so worker processes can take
them), then make per school:

    <school>/录取通知书.pdf        one letter a page (chunks rendered in workers, merged)
    <school>/录取通知书.docx       every letter of the school, one a page
    <school>/通知书/<录取编号>-<姓名>.docx
    <school>/录取名单.xlsx         the roster
    <school>/邮寄标签.pdf          with --labels
    录取情况汇总.xlsx              per school and major against the catalog plan

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
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import CheckFailed, Findings, UsageError
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
    docx_name: str = ""      # <录取编号>-<姓名>.docx, unique in the school's folder (set by ``plan``)

    def context(self) -> dict:
        return self.__dict__

    def masked(self) -> "Letter":
        """This letter with every ID and phone number in its personal fields masked (``--mask``)."""
        from ..domain.people import mask_text
        return replace(self, id_no=mask_text(self.id_no), phone=mask_text(self.phone), home=mask_text(self.home))


@dataclass
class SchoolBatch:
    name: str
    index: int                               # position in the catalog, 1-based
    folder: str = ""                         # the school's output folder name (safe, unique)
    letters: list[Letter] = field(default_factory=list)


@dataclass
class Plan:
    """Everything a run makes, decided before anything is rendered."""

    city: str
    year: int | None
    date: dt.date | None                     # the document date (reproducible outputs)
    catalog: object
    schools: list[SchoolBatch]
    config: object

    @property
    def total(self) -> int:
        return sum(len(s.letters) for s in self.schools)

    def masked(self) -> "Plan":
        """The same plan with every letter masked, so no template (the school's own either) sees a whole number."""
        schools = [replace(s, letters=[l.masked() for l in s.letters]) for s in self.schools]
        return replace(self, schools=schools)


# ---------------------------------------------------------------- planning
def plan(project, findings: Findings, school: str | None = None) -> Plan:
    """Letters per school from a checked project; numbering and catalog look-ups happen here."""
    lists = project.of_kind("admissions")
    if not lists:
        from ..sources.schema import KIND_NAMES
        given = project.sources
        what = "；".join(f"{s.display} 是{KIND_NAMES.get(s.kind, s.kind)}" for s in given) or "给出的文件无法读取"
        raise UsageError(f"错误: 没有找到录取名单（{what}）；录取名单应有 录取院校、录取专业 等列，"
                         "或在 YAML 中写 kind: admissions", findings.sorted())
    catalog = None
    people = []
    for source in lists:
        model = source.model
        year = model.filled_on.year if model.filled_on else project.config.year
        catalog = catalog or project.catalog_for(model.city, year)
        people.extend(model.rows)
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
        numbers = _numbers(persons, year, index, findings)
        if not (cat_school.report_date or cat_school.report_place) and \
                any(not p.report_date or not p.report_place for p in persons):
            findings.warning(cat_school.location, "admission.report_missing",
                             f"“{cat_school.name}”有学生没有报到时间或报到地点，目录中该校也没有填写；"
                             "通知书中将写“另行通知”", "report")
        batch = SchoolBatch(cat_school.name, index, folder)
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
                address=cat_school.address, school_phone=cat_school.phone, signed_on=signed_on))
            owners[id(batch.letters[-1])] = person
        batch.letters.sort(key=lambda l: l.number)
        _name_files(batch, owners, findings)
        batches.append(batch)
    return Plan(catalog.city or first.city or project.config.city, year, date, catalog, batches, project.config)


def _name_files(batch: SchoolBatch, owners: dict, findings: Findings) -> None:
    """Each letter's DOCX name, unique in the school's 通知书 folder (same number and name: ``-2``)."""
    files = Names()
    for letter in batch.letters:
        letter.docx_name, clash = files.claim(f"{letter.number}-{letter.name}", ".docx")
        if clash:
            person = owners[id(letter)]
            findings.warning(person.loc("name"), "output.name_clash",
                             f"“{clash.text}”与{clash.other}（{batch.name}）用作文件名时相同（“{clash.plain}”），"
                             f"其通知书改名为“{letter.docx_name}”", "name")


def _numbers(persons, year, school_index: int, findings: Findings) -> dict:
    """id(person) -> 录取编号: the source's where given, else the stable rule of the module docstring."""
    given = {}
    numbers = {}
    for person in persons:
        if person.admission_no:
            if person.admission_no in given:
                other = given[person.admission_no]
                findings.error(person.loc("admission_no"), "admission.duplicate_no",
                               f"录取编号 {person.admission_no} 重复：与 {other.loc('admission_no')}（{other.name}）相同，"
                               "同一学校的录取编号应各不相同", "admission_no")
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


# ---------------------------------------------------------------- entry points
def run_admissions(source: Path, catalog_path: Path, out: Path, formats=FORMATS, school: str | None = None,
                   labels: bool = False, mask: bool = False, echo=print, workers: int | None = None) -> list[str]:
    """`publisher admissions`: check, then write every output into ``out`` atomically."""
    from ..cli import _echo_findings
    from ..output import OutputFolder
    from ..project import load_project, run_checks
    project = load_project([source, catalog_path])
    findings = run_checks(project)
    the_plan = plan(project, findings, school) if not findings.has_errors else None
    _echo_findings(findings)
    if findings.has_errors:
        raise CheckFailed("发现错误，未生成任何文件。请按上面的提示修改源文件后重试。")
    if not the_plan.schools:
        raise UsageError("错误: 录取名单中没有可生成通知书的学生" + (f"（--school {school}）" if school else ""))
    with OutputFolder(out, [source, catalog_path]) as folder:
        made = make_outputs(the_plan, folder, "", formats, labels, mask, workers=workers,
                            progress=_progress_bar if sys.stderr.isatty() else None)
    echo(f"完成：{len(the_plan.schools)} 所学校、{the_plan.total} 份录取通知书，"
         f"在 {out} 中生成了 {len(made)} 个文件。")
    return made


def build_project(project, out, prefix: str, formats, mask: bool, echo) -> list[str]:
    """`publisher build`: letters for a project holding an admissions source and a catalog."""
    if not project.of_kind("admissions") or not project.of_kind("catalog"):
        return []
    fmts = tuple(f for f in formats if f in FORMATS)
    if not fmts:
        return []
    findings = Findings()
    the_plan = plan(project, findings)
    for finding in findings.sorted():
        echo(str(finding))
    if findings.has_errors:
        raise CheckFailed("发现错误，未生成任何文件。请按上面的提示修改源文件后重试。")
    made = make_outputs(the_plan, out, prefix, fmts, False, mask)
    echo(f"已生成录取通知书：{len(the_plan.schools)} 所学校、{the_plan.total} 份（{'、'.join(fmts)}）")
    return made


def _progress_bar(total: int):
    import click
    return click.progressbar(length=total, label="生成录取通知书", file=sys.stderr)


def make_outputs(the_plan: Plan, out, prefix: str, formats, labels: bool, mask: bool,
                 workers: int | None = None, progress=None) -> list[str]:
    """Render everything of ``the_plan`` into the OutputFolder ``out``; returns relative paths."""
    from .admissions_run import render_all
    return render_all(the_plan, out, prefix, formats, labels, mask, workers, progress)
