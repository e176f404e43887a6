"""`publisher check … --annotate DIR`: the clerk's own workbook with every problem marked in it."""
from __future__ import annotations

import hashlib
import json

import openpyxl
import pytest
from openpyxl.styles import Font

from conftest import DATA, make_id
from publisher.annotate import LIST_SHEET, RED, YELLOW, annotate_workbooks
from publisher.cli import main
from publisher.pipeline import check

CATALOG = DATA / "good" / "catalog.yaml"
HEADER = ["序号", "姓名", "性别", "民族", "扶贫卡编号", "身份证号", "联系电话", "家庭详细地址", "拟就读技工院校"]


def planted(path):
    """An unseen workbook as a county clerk sends it, with errors planted in known cells.

    Sheet 汇总 (the city's): rows 4–9; sheet 商河县 (added beside it): rows 2–3.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.append(["济南市精准技能扶贫对象登记汇总表"])
    ws.append(["填表单位（盖章）：济南市人力资源社会保障局", None, None, None, None, None, "填表时间：2019年6月10日"])
    ws.append(HEADER)
    good = make_id(seq="11")
    rows = [
        [1, "张伟", "男", "汉族", "370124105000000001", good, "13812340001", "平阴县洪范池镇1号", "济南技师学院"],  # clean
        [2, "李娜", "女", "汉族", "370124105000000002", make_id(seq="12", male=True), "13812340002",
         "平阴县榆山街道2号", "济南技师学院"],                        # C5: 性别 against the ID (error)
        [3, "王强", "男", "汉族", "370124105000000003", good, "13812340003", "平阴县3号", "平阴县技工学校"],
        # F6: the same ID as row 4 (error, whole row: 姓名 B6 marked too)
        [4, "赵敏", "女", "汉", "370124105000000004", make_id(seq="14", male=False), "13812340004",
         "平阴县4号", "平阴县技工学校"],                              # D7: 汉 read as 汉族 (warning)
        [5, "孙磊", "男", "汉族", "370124105000000005", make_id(seq="15"), "12345", "平阴县5号",
         "济南技师学院"],                                             # G8: phone (warning)
        [6, "周杰", "男", "汉族", "370124105000000006", make_id(seq="16"), "13812340006", "平阴县6号",
         "不存在的技工学校"],                                         # I9: not in the catalog (error)
    ]
    for row in rows:
        ws.append(row)
    ws.merge_cells("A1:I1")
    ws["A1"].font = Font(name="黑体", size=16, bold=True)
    ws.column_dimensions["F"].width = 22
    ws.column_dimensions["H"].width = 30
    ws["F4"].number_format = "@"
    county = wb.create_sheet("商河县")
    county.append(HEADER)
    county.append([1, "吴昊", "男", "汉族", "371426105000000007", make_id(region="371426", seq="17"), "13812340007",
                   "商河县7号", "济南技师学院"])                      # clean
    county.append([2, "郑爽", "男", "汉族", "371426105000000008", "371426200305120013", "13812340008",
                   "商河县8号", "济南技师学院"])                      # F3: check character (error)
    county.column_dimensions["F"].width = 25
    wb.save(path)
    return path


ERRORS = {("汇总", "C5"), ("汇总", "F6"), ("汇总", "B6"), ("汇总", "I9"), ("商河县", "F3")}
WARNINGS = {("汇总", "D7"), ("汇总", "G8")}


def _fill(cell) -> str:
    return (cell.fill.fgColor.rgb or "")[-6:] if cell.fill and cell.fill.fill_type == "solid" else ""


@pytest.fixture(scope="module")
def annotated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clerk")
    source = planted(folder / "商河县登记表.xlsx")
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    out = folder / "标注"
    from click.testing import CliRunner
    result = CliRunner().invoke(main, ["check", str(source), str(CATALOG), "--annotate", str(out)])
    return source, before, out / source.name, result


def test_exit_code_is_checks_and_the_copy_is_named_like_the_original(annotated):
    source, before, copy, result = annotated
    assert result.exit_code == 1, result.output
    assert copy.is_file() and f"已生成标注副本 {copy}" in result.output
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before        # the original is never touched


def test_second_sheet_is_read_and_named(annotated):
    _, _, _, result = annotated
    assert "商河县登记表.xlsx:商河县!F3: 错误: 身份证号“371426200305120013”校验位错误" in result.output
    assert "没有发现问题" not in result.output


def test_every_error_red_every_warning_yellow_with_comments(annotated):
    _, _, copy, _ = annotated
    wb = openpyxl.load_workbook(copy)
    for sheet, ref in ERRORS:
        cell = wb[sheet][ref]
        assert _fill(cell) == RED, (sheet, ref)
        assert cell.comment is not None and "错误：" in cell.comment.text, (sheet, ref)
    for sheet, ref in WARNINGS:
        cell = wb[sheet][ref]
        assert _fill(cell) == YELLOW, (sheet, ref)
        assert cell.comment.text.startswith("警告："), (sheet, ref)
    assert "应为 男" in wb["汇总"]["C5"].comment.text or "应为 女" in wb["汇总"]["C5"].comment.text
    assert "重复" in wb["汇总"]["B6"].comment.text                      # the duplicate person's 姓名 cell


def test_clean_rows_carry_no_mark(annotated):
    _, _, copy, _ = annotated
    wb = openpyxl.load_workbook(copy)
    marked = ERRORS | WARNINGS
    for sheet in ("汇总", "商河县"):
        for row in wb[sheet].iter_rows():
            for cell in row:
                if (sheet, cell.coordinate) not in marked:
                    assert cell.comment is None, (sheet, cell.coordinate)
                    assert _fill(cell) not in (RED, YELLOW), (sheet, cell.coordinate)


def test_clerks_data_formats_merges_and_widths_are_kept(annotated):
    source, _, copy, _ = annotated
    original, marked = openpyxl.load_workbook(source), openpyxl.load_workbook(copy)
    assert marked.sheetnames == [LIST_SHEET, *original.sheetnames]
    for name in original.sheetnames:
        a, b = original[name], marked[name]
        assert [[c.value for c in r] for r in a.iter_rows()] == [[c.value for c in r] for r in b.iter_rows()]
        assert {str(r) for r in a.merged_cells.ranges} == {str(r) for r in b.merged_cells.ranges}
        assert {k: d.width for k, d in a.column_dimensions.items()} == \
            {k: d.width for k, d in b.column_dimensions.items()}
    assert marked["汇总"]["A1"].font.b and marked["汇总"]["A1"].font.sz == 16
    assert marked["汇总"]["F4"].number_format == "@"


def test_problem_list_links_to_each_cell(annotated):
    _, _, copy, result = annotated
    ws = openpyxl.load_workbook(copy)[LIST_SHEET]
    assert openpyxl.load_workbook(copy).sheetnames[0] == LIST_SHEET
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    findings = [line for line in result.output.splitlines() if ": 错误: " in line or ": 警告: " in line]
    assert len(rows) == len(findings) == 6
    links = {}
    for row in ws.iter_rows(min_row=3):
        cell = row[3]
        assert cell.hyperlink is not None, cell.value
        links[(row[2].value, cell.value)] = cell.hyperlink.location
    assert links[("商河县", "F3")] == "'商河县'!F3"
    assert links[("汇总", "I9")] == "'汇总'!I9"
    assert {r[4] for r in rows} == {"错误", "警告"}
    assert "共 4 个错误、2 个警告" in ws["A1"].value


def test_library_api_writes_only_workbooks_with_findings(tmp_path):
    clean = tmp_path / "clean.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(HEADER)
    wb.active.append([1, "张伟", "男", "汉族", "370124105000000001", make_id(seq="11"), "13812340001", "平阴县1号",
                      "济南技师学院"])
    wb.save(clean)
    bad = planted(tmp_path / "bad.xlsx")
    project, findings = check([clean, bad, CATALOG])
    written = annotate_workbooks(project, findings, tmp_path / "out")
    assert [p.name for p in written] == ["bad.xlsx"]


def test_csv_and_yaml_sources_get_the_list_only(runner, tmp_path):
    csv = tmp_path / "登记.csv"
    csv.write_text(",".join(HEADER) + "\n1,张伟,女,汉族,370124105000000001," + make_id(seq="11")
                   + ",13812340001,平阴县1号,济南技师学院\n", "utf-8")
    result = runner.invoke(main, ["check", str(csv), str(CATALOG), "--annotate", str(tmp_path / "out")])
    assert result.exit_code == 1
    listed = tmp_path / "out" / "登记.csv-问题清单.xlsx"
    assert listed.is_file() and not (tmp_path / "out" / "登记.csv").exists()
    ws = openpyxl.load_workbook(listed)[LIST_SHEET]
    row = [c.value for c in ws[3]]
    assert row[1:5] == ["登记.csv", None, "C2", "错误"] and "性别" in row[5]
    assert "CSV" in ws["A1"].value


def test_annotating_into_the_sources_folder_is_refused(runner, tmp_path):
    source = planted(tmp_path / "登记表.xlsx")
    before = source.read_bytes()
    result = runner.invoke(main, ["check", str(source), str(CATALOG), "--annotate", str(tmp_path)])
    assert result.exit_code == 2 and "会覆盖原文件" in result.output
    assert source.read_bytes() == before


def test_json_output_stays_json(runner, tmp_path):
    source = planted(tmp_path / "a.xlsx")
    result = runner.invoke(main, ["check", "--json", str(source), str(CATALOG), "--annotate", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert len(json.loads(result.stdout)) == 6
    assert (tmp_path / "o" / "a.xlsx").is_file()


def test_an_xls_gets_the_list_and_says_why(runner, tmp_path):
    xls = DATA / "formats" / "registrations.xls"
    result = runner.invoke(main, ["check", str(xls), str(CATALOG), "--annotate", str(tmp_path)])
    assert result.exit_code == 1
    ws = openpyxl.load_workbook(tmp_path / "registrations.xls-问题清单.xlsx")[LIST_SHEET]
    assert [c.value for c in ws[3]][2:5] == ["商河县", "F2", "错误"]
    assert "另存为 .xlsx" in ws["A1"].value


def test_a_workbook_too_big_to_copy_gets_the_list_and_says_why(runner, tmp_path, monkeypatch):
    import publisher.annotate as annotate
    monkeypatch.setattr(annotate, "MAX_ANNOTATE_BYTES", 1000)
    source = planted(tmp_path / "big.xlsx")
    result = runner.invoke(main, ["check", str(source), str(CATALOG), "--annotate", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert not (tmp_path / "o" / "big.xlsx").exists()
    ws = openpyxl.load_workbook(tmp_path / "o" / "big.xlsx-问题清单.xlsx")[LIST_SHEET]
    assert ws.max_row == 2 + 6 and "不在原表中标注" in ws["A1"].value


def test_a_merged_cell_is_marked_at_its_first_cell(runner, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "O'Neil 表"
    ws.append(HEADER)
    ws.append([1, "张伟", "男", "汉族", "370124105000000001", make_id(seq="11"), "13812340001", "平阴县1号",
               "不存在的技工学校"])
    ws.append([2, "李强", "男", "汉族", "370124105000000002", make_id(seq="13"), "13812340002", "平阴县2号", None])
    ws.merge_cells("I2:I3")
    wb.save(tmp_path / "m.xlsx")
    result = runner.invoke(main, ["check", str(tmp_path / "m.xlsx"), str(CATALOG), "--annotate", str(tmp_path / "o")])
    assert "O'Neil 表!I3" in result.output                       # the merged value is checked on both rows
    copy = openpyxl.load_workbook(tmp_path / "o" / "m.xlsx")
    comment = copy["O'Neil 表"]["I2"].comment.text
    assert _fill(copy["O'Neil 表"]["I2"]) == RED and comment.count("错误：") == 2 and "——" not in comment
    links = {row[3].hyperlink.location for row in copy[LIST_SHEET].iter_rows(min_row=3)}
    assert links == {"'O''Neil 表'!I2"}
