"""Workbooks as clerks really keep them: several sheets, .xls/.et/.ods, Alt+Enter, 专业代码 typed as numbers."""
from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pytest

from conftest import DATA, make_id
from publisher.cli import main
from publisher.sources import load_source
from publisher.sources.values import one_line

FORMATS = DATA / "formats"
CATALOG = DATA / "good" / "catalog.yaml"
HEADER = ["序号", "姓名", "性别", "民族", "扶贫卡编号", "身份证号", "联系电话", "家庭详细地址", "拟就读技工院校"]


def person(n: int, school: str = "济南技师学院", id_no: str | None = None) -> list:
    return [n, f"学生{n}", "男", "汉族", f"3701241050000000{n:02d}", id_no or make_id(seq=f"{n:02d}"),
            f"138123400{n:02d}", f"平阴县{n}号", school]


def workbook(path, sheets: dict, hidden=()):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        if name in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


def findings(runner, *paths):
    result = runner.invoke(main, ["check", "--json", *map(str, paths)])
    return result, json.loads(result.stdout or "[]")


# ---------------------------------------------------------------- several sheets

def test_a_county_sheet_beside_the_citys_is_read_and_named(runner, tmp_path):
    path = workbook(tmp_path / "reg.xlsx", {"济南市": [HEADER, person(1), person(2)],
                                            "商河县": [HEADER, person(3), person(4, id_no="371426200305120013")]})
    source = load_source(path, "reg.xlsx")
    assert [p.location.sheet for p in source.model.rows] == ["济南市", "济南市", "商河县", "商河县"]
    result, found = findings(runner, path, CATALOG)
    assert result.exit_code == 1
    assert [(f["sheet"], f["row"], f["column"], f["code"]) for f in found] == [("商河县", 3, "F", "id.checksum")]


def test_a_sheet_that_is_not_the_kind_is_named_in_a_warning(runner, tmp_path):
    path = workbook(tmp_path / "reg.xlsx", {
        "汇总": [HEADER, person(1)],
        "平阴县": [["序号", "姓名", "性别", "证件号码"], [1, "张三", "男", "370124"]],       # header typed wrongly
        "填表说明": [["请用黑色字体填写"]],                                             # instructions: no warning
        "lists": [["济南技师学院"]],                                                   # hidden drop-down list
    }, hidden=("lists",))
    result, found = findings(runner, path, CATALOG)
    assert result.exit_code == 0
    assert [(f["sheet"], f["row"], f["code"], f["level"]) for f in found] == [("平阴县", 1, "sheet.skipped", "warning")]
    assert "工作表“平阴县”有 2 行内容" in found[0]["message"] and "缺少" in found[0]["message"]


def test_a_sheet_of_another_kind_is_said(runner, tmp_path):
    catalog_rows = [["学校名称", "学校类别", "隶属关系", "专业名称", "培养层次", "学制（年）", "招生计划（人）"],
                    ["济南技师学院", "技师学院", "市属", "数控加工", "高级工", 5, 40]]
    path = workbook(tmp_path / "reg.xlsx", {"登记": [HEADER, person(1)], "目录": catalog_rows})
    _, found = findings(runner, path, CATALOG)
    assert [f["code"] for f in found] == ["sheet.other_kind"]
    assert "看起来是技能扶贫技工院校和专业目录" in found[0]["message"]


def test_each_sheets_total_is_checked_against_its_own_rows(runner, tmp_path):
    path = workbook(tmp_path / "reg.xlsx", {"济南市": [HEADER, person(1), person(2), ["总计", "2人"]],
                                            "商河县": [HEADER, person(3), ["总计", "3人"]]})
    _, found = findings(runner, path, CATALOG)
    assert [(f["sheet"], f["code"]) for f in found] == [("商河县", "total.mismatch")]
    assert "工作表“商河县”中实际有 1 行" in found[0]["message"]


