"""Provincial compilation (汇总) of the cities' returned 附件1 and 附件2 workbooks.

Reads top to bottom: decide the period, sort each return into included /
left out (errors, another period, superseded by a later return of the same
city, not a city of that year), compute per-city rows, 总计 and rates, list
the cities that did not return; then hand the ``Compilation`` to the
renderers in ``compilation_render``.

A return with errors is *reported* by the compilation (listed with its
findings, left out of the totals) instead of blocking the whole run, so
``claims`` tells ``publisher build`` which files those are.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from ..domain.models import COUNT_FIELDS, Period, PersonList, Progress
from ..errors import Finding, Findings, Location, UsageError
from ..text import cn_date

PROVINCE = "山东省"
DEFAULT_ISSUER = "山东省人力资源和社会保障厅"
# The cities (设区的市) in the province's official order; 莱芜 joined 济南 in January 2019.
CITIES_BEFORE_2019 = ("济南市", "青岛市", "淄博市", "枣庄市", "东营市", "烟台市", "潍坊市", "济宁市", "泰安市",
                      "威海市", "日照市", "莱芜市", "临沂市", "德州市", "聊城市", "滨州市", "菏泽市")
CITIES_FROM_2019 = tuple(c for c in CITIES_BEFORE_2019 if c != "莱芜市")

INCLUDED, ERRORS, OTHER_PERIOD, SUPERSEDED, NOT_A_CITY = "included", "errors", "other_period", "superseded", "not_a_city"
STATUS_TEXT = {INCLUDED: "已汇总", ERRORS: "有错误，未计入汇总", OTHER_PERIOD: "不属于本期，未计入汇总",
               SUPERSEDED: "已被同市较晚的报表取代，未计入汇总", NOT_A_CITY: "填表单位不是本年度的设区市，未计入汇总"}


def cities_of(year: int) -> tuple[str, ...]:
    """The cities expected to return a form in ``year`` (17 before 2019, 16 from 2019 on)."""
    return CITIES_BEFORE_2019 if year < 2019 else CITIES_FROM_2019


def city_name(text: str) -> str:
    """'济南市人力资源社会保障局', '济南人社局', '山东省济南市…' -> '济南市' (known cities), else the text up to 市."""
    text = (text or "").replace(PROVINCE, "")
    for city in CITIES_BEFORE_2019:
        if city[:-1] in text:
            return city
    head, found, _ = text.partition("市")
    return head + "市" if found and head else ""


def rate(part: int, whole: int) -> tuple[int, int] | None:
    """(part, whole) kept exact; None when the denominator is 0."""
    return (part, whole) if whole else None


def rate_text(value: tuple[int, int] | None) -> str:
    """'86.7%' (1 decimal, half up) or '—' when the denominator is 0."""
    if value is None:
        return "—"
    part, whole = value
    tenths = (part * 2000 + whole) // (2 * whole)
    return f"{tenths // 10}.{tenths % 10}%"


def rate_value(value: tuple[int, int] | None):
    """The rate as a fraction for Excel (shown with 0.0%), or '—'."""
    if value is None:
        return "—"
    part, whole = value
    return round(part / whole, 6)


@dataclass
class Return:
    """One returned 附件1 (progress) workbook and what the compilation made of it."""

    display: str                    # as findings name it (relative to the working folder)
    progress: Progress
    city: str
    findings: list[Finding] = field(default_factory=list)
    status: str = INCLUDED
    note: str = ""
    name: str = ""                  # as outputs show it: the file name (Project.label)

    def __post_init__(self) -> None:
        self.name = self.name or self.display

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_error]

    @property
    def late(self) -> bool:
        p = self.progress
        return bool(p.period and p.filled_on and p.filled_on > p.period.due)

    @property
    def totals(self) -> dict:
        return self.progress.totals()


@dataclass
class Registrations:
    """One returned 附件2 workbook."""

    display: str
    people: PersonList
    city: str
    findings: list[Finding] = field(default_factory=list)
    name: str = ""

    def __post_init__(self) -> None:
        self.name = self.name or self.display

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def included(self) -> bool:
        return not self.errors


@dataclass
class CityRow:
    city: str
    counts: dict
    schools: int

    @property
    def employment_rate(self):
        return rate(self.counts["employed"], self.counts["graduates"])

    @property
    def training_rate(self):
        return rate(self.counts["trained_employed"], self.counts["trained"])


@dataclass
class Compilation:
    period: Period | None
    year: int
    issuer: str
    date: dt.date
    returns: list[Return] = field(default_factory=list)
    registrations: list[Registrations] = field(default_factory=list)
    other_findings: list[Finding] = field(default_factory=list)     # unreadable files and the like
    findings: Findings = field(default_factory=Findings)           # the compilation's own (period, duplicates…)
    choices: list[str] = field(default_factory=list)               # which return of a city was used, and why
    shown: object = str             # text -> text with source paths as file names (Project.shown)

    # ------------------------------------------------------------ progress
    @property
    def cities(self) -> tuple[str, ...]:
        return cities_of(self.year)

    @property
    def included(self) -> list[Return]:
        order = {c: i for i, c in enumerate(self.cities)}
        chosen = [r for r in self.returns if r.status == INCLUDED]
        return sorted(chosen, key=lambda r: (order.get(r.city, 99), r.name))

    @property
    def rows(self) -> list[CityRow]:
        return [CityRow(r.city, r.totals, len(r.progress.rows)) for r in self.included]

    @property
    def total(self) -> CityRow:
        counts = dict.fromkeys(COUNT_FIELDS, 0)
        for row in self.rows:
            for name in COUNT_FIELDS:
                counts[name] += row.counts[name]
        return CityRow("总计", counts, sum(r.schools for r in self.rows))

    @property
    def returned_cities(self) -> set[str]:
        return {r.city for r in self.returns if r.status != NOT_A_CITY and r.status != OTHER_PERIOD}

    @property
    def missing(self) -> list[str]:
        return [c for c in self.cities if c not in self.returned_cities]

    @property
    def left_out(self) -> list[Return]:
        return [r for r in self.returns if r.status != INCLUDED]

    @property
    def late(self) -> list[Return]:
        return [r for r in self.returns if r.late and r.status in (INCLUDED, ERRORS)]

    @property
    def title(self) -> str:
        if self.period is None:
            return f"{PROVINCE}精准技能扶贫对象登记情况汇总表（{self.year}年）"
        return f"{PROVINCE}技工院校服务脱贫攻坚工作进展情况汇总表（{self.period.label}）"

    @property
    def stem(self) -> str:
        if self.period is None:
            return f"登记情况汇总表-{self.year}年"
        return f"进展情况汇总表-{self.period.label}"

    def summary_note(self) -> str:
        """The sentence under the table saying what the totals contain."""
        parts = [f"本期应报 {len(self.cities)} 个市，已报 {len(self.returned_cities & set(self.cities))} 个，"
                 f"汇总 {len(self.included)} 个"]
        if self.missing:
            parts.append(f"未报送：{'、'.join(self.missing)}")
        errors = [r for r in self.returns if r.status == ERRORS]
        if errors:
            parts.append(f"{'、'.join(r.city or r.name for r in errors)}报表有错误，未计入总计（见报送情况）")
        if self.late:
            parts.append(f"逾期报送：{'、'.join(r.city or r.name for r in self.late)}")
        return "；".join(parts) + "。"

    # ------------------------------------------------------------ registrations
    @property
    def registrations_included(self) -> list[Registrations]:
        order = {c: i for i, c in enumerate(CITIES_BEFORE_2019)}
        chosen = [r for r in self.registrations if r.included]
        return sorted(chosen, key=lambda r: (order.get(r.city, 99), r.name))

    def registrations_by_city(self) -> list[tuple[str, int, int]]:
        """(city, people, schools) over the registrations without errors."""
        by_city: dict[str, list] = {}
        for reg in self.registrations_included:
            by_city.setdefault(reg.city or reg.name, []).extend(reg.people.rows)
        return [(city, len(rows), len({p.school for p in rows if p.school})) for city, rows in by_city.items()]

    def registrations_by_school(self) -> list[tuple[str, str, int]]:
        counts: Counter = Counter()
        order = []
        for reg in self.registrations_included:
            for person in reg.people.rows:
                key = (reg.city or reg.name, person.school or "（未填写）")
                if key not in counts:
                    order.append(key)
                counts[key] += 1
        return [(city, school, counts[(city, school)]) for city, school in order]

    def registration_note(self) -> str:
        left = [r.city or r.name for r in self.registrations if not r.included]
        note = f"共汇总 {len(self.registrations_included)} 份附件2"
        if left:
            note += f"；{'、'.join(left)}的附件2有错误，未计入登记人数（见报送情况）"
        return note + "。"

    def duplicates_across(self) -> list[Finding]:
        return [f for reg in self.registrations for f in reg.findings if f.code == "id.duplicate_across"]

    @property
    def all_findings(self) -> list[Finding]:
        found = Findings()
        for ret in self.returns:
            found.extend(ret.findings)
        for reg in self.registrations:
            found.extend(reg.findings)
        found.extend(self.other_findings)
        found.extend(self.findings)
        return found.sorted()


# ---------------------------------------------------------------- assembling

def choose_period(progresses: list[Progress], year: int | None, half: str | int | None) -> Period | None:
    """The period from the options, else the most common period of the returns' 填表时间 (ties: the later)."""
    if year is not None and half is not None:
        return Period(int(year), int(str(half).upper().lstrip("H")))
    periods = Counter((p.period.year, p.period.half) for p in progresses if p.period)
    if not periods:
        return None
    best = max(periods.items(), key=lambda item: (item[1], item[0]))[0]
    return Period(*best)


