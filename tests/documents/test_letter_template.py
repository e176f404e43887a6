"""The letter template machinery: merge fields as tags, a fill equal to docxtpl's, the check's located
findings, a combined document's own headers and lists, and the page count policy."""
from __future__ import annotations

import datetime as dt
import importlib.util
import io
import json
import re
import subprocess
import zipfile

import pytest
from click.testing import CliRunner
from docx import Document
from lxml import etree

from conftest import ROOT
from publisher.cli import main
from publisher.render import mergefields

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _module(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def converted(runs: str) -> tuple[str, list[str]]:
    """The text of a paragraph after ``mergefields.convert``, and the problems it reported."""
    root = etree.fromstring(f"<w:p {W}>{runs}</w:p>")
    problems = mergefields.convert(root)
    return "".join(t.text or "" for t in root.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")), \
        problems


def field(instr: str, result: str = "«x»", rpr: str = "") -> str:
    return (f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">{instr}'
            f'</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r>{rpr}<w:t>{result}</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


@pytest.mark.parametrize("runs, text", [
    ('<w:fldSimple w:instr=" MERGEFIELD 姓名 "><w:r><w:t>«姓名»</w:t></w:r></w:fldSimple><w:r><w:t>同学</w:t></w:r>',
     '{{ 字段["姓名"] }}同学'),
    (field(" MERGEFIELD  录取专业  \\* MERGEFORMAT "), '{{ 字段["录取专业"] }}'),
    (field(' MERGEFIELD "县（市、区）" '), '{{ 字段["县（市、区）"] }}'),
    (field(' MERGEFIELD 宿舍号 \\b "宿舍：" \\f "。" '), '{% if 字段["宿舍号"] %}宿舍：{{ 字段["宿舍号"] }}。{% endif %}'),
    (field(" MERGEFIELD 印章 "), "{{ 印章 }}"),
    (field(" NEXT "), ""),
    (field(" PAGE ", "3"), "3"),                                       # not a merge field: left alone
    ('<w:r><w:t>你好，«姓名»！</w:t></w:r>', '你好，{{ 字段["姓名"] }}！'),
])
def test_merge_fields_become_tags(runs, text):
    assert converted(runs) == (text, [])


def test_if_field_on_a_merge_field_becomes_a_condition():
    runs = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> IF </w:instrText></w:r>'
            + field(" MERGEFIELD 性别 ", "女") +
            '<w:r><w:instrText xml:space="preserve"> = "女" "女生公寓" "男生公寓" </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>女生公寓</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    assert converted(runs) == ('{% if 字段["性别"] == "女" %}女生公寓{% else %}男生公寓{% endif %}', [])


def test_field_holding_a_merge_field_it_cannot_convert_is_reported():
    runs = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> ASK x </w:instrText>'
            '</w:r>' + field(" MERGEFIELD 姓名 ") + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    text, problems = converted(runs)
    assert "MERGEFIELD" not in text and problems == ["域“ASK x «姓名»”中含有合并域，publisher 不支持这种域；请改用 {{ 字段名 }}"]


def test_fill_equals_docxtpl(tmp_path):
    """The compiled fill gives docxtpl's text (body, header, table, loop, condition), with values escaped."""
    from docxtpl import DocxTemplate
    from publisher.render import docx_fill
    path = tmp_path / "school.docx"
    path.write_bytes(_module("make_letter_templates").school_template())
    context = {"录取院校": "甲<&>技师学院", "姓名": "王小明", "性别": "女", "宿舍号": "3-201\n（北楼）", "录取专业": "焊接加工",
               "城市": "济南市", "年度": "2019", "学制": "3", "报到时间": "2019年9月1日", "报到地点": "报到处",
               "录取编号": "2019010001", "培养层次": "中级工", "学校地址": "济南", "学校联系电话": "0531-1",
               "落款日期": "2019年7月15日", "印章": ""}
    filler = docx_fill.Filler(docx_fill.read(path, "school.docx"))
    ours = zipfile.ZipFile(io.BytesIO(filler.docx(filler.fill(context), dt.datetime(2019, 7, 15))))
    tpl = DocxTemplate(str(path))
    tpl.render(context, autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    theirs = zipfile.ZipFile(out)
    for part in ("word/document.xml", "word/header1.xml", "word/footer1.xml"):
        text = [re.sub(r"<[^>]+>", "|", z.read(part).decode()).split("|") for z in (ours, theirs)]
        assert [t for t in text[0] if t] == [t for t in text[1] if t], part
    body = ours.read("word/document.xml").decode()
    assert "甲&lt;&amp;&gt;技师学院" in body and "3-201</w:t><w:br/>" in body


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tpl-data")
    return _module("make_admissions").make(folder, 6, schools=1, dorms=True)


def template(tmp_path, *paragraphs, header: str | None = None, name: str = "t.docx"):
    doc = Document()
    for text in paragraphs:
        if text.startswith("#list "):
            doc.add_paragraph(text[6:], style="List Number")
        else:
            doc.add_paragraph(text)
    if header is not None:
        doc.sections[0].header.paragraphs[0].text = header
    doc.save(tmp_path / name)
    return tmp_path / name


def test_check_locates_unknown_fields_and_syntax_errors(data, tmp_path, monkeypatch):
    """`publisher check` on a project whose templates: folder holds the letter: each problem at its part and
    paragraph, with the paragraph's text and the fields there are (the list's own column 宿舍号 among them)."""
    adm, cat = data
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tpl" / "docx").mkdir(parents=True)
    (tmp_path / "publisher.yaml").write_text("city: 济南市\nyear: 2019\ntemplates: tpl/\n", "utf-8")
    for name in ("a.xlsx", "c.yaml"):
        (tmp_path / name).write_bytes((adm if name == "a.xlsx" else cat).read_bytes())
    letter = tmp_path / "tpl" / "docx" / "letter.docx"
    template(tmp_path, "{{ 姓名 }}同学：", "宿舍：{{ 宿舍 }}", "{{ 印章 }}", header="{{ 学校 }}招生办").rename(letter)
    result = CliRunner().invoke(main, ["check", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    unknown = next(l for l in lines if "“宿舍”" in l)
    assert unknown.startswith("tpl/docx/letter.docx:第2段（“宿舍：{{ 宿舍 }}”）: 错误: 模板使用了字段“宿舍”（是不是“宿舍号”？），"
                              "但录取名单中没有这一列")
    assert "可用的字段有：序号、姓名、性别" in unknown and "、宿舍号" in unknown
    assert any(l.startswith("tpl/docx/letter.docx:页眉 第1段（“{{ 学校 }}招生办”）: 错误: 模板使用了字段“学校”")
               for l in lines), lines
    findings = json.loads(CliRunner().invoke(main, ["check", str(tmp_path), "--json"]).output)
    assert {"file": "tpl/docx/letter.docx", "sheet": "第2段（“宿舍：{{ 宿舍 }}”）", "row": None, "column": None,
            "field": None, "level": "error", "code": "template.unknown_field", "message": unknown.split(": 错误: ")[1]} \
        in findings
    template(tmp_path, "{{ 姓名 }}同学：", "{% if 性别 == '女' %}女生", "{{ 印章 }}").rename(letter)
    result = CliRunner().invoke(main, ["check", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 1
    assert "tpl/docx/letter.docx:第3段（“{{ 印章 }}”）: 错误: 模板语法错误：模板结束时还有没有结束的" in result.output
    assert "{%p if … %}" in result.output and "Traceback" not in result.output


def test_template_without_seal_mark_warns_and_has_no_seal(data, tmp_path):
    adm, cat = data
    path = template(tmp_path, "{{ 姓名 }}同学：", "{{ 录取院校 }}")
    out = tmp_path / "o"
    result = CliRunner().invoke(main, ["admissions", str(adm), "--catalog", str(cat), "--template", str(path),
                                       "-o", str(out), "--format", "docx"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"{path}: 警告: 模板中没有标出印章的位置，通知书将不加印章" in result.output
    for letter in out.rglob("*.docx"):
        assert "（印章）" not in zipfile.ZipFile(letter).read("word/document.xml").decode()


def test_missing_template_is_bad_usage(data, tmp_path):
    adm, cat = data
    result = CliRunner().invoke(main, ["admissions", str(adm), "--catalog", str(cat), "--template",
                                       str(tmp_path / "nope.docx"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and "nope.docx: 错误: --template 指定的模板文件不存在" in result.output
    typo = template(tmp_path, "{{ 姓名 }}同学：", "专业：{{ 录取专页 }}", "{{ 印章 }}", name="typo.docx")
    result = CliRunner().invoke(main, ["admissions", str(adm), "--catalog", str(cat), "--template", str(typo),
                                       "-o", str(tmp_path / "o")])
    assert result.exit_code == 1 and f"{typo}:第2段（“专业：{{{{ 录取专页 }}}}”）: 错误: 模板使用了字段“录取专页”（是不是“录取专业”？）" \
        in result.output, result.output
    assert not (tmp_path / "o").exists()
    (tmp_path / "bad.docx").write_bytes(b"not a zip")
    result = CliRunner().invoke(main, ["admissions", str(data[0]), "--catalog", str(data[1]), "--template",
                                       str(tmp_path / "bad.docx"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1 and "bad.docx: 错误: 模板不是有效的 Word 文档（.docx），无法读取" in result.output
    assert "Traceback" not in result.output and "内部错误" not in result.output and not (tmp_path / "o").exists()
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    result = CliRunner().invoke(main, ["admissions", str(data[0]), "--catalog", str(data[1]), "--template",
                                       str(tmp_path / "old.doc"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1 and "old.doc: 错误: 这是旧版 Word 97-2003 格式（.doc）" in result.output


def test_combined_document_gives_each_letter_its_header_and_lists(data, tmp_path):
    """A header naming the student: a header part per letter, each section its own; a numbered list starts
    at 1 in every letter; page numbers restart."""
    adm, cat = data
    path = template(tmp_path, "{{ 姓名 }}同学：", "#list 身份证", "#list 照片", "{{ 印章 }}", header="致 {{ 姓名 }}")
    out = tmp_path / "o"
    result = CliRunner().invoke(main, ["admissions", str(adm), "--catalog", str(cat), "--template", str(path),
                                       "-o", str(out), "--format", "pdf,docx,xlsx"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    combined = next(out.rglob("录取通知书.docx"))
    with zipfile.ZipFile(combined) as package:
        xml = package.read("word/document.xml").decode()
        headers = sorted(n for n in package.namelist() if re.fullmatch(r"word/header[\d-]+\.xml", n))
        numbering = package.read("word/numbering.xml").decode()
        rels = package.read("word/_rels/document.xml.rels").decode()
    from test_letters import audit
    assert audit([combined], tmp_path / "audit") == {}
    assert len(headers) == 6 == xml.count("<w:sectPr")
    refs = re.findall(r'<w:headerReference w:type="default" r:id="([^"]+)"', xml)
    assert len(set(refs)) == 6 and all(f'Id="{r}"' in rels for r in refs)
    nums = re.findall(r'<w:numId w:val="(\d+)"/>', xml)
    assert len(set(nums)) == 6 and numbering.count("<w:startOverride w:val=\"1\"/>") == 5 * 9
    pages = subprocess.run(["pdftotext", "-layout", str(next(out.rglob("录取通知书.pdf"))), "-"],
                           capture_output=True, text=True, check=True).stdout.split("\f")[:-1]
    assert len(pages) == 6
    for page in pages:
        name = re.search(r"致 (\S+)", page).group(1)
        assert f"{name}同学" in page and re.search(r"1\.\s*身份证", page) and re.search(r"2\.\s*照片", page)


def test_page_count_policy(data, tmp_path):
    """Two pages for every letter: said in a note; one letter longer than the others: an error naming it."""
    adm, cat = data
    two = template(tmp_path, "{{ 姓名 }}同学：", *["第一页"] * 28, "{{ 印章 }}第二页", name="two.docx")
    result = CliRunner().invoke(main, ["admissions", str(adm), "--catalog", str(cat), "--template", str(two),
                                       "-o", str(tmp_path / "o2"), "--format", "pdf"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "模板每份通知书排成 2 页，共 12 页" in result.output
    long = template(tmp_path, "{{ 姓名 }}同学：", *["一行"] * 20,
                    "{% if 录取编号.endswith('3') %}" + "很长的内容" * 200 + "{% endif %}{{ 印章 }}", name="long.docx")
    result = CliRunner().invoke(main, ["admissions", str(adm), "--catalog", str(cat), "--template", str(long),
                                       "-o", str(tmp_path / "o3"), "--format", "pdf"], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert re.search(r"错误: .+的通知书每份 1 页，但\S+（\d+3，2 页）的通知书页数不同", result.output), result.output
    assert not (tmp_path / "o3").exists()


def test_fields_by_every_name():
    """A field by its title as typed, its Jinja form, 字段[...], the list's own title of a seed column and the
    old English name; a school's own column with a value beats the derived one of the same name."""
    from publisher.documents.admissions import Letter
    from publisher.documents.letter_fields import context, known_names
    letter = Letter(number="2019010001", school="济南技师学院", name="王小明", gender="男", ethnicity="汉族",
                    id_no="370102200301011234", card_no="1", phone="13800000000", home="某村", major="数控加工",
                    level="中级工", years="3", report_date="2019年9月1日", report_place="报到处", address="济南",
                    school_phone="0531-1", signed_on="2019年7月15日", listed={"county": "平阴县"},
                    extra={"宿舍号": "3-201", "学制": "", "培养层次": "高级工（五年制）"})
    fields = context(letter, {"year": "2019", "city": "济南市"}, {"身份证号码": "身份证号"})
    assert fields["县（市、区）"] == fields["县市区"] == fields["字段"]["县市区"] == fields["字段"]["县（市、区）"] == "平阴县"
    assert fields["身份证号码"] == fields["身份证号"] == fields["id_no"] == "370102200301011234"
    assert fields["宿舍号"] == "3-201" and fields["学制"] == "3" and fields["培养层次"] == "高级工（五年制）"
    assert fields["年度"] == "2019" and fields["学校联系电话"] == "0531-1" and fields["联系电话"] == "13800000000"
    assert {"县市区", "县（市、区）", "身份证号码", "宿舍号", "school", "印章", "字段"} <= known_names({"身份证号码": "身份证号"},
                                                                                      ["宿舍号"])
