"""Records (table rows or YAML items) -> domain models, with typed values.

Conversion findings are about the *form* of a value (a number typed as text, a
date that is no date, an ID stored as a number); rules about the *meaning*
live in ``publisher.checks``.
"""
from __future__ import annotations

import re


from ..domain.models import (Catalog, Major, Period, Person, PersonList, Progress,
                             ProgressRow, RegistryEntry, School)
from ..errors import Findings, Location, SourceError
from .schema import SCHEMAS, Column
from .table import Record, Table
from .values import clean_text, one_line, parse_date, parse_int
from .yamlsrc import LDict, LList

_CITY = re.compile(r"^(.+?市)")
_TITLE_YEAR = re.compile(r"^(.*?市)?(\d{4})年")


def convert_value(column: Column, value, loc: Location, findings: Findings):
    """One cell to its typed value (None when empty or unusable)."""
    if column.kind == "int":
        return parse_int(value, loc, column.title, findings, column.field)
    if column.kind == "date":
        return parse_date(value, loc, column.title, findings, column.field)
    if column.kind == "id" and isinstance(value, float) and value >= 1e15:
        findings.error(loc, "id.as_number",
                       f"{column.title}被存成了数字（{value:.6g}），超过15位的数字 Excel 会丢失末几位；"
                       "请把该列设为“文本”格式后重新输入", column.field)
        return ""
    return one_line(clean_text(value))


def extra_text(value) -> str:
    """A school's own column (宿舍号, 班级 …) as its letter template shows it: dates written out in Chinese."""
    import datetime as dt
    from ..text import cn_date
    if isinstance(value, (dt.datetime, dt.date)):
        return cn_date(value)
    return clean_text(value)


def convert_record(record: Record, columns: dict, findings: Findings) -> dict:
    return {name: convert_value(columns[name], value, record.loc(name), findings)
            for name, value in record.values.items() if name in columns}


# Shandong's cities, for units written without 市 (威海人社局) or after the province (山东省济南市…)
_KNOWN_CITIES = ("济南", "青岛", "淄博", "枣庄", "东营", "烟台", "潍坊", "济宁", "泰安", "威海", "日照", "莱芜",
                 "临沂", "德州", "聊城", "滨州", "菏泽")


def city_from(text: str) -> str:
    text = re.sub(r"^山东省", "", text or "")
    match = _CITY.match(text)
    if match:
        return match.group(1)
    return next((f"{c}市" for c in _KNOWN_CITIES if text.startswith(c)), "")


# ---------------------------------------------------------------- tables

def from_table(table: Table, findings: Findings, config=None):
    builders = {"catalog": _catalog_table, "registrations": _persons_table,
                "admissions": _persons_table, "progress": _progress_table,
                "registry": _registry_table}
    return builders[table.kind](table, findings, config)


def _catalog_table(table: Table, findings: Findings, config):
    title = table.meta.get("title", "")
    match = _TITLE_YEAR.match(title)
    catalog = Catalog(Location(table.file, table.sheet),
                      city=(match.group(1) if match and match.group(1) else "") or (config.city if config else ""),
                      year=int(match.group(2)) if match else (config.year if config else None),
                      published_on=table.meta.get("published_on"))
    catalog.cells = dict(table.meta_cells)
    numeric = []
    for record in table.records:
        values = convert_record(record, table.columns, findings)
        name = values.get("school") or ""
        school = catalog.school(name) if name else (catalog.schools[-1] if catalog.schools else None)
        if school is None:
            school = School(record.location, {k: record.loc(k) for k in record.cells},
                            name=name, type=values.get("type", ""),
                            affiliation=values.get("affiliation", ""),
                            address=values.get("address", ""), phone=values.get("phone", ""),
                            report_date=values.get("report_date"),
                            report_place=values.get("report_place", ""))
            catalog.schools.append(school)
        if any(values.get(k) not in (None, "") for k in ("major", "code", "level", "plan")):
            school.majors.append(Major(record.location, {k: record.loc(k) for k in record.cells},
                                       code=values.get("code", ""), name=values.get("major", ""),
                                       level=values.get("level", ""), years=values.get("years"),
                                       plan=values.get("plan"), note=values.get("note", "")))
            if isinstance(record.values.get("code"), (int, float)):
                numeric.append(school.majors[-1])
    _restore_code_zeros(catalog, numeric, findings)
    return catalog


def _restore_code_zeros(catalog, numeric: list, findings: Findings) -> None:
    """专业代码 typed as a number lose their leading zero in Excel (0103 shows as 103): when the
    catalog's other codes have four digits, a three-digit number gets its zero back, with a warning."""
    codes = [m.code for s in catalog.schools for m in s.majors if m.code]
    four = any(len(c) == 4 and c.isdigit() for c in codes)
    all_numbers = len(numeric) == len(codes)        # the whole column typed as numbers: 103, 401, 601
    if not (four or all_numbers) or any(len(c) > 4 for c in codes if c.isdigit()):
        return
    for major in numeric:
        if major.code.isdigit() and len(major.code) == 3:
            findings.warning(major.loc("code"), "catalog.code_zero",
                             f"专业代码 {major.code} 是以数字输入的，Excel 去掉了开头的 0；技工院校的专业代码是4位，"
                             f"已按 0{major.code} 读取。请把该列设为“文本”格式后输入 0{major.code}", "code")
            major.code = "0" + major.code


