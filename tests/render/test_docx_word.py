"""DOCX as Word and WPS read it: schema order, validation, the notice's grid and page geometry,
and the PDF's 22-line pages they are checked against."""
from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from publisher.cli import main
from publisher.render.docx import document_bytes, new_document
from publisher.render.ooxml import order_problems

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "catalogs" / "province" / "notice.yaml"
CITY = ROOT / "tests" / "data" / "notice" / "city.yaml"
TWIPS_PER_MM = 1440 / 25.4


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The seed notice, the city test notice and the demo build (catalog, forms, letters, compilation)."""
    out = tmp_path_factory.mktemp("word")
    for src, name in ((SEED, "seed"), (CITY, "city")):
        result = CliRunner().invoke(main, ["notice", str(src), "-o", str(out / name)])
        assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["build", str(ROOT / "catalogs"), "-o", str(out / "demo")])
    assert result.exit_code == 3, result.output          # built; the demo's erroneous return is listed
    return out


def _xml(docx: Path, part: str = "word/document.xml") -> str:
    with zipfile.ZipFile(docx) as z:
        return z.read(part).decode("utf-8")


def _docx_files(built: Path) -> list[Path]:
    files = sorted(built.rglob("*.docx"))
    letters = [f for f in files if f.parent.name == "通知书"]
    return [f for f in files if f not in letters] + letters[:2]


# --- schema order and validation ----------------------------------------------

def test_order_check_finds_and_save_fixes_misordered_properties():
    doc = new_document()
    p = doc.add_paragraph("正文")
    p.paragraph_format.space_after = 0                     # w:spacing
    ppr = p._p.get_or_add_pPr()
    ppr.append(OxmlElement("w:pBdr"))                      # after w:spacing: out of order
    table = doc.add_table(rows=1, cols=1)
    for _ in range(2):                                     # tblLayout twice
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        table._tbl.tblPr.append(layout)
    raw = io.BytesIO()
    doc.save(raw)
    problems = order_problems(raw.getvalue())
    assert any("pBdr after spacing" in x for x in problems), problems
    assert any("tblLayout twice" in x for x in problems), problems
    saved = document_bytes(doc)
    assert order_problems(saved) == []
    with zipfile.ZipFile(io.BytesIO(saved)) as z:
        names = z.namelist()
    assert "word/stylesWithEffects.xml" not in names and "docProps/thumbnail.jpeg" not in names


def test_every_docx_is_in_schema_order(built):
    files = sorted(built.rglob("*.docx"))
    assert len(files) >= 40
    problems = {str(f.relative_to(built)): order_problems(f.read_bytes()) for f in files}
    assert {k: v for k, v in problems.items() if v} == {}


def test_every_kind_of_docx_passes_openxml_audit(built, tmp_path):
    pytest.importorskip("openxml_audit")
    files = _docx_files(built)
    kinds = {f.name for f in files}
    assert {"notice.docx", "city.docx", "济南市2019年度精准技能扶贫技工院校和专业目录.docx", "录取通知书.docx"} <= kinds
    for i, f in enumerate(files):
        shutil.copy(f, tmp_path / f"{i:02d}-{f.name}")
    run = subprocess.run([sys.executable, "-m", "openxml_audit", "-r", "-q", "-o", "json", "-m", "20", str(tmp_path)],
                         capture_output=True, text=True, timeout=600)
    results = json.loads(run.stdout)
    assert len(results) == len(files)
    bad = {Path(r["file"]).name: [e.get("description") for e in r["errors"]] for r in results if not r["valid"]}
    assert bad == {}
    assert all(r["verdict"]["prediction"] == "opens-clean" for r in results)


def test_every_docx_opens_as_a_chinese_document(built):
    """zh-CN language and theme, the official fonts in the font table with their GB2312 charset,
    no ja-JP in any part — every kind (notices, catalog, forms, letters, compilation, filing)."""
    from publisher.render.docx_lang import problems
    files = sorted(built.rglob("*.docx"))
    assert {"notice.docx", "city.docx", "济南市2019年度精准技能扶贫技工院校和专业目录-备案报告.docx", "录取通知书.docx"} <= {f.name for f in files}
    found = {str(f.relative_to(built)): problems(f.read_bytes()) for f in files}
    assert {k: v for k, v in found.items() if v} == {}
    theme = _xml(built / "seed" / "notice.docx", "word/theme/theme1.xml")
    assert theme.count('<a:ea typeface="宋体"/>') == 2 and '<a:font script="Hans" typeface="宋体"/>' in theme


# --- the notice's grid ----------------------------------------------------------

def _sections(xml: str) -> list[str]:
    return re.findall(r"<w:sectPr.*?</w:sectPr>", xml, re.S)


def _attr(el: str, name: str) -> int:
    return int(re.search(rf'w:{name}="(-?\d+)"', el).group(1))


def test_grid_really_holds_22_lines_of_28_characters(built):
    xml = _xml(built / "seed" / "notice.docx")
    portrait = [s for s in _sections(xml) if "landscape" not in s]
    assert portrait
    for sect in portrait:
        size = re.search(r"<w:pgSz[^>]*>", sect).group(0)
        margins = re.search(r"<w:pgMar[^>]*>", sect).group(0)
        grid = re.search(r"<w:docGrid[^>]*>", sect).group(0)
        height = _attr(size, "h") - _attr(margins, "top") - _attr(margins, "bottom")
        width = _attr(size, "w") - _attr(margins, "left") - _attr(margins, "right")
        assert 'w:type="linesAndChars"' in grid
        pitch = _attr(grid, "linePitch")
        assert pitch == 579 and 22 * pitch <= height < 23 * pitch        # Word shows 22 行
        char_pt = 16 + _attr(grid, "charSpace") / 4096
        assert 28 * char_pt * 20 <= width < 29 * char_pt * 20             # and 28 字
    # Every body line is one grid line: exact 28.95 pt, never the 29.0 that only fits 21 lines.
    para = xml[xml.rindex("<w:p>", 0, xml.index("现将《山东省技工院校")):xml.index("现将《山东省技工院校")]
    assert re.findall(r'w:lineRule="exact" w:line="(\d+)"', para) == ["579"]
    assert 'w:line="580"' not in xml


def test_normal_style_lays_out_off_the_grid_with_28_characters_a_line(built):
    styles = _xml(built / "seed" / "notice.docx", "word/styles.xml")
    normal = re.search(r'<w:style w:type="paragraph" w:default="1" w:styleId="Normal">.*?</w:style>', styles, re.S).group(0)
    for flag in ("widowControl", "overflowPunct", "autoSpaceDE", "autoSpaceDN", "snapToGrid"):
        assert f'<w:{flag} w:val="0"/>' in normal, flag
    spacing = int(re.search(r'<w:rPr>.*?<w:spacing w:val="(-?\d+)"', normal, re.S).group(1))
    width_pt = 156 / 25.4 * 72
    assert 28 * (16 + spacing / 20) <= width_pt < 29 * (16 + spacing / 20)


def test_enclosure_starts_a_page_without_an_empty_break_paragraph(built):
    xml = _xml(built / "seed" / "notice.docx")
    assert '<w:br w:type="page"/>' not in xml
    title = xml.rfind("<w:p>", 0, xml.index(">山东省技工院校服务脱贫攻坚工作行动计划<"))
    assert "<w:pageBreakBefore/>" in xml[title:xml.index("行动计划<", title)]


def test_mark_and_banji_tables_have_no_cell_margins_and_the_document_ends_with_a_paragraph(built):
    xml = _xml(built / "seed" / "notice.docx")
    tables = re.findall(r"<w:tbl>.*?</w:tblPr>", xml, re.S)
    bare = [t for t in tables if 'w:insideV w:val="nil"' in t]
    assert len(bare) >= 2                                               # the joint mark and the 版记
    for t in bare:
        assert re.search(r'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0"', t)
    tail = xml[xml.rindex("</w:tbl>"):]
    assert tail.startswith("</w:tbl><w:p>") and 'w:line="20"' in tail    # a 1 pt last paragraph


def test_landscape_footers_do_not_raise_the_text_bottom(built):
    xml = _xml(built / "seed" / "notice.docx")
    landscape = [s for s in _sections(xml) if 'w:orient="landscape"' in s]
    assert len(landscape) == 2
    for sect in landscape:
        margins = re.search(r"<w:pgMar[^>]*>", sect).group(0)
        assert _attr(margins, "footer") <= 5 * TWIPS_PER_MM + 1 < _attr(margins, "bottom")


def test_blank_form_rows_are_as_high_as_in_the_pdf(built):
    xml = _xml(built / "seed" / "notice.docx")
    heights = [int(h) for h in re.findall(r'<w:trHeight w:val="(\d+)"', xml)]
    assert heights.count(round(6 * TWIPS_PER_MM)) >= 20                 # 10 + 13 blank rows of the two forms
    assert max(heights) <= round(8 * TWIPS_PER_MM)


# --- the PDF that the DOCX follows ----------------------------------------------

def _line_tops(pdf: Path, page: int) -> list[float]:
    out = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True).stdout
    tops = [float(y) * 25.4 / 72 for y in re.findall(r'<line xMin="[\d.]+" yMin="([\d.]+)"', out)]
    return sorted({round(t, 1) for t in tops if 36 < t < 262})          # inside the text area


def test_full_pdf_pages_hold_22_lines(built):
    pdf = built / "seed" / "notice.pdf"
    for page in (3, 4, 5, 6):                                           # enclosure pages, full
        tops = _line_tops(pdf, page)
        assert len(tops) == 22, (page, tops)
        # glyph tops: a 楷体 line's box sits a little off the 仿宋 ones, the lines do not
        assert all(8 < b - a < 12.5 for a, b in zip(tops, tops[1:])), (page, tops)
        assert abs(tops[-1] - tops[0] - 21 * 225 / 22) < 2.5