def test_progress_totals_per_sheet(runner, tmp_path):
    head = ["序号", "学校名称", "当年招收建档立卡贫困家庭子女人数（人）", "建档立卡贫困家庭子女在校生人数（人）",
            "建档立卡贫困家庭子女毕业生人数（人）", "建档立卡贫困家庭子女毕业生就业人数（人）",
            "当年面向建档立卡贫困家庭劳动者开展职业培训人数（人）", "培训后就业创业人数（人）"]
    meta = ["填表单位（盖章）：济南市人力资源社会保障局", None, None, None, "填表时间：2019年6月10日"]
    path = workbook(tmp_path / "p.xlsx", {"市属": [meta, head, [1, "济南技师学院", 10, 30, 8, 7, 20, 15],
                                                  ["总计", None, 10, 30, 8, 7, 20, 15]],
                                          "县属": [head, [1, "平阴县技工学校", 5, 15, 4, 4, 10, 9],
                                                  ["总计", None, 5, 15, 4, 4, 10, 8]]})
    _, found = findings(runner, path)
    assert [(f["sheet"], f["column"], f["code"]) for f in found] == [("县属", "H", "total.mismatch")]


# ---------------------------------------------------------------- .xls, .et, .ods

@pytest.mark.parametrize("name", ["registrations.xlsx", "registrations.xls", "registrations.ods"])
def test_every_format_gives_the_same_rows_and_findings(runner, name):
    source = load_source(FORMATS / name, name)
    people = source.model
    assert (people.city, str(people.filled_on)) == ("济南市", "2019-06-10")
    assert [(p.name, p.school, p.location.sheet, p.location.row) for p in people.rows] == [
        ("张伟", "济南技师学院", "济南市", 4), ("李娜", "济南技师学院", "济南市", 5),   # I5 merged into I4
        ("王强", "平阴县技工学校", "商河县", 2)]
    result, found = findings(runner, FORMATS / name, CATALOG)
    assert result.exit_code == 1
    assert [(f["sheet"], f["row"], f["column"], f["code"]) for f in found] == [("商河县", 2, "F", "id.checksum")]


def test_a_wps_et_file_is_read(runner, tmp_path):
    # WPS saves .et in the Excel 97-2003 (BIFF8) structure; the reader goes by the bytes, not the name
    et = tmp_path / "登记表.et"
    et.write_bytes((FORMATS / "registrations.xls").read_bytes())
    result, found = findings(runner, et, CATALOG)
    assert [f["code"] for f in found] == ["id.checksum"] and found[0]["file"].endswith("登记表.et")


def test_a_folder_finds_xls_et_and_ods(tmp_path):
    from publisher.sources import discover
    for suffix in ("xls", "et", "ods", "doc"):
        (tmp_path / f"a.{suffix}").write_bytes(b"")
    assert [p.suffix for p in discover(tmp_path)] == [".et", ".ods", ".xls"]


