"""The check command as a user runs it: messages, JSON, exit codes, no tracebacks."""
from __future__ import annotations

import json

from conftest import DATA
from publisher.cli import main


def test_check_prints_located_findings_and_exits_1(runner):
    result = runner.invoke(main, ["check", str(DATA / "broken" / "registrations_errors.xlsx"),
                                  str(DATA / "good" / "catalog.yaml")])
    assert result.exit_code == 1
    assert "registrations_errors.xlsx:Sheet1!F9: 错误: 身份证号" in result.output
    assert "最后一位应为" in result.output
    assert "Traceback" not in result.output


def test_check_json_has_excel_rows(runner):
    result = runner.invoke(main, ["check", "--json", str(DATA / "broken" / "progress_errors.xlsx")])
    assert result.exit_code == 1
    records = json.loads(result.stdout)
    assert all(set(r) == {"file", "sheet", "row", "column", "field", "level", "code", "message"} for r in records)
    assert any(r["code"] == "total.mismatch" and r["row"] == 14 and r["column"] == "E" for r in records)


def test_clean_folder_exits_0(runner):
    result = runner.invoke(main, ["check", str(DATA / "good")])
    assert result.exit_code == 0, result.output
    assert "没有发现问题" in result.output


def test_bad_usage_exits_2(runner):
    assert runner.invoke(main, ["check"]).exit_code == 2
    result = runner.invoke(main, ["check", "no-such-file.xlsx"])
    assert result.exit_code == 2 and "不存在" in result.output


def test_random_bytes_get_a_message_not_a_traceback(runner, tmp_path):
    bad = tmp_path / "报表.xlsx"
    bad.write_bytes(bytes(range(200)) * 10)
    result = runner.invoke(main, ["check", str(bad)])
    assert result.exit_code == 1
    assert "报表.xlsx" in result.output and "错误" in result.output and "Traceback" not in result.output


def test_doctor_reports_the_licensed_font_of_the_project(runner, tmp_path, monkeypatch):
    import shutil
    from publisher.render.fonts import resolve
    kai = resolve("kai").file
    if kai is None:
        import pytest
        pytest.skip("no 楷体 substitute installed to stand in for a licensed file")
    (tmp_path / "fonts").mkdir()
    shutil.copy(kai, tmp_path / "fonts" / "楷体_GB2312.ttf")
    (tmp_path / "publisher.yaml").write_text("city: 济南市\nfonts: fonts/\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["doctor"])
    line = next(l for l in result.output.splitlines() if l.strip().startswith("楷体"))
    assert "楷体_GB2312.ttf" in line and "[授权字体]" in line
    assert "仿宋_GB2312 的授权字体文件" in result.output          # the others are substitutes, said so
