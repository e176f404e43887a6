"""Nothing passes in silence: admissions over plan, a catalog without 发布日期, two returns of one city."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

from conftest import make_id, write_rows
from publisher.checks import check_project
from publisher.cli import main
from publisher.documents import compilation
from publisher.documents.compilation import compile_project
from publisher.project import load_project
from test_compile import seed_return

ADMISSION_HEADER = ["序号", "姓名", "性别", "民族", "扶贫卡编号", "身份证号", "联系电话", "家庭详细地址",
                    "拟就读技工院校", "录取院校", "录取专业"]
CATALOG = """kind: catalog
city: 济南市
year: 2019
{date}schools:
  - name: 济南技师学院
    type: 技师学院
    affiliation: 市属
    report: {{date: 2019-09-01, place: 报到处}}
    majors:
      - {{code: "0103", name: 数控加工, level: 高级工, years: 5, plan: 3}}
      - {{code: "0601", name: 计算机网络应用, level: 高级工, years: 5, plan: 40}}
"""


def catalog(path: Path, date: str = "published_on: 2019-02-27\n") -> Path:
    path.write_text(CATALOG.format(date=date), "utf-8")
    return path


def admissions(path: Path, majors: list[str]) -> Path:
    rows = [ADMISSION_HEADER]
    for n, major in enumerate(majors, 1):
        rows.append([n, f"学生{n}", "男", "汉族", f"3701241050000000{n:02d}", make_id(seq=f"{n:02d}"),
                     f"138123400{n:02d}", f"平阴县{n}号", "济南技师学院", "济南技师学院", major])
    return write_rows(path, rows)


def test_admitted_beyond_the_plan_is_a_warning_at_the_first_student_over(runner, tmp_path):
    cat = catalog(tmp_path / "catalog.yaml")
    adm = admissions(tmp_path / "admissions.xlsx", ["数控加工"] * 5 + ["计算机网络应用"] * 2)
    result = runner.invoke(main, ["check", "--json", str(adm), str(cat)])
    assert result.exit_code == 0, result.output
    [warning] = [f for f in json.loads(result.stdout) if f["code"] == "admission.over_plan"]
    assert (warning["sheet"], warning["row"], warning["column"], warning["level"]) == ("Sheet1", 5, "K", "warning")
    assert "济南技师学院“数控加工”专业录取 5 人，超过济南市2019年度目录的招生计划 3 人" in warning["message"]
    assert "2 人超出计划" in warning["message"]


def test_within_the_plan_says_nothing(runner, tmp_path):
    cat = catalog(tmp_path / "catalog.yaml")
    adm = admissions(tmp_path / "admissions.xlsx", ["数控加工"] * 3)
    result = runner.invoke(main, ["check", str(adm), str(cat)])
    assert result.exit_code == 0 and "没有发现问题" in result.output, result.output


def test_catalog_without_date_warns_and_prints_no_empty_date_line(runner, tmp_path):
    cat = catalog(tmp_path / "catalog.yaml", date="")
    result = runner.invoke(main, ["check", "--json", str(cat)])
    [warning] = json.loads(result.stdout)
    assert (warning["code"], warning["level"]) == ("catalog.no_date", "warning")
    out = tmp_path / "out"
    made = runner.invoke(main, ["catalog", str(cat), "-o", str(out), "--format", "docx,xlsx,html"])
    assert made.exit_code == 0, made.output
    stem = "济南市2019年度精准技能扶贫技工院校和专业目录"
    with zipfile.ZipFile(out / f"{stem}.docx") as z:
        assert "发布日期" not in z.read("word/document.xml").decode("utf-8")
    import openpyxl
    ws = openpyxl.load_workbook(out / f"{stem}.xlsx")["目录"]
    assert not any(isinstance(c, str) and c.startswith("发布日期") for row in ws.iter_rows(values_only=True) for c in row)
    assert "发布日期" not in (out / f"{stem}.html").read_text("utf-8").split("<body", 1)[1].split("<table")[0]


def test_catalog_with_date_keeps_its_line(runner, tmp_path):
    cat = catalog(tmp_path / "catalog.yaml")
    out = tmp_path / "out"
    assert runner.invoke(main, ["catalog", str(cat), "-o", str(out), "--format", "docx"]).exit_code == 0
    with zipfile.ZipFile(out / "济南市2019年度精准技能扶贫技工院校和专业目录.docx") as z:
        assert "发布日期：2019年2月27日" in z.read("word/document.xml").decode("utf-8")


# ---------------------------------------------------------------- two returns of one city

ROW = [("济南技师学院", 1, 1, 1, 1, 1, 1)]


def test_two_returns_with_the_same_date_are_an_error_not_a_silent_pick(runner, tmp_path):
    seed_return(tmp_path / "济南市.xlsx", "济南市人力资源社会保障局", "2019年6月9日", ROW)
    seed_return(tmp_path / "济南市（更正版）.xlsx", "济南市人力资源社会保障局", "2019年6月9日",
                [("济南技师学院", 2, 2, 2, 2, 2, 2)])
    seed_return(tmp_path / "青岛市.xlsx", "青岛市人力资源社会保障局", "2019年6月9日", ROW)
    project = load_project([tmp_path])
    comp = compile_project(project, check_project(project))
    status = {Path(r.display).name: r.status for r in comp.returns}
    assert status == {"济南市.xlsx": compilation.ERRORS, "济南市（更正版）.xlsx": compilation.ERRORS,
                      "青岛市.xlsx": compilation.INCLUDED}
    errors = [f for f in comp.findings if f.code == "compile.duplicate_return"]
    assert len(errors) == 2 and all(f.is_error and f.location.column for f in errors)
    assert "填表时间都是 2019年6月9日" in errors[0].message and "请删去作废的一份" in errors[0].message
    result = runner.invoke(main, ["compile", str(tmp_path), "-o", str(tmp_path / "out"), "--format", "xlsx"])
    assert result.exit_code == 3, result.output
    assert "无法判断以哪份为准" in result.output


def test_the_later_return_is_used_and_the_run_says_which_and_why(runner, tmp_path):
    seed_return(tmp_path / "济南市.xlsx", "济南市人力资源社会保障局", "2019年6月5日", ROW)
    seed_return(tmp_path / "济南市（更正版）.xlsx", "济南市人力资源社会保障局", "2019年6月9日",
                [("济南技师学院", 2, 2, 2, 2, 2, 2)])
    seed_return(tmp_path / "青岛市.xlsx", "青岛市人力资源社会保障局", "2019年6月9日", ROW)
    result = runner.invoke(main, ["compile", str(tmp_path), "-o", str(tmp_path / "out"), "--format", "xlsx"])
    assert result.exit_code == 0, result.output
    assert ("济南市：本期有 2 份报表，使用 济南市（更正版）.xlsx（填表时间 2019年6月9日，最晚）；"
            "未使用 济南市.xlsx（填表时间 2019年6月5日）") in result.output