def _persons_table(table: Table, findings: Findings, config):
    people = PersonList(Location(table.file, table.sheet), kind=table.kind,
                        city=city_from(table.meta.get("unit", "")) or city_from(table.meta.get("title", ""))
                        or (config.city if config else ""),
                        filled_on=table.meta.get("filled_on"), filled_by=table.meta.get("filled_by", ""),
                        phone=table.meta.get("phone", ""))
    people.cells = dict(table.meta_cells)
    people.extras = dict(table.extras)             # title -> where it is titled (first sheet that has it)
    people.titles = dict(table.titles)
    for record in table.records:
        values = convert_record(record, table.columns, findings)
        values.pop("seq", None)
        people.rows.append(Person(record.location, dict(record.cells),
                                  seq=clean_text(record.values.get("seq")),
                                  extra={k: extra_text(v) for k, v in record.extras.items()}, **values))
    for total, counted in table.totals:
        declared, where = None, total.location
        for name in ("name", "gender", "seq", "card_no", "id_no"):
            value = total.values.get(name)
            match = re.search(r"\d+", clean_text(value)) if value is not None else None
            if match and name != "seq":
                declared, where = int(match.group()), total.loc(name)
                break
        people.totals.append((declared, where, counted))
    if people.totals:
        people.declared_total, people.total_location = people.totals[0][:2]
    return people


def _progress_table(table: Table, findings: Findings, config):
    unit = table.meta.get("unit", "")
    progress = Progress(Location(table.file, table.sheet), unit=unit,
                        city=city_from(unit) or (config.city if config else ""),
                        filled_on=table.meta.get("filled_on"),
                        filled_by=table.meta.get("filled_by", ""), phone=table.meta.get("phone", ""))
    progress.cells = dict(table.meta_cells)
    if progress.filled_on:
        progress.period = Period.for_date(progress.filled_on)
    for record in table.records:
        values = convert_record(record, table.columns, findings)
        values.pop("seq", None)
        progress.rows.append(ProgressRow(record.location, dict(record.cells), **values))
    for total, _ in table.totals:
        values = convert_record(total, table.columns, findings)
        values.pop("seq", None)
        values.pop("school", None)
        progress.declared_totals.append(ProgressRow(total.location, dict(total.cells), school="总计", **values))
    if progress.declared_totals:
        progress.declared_total = progress.declared_totals[0]
    return progress


def _registry_table(table: Table, findings: Findings, config):
    entries = []
    for record in table.records:
        values = convert_record(record, table.columns, findings)
        entries.append(RegistryEntry(record.location, dict(record.cells), **values))
    return entries


# ---------------------------------------------------------------- YAML

def _yaml_record(item: LDict, display: str) -> Record:
    return Record(dict(item), {k: Location(display, line=item.line_of(k)) for k in item},
                  Location(display, line=item.line))


_YAML_ALIASES = {"catalog": {"name": "major"}, "progress": {}, "registry": {}}


def _rows(data: LDict, key: str, display: str) -> list[LDict]:
    rows = data.get(key)
    if rows is None:
        return []
    if not isinstance(rows, LList) or not all(isinstance(r, LDict) for r in rows):
        raise SourceError(Location(display, line=data.line_of(key)), f"{key} 应为列表，每项是键值对（- name: …）")
    return list(rows)


def _text(data: LDict, key: str, display: str, findings: Findings) -> str:
    return clean_text(data.get(key))


def _date(data: LDict, key: str, display: str, findings: Findings, label: str):
    return parse_date(data.get(key), Location(display, line=data.line_of(key)), label, findings, key)


def from_yaml(kind: str, data: LDict, display: str, findings: Findings, config=None):
    if kind == "catalog":
        return _catalog_yaml(data, display, findings, config)
    if kind in ("registrations", "admissions"):
        return _persons_yaml(kind, data, display, findings, config)
    if kind == "progress":
        return _progress_yaml(data, display, findings, config)
    return _registry_yaml(data, display, findings)


def _columns(kind: str, rename: dict | None = None) -> dict:
    columns = {c.field: c for c in SCHEMAS[kind][0]}
    for yaml_key, field_name in (rename or {}).items():
        columns[yaml_key] = columns[field_name]
    return columns


