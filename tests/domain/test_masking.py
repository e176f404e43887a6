"""Personal data (SPEC §6): --mask hides 身份证号 and 联系电话 in every output; the HTML catalog holds none."""
from __future__ import annotations

import importlib.util
import re
import shutil
import sys
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import DATA, ROOT
from publisher.cli import main
from publisher.sources import load_source

DEMO = ROOT / "catalogs" / "jinan"


def text_of(path: Path) -> str:
    """All text a reader could see in an output file."""
    if path.suffix == ".pdf":
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    if path.suffix == ".xlsx":
        wb = openpyxl.load_workbook(path, read_only=True)
        return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                         for v in row if v is not None)
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as z:
            xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
        return re.sub(r"<[^>]+>", "", xml)
    return path.read_text("utf-8", errors="replace")


def personal(source_path: Path) -> set[str]:
    rows = load_source(source_path).model.rows
    return {v for p in rows for v in (p.id_no, p.phone) if v and len(v) >= 11}


def assert_masked(folder: Path, secrets: set[str]) -> int:
    seen = 0
    for path in sorted(folder.rglob("*")):
        if path.suffix not in (".pdf", ".xlsx", ".docx", ".html"):
            continue
        text = text_of(path).replace(" ", "")
        leaked = sorted(s for s in secrets if s in text)
        assert not leaked, f"{path.relative_to(folder)} shows {leaked[:3]}"
        seen += 1
    return seen


def needs(module: str):
    return pytest.mark.skipif(importlib.util.find_spec(module) is None, reason=f"{module} not written yet")


