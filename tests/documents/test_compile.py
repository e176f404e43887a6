"""Provincial compilation: returns typed the way cities type them, checks at their Excel rows,
missing / late / erroneous cities, cross-city registrations, 精准比对, the three outputs."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import make_id, write_rows
from publisher.cli import main
from publisher.documents import compilation
from publisher.documents.compilation import cities_of, city_name, compile_project, rate_text
from publisher.checks import check_project
from publisher.project import load_project

TITLES = ["当年招收建档立卡贫困家庭子女人数（人）", "建档立卡贫困\n家庭子女在校生人数（人）",
          "建档立卡贫困\n家庭子女毕业生人数（人）", "建档立卡贫困家庭子女毕业生就业人数（人）",
          "当年面向建档立卡贫困家庭劳动者开展职业培训人数（人）", "培训后就业创业人数（人）"]


# ---------------------------------------------------------------- returns as cities type them

def seed_return(path: Path, unit: str, filled, rows, total=None) -> Path:
    """The seed's layout: title rows, 填表单位/填表时间, two-row merged header, 总计, 填表人."""
    body = [["附件1"], ["全省技工院校服务脱贫攻坚工作进展情况表"],
            [f"填表单位（盖章）：{unit}", None, None, None, None, f"填表时间：{filled}"],
            ["序号", "学校名称", "技工教育情况", None, None, None, "职业培训情况"],
            [None, None, *TITLES]]
    body += [[i, *r] for i, r in enumerate(rows, 1)]
    if total is not None:
        body.append(["总计", None, *total])
    body.append(["填表人：张三    联系电话：0531-86000001"])
    return write_rows(path, body, merges=("A4:A5", "B4:B5", "C4:F4", "G4:H4", "A2:H2"))


def messy_return(path: Path, unit: str, filled, rows) -> Path:
    """Hand-edited: header moved down, label and value in separate cells, a date cell, one-row header
    with half-width brackets, extra columns, blank rows between schools, a sheet renamed."""
    body = [[], ["说明：请于6月15日前报送"], [],
            ["填表单位：", unit, None, "填表时间", filled], [],
            ["序号", "学校名称", "联系人", *[t.replace("（人）", "(人)").replace("\n", "") for t in TITLES], "备注"]]
    for i, r in enumerate(rows, 1):
        body.append([i, r[0], "王老师", *r[1:], "已核"])
        body.append([])
    return write_rows(path, body, sheet="上半年")


def csv_return(path: Path, unit: str, filled: str, rows) -> Path:
    """A CSV saved by Excel on Chinese Windows (GB18030), numbers as text."""
    lines = [f"填表单位（盖章）：{unit},,,,,,填表时间：{filled},",
             "序号,学校名称," + ",".join(t.replace("\n", "") for t in TITLES)]
    lines += [f"{i}," + ",".join(str(v) for v in r) for i, r in enumerate(rows, 1)]
    path.write_bytes("\r\n".join(lines).encode("gb18030"))
    return path


@pytest.fixture
def returns(tmp_path):
    """Four cities, 2019-H1: seed layout, messy layout, CSV, and one with a wrong 总计 + broken rule."""
    folder = tmp_path / "returns"
    folder.mkdir()
    seed_return(folder / "jinan.xlsx", "济南市人力资源社会保障局", "2019年6月10日",
                [("济南技师学院", 10, 30, 8, 7, 100, 80), ("平阴县技工学校", "１２", "12人", 4, 4, 20, 15)],
                total=(22, 42, 12, 11, 120, 95))
    messy_return(folder / "东营上报.xlsx", "东营人社局", dt.datetime(2019, 6, 14),
                 [("东营技师学院", 5, 15, 3, 3, 40, 30), ("广饶县技工学校", 2, 6, 0, 0, 0, 0)])
    csv_return(folder / "烟台.csv", "烟台市人力资源和社会保障局", "2019年6月20日",
               [("烟台工贸技师学院", 7, 21, "６", 5, 50, 45)])
    seed_return(folder / "潍坊.xlsx", "潍坊市人力资源社会保障局", "2019年6月12日",
                [("潍坊技师学院", 9, 20, 5, 7, 30, 20), ("寿光市职业中专", 3, 9, 2, 1, 10, 12)],
                total=(12, 29, 7, 8, 40, 99))
    return folder


