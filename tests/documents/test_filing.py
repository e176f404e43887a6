"""The catalog's filing as a new user makes it: a project with ``filing:`` keys and a catalog never
seen before gives a 备案报告 (上行文) and a 公布通知 that pass a 办公室 review (GB/T 9704-2012)."""
from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher.cli import main

CONFIG = """\
issuer:
  name: 淄博市人力资源和社会保障局
  code: 淄人社字
  seal: placeholder
city: 淄博市
year: 2019
contact: {unit: 职业能力建设处, person: 孙老师, phone: 0533-3180001}
filing:
  notice_number: 淄人社字〔2019〕8号
  report_number: 淄人社报〔2019〕3号
  signer: 李明
"""

CATALOG = """\
kind: catalog
city: 淄博市
year: 2019
published_on: 2019-02-25
schools:
  - name: 淄博市技师学院
    type: 技师学院
    affiliation: 市属
    address: 淄博市张店区华光路188号
    phone: 0533-2310001
    majors:
      - {code: "0103", name: 数控加工, level: 高级工, years: 5, plan: 45, note: ""}
      - {code: "0501", name: 焊接加工, level: 中级工, years: 3, plan: 30, note: ""}
  - name: 沂源县技工学校
    type: 技工学校
    affiliation: 县属
    address: 沂源县历山街道振兴路6号
    phone: 0533-3240002
    majors:
      - {code: "0407", name: 汽车维修, level: 中级工, years: 3, plan: 40, note: ""}
"""

MM = 72 / 25.4
TEXT_BOTTOM = 37 + 225                        # mm from the page top: the 版心's bottom edge


def _project(tmp_path: Path, config: str = CONFIG) -> Path:
    project = tmp_path / "zibo"
    project.mkdir()
    (project / "publisher.yaml").write_text(config, "utf-8")
    (project / "目录2019.yaml").write_text(CATALOG, "utf-8")
    return project


