"""One pipeline, one verdict (issue #12): the leaks a per-module pipeline had, each shut by construction."""
from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from conftest import DATA, ROOT, make_id, write_rows
from publisher.cli import main
from test_masking import assert_masked, personal

DEMO = ROOT / "catalogs" / "jinan"
NOTICE = """kind: notice
issuers: [济南市人力资源和社会保障局]
mark: 文件
number: 济人社字〔2019〕9号
title: 关于报送精准技能扶贫对象登记情况的通知
to: 各县（市、区）人力资源社会保障局
body: |
  现将登记情况印发给你们。
attachments:
  - {title: 济南市精准技能扶贫对象登记汇总表, form: attachment2, data: registrations.xlsx}
date: 2019-03-01
"""


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def project(tmp_path):
    """The demo city with a notice whose 附件2 is filled from the registrations."""
    folder = tmp_path / "jinan"
    shutil.copytree(DEMO, folder)
    (folder / "notice.yaml").write_text(NOTICE, "utf-8")
    return folder


def test_build_mask_reaches_a_notice_attachment(project, tmp_path):
    secrets = personal(project / "registrations.xlsx")
    result = invoke("build", project, "-o", tmp_path / "out", "--mask", "--format", "pdf,docx")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "notice.pdf").is_file() and (tmp_path / "out" / "notice.docx").is_file()
    assert assert_masked(tmp_path / "out", secrets) >= 10


def test_mask_in_publisher_yaml_is_a_setting_not_an_unknown_key(project, tmp_path):
    with open(project / "publisher.yaml", "a", encoding="utf-8") as config:
        config.write("mask: true\n")
    check = invoke("check", project)
    assert "未知的配置项" not in check.output
    secrets = personal(project / "registrations.xlsx")
    result = invoke("notice", project / "notice.yaml", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert assert_masked(tmp_path / "out", secrets) == 2


def test_a_format_the_kind_cannot_make_is_bad_usage_and_writes_nothing(project, tmp_path):
    result = invoke("notice", project / "notice.yaml", "--format", "xlsx", "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "公文不能生成 xlsx 格式；可用的有 docx,pdf" in result.output
    assert not (tmp_path / "out").exists()
    result = invoke("form", "attachment1", "--blank", "--format", "html", "-o", tmp_path / "out")
    assert result.exit_code == 2 and "可用的有 docx,pdf,xlsx" in result.output
    assert invoke("catalog", DEMO / "catalog-2019.xlsx", "--format", "pdf,nosuch", "-o", tmp_path / "o").exit_code == 2


def test_check_finds_duplicate_admission_numbers_at_their_rows(tmp_path):
    head = ["序号", "姓名", "性别", "民族", "扶贫卡编号", "身份证号", "联系电话", "家庭详细地址", "拟就读技工院校",
            "录取院校", "录取专业", "录取编号"]
    rows = [head] + [[i, name, "男", "汉族", f"37012410500{i:07d}", make_id(seq=f"{10 + i}"), "13812345678",
                      "济南市平阴县", "济南技师学院", "济南技师学院", "数控加工", number]
                     for i, (name, number) in enumerate((("张三", "2019010001"), ("李四", "2019010001")), 1)]
    lst = write_rows(tmp_path / "录取名单.xlsx", rows)
    result = invoke("check", "--json", lst, DATA / "good" / "catalog.yaml")
    assert result.exit_code == 1
    dup = [f for f in json.loads(result.stdout) if f["code"] == "admission.duplicate_no"]
    assert [(f["row"], f["column"]) for f in dup] == [(3, "L")]
    assert "录取名单.xlsx:Sheet1!L2" in dup[0]["message"]


@pytest.mark.parametrize("line, key", [
    ("layout: {seal_mm: 大}", "layout.seal_mm"),
    ("layout: {red: 红色}", "layout.red"),
    ("layout: {paper: B5}", "layout.paper"),
    ("mask: 也许", "mask"),
    ("year: 二〇一九", "year"),
    ("filing: {notice_number: \"济人社字[2019]第08号\"}", "filing.notice_number"),
])
def test_bad_config_values_are_located_findings_of_check(project, tmp_path, line, key):
    config = project / "publisher.yaml"
    text = config.read_text("utf-8")
    config.write_text(text + line + "\n", "utf-8")
    line_no = text.count("\n") + 1
    result = invoke("check", project)
    assert result.exit_code == 1
    assert f"publisher.yaml:{line_no}: 错误: {key}（" in result.output, result.output
    built = invoke("build", project, "-o", tmp_path / "out", "--format", "xlsx")
    assert built.exit_code == 1 and "内部错误" not in built.output
    assert not (tmp_path / "out").exists()


def test_good_config_values_are_typed(tmp_path):
    from publisher.config import load_config
    from publisher.errors import Findings
    (tmp_path / "seal.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 20)
    (tmp_path / "publisher.yaml").write_text(
        "issuer: {name: 济南市人力资源和社会保障局, code: 济人社字, seal: seal.png}\nyear: '2019'\nmask: yes\n"
        "layout: {seal_mm: 40, red: '#ff0000', paper: a5, double_sided: false}\n"
        "filing: {notice_number: 济人社字〔2019〕8号, report_number: 济人社报〔2019〕3号, signer: 李明}\n", "utf-8")
    findings = Findings()
    config = load_config(tmp_path, findings)
    assert not len(findings), [str(f) for f in findings]
    assert (config.year, config.mask, config.layout.seal_mm, config.layout.red, config.layout.paper) == \
        (2019, True, 40.0, "#FF0000", "A5")
    assert config.layout.double_sided is False and config.filing.signer == "李明"
    assert config.seal_image() == (tmp_path / "seal.png").resolve()


def test_exit_codes_when_a_compilation_rejects_a_return(tmp_path):
    """README: 0 all made, 1 errors (nothing written), 2 bad usage, 3 made with rejected inputs listed."""
    returns = ROOT / "catalogs" / "province" / "returns"
    result = invoke("compile", returns, "--format", "xlsx", "-o", tmp_path / "out")
    assert result.exit_code == 3
    assert "潍坊市.xlsx 有错误，已在汇总表的报送情况中列出" in result.output
    assert list((tmp_path / "out").glob("*.xlsx"))
    assert invoke("check", returns).exit_code == 1
    assert invoke("compile", tmp_path / "nosuch", "-o", tmp_path / "o2").exit_code == 2


def test_every_command_runs_through_the_registry():
    from publisher import kinds
    names = [k.name for k in kinds.kinds()]
    assert names == ["catalog", "filing", "forms", "notice", "letters", "compilation"]
    for kind in kinds.kinds():
        assert kind.formats and all(f in kinds.FORMATS for f in kind.formats)
        assert kind.render or set(kind.formats) <= set(kind.writers)
        for target in list(kind.writers.values()) + ([kind.render] if kind.render else []):
            assert callable(kinds.resolve(target)), target


def test_a_derived_format_needs_only_its_registration(tmp_path, monkeypatch):
    """Adding a format made from another (as PDF/A would be from PDF) is one registration."""
    from publisher import kinds
    monkeypatch.setitem(kinds.FORMATS, "pdf2", kinds.Format("pdf2", "测试", derive=("pdf", lambda data: data + b"%x")))
    result = invoke("form", "attachment1", "--blank", "--format", "pdf2", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    made = list((tmp_path / "out").glob("*.pdf2"))
    assert len(made) == 1 and made[0].read_bytes().startswith(b"%PDF") and made[0].read_bytes().endswith(b"%x")