def _sheet_values(path: Path, sheet: str) -> list[tuple]:
    wb = openpyxl.load_workbook(path)
    return [tuple(r) for r in wb[sheet].iter_rows(values_only=True)]


def _compile(runner, out, *args):
    result = runner.invoke(main, ["compile", *map(str, args), "-o", str(out)])
    assert "Traceback" not in result.output and "内部错误" not in result.output, result.output
    return result


# ---------------------------------------------------------------- totals

def test_cities_typed_differently_compile_to_the_right_totals(runner, returns, tmp_path):
    out = tmp_path / "out"
    result = _compile(runner, out, returns, "--year", "2019", "--period", "H1")
    assert result.exit_code == 3, result.output                     # made; 潍坊's return rejected
    xlsx = out / "进展情况汇总表-2019年上半年.xlsx"
    assert xlsx.is_file() and (out / "进展情况汇总表-2019年上半年.pdf").is_file()
    rows = _sheet_values(xlsx, "汇总")
    assert rows[0][0] == "山东省技工院校服务脱贫攻坚工作进展情况汇总表（2019年上半年）"
    data = {r[1]: r for r in rows[4:] if r[0] and r[0] != "总计" and isinstance(r[0], int)}
    # 序号 市 学校数 招收 在校 毕业 就业 就业率 培训 培训后就业 率 备注; 潍坊 is left out (errors)
    assert list(data) == ["济南市", "东营市", "烟台市"]          # the province's order
    assert data["济南市"][2:7] == (2, 22, 42, 12, 11)
    assert data["济南市"][8:10] == (120, 95)
    assert data["东营市"][2:7] == (2, 7, 21, 3, 3)
    assert data["烟台市"][3:7] == (7, 21, 6, 5)
    total = next(r for r in rows if r[0] == "总计")
    assert total[2:7] == (5, 36, 84, 21, 19) and total[8:10] == (210, 170)
    assert total[7] == pytest.approx(19 / 21, abs=1e-6) and total[10] == pytest.approx(170 / 210, abs=1e-6)
    note = next(r[0] for r in rows if r[0] and str(r[0]).startswith("说明"))
    assert "潍坊市报表有错误，未计入总计" in note and "逾期报送：烟台市" in note
    # warnings of the typed numbers are shown, with their cells
    assert "jinan.xlsx:Sheet1!C7: 警告" in result.output and "“12人”" in result.output


def test_rates_one_decimal_half_up_and_dash_for_zero():
    assert rate_text((1, 8)) == "12.5%"
    assert rate_text((2, 3)) == "66.7%"
    assert rate_text((1, 3)) == "33.3%"
    assert rate_text((1, 1)) == "100.0%"
    assert rate_text(None) == "—"
    assert compilation.rate(5, 0) is None


def test_city_names_as_bureaus_write_them():
    assert city_name("济南市人力资源社会保障局") == "济南市"
    assert city_name("山东省青岛市人社局") == "青岛市"
    assert city_name("威海人社局") == "威海市"
    assert city_name("某某市人社局") == "某某市"


# ---------------------------------------------------------------- missing / late / errors

def test_missing_cities_differ_between_2018_and_2019(tmp_path):
    assert len(cities_of(2018)) == 17 and "莱芜市" in cities_of(2018)
    assert len(cities_of(2019)) == 16 and "莱芜市" not in cities_of(2019)
    seed_return(tmp_path / "a.xlsx", "济南市人力资源社会保障局", "2018年12月10日", [("济南技师学院", 1, 1, 1, 1, 1, 1)])
    seed_return(tmp_path / "b.xlsx", "青岛市人力资源社会保障局", "2018年12月11日", [("青岛技师学院", 1, 1, 1, 1, 1, 1)])
    project = load_project([tmp_path])
    comp = compile_project(project, check_project(project))
    assert str(comp.period) == "2018-H2"
    assert len(comp.missing) == 15 and "莱芜市" in comp.missing and "济南市" not in comp.missing
    comp19 = compile_project(project, project.findings, 2019, "H1")
    # both returns belong to 2018-H2, so every one of 2019's 16 cities is missing
    assert comp19.missing == list(cities_of(2019))
    assert {r.status for r in comp19.returns} == {compilation.OTHER_PERIOD}
    assert any(f.code == "compile.other_period" for f in comp19.findings)