@pytest.fixture(scope="module")
def filing(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("filing")
    out = tmp / "out"
    result = CliRunner().invoke(main, ["build", str(_project(tmp)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "警告" not in result.output, result.output        # numbers, signer, contact all given
    return out


def pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    return [p for p in text.split("\f") if p.strip()]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def red_rows(pdf: Path, tmp: Path, dpi: int = 40) -> dict[int, list[float]]:
    """Page number -> the y (mm from the page top) of every pixel row holding red ink."""
    from PIL import Image
    tmp.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(tmp / "p")], check=True)
    found = {}
    for png in sorted(tmp.glob("p-*.png")):
        image = Image.open(png).convert("RGB")
        w, h = image.size
        px = image.load()
        rows = [y * 25.4 / dpi for y in range(h)
                if any(px[x, y][0] > 170 and px[x, y][1] < 130 and px[x, y][2] < 110 for x in range(0, w, 1))]
        found[int(png.stem.split("-")[-1])] = rows
    return found


def test_report_is_an_upward_document_with_number_signer_and_banji(filing, tmp_path):
    pdf = filing / "淄博市2019年度精准技能扶贫技工院校和专业目录-备案报告.pdf"
    text = pages(pdf)
    first = flat(text[0])
    assert first.startswith("淄博市人力资源和社会保障局文件")
    assert "淄人社报〔2019〕3号签发人：李明" in first                    # one line: number left, signer right
    assert "关于报送2019年度精准技能扶贫技工院校和专业目录的报告" in first
    assert len(text) % 2 == 0
    last = flat(text[-1])
    assert "淄博市人力资源和社会保障局办公室2019年2月25日印发" in last
    assert re.search(rf"—{len(text)}—$", last)                            # the 版记 page has its number
    body = flat("".join(text))
    assert "三、联系方式联系单位：职业能力建设处；联系人：孙老师；联系电话：0533-3180001。" in body
    assert "附件1" in body and "淄博市2019年度精准技能扶贫技工院校和专业目录备案表" in body
    assert "附件2" in body and "沂源县技工学校" in body
    # page 1 carries the red 版头 (mark and rule) in its upper part
    red = red_rows(pdf, tmp_path)
    assert red[1] and min(red[1]) < 37 + 80


def test_report_geometry(filing):
    """签发人 ends one character from the right; the 发文字号 starts one character from the left."""
    pdf = filing / "淄博市2019年度精准技能扶贫技工院校和专业目录-备案报告.pdf"
    words = _words(pdf, 1)
    number = next(w for w in words if w[4].startswith("淄人社报"))
    kai = [w for w in words if w[4] in ("李明", "签发人：李明")][-1]
    char = 156 / 28
    assert number[0] / MM == pytest.approx(28 + char, abs=0.6)
    assert kai[2] / MM == pytest.approx(28 + 156 - char, abs=0.6)
    assert abs(number[1] - kai[1]) < 1.5                                  # same line


def _words(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True).stdout
    return [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out)]


def test_publishing_notice_has_its_number_and_a_title_broken_at_a_word(filing):
    text = pages(filing / "淄博市2019年度精准技能扶贫技工院校和专业目录-公布通知.pdf")
    lines = [ln.strip() for ln in text[0].splitlines() if ln.strip()]
    assert "淄人社字〔2019〕8号" in lines
    i = lines.index("关于公布2019年度精准技能扶贫")
    assert lines[i + 1] == "技工院校和专业目录的通知"
    assert len(text) % 2 == 0


@pytest.mark.parametrize("name", ["淄博市2019年度精准技能扶贫技工院校和专业目录-备案报告.pdf", "淄博市2019年度精准技能扶贫技工院校和专业目录-公布通知.pdf"])
def test_no_red_ink_below_the_text_area(filing, tmp_path, name):
    """7.3.5.1: 印章…不得超出版心 — nothing red lower than the 版心's bottom edge on any page."""
    red = red_rows(filing / name, tmp_path)
    assert any(red.values())                                            # the mark and the seal are there
    assert {page: max(rows) for page, rows in red.items() if rows and max(rows) > TEXT_BOTTOM + 0.7} == {}


def test_docx_signer_number_and_chinese(filing):
    from publisher.render.docx_lang import problems
    data = (filing / "淄博市2019年度精准技能扶贫技工院校和专业目录-备案报告.docx").read_bytes()
    assert problems(data) == []
    with zipfile.ZipFile(filing / "淄博市2019年度精准技能扶贫技工院校和专业目录-备案报告.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "淄人社报〔2019〕3号" in xml and "签发人：" in xml and ">李明<" in xml
    # the right tab stop that ends 签发人 one character (156/28 mm) from the right margin
    tab = int(re.search(r'<w:tab w:pos="(\d+)" w:val="right"/>', xml).group(1))
    assert tab == pytest.approx((156 - 156 / 28) * 1440 / 25.4, abs=2)
    # 附件1: key/value rows and the 附件2 catalog, each under its label
    assert "附件1" in xml and "附件2" in xml and ">承担院校数（所）<" in xml and ">淄博市技师学院<" in xml


def test_missing_numbers_signer_and_contact_are_warned_and_left_visibly_blank(tmp_path):
    config = CONFIG.split("contact:")[0] + "contact: {}\n"
    project = _project(tmp_path, config)
    check = CliRunner().invoke(main, ["check", str(project)])
    assert check.exit_code == 0
    out = check.output
    assert "publisher.yaml:1: 警告: publisher.yaml 的 filing: 中没有填写公布通知的发文字号 notice_number、" \
           "备案报告的发文字号 report_number、备案报告的签发人 signer；目录备案的公布通知印“淄人社字〔2019〕　　号”，" \
           "备案报告印“淄人社报〔2019〕　　号”，签发人处留空，需手工填写。" in out
    assert "publisher.yaml:7: 警告: publisher.yaml 的 contact: 中没有填写联系单位 unit、联系人 person、联系电话 phone" in out
    out_dir = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(project), "-o", str(out_dir), "--format", "docx"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out_dir / "淄博市2019年度精准技能扶贫技工院校和专业目录-公布通知.docx") as z:
        assert "淄人社字〔2019〕　　号" in z.read("word/document.xml").decode("utf-8")
    with zipfile.ZipFile(out_dir / "淄博市2019年度精准技能扶贫技工院校和专业目录-备案报告.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "淄人社报〔2019〕　　号</w:t><w:tab/><w:t>签发人：" in xml
    assert "联系单位：＿＿＿＿；联系人：＿＿＿＿；联系电话：＿＿＿＿。" in xml