def compile_project(project, findings: Findings, year: int | None = None, half=None) -> Compilation:
    """Sort the project's progress and registration sources into a ``Compilation``."""
    progress_sources = project.of_kind("progress")
    period = choose_period([s.model for s in progress_sources], year, half)
    reg_sources = project.of_kind("registrations")
    if period is not None:
        the_year = period.year
    elif year is not None:
        the_year = int(year)
    else:
        years = Counter(s.model.filled_on.year for s in reg_sources if s.model.filled_on)
        the_year = (max(years.items(), key=lambda i: (i[1], i[0]))[0] if years
                    else project.config.year or 2019)
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_file.setdefault(finding.location.file, []).append(finding)
    issuer = project.config.issuer.name or DEFAULT_ISSUER
    comp = Compilation(period, the_year, issuer, dt.date(the_year, 1, 1), shown=project.shown)
    known = set(cities_of(the_year))
    for source in progress_sources:
        progress = source.model
        city = city_name(progress.city or progress.unit)
        ret = Return(source.display, progress, city, list(by_file.get(source.display, [])),
                     name=project.label(source.display))
        if ret.errors:
            ret.status = ERRORS
        elif period is not None and progress.period and (progress.period.year, progress.period.half) != (
                period.year, period.half):
            ret.status = OTHER_PERIOD
            ret.note = f"按填表时间 {cn_date(progress.filled_on)} 属于{progress.period.label}"
            _own(comp, ret, progress.loc("filled_on"), "compile.other_period",
                 f"填表时间 {cn_date(progress.filled_on)} 对应{progress.period.label}，不是本次汇总的"
                 f"{period.label}，未计入汇总；如确为本期报表，请用 --year {period.year} --period H{period.half} "
                 "并改正填表时间", "filled_on")
        elif city and city not in known:
            ret.status = NOT_A_CITY
            merged = "（莱芜市已于2019年1月并入济南市，请由济南市汇总报送）" if city == "莱芜市" else ""
            _own(comp, ret, progress.loc("unit"), "compile.city_unknown",
                 f"填表单位“{progress.unit or city}”不是{the_year}年的设区市{merged}，未计入汇总；"
                 f"应为 {'、'.join(cities_of(the_year))} 之一", "unit", error=True)
        if progress.filled_on is None and ret.status == INCLUDED:
            _own(comp, ret, progress.loc("filled_on"), "compile.no_date",
                 "找不到填表时间，无法判断是否按时报送（应写“填表时间：2019年6月10日”）", "filled_on")
        comp.returns.append(ret)
    _supersede(comp)
    for source in reg_sources:
        people = source.model
        comp.registrations.append(Registrations(source.display, people, city_name(people.city),
                                                list(by_file.get(source.display, [])),
                                                name=project.label(source.display)))
    used = {r.display for r in comp.returns} | {r.display for r in comp.registrations}
    comp.other_findings = [f for f in findings if f.location.file not in used and f.code == "file.unreadable"]
    dates = [r.progress.filled_on for r in comp.returns if r.progress.filled_on and r.status != OTHER_PERIOD]
    dates += [r.people.filled_on for r in comp.registrations if r.people.filled_on]
    due = period.due if period else None
    comp.date = max([d for d in [due, *dates] if d is not None], default=dt.date(the_year, 12, 31))
    return comp


