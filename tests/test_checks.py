"""SPEC §4 checks against fixtures whose expected findings are written down beside them."""
from __future__ import annotations

import json

import pytest

from conftest import DATA, make_id, write_rows
from publisher.domain.people import check_character, id_problem
from publisher.checks import check_project
from publisher.project import load_project


def _found(paths):
    project = load_project(paths)
    return check_project(project)


@pytest.mark.parametrize("name,with_catalog", [
    ("registrations_errors.xlsx", True), ("progress_errors.xlsx", False), ("catalog_errors.yaml", False)])
def test_broken_fixture_gives_exactly_the_expected_findings(name, with_catalog):
    path = DATA / "broken" / name
    expected = json.loads((DATA / "broken" / (path.stem + ".expected.json")).read_text("utf-8"))
    paths = [path] + ([DATA / "good" / "catalog.yaml"] if with_catalog else [])
    findings = [f for f in _found(paths) if f.location.file.endswith(name)]
    if "line" in expected[0]:
        got = {(f.location.line, f.code, f.level) for f in findings}
        want = {(e["line"], e["code"], e["level"]) for e in expected}
    else:
        got = {(f.location.row, f.location.column, f.code, f.level) for f in findings}
        want = {(e["row"], e["column"], e["code"], e["level"]) for e in expected}
    assert got == want


def test_good_fixtures_report_nothing():
    findings = _found([DATA / "good"])
    assert [str(f) for f in findings] == []


def test_check_character_examples():
    assert check_character("11010519491231002") == "X"      # the GB 11643 example
    assert id_problem("11010519491231002X") is None
    code, message = id_problem("110105194912310021")
    assert code == "id.checksum" and "应为 X" in message


def test_wrong_total_of_registrations(tmp_path):
    header = ["序号", "姓名", "性别", "民族", "扶贫卡编号", "身份证号", "联系电话", "家庭详细地址", "拟就读技工院校"]
    rows = [header, [1, "张三", "男", "汉族", "37012410301", make_id(), "13812345678", "某村", "济南技师学院"],
            ["总计", "5人"]]
    findings = _found([write_rows(tmp_path / "r.xlsx", rows)])
    mismatch = [f for f in findings if f.code == "total.mismatch"]
    assert mismatch and mismatch[0].location.row == 3 and "5" in mismatch[0].message and "1" in mismatch[0].message


def test_registry_matching(tmp_path):
    header = ["序号", "姓名", "性别", "民族", "扶贫卡编号", "身份证号", "联系电话", "家庭详细地址", "拟就读技工院校"]
    a, b, c = make_id(seq="11"), make_id(seq="13"), make_id(seq="15")
    reg = write_rows(tmp_path / "r.xlsx", [header,
                     [1, "张三", "男", "汉族", "111", a, "13812345678", "某村", "甲校"],
                     [2, "李四", "男", "汉族", "222", b, "13812345678", "某村", "甲校"],
                     [3, "王五", "男", "汉族", "333", c, "13812345678", "某村", "甲校"]])
    registry = write_rows(tmp_path / "list.xlsx", [["身份证号", "扶贫卡编号", "姓名"], [a, "111", "张三"], [b, "999", "李四"]])
    project = load_project([reg])
    findings = check_project(project, registry)
    got = {(f.code, f.location.row) for f in findings}
    assert got == {("registry.card_no", 3), ("registry.missing", 4)}
