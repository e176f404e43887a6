"""Property-based tests (hypothesis) of the readers and checks.

Whatever a user types into a cell or a YAML file, reading and checking end in
findings or a SourceError, never another exception; ID validation agrees with
an independent implementation of GB 11643; counts are never negative or fractional.
"""
from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

import openpyxl
import yaml
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from publisher.domain import people
from publisher.errors import Findings, Location
from publisher.checks import check_project
from publisher.project import load_project
from publisher.sources.values import parse_date, parse_int

LOC = Location("t.xlsx", "Sheet1", 3, "C")
REG_HEADER = ["序号", "姓名", "性别", "民族", "扶贫卡编号", "身份证号", "联系电话", "家庭详细地址", "拟就读技工院校"]
PROG_HEADER = ["序号", "学校名称", "当年招收建档立卡贫困家庭子女人数（人）", "建档立卡贫困家庭子女在校生人数（人）",
               "建档立卡贫困家庭子女毕业生人数（人）", "建档立卡贫困家庭子女毕业生就业人数（人）",
               "当年面向建档立卡贫困家庭劳动者开展职业培训人数（人）", "培训后就业创业人数（人）"]

# Text a user could type into a cell (openpyxl refuses control characters, so Excel files never hold them).
cell_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=25)
tricky_text = st.sampled_from(["", " ", "　", "12人", "１２", "-3", "2.5", "1e30", "99999999999", "总计", "合计",
                               "填表人：张三", "=SUM(A1:A2)", "男", "女", "汉", "汉族", "济南技师学院",
                               "370124200305121021", "2019年6月10日", "6/10/2019", "𠮷", "𪚥", "NaN", "inf"])
cell_value = st.one_of(st.none(), cell_text, tricky_text, st.integers(-10**20, 10**20),
                       st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
                       st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)))
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ------------------------------------------------------------------ counts

@given(st.one_of(cell_value, st.from_regex(r"-?[0-9０-９]{1,6}([.．][0-9]{1,3})?(人|名)?", fullmatch=True)))
@settings(max_examples=400, deadline=None)
def test_parse_int_never_accepts_negative_or_fraction(value):
    findings = Findings()
    number = parse_int(value, LOC, "人数", findings)
    if number is not None:
        assert type(number) is int and number >= 0
        if isinstance(value, float):
            assert value.is_integer()
    else:
        blank = value is None or (isinstance(value, str) and not value.strip())
        assert blank or findings.has_errors


@given(st.integers(1, 10**6), st.integers(1, 999))
def test_parse_int_fraction_and_negative_are_errors(whole, part):
    for value, code in ((-whole, "number.negative"), (f"-{whole}", "number.negative"),
                        (whole + part / 1000, "number.fraction"), (f"{whole}.{part:03d}", "number.fraction")):
        if code == "number.fraction" and part % 1000 == 0:
            continue
        findings = Findings()
        assert parse_int(value, LOC, "人数", findings) is None
        assert [f.code for f in findings.errors] == [code]


@given(cell_value)
@settings(max_examples=300, deadline=None)
def test_parse_date_gives_a_date_or_a_finding(value):
    findings = Findings()
    result = parse_date(value, LOC, "日期", findings)
    assert result is None or isinstance(result, dt.date)
    if result is None and not (value is None or (isinstance(value, str) and not value.strip())):
        assert [f.code for f in findings.errors] == ["date.invalid"]


# ------------------------------------------------------------------ GB 11643

def gb11643_valid(id_no: str, today: dt.date) -> bool:
    """An independent reading of GB 11643-1999: weights 2^(17-i) mod 11, check (12 - S mod 11) mod 11."""
    if len(id_no) != 18 or not id_no[:17].isdigit() or id_no[17] not in "0123456789X":
        return False
    if id_no[:2] not in people.PROVINCE_CODES:
        return False
    try:
        born = dt.date(int(id_no[6:10]), int(id_no[10:12]), int(id_no[12:14]))
    except ValueError:
        return False
    if born.year < 1900 or born > today:
        return False
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(id_no[:17]))
    check = (12 - total % 11) % 11
    return id_no[17] == ("X" if check == 10 else str(check))