def _own(comp: Compilation, ret: Return, loc: Location, code: str, message: str, field_name: str,
         error: bool = False) -> None:
    finding = (comp.findings.error if error else comp.findings.warning)(loc, code, message, field_name)
    ret.findings.append(finding)


def _supersede(comp: Compilation) -> None:
    """Two included returns of one city: the one filled last counts and the others are listed, each
    saying which one was used and why.  When the latest 填表时间 is shared (or no return has one),
    nothing says which is right: every one of them is an error asking the clerk to remove one."""
    by_city: dict[str, list[Return]] = {}
    for ret in comp.returns:
        if ret.status == INCLUDED and ret.city:
            by_city.setdefault(ret.city, []).append(ret)
    for city, rets in by_city.items():
        if len(rets) < 2:
            continue
        latest = max((r.progress.filled_on for r in rets if r.progress.filled_on), default=None)
        tied = [r for r in rets if r.progress.filled_on == latest]
        names = "、".join(r.name for r in rets)
        if len(tied) > 1:
            when = f"填表时间都是 {cn_date(latest)}" if latest else "都没有填表时间"
            for ret in tied:
                ret.status = ERRORS
                ret.note = f"与 {'、'.join(r.name for r in tied if r is not ret)} 重复"
                _own(comp, ret, ret.progress.loc("filled_on"), "compile.duplicate_return",
                     f"{city}本期有 {len(rets)} 份报表（{names}），其中 {'、'.join(r.name for r in tied)} 的{when}，"
                     "无法判断以哪份为准，都未计入汇总；请删去作废的一份（如保留更正版）后重新汇总", "filled_on", error=True)
            keep = None
        else:
            keep = tied[0]
            comp.choices.append(f"{city}：本期有 {len(rets)} 份报表，使用 {keep.name}（填表时间 {cn_date(latest)}，"
                                "最晚）；未使用 " + "、".join(f"{r.name}（填表时间 {cn_date(r.progress.filled_on, '未填写')}）"
                                                        for r in rets if r is not keep))
        for ret in rets:
            if ret is keep or ret in tied:
                continue
            ret.status = SUPERSEDED
            ret.note = f"以 {keep.name} 为准" if keep else "同市另有报表"
            why = f"以填表时间较晚（{cn_date(latest)}）的 {keep.name} 为准" if keep else "见同市其他报表的错误"
            _own(comp, ret, ret.progress.loc("filled_on"), "compile.superseded",
                 f"{city}本期报送了不止一份报表；{why}，本表（填表时间 "
                 f"{cn_date(ret.progress.filled_on, '未填写')}）未计入汇总", "filled_on")


