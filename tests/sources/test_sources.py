"""Readers: header detection, merged cells, text numbers, encodings, YAML lines, damaged files."""
from __future__ import annotations

import datetime as dt

import pytest

from conftest import make_id, write_rows
from publisher.errors import SourceError
from publisher.sources import load_source

REG_HEADER = ["序号", "姓名", "性别", "民族", "扶贫卡编号", "身份证号", "联系电话", "家庭详细地址", "拟就读\n技工院校"]


def test_header_found_below_title_rows_and_footer_rows_skipped(tmp_path):
    rows = [["附件2"], ["济南市精准技能扶贫对象登记汇总表"],
            ["填表单位（盖章）：济南市人力资源社会保障局", None, None, None, None, None, "填表时间：2019年3月20日"],
            REG_HEADER,
            [1, "张三", "男", "汉族", "3701241030123456", make_id(), "13812345678", "平阴县孝直镇东村", "济南技师学院"],
            [None] * 9,
            [2, "李梅", "女", "回族", "3701241030123457", make_id(male=False, seq="11"), "13812345679", "平阴县孝直镇西村", "济南技师学院"],
            ["总计", "2人"], ["填表人：王五", None, None, None, "联系电话：0531-86000000"]]
    source = load_source(write_rows(tmp_path / "reg.xlsx", rows), "reg.xlsx")
    assert source.kind == "registrations"
    people = source.model
    assert [p.name for p in people.rows] == ["张三", "李梅"]
    assert [p.location.row for p in people.rows] == [5, 7]
    assert people.rows[1].loc("id_no").column == "F"
    assert people.city == "济南市"
    assert people.filled_on == dt.date(2019, 3, 20)
    assert people.filled_by == "王五"
    assert people.declared_total == 2


def test_two_row_merged_header_and_text_numbers(tmp_path):
    rows = [["附件1"], ["全省技工院校服务脱贫攻坚工作进展情况表"],
            ["填表单位（盖章）：淄博市人力资源社会保障局", None, None, None, None, "填表时间：2019年6月12日"],
            ["序号", "学校名称", "技工教育情况", None, None, None, "职业培训情况", None],
            [None, None, "当年招收建档立卡贫困家庭子女人数(人)", "建档立卡贫困\n家庭子女在校生人数（人）",
             "建档立卡贫困 家庭子女毕业生人数（人）", "建档立卡贫困家庭子女毕业生就业人数（人）",
             "当年面向建档立卡贫困家庭劳动者开展职业培训人数（人）", "培训后就业创业人数（人）"],
            [1, "淄博技师学院", "１２", "30人", 10, 9, 100, 80],
            [2, "淄博市技工学校", 5, 20, 8.0, 8, 50, 45],
            ["总计", None, 17, 50, 18, 17, 150, 125]]
    path = write_rows(tmp_path / "p.xlsx", rows, merges=("A4:A5", "B4:B5", "C4:F4", "G4:H4"))
    source = load_source(path, "p.xlsx")
    assert source.kind == "progress"
    progress = source.model
    assert progress.city == "淄博市"
    assert str(progress.period) == "2019-H1"
    assert [r.enrolled for r in progress.rows] == [12, 5]
    assert progress.rows[0].in_school == 30
    warnings = [f for f in source.findings if f.code == "number.text"]
    assert {(f.location.row, f.location.column) for f in warnings} == {(6, "C"), (6, "D")}
    assert progress.declared_total.graduates == 18