def test_status_sheet_lists_missing_late_and_erroneous(runner, returns, tmp_path):
    out = tmp_path / "out"
    assert _compile(runner, out, returns).exit_code == 3            # period from 填表时间; 潍坊 rejected
    rows = _sheet_values(out / "进展情况汇总表-2019年上半年.xlsx", "报送情况")
    by_city = {}
    for r in rows[3:]:
        by_city.setdefault(r[1], []).append(r)
    assert by_city["青岛市"][0][2] == "未报送" and by_city["菏泽市"][0][2] == "未报送"
    assert "莱芜市" not in by_city
    assert sum(1 for r in rows[3:] if r[2] == "未报送") == 16 - 4
    yantai = by_city["烟台市"][0]
    assert "逾期报送" in yantai[2] and yantai[3] == "2019年6月20日"
    weifang = by_city["潍坊市"][0]
    assert weifang[2] == "有错误，未计入汇总"
    assert "Sheet1!F6 错误：潍坊技师学院：毕业生就业人数 7 大于毕业生人数 5" in weifang[5]
    assert "Sheet1!H7 错误：寿光市职业中专：培训后就业创业人数 12 大于培训人数 10" in weifang[5]
    assert "Sheet1!F8" not in weifang[5]                       # 7+1 = 8 is right
    assert "Sheet1!H8 错误：总计中培训后就业创业人数（人）写的是 99，但各行相加为 32" in weifang[5]


def test_rule_breaks_and_wrong_total_are_caught_at_their_rows(runner, returns):
    result = runner.invoke(main, ["check", "--json", str(returns / "潍坊.xlsx")])
    assert result.exit_code == 1
    found = {(r["code"], r["row"], r["column"]) for r in json.loads(result.stdout)}
    assert ("progress.employed_gt_graduates", 6, "F") in found
    assert ("progress.trained_employed_gt_trained", 7, "H") in found
    assert ("total.mismatch", 8, "H") in found
    assert ("total.mismatch", 8, "F") not in found             # 7+1 = 8 is right
    text = runner.invoke(main, ["check", str(returns / "潍坊.xlsx")]).output
    assert "潍坊.xlsx:Sheet1!H8: 错误: 总计中培训后就业创业人数（人）写的是 99，但各行相加为 32" in text


def test_late_return_is_a_warning_at_its_date_cell(runner, returns):
    result = runner.invoke(main, ["check", "--json", str(returns / "烟台.csv")])
    records = json.loads(result.stdout)
    late = [r for r in records if r["code"] == "report.late"]
    assert late and late[0]["row"] == 1 and "2019年6月15日" in late[0]["message"]
    assert result.exit_code == 0


def test_erroneous_return_is_left_out_of_the_totals(returns):
    project = load_project([returns])
    comp = compile_project(project, check_project(project))
    statuses = {r.city: r.status for r in comp.returns}
    assert statuses["潍坊市"] == compilation.ERRORS
    assert comp.total.counts["enrolled"] == 22 + 7 + 7
    assert "潍坊市" not in [r.city for r in comp.rows]
    assert "潍坊市" not in comp.missing
    assert [r.city for r in comp.late] == ["烟台市"]
    assert compilation.reports(project) and all(not n.endswith("publisher.yaml") for n in compilation.reports(project))


def test_superseded_and_merged_city(tmp_path):
    seed_return(tmp_path / "jn1.xlsx", "济南市人力资源社会保障局", "2019年6月5日", [("济南技师学院", 1, 1, 1, 1, 1, 1)])
    seed_return(tmp_path / "jn2.xlsx", "济南市人力资源社会保障局", "2019年6月9日", [("济南技师学院", 2, 2, 2, 2, 2, 2)])
    seed_return(tmp_path / "lw.xlsx", "莱芜市人力资源社会保障局", "2019年6月9日", [("莱芜技师学院", 3, 3, 3, 3, 3, 3)])
    project = load_project([tmp_path])
    comp = compile_project(project, check_project(project))
    status = {Path(r.display).name: r.status for r in comp.returns}
    assert status == {"jn1.xlsx": compilation.SUPERSEDED, "jn2.xlsx": compilation.INCLUDED,
                      "lw.xlsx": compilation.NOT_A_CITY}
    assert comp.total.counts["enrolled"] == 2
    message = next(f.message for f in comp.findings if f.code == "compile.city_unknown")
    assert "并入济南市" in message


# ---------------------------------------------------------------- registrations

