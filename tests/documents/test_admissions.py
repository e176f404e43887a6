"""Admission letters: per school PDF pages, DOCX files and roster rows equal the students; stable numbers."""
from __future__ import annotations

import importlib.util
import re
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from publisher.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _maker():
    spec = importlib.util.spec_from_file_location("make_admissions", ROOT / "bench" / "make_admissions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def pdf_text(pdf: Path, page: int = 1) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def run(*args):
    return CliRunner().invoke(main, ["admissions", *map(str, args)], catch_exceptions=False)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("adm")
    adm, cat = _maker().make(folder, 60, schools=3)
    ws = load_workbook(adm).active
    head = [c.value for c in ws[3]]
    col = head.index("录取院校")
    per_school = Counter(row[col] for row in ws.iter_rows(min_row=4, values_only=True) if row[0] is not None)
    return adm, cat, per_school


@pytest.fixture(scope="module")
def built(data, tmp_path_factory):
    adm, cat, _ = data
    out = tmp_path_factory.mktemp("out") / "o"
    result = run(adm, "--catalog", cat, "-o", out, "--labels")
    assert result.exit_code == 0, result.output
    return out


def test_per_school_outputs_hold_every_student(data, built):
    _, _, per_school = data
    assert len(per_school) == 3 and sum(per_school.values()) == 60
    for school, count in per_school.items():
        folder = built / school
        assert pages(folder / "录取通知书.pdf") == count
        assert len(list((folder / "通知书").glob("*.docx"))) == count
        ws = load_workbook(folder / "录取名单.xlsx").active
        rows = [r for r in ws.iter_rows(min_row=3, values_only=True) if r[0] is not None]
        assert len(rows) == count
        assert ws["F3"].number_format == "@" and isinstance(ws["F3"].value, str) and len(ws["F3"].value) == 18
        assert ws.print_title_rows == "$1:$2" and ws.page_setup.orientation == "landscape"
        assert pages(folder / "邮寄标签.pdf") == -(-count // 14)
        with zipfile.ZipFile(folder / "录取通知书.docx") as package:
            xml = package.read("word/document.xml").decode()
        # the built-in template has no header: one section, each letter from a new page
        assert xml.count("<w:sectPr") == 1 and xml.count("<w:pageBreakBefore/>") == count - 1


def test_letter_text_pdf_and_docx(built):
    folder = built / "济南技师学院"
    ws = load_workbook(folder / "录取名单.xlsx").active
    number, name = ws["B3"].value, ws["C3"].value
    text = re.sub(r"\s+", "", pdf_text(folder / "录取通知书.pdf", 1))
    for words in ("济南技师学院", "录取通知书", f"录取编号：{number}", f"{name}同学",
                  "免学费、免住宿费、免教材费、免费提供勤工俭学岗位、免费推荐就业岗位，享受国家助学金",
                  "每生每年3000元", "免收职业技能鉴定费和证书费", "身份证、户口本复印件、扶贫卡（建档立卡证明）",
                  "2019年9月1日", "学校新生报到处", "（印章）", "2019年7月15日"):
        assert words in text, words
    docx = folder / "通知书" / f"{number}-{name}.docx"
    with zipfile.ZipFile(docx) as package:
        xml = package.read("word/document.xml").decode()
        assert package.testzip() is None
    plain = re.sub(r"<[^>]+>", "", xml)
    assert f"{name}同学" in plain and "每生每年3000元" in plain and "@@" not in xml and "{{" not in xml
    assert 'w:w="11906" w:h="16838"' in xml                       # A4
    assert 'prstDash val="dash"' in xml and "（印章）" in xml        # the seal placeholder
    assert 'w:eastAsia="仿宋_GB2312"' in xml


def test_numbers_and_bytes_stable_across_runs(data, built, tmp_path):
    adm, cat, _ = data
    out = tmp_path / "again"
    assert run(adm, "--catalog", cat, "-o", out, "--labels").exit_code == 0
    first = sorted(p.relative_to(built).as_posix() for p in built.rglob("*.docx"))
    second = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.docx"))
    assert first == second
    assert all(re.fullmatch(r".*/通知书/2019\d{6}-.+\.docx", p) for p in first if "/通知书/" in p)
    assert sum("/通知书/" in p for p in first) == 60
    for rel in ("济南技师学院/录取通知书.pdf", "济南技师学院/录取通知书.docx", "济南技师学院/录取名单.xlsx",
                "录取情况汇总.xlsx", first[0]):
        assert (built / rel).read_bytes() == (out / rel).read_bytes(), rel


def test_major_not_offered_fails_at_the_cell(data, tmp_path):
    adm, cat, _ = data
    wb = load_workbook(adm)
    ws = wb.active
    ws["M5"] = "不存在的专业"
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    out = tmp_path / "out"
    result = run(bad, "--catalog", cat, "-o", out)
    assert result.exit_code == 1
    assert re.search(r"bad\.xlsx:录取名单!M5: 错误: .*没有“不存在的专业”专业", result.output), result.output
    assert "未生成任何文件" in result.output
    assert not out.exists()


def test_school_option_limits_output(data, tmp_path):
    adm, cat, per_school = data
    out = tmp_path / "one"
    result = run(adm, "--catalog", cat, "-o", out, "--school", "山东公路技师学院", "--format", "pdf,xlsx", "--mask")
    assert result.exit_code == 0, result.output
    folders = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert folders == ["山东公路技师学院"]
    assert pages(out / "山东公路技师学院" / "录取通知书.pdf") == per_school["山东公路技师学院"]
    assert not (out / "山东公路技师学院" / "通知书").exists()
    ws = load_workbook(out / "山东公路技师学院" / "录取名单.xlsx").active
    assert re.fullmatch(r"\d{6}\*{8}\d{3}[\dX]", ws["F3"].value)
    summary = load_workbook(out / "录取情况汇总.xlsx").active
    assert summary.cell(summary.max_row, 2).value == "总计"
    assert summary.cell(summary.max_row, 7).value == per_school["山东公路技师学院"]


def test_unknown_school_option_is_a_usage_error(data, tmp_path):
    adm, cat, _ = data
    result = run(adm, "--catalog", cat, "-o", tmp_path / "x", "--school", "不存在学院")
    assert result.exit_code == 2
    assert "--school “不存在学院”不在目录中" in result.output


def test_build_project_in_a_project_folder(data, tmp_path):
    from publisher.pipeline import Request, build
    adm, cat, _ = data
    project = tmp_path / "city"
    project.mkdir()
    (project / "publisher.yaml").write_text("city: 济南市\nyear: 2019\nlayout: {paper: A5}\n", "utf-8")
    (project / "admissions.xlsx").write_bytes(adm.read_bytes())
    (project / "catalog.yaml").write_bytes(cat.read_bytes())
    out = tmp_path / "built"
    build(project, out, Request(formats="pdf"))
    pdf = out / "济南技师学院" / "录取通知书.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    width, height = (float(v) * 25.4 / 72 for v in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert abs(width - 148) < 0.3 and abs(height - 210) < 0.3          # A5, the built-in template scaled
    assert pages(pdf) == data[2]["济南技师学院"]                        # still one page a letter