def test_catalog_workbook_with_merged_school_cells(tmp_path):
    header = ["序号", "学校名称", "学校类别", "隶属关系", "专业代码", "专业名称", "培养层次", "学制（年）",
              "招生计划（人）", "学校地址", "联系电话", "备注"]
    rows = [["济南市2019年度精准技能扶贫技工院校和专业目录"], ["发布日期：2019年2月27日"], header,
            [1, "济南技师学院", "技师学院", "市属", "0103", "数控加工", "中级工", 3, "40人", "济南市历城区", "0531-88000000", None],
            [None, None, None, None, "0407", "汽车维修", "高级工", 5, 30, None, None, None],
            [2, "平阴县技工学校", "技工学校", "县属", "1001", "烹饪", "中级工", 3, 20, "平阴县", "0531-87000000", None]]
    path = write_rows(tmp_path / "c.xlsx", rows, merges=("A4:A5", "B4:B5", "C4:C5", "D4:D5", "J4:J5", "K4:K5"))
    catalog = load_source(path, "c.xlsx").model
    assert (catalog.city, catalog.year, catalog.published_on) == ("济南市", 2019, dt.date(2019, 2, 27))
    assert [s.name for s in catalog.schools] == ["济南技师学院", "平阴县技工学校"]
    assert [m.name for m in catalog.schools[0].majors] == ["数控加工", "汽车维修"]
    assert catalog.schools[0].majors[0].plan == 40
    assert catalog.plan_total == 90


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030", "gbk"])
def test_csv_in_every_encoding_excel_saves(tmp_path, encoding):
    text = ",".join(REG_HEADER).replace("\n", "") + "\n" + \
        f"1,张三,男,汉族,3701241030123456,{make_id()},13812345678,平阴县孝直镇东村,济南技师学院\n"
    path = tmp_path / "reg.csv"
    path.write_bytes(text.encode(encoding))
    source = load_source(path, "reg.csv")
    assert source.model.rows[0].name == "张三"
    assert source.model.rows[0].loc("name").row == 2


def test_yaml_findings_carry_lines(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("kind: progress\ncity: 济南市\nperiod: 2018-H1\nrows:\n"
                    "  - {school: 甲, enrolled: 1, in_school: 2, graduates: 3, employed: 3, trained: 1, trained_employed: 0}\n"
                    "  - school: 乙\n    enrolled: -1\n", "utf-8")
    source = load_source(path, "p.yaml")
    negative = [f for f in source.findings if f.code == "number.negative"]
    assert negative and negative[0].location.line == 7


def test_yaml_duplicate_key_is_a_finding(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("kind: catalog\ncity: 济南市\ncity: 青岛市\nyear: 2019\nschools: []\n", "utf-8")
    source = load_source(path, "c.yaml")
    assert [(f.code, f.location.line) for f in source.findings] == [("yaml.duplicate_key", 3)]


@pytest.mark.parametrize("content,needle", [
    (b"", "空"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Excel 97-2003"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + "EncryptionInfo".encode("utf-16-le"), "密码"),
    (b"PK\x03\x04garbage", "损坏"),
    (bytes(range(256)) * 4, "不是 Excel"),
], ids=["empty", "xls", "encrypted", "truncated", "random"])
def test_damaged_workbooks_say_what_is_wrong(tmp_path, content, needle):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    with pytest.raises(SourceError) as info:
        load_source(path, "bad.xlsx")
    assert needle in info.value.message and info.value.message.startswith("bad.xlsx")


def test_missing_columns_are_named(tmp_path):
    rows = [["序号", "姓名", "性别", "民族", "家庭详细地址", "拟就读技工院校"], [1, "张三", "男", "汉族", "某村", "某校"]]
    with pytest.raises(SourceError) as info:
        load_source(write_rows(tmp_path / "r.xlsx", rows), "r.xlsx")
    assert "身份证号" in info.value.message


def test_broken_yaml_names_the_line(tmp_path):
    path = tmp_path / "n.yaml"
    path.write_text("kind: notice\ntitle: [unclosed\n", "utf-8")
    with pytest.raises(SourceError) as info:
        load_source(path, "n.yaml")
    assert info.value.message.startswith("n.yaml:")


def test_id_stored_as_number_is_an_error(tmp_path):
    rows = [REG_HEADER, [1, "张三", "男", "汉族", "3701241030123456", 370124200305121000.0, "13812345678", "某村", "某校"]]
    source = load_source(write_rows(tmp_path / "r.xlsx", rows), "r.xlsx")
    assert [f.code for f in source.findings] == ["id.as_number"]


def test_prenumbered_empty_rows_of_a_blank_form_are_not_people(tmp_path):
    rows = [REG_HEADER, [1, "张三", "男", "汉族", "3701241030123456", make_id(), "13812345678", "某村", "某校"],
            [2] + [None] * 8, [3] + [None] * 8, ["总计", "1人"]]
    source = load_source(write_rows(tmp_path / "r.xlsx", rows), "r.xlsx")
    assert [p.name for p in source.model.rows] == ["张三"]
    assert source.model.declared_total == 1
