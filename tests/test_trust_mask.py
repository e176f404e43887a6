"""Personal data (SPEC §6): --mask hides 身份证号 and 联系电话 in every output; the HTML catalog holds none."""
from __future__ import annotations

import importlib.util
import re
import shutil
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
