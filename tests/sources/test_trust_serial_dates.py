"""Excel serial dates (issue 11, item 9): 发布日期/填表时间 and 报到时间 given as 43522 are read, never dropped."""
from __future__ import annotations

import datetime as dt
import sys

import openpyxl
import pytest

from conftest import DATA, ROOT
from publisher.errors import Findings, Location
from publisher.sources import load_source
from publisher.sources.values import parse_date, serial_date

sys.path.insert(0, str(ROOT / "tools"))
import make_bad_inputs as bad  # noqa: E402

BAD = DATA / "bad"
CATALOG_HEADER = ["序号", "学校名称", "学校类别", "隶属关系", "专业代码", "专业名称", "培养层次", "学制（年）", "招生计划（人）"]
MAJOR = [1, "济南技师学院", "技师学院", "市属", "0103", "数控加工", "中级工", 3, 40]


def where(source, code: str) -> list[str]:
    return [str(f.location).split(":", 1)[1] for f in source.findings if f.code == code]


def test_serial_numbers_in_meta_and_date_columns():
    source = load_source(BAD / "admissions_serial_dates.xlsx")
    people = source.model
    assert people.filled_on == dt.date(2019, 3, 21)
    assert [p.report_date for p in people.rows] == [dt.date(2019, 9, 1)] * 4
    assert where(source, "date.serial") == ["Sheet1!B2", "Sheet1!L4", "Sheet1!L5", "Sheet1!L6"]
    first = next(f for f in source.findings if f.code == "date.serial")
    assert first.level == "warning"
    assert first.message == ("填表时间“43545”是 Excel 的日期序号，已按 2019年3月21日 读取；"
                             "请核对，并把单元格设为日期格式或写成 2019年6月10日")
    assert not source.findings.has_errors


def catalog(tmp_path, meta_row: list, number_format: str | None = None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "目录"
    ws.append(["济南市2019年度精准技能扶贫技工院校和专业目录"])
    ws.append(meta_row)
    if number_format:
        ws.cell(row=2, column=2).number_format = number_format
    ws.append(CATALOG_HEADER)
    ws.append(MAJOR)
    wb.save(tmp_path / "catalog.xlsx")
    return load_source(tmp_path / "catalog.xlsx", "catalog.xlsx")


@pytest.mark.parametrize("meta_row, number_format, warned", [
    (["发布日期：", 43522], None, ["目录!B2"]),                 # a bare number in the next cell
    (["发布日期：", "43522"], None, ["目录!B2"]),               # typed as text
    (["发布日期：43522"], None, ["目录!A2"]),                  # in the label's own cell
    (["发布日期：", 43522], "yyyy\"年\"m\"月\"d\"日\"", []),    # a date cell: openpyxl gives the date
    (["发布日期：", dt.datetime(2019, 2, 26)], None, []),
])
def test_publication_date_as_serial(tmp_path, meta_row, number_format, warned):
    source = catalog(tmp_path, meta_row, number_format)
    assert source.model.published_on == dt.date(2019, 2, 26)
    assert where(source, "date.serial") == warned


def test_an_incomplete_meta_date_is_a_warning_not_silence(tmp_path):
    source = catalog(tmp_path, ["发布日期：2019年  月  日"])
    assert source.model.published_on is None
    assert [(f.level, f.message) for f in source.findings if f.code == "date.ignored"] == [
        ("warning", "发布日期“2019年月日”不是完整的日期，已忽略；请写成 2019年6月10日 或 2019-06-10")]


def test_a_blank_form_date_stays_quiet(tmp_path):
    source = catalog(tmp_path, ["发布日期：    年   月   日"])
    assert source.model.published_on is None
    assert not [f for f in source.findings if f.code.startswith("date.")]


def test_yaml_date_as_serial(tmp_path):
    path = tmp_path / "catalog.yaml"
    path.write_text("kind: catalog\ncity: 济南市\nyear: 2019\npublished_on: 43522\n", encoding="utf-8")
    source = load_source(path, "catalog.yaml")
    assert source.model.published_on == dt.date(2019, 2, 26)
    assert where(source, "date.serial") == ["4"]


@pytest.mark.parametrize("value, expected", [
    (43522, dt.date(2019, 2, 26)), (43522.99, dt.date(2019, 2, 26)), ("４３５２２", dt.date(2019, 2, 26)),
    (18264, dt.date(1950, 1, 1)), (73050, dt.date(2099, 12, 31)),
    (18263, None), (73051, None), (12, None), (20190610, None), (True, None), ("43522号", None), (float("nan"), None),
])
def test_serial_date_range(value, expected):
    assert serial_date(value) == expected


def test_parse_date_keeps_other_forms():
    findings = Findings()
    loc = Location("a.xlsx", "Sheet1", 4, "L")
    assert parse_date(20190610, loc, "报到时间", findings) == dt.date(2019, 6, 10)
    assert parse_date("2019/6/10", loc, "报到时间", findings) == dt.date(2019, 6, 10)
    assert not findings.items
    assert parse_date(12, loc, "报到时间", findings) is None
    assert [f.code for f in findings] == ["date.invalid"]