TODAY = dt.date(2019, 6, 10)
region = st.sampled_from(sorted(people.PROVINCE_CODES)).flatmap(
    lambda p: st.from_regex(r"[0-9]{4}", fullmatch=True).map(lambda rest: p + rest))
birth = st.dates(dt.date(1900, 1, 1), TODAY).map(lambda d: d.strftime("%Y%m%d"))
plausible_id = st.builds(lambda r, b, s, c: r + b + s + c, region, birth,
                         st.from_regex(r"[0-9]{3}", fullmatch=True), st.sampled_from("0123456789X"))
any_id = st.one_of(plausible_id, st.from_regex(r"[0-9X]{16,19}", fullmatch=True),
                   st.from_regex(r"[1-8][0-9]{5}(19|20)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}[0-9X]", fullmatch=True))


@given(any_id)
@settings(max_examples=500, deadline=None)
def test_id_validation_agrees_with_gb11643(id_no):
    assert (people.id_problem(id_no, TODAY) is None) == gb11643_valid(id_no, TODAY)


@given(plausible_id)
def test_checksum_message_names_the_right_character(id_no):
    problem = people.id_problem(id_no, TODAY)
    assume(problem is not None and problem[0] == "id.checksum")
    right = next(c for c in "0123456789X" if gb11643_valid(id_no[:17] + c, TODAY))
    assert f"最后一位应为 {right}" in problem[1]


# ------------------------------------------------------------------ whole sources

def _workbook(header, rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["填表单位（盖章）：济南市人力资源社会保障局", None, None, "填表时间：2019年6月10日"])
    ws.append(header)
    for row in rows:
        ws.append([v.replace(tzinfo=None) if isinstance(v, dt.datetime) else v for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _read_and_check(name: str, data: bytes):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        project = load_project([path])              # SourceError becomes a finding inside
        findings = check_project(project)
        for finding in findings:
            assert finding.location.file and finding.message
        return project, findings


@given(st.lists(st.lists(cell_value, min_size=0, max_size=11), max_size=6))
@FAST
def test_any_registrations_workbook_gives_findings_only(rows):
    _read_and_check("registrations.xlsx", _workbook(REG_HEADER, rows))


@given(st.lists(st.lists(cell_value, min_size=0, max_size=9), max_size=6))
@FAST
def test_any_progress_workbook_gives_findings_only(rows):
    _, findings = _read_and_check("progress.xlsx", _workbook(PROG_HEADER, rows))
    for finding in findings.errors:
        assert finding.code != "file.unreadable"     # a well-formed workbook is always readable


yaml_scalar = st.one_of(st.none(), cell_text, tricky_text, st.integers(-10**20, 10**20),
                        st.floats(), st.booleans(), st.dates())
yaml_value = st.recursive(yaml_scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(cell_text, st.sampled_from(
        ["name", "rows", "schools", "majors", "school", "enrolled", "id_no", "gender", "report", "date", "total"])),
        inner, max_size=5)), max_leaves=15)


@given(st.sampled_from(["catalog", "registrations", "admissions", "progress", "notice", "registry", "budget"]),
       st.dictionaries(st.sampled_from(["city", "year", "rows", "schools", "period", "filled_on", "published_on",
                                        "title", "date", "issuers", "body", "total", "enclosure", "to"]),
                       yaml_value, max_size=6))
@FAST
def test_any_yaml_source_gives_findings_only(kind, body):
    text = yaml.safe_dump({"kind": kind, **body}, allow_unicode=True)
    _read_and_check("source.yaml", text.encode("utf-8"))


@given(st.binary(max_size=300), st.sampled_from(["a.yaml", "a.csv", "a.xlsx"]))
@FAST
def test_any_bytes_give_findings_only(data, name):
    _read_and_check(name, data)