def registrations(path: Path, unit: str, people) -> Path:
    body = [["附件2"], [f"{unit[:3]}精准技能扶贫对象登记汇总表"],
            [f"填表单位（盖章）：{unit}", None, None, None, None, "填表时间：2019年6月1日"],
            ["序号", "姓名", "性别", "民族", "扶贫卡编号", "身份证号", "联系电话", "家庭详细地址", "拟就读技工院校"]]
    body += [[i, name, "男", "汉族", card, id_no, "13800000000", "某村", school]
             for i, (name, card, id_no, school) in enumerate(people, 1)]
    return write_rows(path, body)


def test_same_id_in_two_cities_names_both_files_and_rows(runner, tmp_path):
    shared = make_id(seq="21")
    registrations(tmp_path / "济南登记.xlsx", "济南市人力资源社会保障局",
                  [("张一", "P001", make_id(seq="11"), "济南技师学院"), ("李二", "P002", shared, "济南技师学院")])
    registrations(tmp_path / "青岛登记.xlsx", "青岛市人力资源社会保障局",
                  [("李二", "P002", shared, "青岛技师学院"), ("王三", "P003", make_id(seq="31"), "青岛技师学院"),
                   ("赵四", "P004", make_id(seq="41"), "平度市技工学校")])
    result = runner.invoke(main, ["check", "--json", str(tmp_path / "济南登记.xlsx"), str(tmp_path / "青岛登记.xlsx")])
    dup = [r for r in json.loads(result.stdout) if r["code"] == "id.duplicate_across"]
    assert len(dup) == 1
    assert dup[0]["file"].endswith("青岛登记.xlsx") and dup[0]["row"] == 5 and dup[0]["column"] == "F"
    assert "济南登记.xlsx:Sheet1!F6" in dup[0]["message"] and "济南市" in dup[0]["message"]
    out = tmp_path / "out"
    result = _compile(runner, out, tmp_path / "济南登记.xlsx", tmp_path / "青岛登记.xlsx")
    assert result.exit_code == 3, result.output                     # made; the duplicate listed
    xlsx = next(out.glob("*.xlsx"))
    rows = _sheet_values(xlsx, "登记汇总")
    flat = [c for r in rows for c in r if c is not None]
    assert "济南市" in flat and "跨市重复登记（同一身份证号在两个市登记）" in flat
    where = next(c for c in flat if isinstance(c, str) and c.endswith("青岛登记.xlsx:Sheet1!F5"))
    assert where
    # 青岛's file has an error (the duplicate), so it is listed and left out of the counts
    status = _sheet_values(xlsx, "报送情况")
    qd = next(r for r in status if r[1] == "青岛市")
    assert "未计入" in qd[2] and "济南登记.xlsx:Sheet1!F6" in qd[5]
    jn = next(r for r in rows if r[0] == "济南市")
    assert jn[1] == 2
    assert any(isinstance(c, str) and "青岛市的附件2有错误，未计入登记人数" in c for c in flat)
    text = subprocess.run(["pdftotext", str(next(out.glob("*.pdf"))), "-"], capture_output=True, text=True).stdout
    assert "跨市重复登记" in text and "青岛市的附件2有错误" in text


def test_registry_reports_missing_person_and_mismatches(runner, tmp_path):
    ids = [make_id(seq=s) for s in ("11", "21", "31")]
    registrations(tmp_path / "reg.xlsx", "济南市人力资源社会保障局",
                  [("张一", "P001", ids[0], "济南技师学院"), ("李二", "P002", ids[1], "济南技师学院"),
                   ("王三", "P003", ids[2], "济南技师学院")])
    registry = write_rows(tmp_path / "建档立卡名单.xlsx", [
        ["建档立卡贫困人口名单"], ["身份证号", "扶贫卡编号", "姓名"],
        [ids[0], "P001", "张一"], [ids[1], "P999", "李贰"]])
    result = runner.invoke(main, ["check", "--json", str(tmp_path / "reg.xlsx"), "--registry", str(registry)])
    assert result.exit_code == 1
    found = {(r["code"], r["row"], r["column"]): r["message"] for r in json.loads(result.stdout)}
    assert ("registry.missing", 7, "F") in found and "王三" in found[("registry.missing", 7, "F")]
    assert "P999" in found[("registry.card_no", 6, "E")]
    assert "李贰" in found[("registry.name", 6, "B")]
    assert not any(k[1] == 5 for k in found)
    assert runner.invoke(main, ["check", str(tmp_path / "reg.xlsx"), "--registry", "nope.xlsx"]).exit_code == 2


