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
