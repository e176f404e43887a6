"""Control characters in names (issue 11, item 7): findings when read, and never in an output.

Policy in ``publisher/sources/controls.py``: C0/C1 controls are removed with a
warning (``text.control``); bidi overrides are an error (``text.bidi``).
"""
from __future__ import annotations

import json
import re
import shutil
import sys
import zipfile

import pytest
from lxml import etree

from conftest import DATA, ROOT
from publisher.cli import main
from publisher.errors import SourceError
from publisher.sources import load_source

sys.path.insert(0, str(ROOT / "tools"))
import make_bad_inputs as bad  # noqa: E402

BAD = DATA / "bad"
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def findings_of(source) -> list[tuple[str, str, str]]:
    """(where, level, code) of the control-character findings, in reading order."""
    return [(str(f.location).split(":", 1)[1], f.level, f.code) for f in source.findings
            if f.code.startswith("text.")]


def test_workbook_escapes_are_decoded_then_removed():
    """Excel writes a control character as _x001B_; it is read as one, removed, and named."""
    source = load_source(BAD / "xlsx_control_chars.xlsx")
    assert [p.name for p in source.model.rows] == ["张三", "王芳", "李四", "赵磊", "钱多多"]
    assert source.model.rows[4].card_no == "3701241050\t00000005"      # a tab is ordinary text
    assert findings_of(source) == [("Sheet1!B4", "warning", "text.control"),
                                       ("Sheet1!B5", "warning", "text.control"),
                                       ("Sheet1!B6", "warning", "text.control"),
                                       ("Sheet1!B7", "error", "text.bidi")]
    messages = [f.message for f in source.findings]
    assert messages[0] == "姓名“张三”含有看不见的控制字符 U+001B（ESC），已删除；请在源文件中核对并改正这一处"
    assert "U+000B（垂直制表符）" in messages[1] and "U+0000（NUL）" in messages[2]
    assert messages[3].startswith("姓名“赵磊”含有改变文字显示方向的控制字符 U+202E（RLO），屏幕上显示的文字与实际内容不一致")


def test_raw_control_character_in_sheet_xml_names_the_cell(runner):
    result = runner.invoke(main, ["check", "--json", str(BAD / "xlsx_control_raw.xlsx")], catch_exceptions=False)
    assert result.exit_code == 1
    [finding] = json.loads(result.stdout)
    assert (finding["sheet"], finding["row"], finding["column"], finding["code"]) == ("Sheet1", 4, "B", "file.unreadable")
    assert finding["message"].startswith("工作表不是合法的 XML（not well-formed (invalid token)")


def test_csv_controls_and_a_nul_in_a_name():
    """A NUL typed into one name is a finding, not 'not a text file'."""
    source = load_source(BAD / "csv_control_chars.csv")
    assert [p.name for p in source.model.rows] == ["张三", "王芳", "李四", "孙七"]
    assert findings_of(source) == [("B2", "warning", "text.control"), ("B3", "warning", "text.control"),
                                       ("B4", "warning", "text.control"), ("B5", "warning", "text.control")]
    assert not source.findings.has_errors
    for name in ("random_bytes.csv", "binary_zero.csv"):          # binary files are still named as such
        with pytest.raises(SourceError, match="不是文本文件"):
            load_source(BAD / name)


def test_csv_bidi_controls_are_errors(runner):
    result = runner.invoke(main, ["check", "--json", str(BAD / "csv_bidi_override.csv")], catch_exceptions=False)
    assert result.exit_code == 1
    errors = [(f["row"], f["column"], f["code"]) for f in json.loads(result.stdout) if f["level"] == "error"]
    assert errors == [(2, "B", "text.bidi"), (3, "B", "text.bidi")]


def test_yaml_escapes_are_removed_with_their_line():
    source = load_source(BAD / "yaml_control_escapes.yaml")
    assert [p.name for p in source.model.rows] == ["张三", "王芳", "李四", "赵磊"]
    assert findings_of(source) == [("7", "warning", "text.control"), ("8", "warning", "text.control"),
                                       ("9", "warning", "text.control"), ("10", "error", "text.bidi")]


def test_lone_surrogate_and_xml_noncharacters_are_removed(tmp_path):
    path = tmp_path / "catalog.yaml"
    path.write_text('kind: catalog\ncity: "济南\\ud800市\\uffff"\nyear: 2019\n', encoding="utf-8")
    source = load_source(path)
    assert source.model.city == "济南市"
    assert [f.code for f in source.findings][:1] == ["text.control"]


