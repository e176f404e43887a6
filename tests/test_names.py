"""Output names from hostile text: safe on every file system, unique in their folder, and said so (issue 11)."""
from __future__ import annotations

import json
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DATA
from publisher.cli import main
from publisher.names import LIMIT, RESERVED, Names, is_safe, safe_name

BAD = DATA / "bad"
HOSTILE = ["甲/乙技师学院", "甲:乙技师学院", "甲 乙技师学院", "..", ".", "", "   ", "CON", "con.txt", "Nul ", "LPT9.docx",
           "COM¹", "a<b>c|d?e*f\"g", "tab\there", "new\nline", "nul\x00byte", "esc\x1b[31m", "rtl\u202eexe.pdf",
           "zero\u200bwidth", "bom\ufeff", "trailing.", "trailing ", ".hidden", "e\u0301", "\ud800lone", "长" * 100,
           "A" * 300, "𠮷" * 80, "x/../../etc/passwd", "\\\\server\\share", "C:\\Windows"]


def names_in(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def assert_safe_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        for part in path.relative_to(folder).parts:
            assert is_safe(part), part
            assert len(part.encode("utf-8")) <= LIMIT


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("tail", ["", ".docx", "-备案报告.pdf"])
def test_safe_name_is_safe_everywhere(text, tail):
    name = safe_name(text, tail)
    assert is_safe(name), repr(name)
    assert name.endswith(tail) and name not in (".", "..")
    assert len(name.encode("utf-8")) <= LIMIT - 16               # room left for "-2" and more suffixes
    assert not set('<>:"/\\|?*') & set(name)
    assert all(unicodedata.category(ch) not in ("Cc", "Cf", "Cs") for ch in name)
    assert name.split(".")[0].rstrip(" ").upper() not in RESERVED
    assert name[-1] not in ". " and name[0] not in ". "
    assert safe_name(name[:len(name) - len(tail)] if tail else name, tail) == name     # idempotent


def test_safe_name_examples():
    assert safe_name("甲/乙技师学院") == safe_name("甲:乙技师学院") == safe_name("甲 乙技师学院") == "甲_乙技师学院"
    assert safe_name("CON") == "CON_" and safe_name("con", ".txt") == "con_.txt" and safe_name("..") == "未命名"
    assert safe_name("e\u0301") == "\u00e9"                       # NFC: one name however it was typed
    long = safe_name("长" * 100, ".docx")
    assert long == "长" * 70 + ".docx"                           # cut on a character, 215 bytes in all
    assert safe_name("𠮷" * 80).encode("utf-8") == ("𠮷" * 53).encode("utf-8")


def test_names_unique_ignoring_case_in_order():
    book = Names(["录取情况汇总.xlsx"])
    got = [book.claim(t) for t in ("甲/乙技师学院", "甲:乙技师学院", "甲 乙技师学院", "ABC", "abc", "录取情况汇总.xlsx")]
    assert [name for name, _ in got] == ["甲_乙技师学院", "甲_乙技师学院-2", "甲_乙技师学院-3", "ABC", "abc-2",
                                         "录取情况汇总.xlsx-2"]
    assert got[0][1] is None and got[1][1].first == "甲/乙技师学院" and got[4][1].first == "ABC"
    assert book.claim("x", ".docx")[0] == "x.docx" and book.claim("X", ".docx")[0] == "X-2.docx"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The corpus pair: a catalog and an admissions list whose school and student names clash as file names."""
    folder = tmp_path_factory.mktemp("hostile")
    for name in ("catalog_hostile_names.yaml", "admissions_hostile_names.yaml"):
        shutil.copy(BAD / name, folder / name)
    out = folder / "out"
    result = run("admissions", folder / "admissions_hostile_names.yaml", "--catalog", folder / "catalog_hostile_names.yaml",
                 "-o", out, "--format", "docx,xlsx")
    return out, result


def test_clashing_schools_get_a_folder_each(hostile):
    out, result = hostile
    assert result.exit_code == 0, result.output
    assert "10 所学校、12 份录取通知书" in result.output
    folders = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert {"甲_乙技师学院", "甲_乙技师学院-2", "甲_乙技师学院-3", "ABC技工学校", "abc技工学校-2", "CON_", "未命名",
            "录取情况汇总.xlsx-2", "manifest.json-2"} <= set(folders)
    assert len(folders) == 10
    letters = sorted(out.glob("*/通知书/*.docx"))
    assert len(letters) == 12                                    # one per student: nothing overwritten
    assert_safe_tree(out)
    assert run("verify", out).exit_code == 0


def test_clashes_are_warned_naming_both(hostile):
    _, result = hostile
    # (the corpus has no publisher.yaml: the two filing/contact warnings of check_filing are not clashes)
    lines = [l for l in result.output.splitlines() if ": 警告: " in l and "publisher.yaml" not in l]
    assert len(lines) == 6, lines
    assert any("“甲:乙技师学院”与“甲/乙技师学院”" in l and "甲_乙技师学院-2" in l for l in lines), lines
    assert any("“abc技工学校”与“ABC技工学校”" in l for l in lines), lines
    assert any("“A:1-张三”与“A/1-张三”" in l and "A_1-张三-2.docx" in l for l in lines), lines
    assert all(re.search(r"(catalog|admissions)_hostile_names\.yaml:\d+: 警告: ", l) for l in lines), lines


def test_each_clashing_school_gets_its_own_pdf(tmp_path):
    from test_admissions import pages
    cat = tmp_path / "catalog.yaml"
    adm = tmp_path / "admissions.yaml"
    catalog = json.loads(json.dumps(__import__("yaml").safe_load((BAD / "catalog_hostile_names.yaml").read_text("utf-8"))))
    catalog["schools"] = catalog["schools"][:3]
    admissions = __import__("yaml").safe_load((BAD / "admissions_hostile_names.yaml").read_text("utf-8"))
    admissions["rows"] = admissions["rows"][:3]
    dump = __import__("yaml").safe_dump
    cat.write_text(dump(catalog, allow_unicode=True), "utf-8")
    adm.write_text(dump(admissions, allow_unicode=True), "utf-8")
    out = tmp_path / "out"
    result = run("admissions", adm, "--catalog", cat, "-o", out, "--format", "pdf")
    assert result.exit_code == 0, result.output
    for folder in ("甲_乙技师学院", "甲_乙技师学院-2", "甲_乙技师学院-3"):
        assert pages(out / folder / "录取通知书.pdf") == 1


@pytest.mark.parametrize("city", ["..", "/", "a/../../b", "市" * 100, "CON", " 济南市. ", "\\\\srv\\x", "济南\u202e市"])
def test_form_city_is_a_safe_name(city, tmp_path):
    out = tmp_path / "out"
    result = run("form", "attachment2", "--blank", "--city", city, "-o", out, "--format", "xlsx")
    assert result.exit_code == 0, result.output
    assert "内部错误" not in result.output
    made = [p for p in out.iterdir() if p.name != "manifest.json"]
    assert len(made) == 1 and made[0].is_file() and made[0].suffix == ".xlsx", names_in(out)
    assert made[0].name.startswith("附件2-") and made[0].name.endswith("-空白表.xlsx")
    assert_safe_tree(out)
    assert not any(p.name for p in tmp_path.iterdir() if p.name not in ("out",))


def test_build_prefixes_and_notice_stems_unique(tmp_path):
    root = tmp_path / "projects"
    for folder in ("甲市", "甲市.", "CON"):
        project = root / folder
        project.mkdir(parents=True)
        (project / "publisher.yaml").write_text("city: 济南市\nyear: 2019\n", "utf-8")
        notice = "kind: notice\nissuers: [济南市人力资源和社会保障局]\ntitle: 关于测试的通知\nto: 各有关单位\n" \
                 "body: 现将有关事项通知如下。\ndate: 2019-02-27\n"
        (project / "a.yaml").write_text(notice, "utf-8")
        (project / "a.yml").write_text(notice, "utf-8")
    out = tmp_path / "out"
    result = run("build", root, "-o", out, "--format", "docx")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["CON_", "甲市", "甲市-2"]
    for prefix in ("CON_", "甲市", "甲市-2"):
        assert sorted(p.name for p in (out / prefix).iterdir()) == ["a-2.docx", "a.docx"]
    assert "警告" in result.output and "甲市." in result.output
    assert_safe_tree(out)


@pytest.mark.parametrize("city", ["济南\x1b市", "济南\x00", "\x0b"])
def test_form_city_with_control_characters_is_refused(city, tmp_path):
    result = run("form", "attachment2", "--blank", "--city", city, "-o", tmp_path / "out", "--format", "xlsx")
    assert result.exit_code == 2, result.output
    assert "--city" in result.output and "控制字符" in result.output and "内部错误" not in result.output
    assert not (tmp_path / "out").exists()
