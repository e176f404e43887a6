"""The programme's records as plain typed objects; no renderer is imported here.

Every object keeps ``cells`` (field -> Location) so that a check or a renderer
can say where a value came from.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..errors import Location

LEVELS = ("中级工", "高级工", "预备技师", "技师")
SCHOOL_TYPES = ("技师学院", "高级技工学校", "技工学校")
AFFILIATIONS = ("中央", "省属", "市属", "县属", "民办")
CATEGORIES = ("应届初中毕业生", "往届初中毕业生", "应届高中毕业生", "往届高中毕业生", "退役士兵")


@dataclass
class Located:
    location: Location
    cells: dict = field(default_factory=dict, repr=False, compare=False)

    def loc(self, name: str) -> Location:
        return self.cells.get(name, self.location)


@dataclass
class Major(Located):
    code: str = ""
    name: str = ""
    level: str = ""
    years: int | None = None
    plan: int | None = None
    note: str = ""


@dataclass
class School(Located):
    name: str = ""
    type: str = ""
    affiliation: str = ""
    address: str = ""
    phone: str = ""
    report_date: dt.date | None = None
    report_place: str = ""
    majors: list[Major] = field(default_factory=list)

    def major(self, name: str) -> Major | None:
        return next((m for m in self.majors if m.name == name), None)


@dataclass
class Catalog(Located):
    city: str = ""
    year: int | None = None
    published_on: dt.date | None = None
    schools: list[School] = field(default_factory=list)

    def school(self, name: str) -> School | None:
        return next((s for s in self.schools if s.name == name), None)

    @property
    def major_count(self) -> int:
        return sum(len(s.majors) for s in self.schools)

    @property
    def plan_total(self) -> int:
        return sum(m.plan or 0 for s in self.schools for m in s.majors)


@dataclass
class Person(Located):
    """A row of 附件2 (registration) or of an admissions list."""

    seq: str = ""
    name: str = ""
    gender: str = ""
    ethnicity: str = ""
    card_no: str = ""
    id_no: str = ""
    phone: str = ""
    address: str = ""
    school: str = ""
    major: str = ""
    category: str = ""
    county: str = ""
    town: str = ""
    village: str = ""
    # admissions only
    admitted_school: str = ""
    admitted_major: str = ""
    admission_no: str = ""
    report_date: dt.date | None = None
    report_place: str = ""
    extra: dict = field(default_factory=dict)   # admissions: the list's other columns, title as typed -> text

    @property
    def target_school(self) -> str:
        return self.admitted_school or self.school

    @property
    def target_major(self) -> str:
        return self.admitted_major or self.major


@dataclass
class PersonList(Located):
    """A registrations (附件2) or admissions source."""

    kind: str = "registrations"
    city: str = ""
    filled_on: dt.date | None = None
    filled_by: str = ""
    phone: str = ""
    rows: list[Person] = field(default_factory=list)
    declared_total: int | None = None          # the 总计 row's count, if typed
    total_location: Location | None = None
    totals: list = field(default_factory=list)     # (declared count, where, rows counted) of each sheet's 总计
    extras: dict = field(default_factory=dict)  # admissions: the list's other columns, title -> where it is titled
    titles: dict = field(default_factory=dict)  # admissions: field -> its column title as typed (身份证号码 …)


COUNT_FIELDS = ("enrolled", "in_school", "graduates", "employed", "trained", "trained_employed")
COUNT_TITLES = {
    "enrolled": "当年招收建档立卡贫困家庭子女人数（人）",
    "in_school": "建档立卡贫困家庭子女在校生人数（人）",
    "graduates": "建档立卡贫困家庭子女毕业生人数（人）",
    "employed": "建档立卡贫困家庭子女毕业生就业人数（人）",
    "trained": "当年面向建档立卡贫困家庭劳动者开展职业培训人数（人）",
    "trained_employed": "培训后就业创业人数（人）",
}


@dataclass
class ProgressRow(Located):
    school: str = ""
    enrolled: int | None = None
    in_school: int | None = None
    graduates: int | None = None
    employed: int | None = None
    trained: int | None = None
    trained_employed: int | None = None

    def counts(self) -> dict:
        return {f: getattr(self, f) or 0 for f in COUNT_FIELDS}


@dataclass
class Period:
    year: int
    half: int                                   # 1 or 2

    @property
    def due(self) -> dt.date:
        return dt.date(self.year, 6, 15) if self.half == 1 else dt.date(self.year, 12, 15)

    @property
    def label(self) -> str:
        return f"{self.year}年{'上' if self.half == 1 else '下'}半年"

    def __str__(self) -> str:
        return f"{self.year}-H{self.half}"

    @classmethod
    def parse(cls, text) -> "Period | None":
        import re
        match = re.fullmatch(r"\s*(\d{4})\s*-?\s*[Hh]([12])\s*", str(text))
        return cls(int(match.group(1)), int(match.group(2))) if match else None

    @classmethod
    def for_date(cls, date: dt.date) -> "Period":
        """The half-year a return filled on ``date`` most likely reports on."""
        if date.month <= 3:
            return cls(date.year - 1, 2)
        if date.month <= 9:
            return cls(date.year, 1)
        return cls(date.year, 2)


@dataclass
class Progress(Located):
    """A 附件1 return of one city for one half-year."""

    city: str = ""
    unit: str = ""
    period: Period | None = None
    filled_on: dt.date | None = None
    filled_by: str = ""
    phone: str = ""
    rows: list[ProgressRow] = field(default_factory=list)
    declared_total: ProgressRow | None = None
    declared_totals: list = field(default_factory=list)   # every sheet's 总计 row (declared_total: the first)

    def totals(self, sheet=...) -> dict:
        """The counts added up over every row, or over the rows of one ``sheet``."""
        totals = dict.fromkeys(COUNT_FIELDS, 0)
        for row in self.rows:
            if sheet is not ... and row.location.sheet != sheet:
                continue
            for name, value in row.counts().items():
                totals[name] += value
        return totals


@dataclass
class RegistryEntry(Located):
    id_no: str = ""
    card_no: str = ""
    name: str = ""
