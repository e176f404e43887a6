"""Letters from a school's own Word template (issue 14), tried as a new user would: templates that are not
in the repository (bench/make_letter_templates.py), a list with a column of the school's own (宿舍号)."""
from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import ROOT
from publisher.cli import main

LEFTOVERS = ("{{", "{%", "«", "@@", "MERGEFIELD", "mailMerge", "张老师")


def _module(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [re.sub(r"\s+", "", page) for page in text.split("\f")[:-1]]


def docx_text(path: Path, part: str = "word/document.xml") -> str:
    with zipfile.ZipFile(path) as package:
        return re.sub(r"<[^>]+>", "", package.read(part).decode("utf-8"))


def leftovers(folder: Path) -> list[str]:
    """Every output that still holds a template mark, a merge field or the data source's local path."""
    found = []
    for path in folder.rglob("*"):
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as package:
                for name in package.namelist():
                    if name.endswith((".xml", ".rels")):
                        text = package.read(name).decode("utf-8", "ignore")
                        found += [f"{path.name}:{name}:{mark}" for mark in LEFTOVERS if mark in text]
        elif path.suffix == ".pdf":
            text = "".join(page_texts(path))
            found += [f"{path.name}:{mark}" for mark in LEFTOVERS if mark in text]
    return found


def audit(files: list[Path], folder: Path) -> dict:
    """openxml-audit's objections (Word's schema and its known complaints) to each of ``files``."""
    pytest.importorskip("openxml_audit")
    folder.mkdir(parents=True, exist_ok=True)
    for i, f in enumerate(files):
        shutil.copy(f, folder / f"{i:02d}-{f.name}")
    run = subprocess.run([sys.executable, "-m", "openxml_audit", "-r", "-q", "-o", "json", "-m", "20", str(folder)],
                         capture_output=True, text=True, timeout=600)
    results = json.loads(run.stdout)
    assert len(results) == len(files)
    return {Path(r["file"]).name: [e.get("description") for e in r["errors"]] or r["verdict"]["prediction"]
            for r in results if not r["valid"] or r["verdict"]["prediction"] != "opens-clean"}


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """(admissions with 宿舍号, catalog, the students by ID: name, gender, major, dorm)."""
    folder = tmp_path_factory.mktemp("dorms")
    adm, cat = _module("make_admissions").make(folder, 16, schools=2, dorms=True)
    ws = load_workbook(adm).active
    head = [c.value for c in ws[3]]
    students = {}
    for row in ws.iter_rows(min_row=4, values_only=True):
        record = dict(zip(head, row))
        students[record["身份证号"]] = record
    return adm, cat, students


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    folder = tmp_path_factory.mktemp("own")
    maker = _module("make_letter_templates")
    (folder / "school.docx").write_bytes(maker.school_template())
    (folder / "mailmerge.docx").write_bytes(maker.mailmerge_template())
    return folder


def letters_in_order(out: Path, school: str, students: dict) -> list[dict]:
    """The students of a school in the order of its letters (the roster's order), with their numbers."""
    ws = load_workbook(out / school / "录取名单.xlsx").active
    rows = [r for r in ws.iter_rows(min_row=3, values_only=True) if r[0] is not None]
    return [dict(students[r[5]], 录取编号=r[1]) for r in rows]


@pytest.fixture(scope="module")
def own(data, templates, tmp_path_factory):
    adm, cat, _ = data
    out = tmp_path_factory.mktemp("own-out") / "o"
    result = run("admissions", adm, "--catalog", cat, "--template", templates / "school.docx", "-o", out)
    assert result.exit_code == 0, result.output
    return out


def test_school_template_fills_every_page_and_docx(own, data):
    """Each student's page and DOCX: own name, major, dormitory and the right condition; the header names
    the school; the logo is in the PDF; the loop and the table are filled."""
    _, _, students = data
    schools = sorted(p.name for p in own.iterdir() if p.is_dir())
    assert len(schools) == 2
    for school in schools:
        order = letters_in_order(own, school, students)
        pages = page_texts(own / school / "录取通知书.pdf")
        assert len(pages) == len(order) >= 2
        for page, student in zip(pages, order):
            hall = "女生公寓" if student["性别"] == "女" else "男生公寓"
            other = "男生公寓" if hall == "女生公寓" else "女生公寓"
            assert f"{school}招生办公室" in page                        # the page header
            assert f"{student['姓名']}同学" in page and student["录取专业"] in page
            assert f"住宿安排：{hall}：{student['宿舍号']}" in page and other not in page
            assert "1.本通知书；2.身份证；3.户口本复印件；4.一寸照片4张" in page
            assert student['录取编号'] in page and "（印章）" in page                 # the table, the seal
            docx = own / school / "通知书" / f"{student['录取编号']}-{student['姓名']}.docx"
            body = docx_text(docx)
            assert f"{hall}：{student['宿舍号']}" in body and student["姓名"] in body
            assert docx_text(docx, "word/header1.xml").strip() == f"{school}招生办公室"
        images = subprocess.run(["pdfimages", "-list", str(own / school / "录取通知书.pdf")],
                                capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        assert len(images) == len(order)                              # the logo, once a page
    assert leftovers(own) == []


def test_combined_docx_letters_share_the_schools_header(own, data):
    """Every letter's header names the same school: one header part, one section, each letter on a new page
    (a section per letter only where headers differ: tests/documents/test_letter_template.py)."""
    _, _, students = data
    school = sorted(p.name for p in own.iterdir() if p.is_dir())[0]
    count = len(letters_in_order(own, school, students))
    with zipfile.ZipFile(own / school / "录取通知书.docx") as package:
        xml = package.read("word/document.xml").decode()
        headers = [n for n in package.namelist() if re.fullmatch(r"word/header\d.*\.xml", n)]
        assert package.read("word/media/image1.png")[:4] == b"\x89PNG"
    assert xml.count("<w:sectPr") == 1 and xml.count("<w:pageBreakBefore/>") == count - 1
    assert headers == ["word/header1.xml"]
    one = next((own / school / "通知书").glob("*.docx"))
    assert audit([own / school / "录取通知书.docx", one], own.parent / "audit") == {}
    ids = re.findall(r'<wp:docPr [^>]*?id="(\d+)"', xml)
    assert len(ids) == len(set(ids)) == count         # one seal per letter, ids unique


def test_mailmerge_template_fills_the_same_way(data, templates, tmp_path):
    """«姓名» «录取院校» «录取专业» «宿舍号» (both field forms), an IF field, the seal on the picture named 印章,
    and none of Word's data-source link (a local path, an SQL prompt) in the letters."""
    adm, cat, students = data
    out = tmp_path / "mm"
    result = run("admissions", adm, "--catalog", cat, "--template", templates / "mailmerge.docx", "-o", out,
                 "--format", "pdf,docx,xlsx")
    assert result.exit_code == 0, result.output
    school = sorted(p.name for p in out.iterdir() if p.is_dir())[1]
    order = letters_in_order(out, school, students)
    for page, student in zip(page_texts(out / school / "录取通知书.pdf"), order):
        hall = "女生公寓" if student["性别"] == "女" else "男生公寓"
        assert page.startswith(f"{school}（新生报到通知）录取通知书{student['姓名']}同学：")
        assert f"你已被{school}录取，专业：{student['录取专业']}。" in page
        assert f"宿舍：{hall}{student['宿舍号']}。" in page and "（印章）" in page
    docx = out / school / "通知书" / f"{order[0]['录取编号']}-{order[0]['姓名']}.docx"
    with zipfile.ZipFile(docx) as package:
        assert 'prstDash val="dash"' in package.read("word/document.xml").decode()
        assert "mailMerge" not in package.read("word/settings.xml").decode()
    assert leftovers(out) == []
    assert audit([out / school / "录取通知书.docx", docx], tmp_path / "audit") == {}


def test_exported_default_template_works_unchanged(data, tmp_path):
    adm, cat, _ = data
    result = run("template", "letter", "-o", tmp_path / "mine")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "mine" / "docx" / "letter.docx").is_file()
    guide = docx_text(tmp_path / "mine" / "字段说明.docx")
    for words in ("{{ 姓名 }}", "{{ 宿舍号 }}", "插入合并域", "{{ 印章 }}", "学校联系电话", "目录中该专业的学制"):
        assert words in guide, words
    out = tmp_path / "o"
    result = run("admissions", adm, "--catalog", cat, "--template", tmp_path / "mine" / "docx" / "letter.docx",
                 "-o", out, "--format", "docx")
    assert result.exit_code == 0, result.output
    letter = next(out.rglob("通知书/*.docx"))
    assert "经审核，你已被我校" in docx_text(letter) and leftovers(out) == []
    # an edited template is never overwritten
    (tmp_path / "mine" / "docx" / "letter.docx").write_bytes(b"edited")
    result = run("template", "letter", "-o", tmp_path / "mine")
    assert result.exit_code == 2 and "这里已有一份改过的通知书模板" in result.output
    assert (tmp_path / "mine" / "docx" / "letter.docx").read_bytes() == b"edited"


def test_mask_reaches_template_fields(data, tmp_path):
    """--mask: 身份证号, 联系电话 and a school's own column holding a phone come masked into the template."""
    from docx import Document
    adm, cat, students = data
    doc = Document()
    doc.add_paragraph("{{ 姓名 }}|{{ 身份证号 }}|{{ 联系电话 }}|{{ 宿舍号 }}|{{ 家庭详细地址 }}")
    doc.save(tmp_path / "t.docx")
    out = tmp_path / "o"
    result = run("admissions", adm, "--catalog", cat, "--template", tmp_path / "t.docx", "-o", out, "--mask",
                 "--format", "docx")
    assert result.exit_code == 0, result.output
    text = "".join(docx_text(p) for p in out.rglob("通知书/*.docx"))
    for student in students.values():
        assert student["身份证号"] not in text and str(student["联系电话"]) not in text
        assert f"{student['身份证号'][:6]}********{student['身份证号'][-4:]}" in text
