"""No text from the sources ever becomes an XLSX formula, in any workbook publisher writes (issue 11, item 8).

Texts starting with = + - @ go in as school, city, person, address, major and file names; every
cell of every output workbook is read back with openpyxl: no formula except the product's own
(the blank forms' SUM/COUNTA/序号), and the text intact.
"""
from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from conftest import make_id
from publisher.cli import main

HOSTILE = ("=1+1", "+1", "-1", "@SUM(A1)")
OWN_FORMULA = re.compile(r"=(SUM|COUNTA)\([A-Z]+\d+:[A-Z]+\d+\)|=IF\(B\d+=\"\",\"\",ROW\(\)-\d+\)")
SCHOOLS = [f"{h}技师学院" for h in HOSTILE]
MAJOR = "=HYPERLINK(\"http://example.invalid\")"


def dump(path: Path, data) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def catalog(folder: Path, year: int = 2019, schools=SCHOOLS) -> Path:
    majors = [{"code": "0103", "name": MAJOR, "level": "中级工", "years": 3, "plan": 40, "note": "@note"},
              {"code": "0104", "name": "数控加工", "level": "中级工", "years": 3, "plan": 30, "note": ""}]
    return dump(folder / f"=catalog-{year}.yaml", {
        "kind": "catalog", "city": "=1+1", "year": year, "published_on": f"{year}-02-26",
        "schools": [{"name": name, "type": "技师学院", "affiliation": "市属", "address": "@SUM(A1)",
                     "phone": "-1", "report": {"date": f"{year}-09-01", "place": "+报到处"},
                     "majors": majors[: 2 if year == 2019 else 1]} for name in schools]})


def people(kind: str) -> dict:
    rows = []
    for i, (h, school) in enumerate(zip(HOSTILE, SCHOOLS), 1):
        row = {"name": h, "gender": "男", "ethnicity": "汉族", "card_no": f"3701241050{i:08d}",
               "id_no": make_id(seq=f"{i:02d}"), "phone": "13812345678", "address": "@SUM(A1)",
               "school": school, "major": MAJOR}
        if kind == "admissions":
            row.update(admitted_school=school, admitted_major=MAJOR, admission_no=f"-{i}")
        rows.append(row)
    return {"kind": kind, "city": "=1+1", "filled_on": "2019-07-15", "filled_by": "+张三", "phone": "-1", "rows": rows}


def progress(city_unit: str) -> dict:
    return {"kind": "progress", "city": city_unit, "unit": city_unit, "period": "2019-H1", "filled_on": "2019-06-10",
            "filled_by": "@张三", "rows": [{"school": s, "enrolled": 3, "in_school": 9, "graduates": 2, "employed": 1,
                                            "trained": 5, "trained_employed": 4} for s in SCHOOLS]}


def run(args):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    src = tmp_path_factory.mktemp("src")
    out = tmp_path_factory.mktemp("out")
    cat = catalog(src)
    previous = catalog(src, 2018, SCHOOLS[:2] + ["-旧学校"])
    reg = dump(src / "=registrations.yaml", people("registrations"))
    adm = dump(src / "@admissions.yaml", people("admissions"))
    jinan = dump(src / "=1+1.yaml", progress("济南市人力资源社会保障局"))
    other = dump(src / "+2.yaml", {**progress("=1+1"), "rows": progress("=1+1")["rows"][:1]})
    run(["catalog", cat, "--previous", previous, "-o", out / "catalog", "--format", "xlsx"])
    run(["form", "attachment2", reg, "--catalog", cat, "-o", out / "form2", "--format", "xlsx"])
    run(["form", "attachment1", jinan, "-o", out / "form1", "--format", "xlsx"])
    run(["form", "attachment1", "--blank", "--catalog", cat, "--city", "=1+1", "-o", out / "blank1", "--format", "xlsx"])
    run(["form", "attachment2", "--blank", "--catalog", cat, "--city", "@SUM(A1)", "-o", out / "blank2",
         "--format", "xlsx"])
    run(["admissions", adm, "--catalog", cat, "-o", out / "adm", "--format", "xlsx"])
    run(["compile", jinan, other, reg, "-o", out / "compile", "--format", "xlsx"])
    return sorted(out.rglob("*.xlsx"))


def cells(path: Path):
    for ws in openpyxl.load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield ws.title, cell


def test_every_xlsx_output_was_made(workbooks):
    names = {p.parent.name if p.parent.name in ("catalog", "form1", "form2", "blank1", "blank2", "compile") else "adm"
             for p in workbooks}
    assert names == {"catalog", "form1", "form2", "blank1", "blank2", "compile", "adm"}
    assert len(workbooks) >= 11            # 4 rosters + 录取情况汇总 among them


def test_no_cell_is_a_formula_from_data(workbooks):
    for path in workbooks:
        for sheet, cell in cells(path):
            if cell.data_type == "f":
                assert "blank" in path.parent.name and OWN_FORMULA.fullmatch(cell.value), \
                    f"{path.name}:{sheet}!{cell.coordinate} = {cell.value!r}"


def test_hostile_text_is_kept_as_text(workbooks):
    texts = {}
    for path in workbooks:
        texts[path] = {cell.value for _, cell in cells(path) if isinstance(cell.value, str)}
    everything = set().union(*texts.values())
    for expected in [*SCHOOLS, MAJOR, "@SUM(A1)", *HOSTILE[:1], "@note", "-1"]:
        assert expected in everything, expected
    roster = next(p for p in workbooks if p.name == "录取名单.xlsx" and p.parent.name.startswith("=1+1"))
    assert "=1+1技师学院录取名单（共1人）" in texts[roster]
    assert any(t.startswith("=1+1") and "年度" in t for t in texts[next(p for p in workbooks if "catalog" in str(p))])


def test_blank_forms_keep_their_own_formulas(workbooks):
    for path in workbooks:
        if "blank" in path.parent.name:
            formulas = [cell.value for _, cell in cells(path) if cell.data_type == "f"]
            assert any(f.startswith("=SUM(") or f.startswith("=COUNTA(") for f in formulas), path.name
            assert any(f.startswith("=IF(") for f in formulas), path.name


def test_writers_use_the_guard_only():
    """No XLSX writer sets a cell by hand: values go through render.xlsx.put/new_cell/formula."""
    from conftest import ROOT
    raw = re.compile(r"\.value\s*=(?!=)|WriteOnlyCell|\b(ws|ds|ss|rs|lists|sheet)\[[^\]]+\]\s*=(?!=)|\.cell\([^()]*,[^()]*,[^()]*\)"
                     r"|\b(ws|ds|ss|rs|lists|sheet)\.append\((?!\[(_cell\(|new_cell\(|title\]))")
    offenders = []
    for path in sorted((ROOT / "publisher").rglob("*.py")):
        if path.name == "xlsx.py" and path.parent.name == "render":
            continue
        text = path.read_text("utf-8")
        if "openpyxl" not in text and "xlsx" not in path.name:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if raw.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