def _catalog_yaml(data: LDict, display: str, findings: Findings, config):
    year = parse_int(data.get("year"), Location(display, line=data.line_of("year")), "year（年度）", findings, "year")
    catalog = Catalog(Location(display, line=data.line), {k: Location(display, line=data.line_of(k)) for k in data},
                      city=_text(data, "city", display, findings) or (config.city if config else ""),
                      year=year or (config.year if config else None),
                      published_on=_date(data, "published_on", display, findings, "发布日期"))
    school_cols = _columns("catalog")
    major_cols = _columns("catalog")
    major_cols["name"] = major_cols["major"]
    for item in _rows(data, "schools", display):
        record = _yaml_record(item, display)
        values = {k: convert_value(school_cols[k], v, record.loc(k), findings)
                  for k, v in item.items() if k in ("type", "affiliation", "address", "phone")}
        report = item.get("report") if isinstance(item.get("report"), LDict) else LDict()
        report.lines = getattr(report, "lines", {})
        school = School(record.location, record.cells, name=one_line(clean_text(item.get("name"))), **values,
                        report_date=parse_date(report.get("date"),
                                               Location(display, line=report.line_of("date", item.line_of("report", item.line))),
                                               "报到时间", findings, "report_date"),
                        report_place=clean_text(report.get("place")))
        majors = item.get("majors")
        if majors is not None and not isinstance(majors, LList):
            raise SourceError(Location(display, line=item.line_of('majors')), "majors 应为列表")
        for major in majors or []:
            if not isinstance(major, LDict):
                raise SourceError(Location(display, line=item.line_of('majors')), "majors 的每一项应为键值对")
            mrec = _yaml_record(major, display)
            mvalues = {k: convert_value(major_cols[k], v, mrec.loc(k), findings)
                       for k, v in major.items() if k in ("code", "name", "level", "years", "plan", "note")}
            school.majors.append(Major(mrec.location, mrec.cells, **mvalues))
        catalog.schools.append(school)
    return catalog


def _persons_yaml(kind: str, data: LDict, display: str, findings: Findings, config):
    columns = _columns(kind)
    people = PersonList(Location(display, line=data.line), {k: Location(display, line=data.line_of(k)) for k in data},
                        kind=kind, city=_text(data, "city", display, findings) or (config.city if config else ""),
                        filled_on=_date(data, "filled_on", display, findings, "填表时间"),
                        filled_by=_text(data, "filled_by", display, findings),
                        phone=_text(data, "phone", display, findings))
    for item in _rows(data, "rows", display):
        record = _yaml_record(item, display)
        values = {k: convert_value(columns[k], v, record.loc(k), findings)
                  for k, v in item.items() if k in columns and k != "seq"}
        extra = {str(k): extra_text(v) for k, v in item.items() if k not in columns and kind == "admissions"
                 and not isinstance(v, (dict, list))}
        people.rows.append(Person(record.location, record.cells, seq=str(len(people.rows) + 1), extra=extra,
                                  **values))
        for title in extra:
            people.extras.setdefault(title, record.loc(title))
    return people


def _progress_yaml(data: LDict, display: str, findings: Findings, config):
    columns = _columns("progress")
    period = None
    if data.get("period") is not None:
        period = Period.parse(data.get("period"))
        if period is None:
            findings.error(Location(display, line=data.line_of("period")), "period.invalid",
                           f"period“{data.get('period')}”应写成 2018-H1（上半年）或 2018-H2（下半年）", "period")
    progress = Progress(Location(display, line=data.line), {k: Location(display, line=data.line_of(k)) for k in data},
                        city=_text(data, "city", display, findings) or (config.city if config else ""),
                        period=period, filled_on=_date(data, "filled_on", display, findings, "填表时间"),
                        filled_by=_text(data, "filled_by", display, findings),
                        phone=_text(data, "phone", display, findings))
    progress.unit = f"{progress.city}人力资源社会保障局" if progress.city else ""
    if progress.period is None and progress.filled_on:
        progress.period = Period.for_date(progress.filled_on)
    for item in _rows(data, "rows", display):
        record = _yaml_record(item, display)
        values = {k: convert_value(columns[k], v, record.loc(k), findings)
                  for k, v in item.items() if k in columns and k != "seq"}
        progress.rows.append(ProgressRow(record.location, record.cells, **values))
    total = data.get("total")
    if isinstance(total, LDict):
        record = _yaml_record(total, display)
        values = {k: convert_value(columns[k], v, record.loc(k), findings)
                  for k, v in total.items() if k in columns and k not in ("seq", "school")}
        progress.declared_total = ProgressRow(record.location, record.cells, school="总计", **values)
        progress.declared_totals.append(progress.declared_total)
    return progress


def _registry_yaml(data: LDict, display: str, findings: Findings):
    columns = _columns("registry")
    entries = []
    for item in _rows(data, "rows", display):
        record = _yaml_record(item, display)
        values = {k: convert_value(columns[k], v, record.loc(k), findings) for k, v in item.items() if k in columns}
        entries.append(RegistryEntry(record.location, record.cells, **values))
    return entries