# ---------------------------------------------------------------- the document kind

def _is_compilation(project) -> bool:
    """A province-type project: progress returns (or 附件2) from more than one city."""
    cities = {city_name(s.model.city or s.model.unit) or s.display for s in project.of_kind("progress")}
    reg_cities = {city_name(s.model.city) or s.display for s in project.of_kind("registrations")}
    return len(cities) > 1 or len(reg_cities) > 1


def reports(project) -> list[str]:
    """Files whose errors the compilation reports itself (listed, left out of the totals) rather
    than stopping the run: the returns, and workbooks that could not be read at all."""
    names = [s.display for s in project.sources if s.kind in ("progress", "registrations")]
    names += [f.location.file for f in project.findings if f.code == "file.unreadable"
              and f.location.file.lower().endswith((".xlsx", ".xls", ".xlsm", ".csv", ".et", ".ods"))]
    return names


def plan(project, options, report, year: int | None = None, period: str | None = None) -> list:
    """The compilation of a province project's returns for one period (or year of 附件2)."""
    from ..kinds import Document
    usable = [s for s in project.sources if s.kind in ("progress", "registrations")]
    if not usable:
        raise UsageError(f"错误: 没有找到可汇总的报表（{project.describe()}）；请给出各市报来的附件1（进展情况表）"
                         "或附件2（登记汇总表）工作簿或其所在文件夹", project.findings.sorted())
    comp = compile_project(project, project.findings, year, period)
    report.findings.extend(comp.findings)
    for choice in comp.choices:
        report.note(choice)
    if comp.period is None and not comp.registrations:
        raise UsageError("错误: 无法确定汇总的期次：报表中没有填表时间；请用 --year 2019 --period H1 指定")
    errors = len([r for r in comp.returns if r.status == ERRORS])
    report.note(f"汇总：{comp.title}；汇总 {len(comp.included)} 个市"
                + (f"，未报送 {len(comp.missing)} 个市" if comp.period and comp.missing else "")
                + (f"，{errors} 份报表有错误未计入" if errors else "") + "。")
    return [Document("compilation", comp.stem, comp, comp.title)]


def _register():
    from ..kinds import Kind, register
    writers = {fmt: f"publisher.documents.compilation_render:{fmt}_bytes" for fmt in ("xlsx", "docx", "pdf")}
    register(Kind("compilation", "全省汇总表", ("progress", "registrations"), ("xlsx", "docx", "pdf"), plan,
                  writers, applies=_is_compilation, reports=reports))


_register()
