"""Defaults a clerk expects: the catalog beside the list, --rows, percentages as numbers, names in Chinese."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl

from publisher.cli import main

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "catalogs" / "jinan"


def test_admissions_finds_the_catalog_in_the_lists_folder_and_says_which(runner, tmp_path):
    for name in ("admissions.xlsx", "catalog-2018.yaml", "catalog-2019.xlsx", "registrations.xlsx"):
        shutil.copy(DEMO / name, tmp_path / name)
    out = tmp_path / "out"
    result = runner.invoke(main, ["admissions", str(tmp_path / "admissions.xlsx"), "-o", str(out),
                                  "--format", "xlsx", "--school", "平阴县技工学校"])
    assert result.exit_code == 0, result.output
    assert "未给出 --catalog，使用同一文件夹中的目录" in result.output and "catalog-2019.xlsx（2019年度" in result.output
    assert "另有 catalog-2018.yaml" in result.output
    assert (out / "平阴县技工学校" / "录取名单.xlsx").is_file()


def test_admissions_without_a_catalog_anywhere_is_bad_usage(runner, tmp_path):
    shutil.copy(DEMO / "admissions.xlsx", tmp_path / "admissions.xlsx")
    result = runner.invoke(main, ["admissions", str(tmp_path / "admissions.xlsx"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "没有给出 --catalog" in result.output and "也没有找到目录" in result.output


def test_blank_form_with_rows(runner, tmp_path):
    result = runner.invoke(main, ["form", "attachment2", "--blank", "--rows", "7", "-o", str(tmp_path),
                                  "--format", "xlsx,docx"])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(next(tmp_path.glob("*.xlsx"))).worksheets[0]
    numbered = [r[0] for r in ws.iter_rows(values_only=True) if str(r[0]).startswith("=IF(")]
    assert len(numbered) == 7                                  # 序号 fills in as a row is typed
    import docx
    table = docx.Document(next(tmp_path.glob("*.docx"))).tables[0]
    assert len(table.rows) == 1 + 7 + 1                        # header, 7 ruled rows, 总计


def test_rows_only_for_a_blank_form(runner, tmp_path):
    result = runner.invoke(main, ["form", "attachment2", str(DEMO / "registrations.xlsx"), "--rows", "7",
                                  "-o", str(tmp_path)])
    assert result.exit_code == 2 and "--rows 只用于 --blank" in result.output


def test_completion_rate_is_a_number_with_a_percent_format(runner, tmp_path):
    result = runner.invoke(main, ["admissions", str(DEMO / "admissions.xlsx"), "--catalog",
                                  str(DEMO / "catalog-2019.xlsx"), "-o", str(tmp_path), "--format", "xlsx"])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(tmp_path / "录取情况汇总.xlsx")["录取情况汇总"]
    head = [c.value for c in ws[2]]
    column = head.index("完成计划") + 1
    cells = [ws.cell(row=r, column=column) for r in range(3, ws.max_row + 1)]
    rated = [c for c in cells if c.value is not None]
    assert rated and all(isinstance(c.value, (int, float)) and c.number_format == "0%" for c in rated)
    total = cells[-1]
    plan, done = ws.cell(row=total.row, column=column - 2).value, ws.cell(row=total.row, column=column - 1).value
    assert abs(total.value - done / plan) < 1e-4


def test_compilation_rates_are_numbers_with_a_percent_format(runner, tmp_path):
    result = runner.invoke(main, ["compile", str(ROOT / "catalogs" / "province" / "returns"), "-o", str(tmp_path),
                                  "--format", "xlsx"])
    assert result.exit_code in (0, 3), result.output
    ws = openpyxl.load_workbook(next(tmp_path.glob("*.xlsx"))).worksheets[0]
    rates = [c for row in ws.iter_rows() for c in row if isinstance(c.value, float) and 0 <= c.value <= 1]
    assert rates and all("%" in c.number_format for c in rates)
    assert not any(isinstance(c.value, str) and c.value.endswith("%") for row in ws.iter_rows() for c in row)


def test_build_without_a_folder_finds_the_demo(monkeypatch, tmp_path):
    from publisher.pipeline import default_source_dir
    monkeypatch.chdir(tmp_path)                                # no ./catalogs here
    found = default_source_dir()
    assert found.is_dir() and (found / "jinan" / "publisher.yaml").is_file()


def test_make_admissions_help_prints_help_and_writes_nothing(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "make_admissions.py"), "--help"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "usage:" in result.stdout
    assert list(tmp_path.iterdir()) == []