def test_a_broken_xls_says_what_it_is_and_what_to_do(runner, tmp_path):
    broken = tmp_path / "旧表.xls"
    broken.write_bytes((FORMATS / "registrations.xls").read_bytes()[:3000])
    result = runner.invoke(main, ["check", str(broken)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "旧版 Excel 97-2003 格式（.xls）" in result.output and "“另存为” .xlsx" in result.output


def _ods(content: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest '
                   'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')
    return buffer.getvalue()


ODS_HEAD = ('<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
            '<table:table table:name="S">')
ODS_TAIL = '</table:table></office:spreadsheet></office:body></office:document-content>'


def test_an_ods_claiming_millions_of_filled_cells_is_refused_before_expanding(runner, tmp_path):
    bomb = tmp_path / "bomb.ods"
    bomb.write_bytes(_ods(ODS_HEAD + '<table:table-row table:number-rows-repeated="1000000">'
                          '<table:table-cell table:number-columns-repeated="1000" office:value-type="string">'
                          '<text:p>x</text:p></table:table-cell></table:table-row>' + ODS_TAIL))
    assert bomb.stat().st_size < 2000
    result = runner.invoke(main, ["check", str(bomb)])
    assert result.exit_code == 1 and "单元格总数超过" in result.output and "bomb.ods:S" in result.output


def test_ods_empty_repeats_cost_nothing(tmp_path):
    cells = "".join(f'<table:table-cell office:value-type="string"><text:p>{t}</text:p></table:table-cell>'
                    for t in HEADER)
    row = ("".join(f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
                   for v in person(1)))
    ods = tmp_path / "ok.ods"
    ods.write_bytes(_ods(ODS_HEAD + f"<table:table-row>{cells}</table:table-row><table:table-row>{row}</table:table-row>"
                         '<table:table-row table:number-rows-repeated="1048574"><table:table-cell '
                         'table:number-columns-repeated="16384"/></table:table-row>' + ODS_TAIL))
    assert [p.name for p in load_source(ods, "ok.ods").model.rows] == ["学生1"]


# ---------------------------------------------------------------- cells as clerks type them

def test_one_line():
    assert one_line("淄博市技师\n学院") == "淄博市技师学院"
    assert one_line("淄博市技师\r\n 学院") == "淄博市技师学院"
    assert one_line("Auto\nCAD 2019") == "Auto CAD 2019"
    assert one_line("济南市\n") == "济南市"


def test_alt_enter_is_not_part_of_any_value(runner, tmp_path):
    catalog = tmp_path / "目录.xlsx"
    workbook(catalog, {"目录": [["济南市2019年度精准技能扶贫技工院校和专业目录"], ["发布日期：2019年2月27日"],
                                 ["序号", "学校名称", "学校类别", "隶属关系", "专业代码", "专业名称", "培养层次", "学制（年）",
                                  "招生计划（人）"],
                                 [1, "淄博市技师\n学院", "技师学院", "市属", "0103", "数控\n加工", "高级工", 5, 40]]})
    reg = workbook(tmp_path / "reg.xlsx", {"登记": [HEADER, person(1, "淄博市技师学院")]})
    result, found = findings(runner, catalog, reg)
    assert result.exit_code == 0, found                        # the list's school matches the catalog's
    out = tmp_path / "out"
    made = runner.invoke(main, ["catalog", str(catalog), "-o", str(out), "--format", "xlsx,html"])
    assert made.exit_code == 0, made.output
    stem = "济南市2019年度精准技能扶贫技工院校和专业目录"
    values = [c for row in openpyxl.load_workbook(out / f"{stem}.xlsx")["目录"].iter_rows(values_only=True)
              for c in row if isinstance(c, str)]
    assert "淄博市技师学院" in values and "数控加工" in values and not any("\n" in v for v in values)
    html = (out / f"{stem}.html").read_text("utf-8")
    assert "淄博市技师学院" in html and "淄博市技师\n学院" not in html


def test_major_code_typed_as_a_number_gets_its_zero_back(tmp_path):
    catalog = workbook(tmp_path / "目录.xlsx", {"目录": [
        ["济南市2019年度精准技能扶贫技工院校和专业目录"], ["发布日期：2019年2月27日"],
        ["序号", "学校名称", "学校类别", "隶属关系", "专业代码", "专业名称", "培养层次", "学制（年）", "招生计划（人）"],
        [1, "济南技师学院", "技师学院", "市属", 103, "数控加工", "高级工", 5, 40],
        [None, None, None, None, "1201", "计算机网络应用", "高级工", 5, 40]]})
    source = load_source(catalog, "目录.xlsx")
    assert [m.code for m in source.model.schools[0].majors] == ["0103", "1201"]
    [warning] = [f for f in source.findings if f.code == "catalog.code_zero"]
    assert (str(warning.location), warning.level) == ("目录.xlsx:目录!E4", "warning")
    assert "已按 0103 读取" in warning.message


def test_codes_of_another_length_are_left_alone(tmp_path):
    catalog = workbook(tmp_path / "目录.xlsx", {"目录": [
        ["序号", "学校名称", "学校类别", "隶属关系", "专业代码", "专业名称", "培养层次", "学制（年）", "招生计划（人）"],
        [1, "济南技师学院", "技师学院", "市属", 103, "数控加工", "高级工", 5, 40],
        [None, None, None, None, "660103", "计算机网络应用", "高级工", 5, 40]]})
    source = load_source(catalog, "目录.xlsx")
    assert [m.code for m in source.model.schools[0].majors] == ["103", "660103"]
    assert not [f for f in source.findings if f.code == "catalog.code_zero"]


def test_a_hidden_sheet_of_the_kind_is_said_not_read(runner, tmp_path):
    path = workbook(tmp_path / "reg.xlsx", {"汇总": [HEADER, person(1)], "旧表": [HEADER, person(1)]},
                    hidden=("旧表",))
    result, found = findings(runner, path, CATALOG)
    assert result.exit_code == 0                                  # no duplicate from the stale hidden copy
    assert [(f["sheet"], f["row"], f["code"]) for f in found] == [("旧表", 1, "sheet.hidden")]
    assert "取消隐藏" in found[0]["message"]
