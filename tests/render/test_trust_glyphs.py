"""Rare characters (SPEC §4, §7): a warning where no font can draw a character; PDFs fall back along the chain."""
from __future__ import annotations

import json
import shutil
import subprocess

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import DATA
from publisher.cli import main
from publisher.render import fonts
from publisher.render.pdf import html_to_pdf

pytestmark = pytest.mark.skipif(not fonts.covered(), reason="no CJK fonts installed")


def registrations_with(tmp_path, names: dict):
    wb = openpyxl.load_workbook(DATA / "good" / "registrations.xlsx")
    for cell, value in names.items():
        wb.active[cell] = value
    path = tmp_path / "registrations.xlsx"
    wb.save(path)
    return path


def test_undrawable_character_warns_naming_cell_and_character(tmp_path):
    path = registrations_with(tmp_path, {"B5": "吉𠮷", "B6": "张𪚥", "H7": "济南市\U0002B740村"})
    result = CliRunner().invoke(main, ["check", "--json", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    found = [f for f in json.loads(result.stdout) if f["code"] == "font.missing_glyph"]
    assert [(f["sheet"], f["column"], f["row"], f["field"], f["level"]) for f in found] == [
        ("Sheet1", "B", 6, "name", "warning"), ("Sheet1", "H", 7, "address", "warning")]
    assert "“𪚥”（U+2A6A5）" in found[0]["message"] and "张𪚥" in found[0]["message"]
    assert "U+2B740" in found[1]["message"]
    # 𠮷 is drawable by an installed font: no warning for it
    assert not any("𠮷" in f["message"] for f in found)


def test_fonts_folder_without_the_character_still_warns(tmp_path):
    """The check uses the project's fonts/ folder too; a font there without 𪚥 changes nothing."""
    noto = fonts.resolve("body").file
    assert fonts.missing_glyphs("𪚥") == ["𪚥"]
    assert fonts.missing_glyphs("吉𠮷") == []
    folder = tmp_path / "fonts"
    folder.mkdir()
    shutil.copy(noto, folder / "仿宋_GB2312.ttf")        # stands in for a licensed font
    assert fonts.missing_glyphs("𪚥", folder) == ["𪚥"]


def test_pdf_falls_back_to_a_font_that_has_the_character():
    """楷体's substitute lacks 𠮷: the PDF must draw it with a fallback font, not an empty box."""
    kai = fonts.resolve("kai").file
    if kai is None or ord("𠮷") in fonts._cmap(kai):
        pytest.skip("the 楷体 substitute has 𠮷 itself; nothing to fall back from")
    html = (f"<html><head><style>{fonts.css()}</style></head>"
            "<body><p class='f-kai'>吉𠮷同学</p></body></html>")
    pdf = html_to_pdf(html)
    listed = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True).stdout.decode()
    if not listed:
        import tempfile
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            listed = subprocess.run(["pdffonts", handle.name], capture_output=True, text=True).stdout
    assert "Kaiti" in listed                               # the role's own font for 吉同学
    assert "Noto" in listed, listed                        # the fallback that has 𠮷