@needs("publisher.documents.forms")
def test_form_attachment2_masked(tmp_path):
    source = DATA / "good" / "registrations.xlsx"
    secrets = personal(source)
    result = CliRunner().invoke(main, ["form", "attachment2", str(source), "--mask", "-o", str(tmp_path / "o")],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert assert_masked(tmp_path / "o", secrets) == 3
    xlsx = text_of(next((tmp_path / "o").rglob("*.xlsx")))
    assert re.search(r"\d{6}\*{8}\d{3}[\dX]", xlsx) and re.search(r"1\d{2}\*{4}\d{4}", xlsx)
    # without --mask the form is internal and shows them in full
    CliRunner().invoke(main, ["form", "attachment2", str(source), "-o", str(tmp_path / "full"), "--format", "xlsx"],
                       catch_exceptions=False)
    full = text_of(next((tmp_path / "full").rglob("*.xlsx")))
    assert all(s in full for s in secrets)


@needs("publisher.documents.admissions")
@pytest.mark.skipif(not (DEMO / "admissions.xlsx").is_file(), reason="demo not generated yet")
def test_admissions_letters_rosters_labels_masked(tmp_path):
    secrets = personal(DEMO / "admissions.xlsx")
    result = CliRunner().invoke(main, ["admissions", str(DEMO / "admissions.xlsx"), "--catalog",
                                       str(DEMO / "catalog-2019.xlsx"), "--school", "平阴县技工学校", "--labels",
                                       "--mask", "-o", str(tmp_path / "o")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert assert_masked(tmp_path / "o", secrets) >= 4          # letters PDF/DOCX, roster, labels


def test_html_catalog_holds_no_personal_data(tmp_path):
    """Built beside registrations (a project folder), the public HTML shows no name, ID or phone of a person."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("catalog.yaml", "registrations.xlsx"):
        shutil.copy(DATA / "good" / name, project)
    rows = load_source(project / "registrations.xlsx").model.rows
    secrets = {v for p in rows for v in (p.id_no, p.phone, p.name, p.card_no, p.address) if v}
    result = CliRunner().invoke(main, ["build", str(project), "-o", str(tmp_path / "o"), "--format", "html"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    pages = list((tmp_path / "o").rglob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text("utf-8")
        assert not [s for s in secrets if s in html], page.name


# ---------------------------------------------------------------- issue 11: several numbers in one cell
HOSTILE = DATA / "bad" / "admissions_hostile_numbers.xlsx"
FOLD = str.maketrans("０１２３４５６７８９", "0123456789")


def plain(text: str) -> str:
    """Digits as ASCII, no spaces or hyphens: a number shows whole however it was written."""
    return re.sub(r"[\s\-]", "", text.translate(FOLD))


def numbers_in_cells(source_path: Path) -> set[str]:
    """Every phone and ID number in the personal cells (phone, ID, address) of a source."""
    found = set()
    for p in load_source(source_path).model.rows:
        for cell in (p.id_no, p.phone, p.address):
            text = plain(cell or "")
            found |= set(re.findall(r"(?<!\d)\d{17}[\dX]|1[3-9]\d{9}|0\d{2,3}\d{7,8}", text))
    return found


def assert_no_number(folder: Path, secrets: set[str]) -> int:
    seen = 0
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".pdf", ".xlsx", ".docx", ".html"):
            text = plain(text_of(path))
            leaked = sorted(s for s in secrets if s in text)
            assert not leaked, f"{path.relative_to(folder)} shows {leaked[:3]}"
            seen += 1
    return seen


@pytest.mark.parametrize("cell, masked", [
    ("13812345678/13912345678", "138****5678/139****5678"),
    ("13711112222（父）", "137****2222（父）"),
    ("370102200305121234", "370102********1234"),
    ("37010220030512123X", "370102********123X"),
    ("370102030512123", "370102******123"),
    ("0531-86000000转123，13612345678", "0531-8600****转123，136****5678"),
    ("+86 135-1234-5678", "+86 135-****-5678"),
    ("１３３１２３４５６７８", "１３３****５６７８"),
    ("1381234567813912345678", "138***************5678"),
    ("书院村12号（身份证370124200305121013）", "书院村12号（身份证370124********1013）"),
    ("书院村12号", "书院村12号"),
])
def test_mask_text(cell, masked):
    from publisher.domain.people import mask_text
    assert mask_text(cell) == masked
    assert mask_text(masked) == masked


def test_hostile_cells_masked_in_every_format(tmp_path):
    """Phones written together, with notes, full-width; numbers in the address: none shows whole anywhere,
    also in letters made from the school's own template (one Word template: DOCX and PDF) that prints ID,
    phone and address."""
    secrets = numbers_in_cells(HOSTILE)
    assert len(secrets) >= 14
    project = tmp_path / "project"
    (project / "tpl" / "docx").mkdir(parents=True)
    shutil.copy(HOSTILE, project / "admissions.xlsx")
    shutil.copy(DATA / "good" / "catalog.yaml", project / "catalog.yaml")
    (project / "publisher.yaml").write_text("city: 济南市\nyear: 2019\ntemplates: tpl/\n", "utf-8")
    sys.path.insert(0, str(ROOT / "tools"))
    from make_bad_inputs import letter_template
    (project / "tpl" / "docx" / "letter.docx").write_bytes(letter_template("{{ 身份证号 }}|{{ 联系电话 }}|{{ 家庭详细地址 }}"))
    result = CliRunner().invoke(main, ["admissions", str(project / "admissions.xlsx"), "--catalog",
                                       str(project / "catalog.yaml"), "--labels", "--mask", "-o",
                                       str(tmp_path / "letters")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    # letters PDF and DOCX, 5 students' DOCX, roster, labels, summary
    assert assert_no_number(tmp_path / "letters", secrets) == 10
    school_letters = sorted((tmp_path / "letters").rglob("录取通知书.*"))
    assert [p.suffix for p in school_letters] == [".docx", ".pdf"]
    for path in school_letters:                      # the template did show them, masked
        assert "138****5678/139****5678" in text_of(path).replace(" ", ""), path.name
    result = CliRunner().invoke(main, ["form", "attachment2", str(project / "admissions.xlsx"), "--mask", "-o",
                                       str(tmp_path / "form")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert assert_no_number(tmp_path / "form", secrets) == 3
    # without --mask these outputs are internal and do show the numbers: the test looks where they are
    CliRunner().invoke(main, ["form", "attachment2", str(project / "admissions.xlsx"), "--format", "xlsx", "-o",
                              str(tmp_path / "full")], catch_exceptions=False)
    full = plain(text_of(next((tmp_path / "full").rglob("*.xlsx"))))
    assert all(s in full for s in secrets)


def test_mask_in_the_project_config(tmp_path):
    """`mask: true` in publisher.yaml masks like --mask (SPEC §3); a value that is no boolean is an error."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(HOSTILE, project / "admissions.xlsx")
    shutil.copy(DATA / "good" / "catalog.yaml", project / "catalog.yaml")
    (project / "publisher.yaml").write_text("city: 济南市\nyear: 2019\nmask: true\n", "utf-8")
    result = CliRunner().invoke(main, ["build", str(project), "-o", str(tmp_path / "o"), "--format", "xlsx"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "未知的配置项" not in result.output
    assert assert_no_number(tmp_path / "o", numbers_in_cells(HOSTILE)) >= 2
    (project / "publisher.yaml").write_text("city: 济南市\nmask: 也许\n", "utf-8")
    result = CliRunner().invoke(main, ["check", str(project)], catch_exceptions=False)
    assert result.exit_code == 1 and "publisher.yaml:2: 错误: mask（隐去身份证号和联系电话）的值“也许”不正确：应为 true 或 false" \
        in result.output, result.output
