"""Core reader fixes found with the bad-input corpus; one test per fix."""
from __future__ import annotations

import json

from publisher.cli import main

from conftest import DATA

BAD = DATA / "bad"


def run_json(runner, path):
    result = runner.invoke(main, ["check", "--json", str(path)], catch_exceptions=False)
    return result, json.loads(result.stdout)


def test_unreadable_yaml_keeps_its_line(runner):
    result, findings = run_json(runner, BAD / "yaml_wrong_types.yaml")
    assert result.exit_code == 1
    assert findings[0]["code"] == "file.unreadable"
    assert findings[0]["row"] == 8                       # `majors: 5`
    result = runner.invoke(main, ["check", str(BAD / "yaml_bad_indent.yaml")], catch_exceptions=False)
    assert "yaml_bad_indent.yaml:3: 错误:" in result.output


def test_missing_columns_keep_sheet_and_row(runner):
    _, findings = run_json(runner, BAD / "registrations_missing_columns.xlsx")
    assert (findings[0]["sheet"], findings[0]["row"]) == ("Sheet1", 1)


def test_top_level_list_is_named_in_chinese(runner):
    result = runner.invoke(main, ["check", str(BAD / "yaml_list_top.yaml")], catch_exceptions=False)
    assert "这里是列表" in result.output and "LList" not in result.output


def test_yaml_syntax_errors_explained_in_chinese(runner):
    expected = {"yaml_tabs.yaml": ":3: 错误: YAML 格式有误：用了制表符（Tab）缩进",
                "yaml_bad_indent.yaml": ":3: 错误: YAML 格式有误：这一行的缩进不对",
                "yaml_unclosed_quote.yaml": ":2: 错误: YAML 格式有误：第2行的引号没有闭合",
                "yaml_python_tag.yaml": ":2: 错误: YAML 格式有误：含有不支持的标签",
                "publisher_config_broken.yaml": "YAML 格式有误：方括号 [ ] 没有闭合"}
    for name, text in expected.items():
        result = runner.invoke(main, ["check", str(BAD / name)], catch_exceptions=False)
        assert result.exit_code == 1
        assert text in result.output, result.output


def test_output_piped_into_head_is_no_internal_error():
    import subprocess
    import sys
    proc = subprocess.run(f'"{sys.executable}" -m publisher check "{BAD}" | head -c 10', shell=True,
                          capture_output=True, text=True, timeout=120)
    assert "内部错误" not in proc.stderr and "Traceback" not in proc.stderr


def test_control_character_in_yaml(runner, tmp_path):
    path = tmp_path / "catalog.yaml"
    path.write_bytes("kind: catalog\ncity: 济南\x07市\n".encode())
    result = runner.invoke(main, ["check", str(path)], catch_exceptions=False)
    assert result.exit_code == 1
    assert "catalog.yaml:2: 错误: 文件含有不可显示的控制字符（U+0007）" in result.output


def test_findings_deduplicate_with_a_set():
    """Findings.add used to scan the list (quadratic over 100,000 rows); same behaviour, kept by a set."""
    from publisher.errors import Findings, Location
    findings = Findings()
    for n in range(3):
        for row in range(5000):
            findings.warning(Location("a.xlsx", "Sheet1", row, "B"), "age.range", "年龄")
    findings.extend(list(findings))
    assert len(findings) == 5000
    other = Findings(list(findings.items[:10]))
    other.extend(findings)
    assert len(other) == 5000
    findings.items.clear()                      # changed from outside: still consistent
    findings.warning(Location("a.xlsx", "Sheet1", 1, "B"), "age.range", "年龄")
    assert len(findings) == 1
