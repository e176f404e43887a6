"""Every command over every file of the bad-input corpus: a Chinese message naming the file, never a traceback.

The corpus is tests/data/bad/ (written by tools/make_bad_inputs.py); a really
encrypted workbook is added at test time when msoffcrypto-tool is installed.
Commands whose document module has not landed yet are skipped with a reason,
so this test covers them as soon as they exist.
"""
from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DATA, ROOT
from publisher.cli import main

sys.path.insert(0, str(ROOT / "tools"))
import make_bad_inputs  # noqa: E402

BAD = DATA / "bad"
GOOD_CATALOG = DATA / "good" / "catalog.yaml"
FILES = sorted(p.name for p in BAD.iterdir() if p.is_file() and p.name != "README.md")
REAL_ENCRYPTED = "password_protected_real.xlsx"
CJK = re.compile(r"[\u4e00-\u9fff]")

# command -> (argument list with {f} for the file and {o} for the output folder, module it needs)
COMMANDS = {
    "check": (["check", "{f}"], None),
    "check-json": (["check", "--json", "{f}"], None),
    "build": (["build", "{d}", "-o", "{o}", "--format", "xlsx,html"], None),
    "form1": (["form", "attachment1", "{f}", "-o", "{o}", "--format", "xlsx"], "publisher.documents.forms"),
    "form2": (["form", "attachment2", "{f}", "-o", "{o}", "--format", "xlsx"], "publisher.documents.forms"),
    "catalog": (["catalog", "{f}", "-o", "{o}", "--format", "xlsx,html"], "publisher.documents.catalog"),
    "notice": (["notice", "{f}", "-o", "{o}", "--format", "docx"], "publisher.documents.notice"),
    "admissions": (["admissions", "{f}", "--catalog", str(GOOD_CATALOG), "-o", "{o}", "--format", "xlsx"],
                   "publisher.documents.admissions"),
    "compile": (["compile", "{f}", "-o", "{o}", "--format", "xlsx"], "publisher.documents.compilation"),
}
# PDF and DOCX are slow to make (CJK font subsetting); the corpus runs the data paths through
# XLSX/HTML, and test_nasty_files_through_every_format runs the nastiest files through all formats.

# Messages known not to name the file yet: the document module's owner has been told (see report).
def module_missing(name: str | None) -> bool:
    return name is not None and importlib.util.find_spec(name) is None


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    """The committed corpus plus files made at test time."""
    folder = tmp_path_factory.mktemp("bad")
    for name in FILES:
        shutil.copy(BAD / name, folder / name)
    make_bad_inputs.encrypted_workbook(folder / REAL_ENCRYPTED)
    return folder


def invoke(args: list[str]):
    return CliRunner().invoke(main, args, catch_exceptions=False)


def assert_clear(result, name: str, args: list[str]) -> None:
    shown = f"{' '.join(args)}\n--- exit {result.exit_code}\n{result.output}"
    assert "Traceback" not in result.output, shown
    assert "内部错误" not in result.output, shown
    assert result.exit_code in (0, 1, 2, 3), shown
    if result.exit_code != 0:
        assert CJK.search(result.output), shown
        assert name in result.output or Path(name).stem in result.output, shown


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("name", FILES + [REAL_ENCRYPTED])
def test_command_over_bad_file(command, name, corpus_dir, tmp_path):
    template, module = COMMANDS[command]
    if module_missing(module):
        pytest.skip(f"{module} not written yet")
    source = corpus_dir / name
    project = tmp_path / "project"
    project.mkdir()
    # a broken config is only a config under its own name
    shutil.copy(source, project / ("publisher.yaml" if name.startswith("publisher_config") else name))
    args = [a.format(f=source, o=tmp_path / "out", d=project) for a in template]
    result = invoke(args)
    if name.startswith("publisher_config"):
        name = "publisher.yaml"
    assert_clear(result, name, args)
    if result.exit_code not in (0, 3):          # 3: made, the rejected return listed
        assert not (tmp_path / "out").exists(), "a failed run left an output folder behind"
    leftovers = [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name or ".old-" in p.name]
    assert leftovers == []