# ---------------------------------------------------------------- outputs

def test_outputs_chart_pdf_docx(runner, returns, tmp_path):
    out = tmp_path / "out"
    assert _compile(runner, out, returns).exit_code == 3
    stem = out / "进展情况汇总表-2019年上半年"
    wb = openpyxl.load_workbook(stem.with_suffix(".xlsx"))
    assert wb.sheetnames == ["汇总", "明细", "报送情况"]
    assert len(wb["汇总"]._charts) == 1
    with zipfile.ZipFile(stem.with_suffix(".xlsx")) as z:
        chart_xml = z.read(next(n for n in z.namelist() if n.startswith("xl/charts/chart"))).decode()
    assert "<barChart>" in chart_xml and "毕业生就业率" in chart_xml
    assert "'汇总'!$H$5:$H$7" in chart_xml and "'汇总'!$K$5:$K$7" in chart_xml and "'汇总'!$B$5:$B$7" in chart_xml
    detail = _sheet_values(stem.with_suffix(".xlsx"), "明细")
    assert [r[2] for r in detail[3:]] == ["济南技师学院", "平阴县技工学校", "东营技师学院", "广饶县技工学校", "烟台工贸技师学院"]

    pdf = stem.with_suffix(".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "841.89 x 595.28" in info or "841.89 x 595.276" in info            # A4 landscape
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "山东省技工院校服务脱贫攻坚工作进展情况汇总表（2019年上半年）" in text
    assert "未计入总计" in text and "（印章）" in text and "未报送" in text
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True).stdout
    assert len(images.strip().splitlines()) >= 3                             # header lines + the chart

    with zipfile.ZipFile(stem.with_suffix(".docx")) as z:
        xml = z.read("word/document.xml").decode()
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert 'w:orient="landscape"' in xml and 'w:w="16838"' in xml
    assert "山东省技工院校服务脱贫攻坚工作进展情况汇总表（2019年上半年）" in xml
    assert "（印章）" in xml and 'prst="ellipse"' in xml
    assert len(media) == 1 and media[0].endswith(".png")
    assert "潍坊市报表有错误，未计入总计" in xml


def test_outputs_are_reproducible(returns, tmp_path):
    # two processes, as two users' runs are (shape ids in a DOCX count up within one process)
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        done = subprocess.run(["publisher", "compile", str(returns), "--format", "xlsx,docx", "-o", str(out)],
                              capture_output=True)
        assert done.returncode == 3, done.stderr                    # 潍坊's return is rejected
    for name in ("进展情况汇总表-2019年上半年.xlsx", "进展情况汇总表-2019年上半年.docx"):
        assert (a / name).read_bytes() == (b / name).read_bytes()


def test_build_compiles_a_province_project(runner, returns, tmp_path):
    (returns.parent / "publisher.yaml").write_text(
        "issuer: {name: 山东省人力资源和社会保障厅, code: 鲁人社字}\ncity: 山东省\nyear: 2019\n", "utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(returns.parent), "-o", str(out), "--format", "xlsx"])
    assert result.exit_code == 3, result.output                     # built; the rejected return listed
    assert "潍坊.xlsx:Sheet1!H8: 错误" in result.output                      # reported, not blocking
    assert (out / "进展情况汇总表-2019年上半年.xlsx").is_file()


def test_one_city_project_is_not_a_compilation(tmp_path):
    seed_return(tmp_path / "p.xlsx", "济南市人力资源社会保障局", "2019年6月10日", [("济南技师学院", 1, 1, 1, 1, 1, 1)])
    project = load_project([tmp_path])
    assert not compilation._is_compilation(project)
    from publisher.kinds import kind
    assert not kind("compilation").wants(project)


def test_compile_without_returns_is_bad_usage(runner, tmp_path):
    (tmp_path / "x.yaml").write_text("kind: catalog\ncity: 济南市\nyear: 2019\nschools: []\n", "utf-8")
    result = _compile(runner, tmp_path / "out", tmp_path / "x.yaml")
    assert result.exit_code == 2 and "附件1" in result.output
    result = _compile(runner, tmp_path / "out", tmp_path / "x.yaml", "--year", "2019")
    assert result.exit_code == 2