def test_meta_lines_are_cleaned(tmp_path):
    path = tmp_path / "registrations.xlsx"
    path.write_bytes(bad.workbook_bytes([bad.REG_HEADER, bad.person(1)], "济南市精准技能扶贫对象登记汇总表",
                                        "填表单位（盖章）：济南市人力资源_x001B_社会保障局  填表时间：2019年3月20日"))
    source = load_source(path, "registrations.xlsx")
    assert source.model.city == "济南市"
    assert [(str(f.location), f.code) for f in source.findings] == [("registrations.xlsx:Sheet1!A2", "text.control")]


# ---------------------------------------------------------------- check accepts it: the build renders it

def _project(folder):
    """A project whose every kind of source holds control characters (no bidi: those stop a build)."""
    folder.mkdir()
    (folder / "publisher.yaml").write_text((ROOT / "catalogs" / "jinan" / "publisher.yaml").read_text("utf-8")
                                           .replace("name: 济南市人力资源和社会保障局",
                                                    'name: "济南市人力资源和\\x1b社会保障局"'), encoding="utf-8")
    catalog = (DATA / "good" / "catalog.yaml").read_text("utf-8")
    catalog = catalog.replace("address: 济南市历城区港沟街道新城路6号", 'address: "济南市历城区\\v港沟街道新城路6号"')
    catalog = catalog.replace("name: 平阴县技工学校", 'name: "平阴县技工\\0学校"')
    catalog = catalog.replace("name: 焊接加工", 'name: "焊接\\e加工"')
    (folder / "catalog.yaml").write_text(catalog, encoding="utf-8")
    shutil.copy(BAD / "csv_control_chars.csv", folder / "registrations.csv")
    header = bad.REG_HEADER + ["录取院校", "录取专业", "报到时间", "报到地点"]
    rows = [bad.person(1, "张_x001B_三") + [bad.SCHOOLS[0], "数控加工", "2019-09-01", "新生_x000B_报到处"],
            bad.person(2, "王_x0000_芳", male=False) + [bad.SCHOOLS[1], "焊接加工", "2019-08-30", "办公楼"]]
    (folder / "admissions.xlsx").write_bytes(bad.workbook_bytes([header, *rows], "济南市录取名单"))
    (folder / "notice.yaml").write_text(
        "kind: notice\nissuers: [\"济南市人力资源和\\x1b社会保障局\"]\ntitle: \"关于公布\\x07技能扶贫目录的通知\"\n"
        "to: 各县区人力资源社会保障局\nbody: \"现将目录印发给你们。\\n\\n请认真\\x85贯彻落实。\"\ndate: 2019-02-27\n",
        encoding="utf-8")


def _xml_parts(path):
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                yield name, archive.read(name)


def test_everything_check_accepts_builds_into_valid_xml(tmp_path, runner):
    """Every source kind holds control characters; check warns, the build makes every format."""
    project = tmp_path / "project"
    _project(project)
    result = runner.invoke(main, ["check", str(project)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.count("text.control") == 0 and result.output.count("看不见的控制字符") >= 10, result.output
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(project), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert len(list(out.rglob("*.pdf"))) >= 5                  # every format renders; DOCX and XLSX are parsed below
    for page in out.rglob("*.html"):
        assert not CONTROL.search(page.read_text("utf-8"))
    documents = sorted(out.rglob("*.docx"))
    workbooks = sorted(out.rglob("*.xlsx"))
    kinds = {p.name for p in documents + workbooks}
    assert any("附件2" in k for k in kinds) and any("技工院校和专业目录" in k for k in kinds), kinds
    assert any("录取" in str(p) for p in documents), documents
    assert any(p.stem.startswith("notice") for p in documents), documents
    for path in documents + workbooks:
        for name, data in _xml_parts(path):
            root = etree.fromstring(data)                  # strict: an XML 1.0 control character fails here
            text = "".join(root.itertext())
            assert not CONTROL.search(text), (path, name, CONTROL.findall(text))
    body = "".join("".join(etree.fromstring(dict(_xml_parts(p))["word/document.xml"]).itertext())
                   for p in documents if "录取" in str(p))
    assert "张三" in body and "王芳" in body