def test_corpus_is_what_the_generator_writes():
    assert make_bad_inputs.main(["--check"]) == 0


def test_password_protected_message(corpus_dir):
    for name in ("password_protected.xlsx", REAL_ENCRYPTED):
        result = invoke(["check", str(corpus_dir / name)])
        assert result.exit_code == 1
        assert "设置了打开密码" in result.output, result.output


def test_old_xls_message():
    result = invoke(["check", str(BAD / "old_excel.xls")])
    assert result.exit_code == 1
    assert "旧版 Excel 97-2003 格式" in result.output and "另存为” .xlsx" in result.output


@pytest.mark.parametrize("name", ["registrations_gbk.csv", "registrations_gb18030.csv",
                                  "registrations_utf8_bom.csv", "registrations_semicolons.csv"])
def test_chinese_csv_encodings_are_read(name):
    import json
    result = invoke(["check", "--json", str(BAD / name)])
    assert result.exit_code == 0, result.output
    assert all(f["level"] == "warning" for f in json.loads(result.stdout))


def test_gb18030_rare_name_survives():
    from publisher.sources import load_source
    source = load_source(BAD / "registrations_gb18030.csv")
    assert [p.name for p in source.model.rows] == ["王芳", "吉𠮷"]


def test_dates_as_text():
    from publisher.sources import load_source
    source = load_source(BAD / "registrations_dates_text.xlsx")
    dates = [p.report_date for p in source.model.rows]
    assert [d.isoformat() if d else None for d in dates[:4]] == ["2019-06-10"] * 4
    assert dates[5].isoformat() == "2019-06-10"
    assert dates[4] is None and dates[6] is None       # 6/10/2019 (month first?) and 2019年13月1日
    codes = {(str(f.location), f.code) for f in source.findings}
    assert (f"{source.display}:Sheet1!L8", "date.invalid") in codes
    assert (f"{source.display}:Sheet1!L10", "date.invalid") in codes
    assert source.model.filled_on.isoformat() == "2019-07-01"


def test_huge_numbers_are_errors_not_crashes():
    import json
    for name in ("progress_huge_numbers.xlsx", "yaml_huge_numbers.yaml"):
        result = invoke(["check", "--json", str(BAD / name)])
        assert result.exit_code == 1
        codes = {f["code"] for f in json.loads(result.stdout)}
        assert codes & {"number.too_large", "number.invalid"}, codes


def test_formulas_are_read_as_their_cached_values():
    from publisher.sources import load_source
    progress = load_source(BAD / "progress_formulas.xlsx").model
    assert progress.declared_total.enrolled == 43 and progress.declared_total.in_school == 114
    people = load_source(BAD / "registrations_formulas.xlsx").model
    assert [p.name for p in people.rows] == ["张伟", "张三", "张四", "+张三", "@SUM(1)"]


def test_big_workbook_is_read_and_checked(tmp_path):
    """100,000 registrations: read and checked in one go (time and memory are in bench/bench_reader.py)."""
    from publisher.checks import check_project
    from publisher.project import load_project
    path = make_bad_inputs.big_registrations(tmp_path / "registrations_100k.xlsx")
    project = load_project([path])
    findings = check_project(project)
    assert len(project.sources[0].model.rows) == 100_000
    assert not findings.has_errors, [str(f) for f in findings.errors[:5]]


@pytest.mark.parametrize("name", ["registrations_rare_names.xlsx", "yaml_template_in_data.yaml"])
def test_nasty_files_through_every_format(name, tmp_path):
    """Rare characters and template-like text through DOCX and PDF too, in a project with a catalog."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(BAD / name, project / name)
    if name.startswith("registrations"):
        shutil.copy(GOOD_CATALOG, project / "catalog.yaml")
    args = ["build", str(project), "-o", str(tmp_path / "out")]
    result = invoke(args)
    assert_clear(result, name, args)
    assert result.exit_code == 0, result.output
