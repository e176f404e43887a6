"""附件1 / 附件2 as a bureau makes them: from a hand-typed workbook to XLSX, DOCX and PDF."""
from __future__ import annotations

import re
import subprocess
import zipfile

import docx
import openpyxl

from conftest import DATA, ROOT, make_id, write_rows
from publisher.cli import main
from publisher.domain.people import mask_text

A1_HEAD2 = ["当年招收建档立卡贫困家庭子女人数（人）", "建档立卡贫困\n家庭子女在校生人数（人）",
            "建档立卡贫困\n家庭子女毕业生人数（人）", "建档立卡贫困家庭子女毕业生就业人数（人）",
            "当年面向建档立卡贫困家庭劳动者开展职业培训人数（人）", "培训后就业创业人数（人）"]


def progress_workbook(path, n_schools=4):
    """附件1 typed like a bureau's: title rows, merged two-row header, a blank row, text numbers."""
    rows = [["附件1"], ["全省技工院校服务脱贫攻坚工作进展情况表"],
            ["填表单位（盖章）：淄博市人力资源社会保障局", None, None, None, None, "填表时间：2019年6月12日"],
            ["序号", "学校名称", "技工教育情况", None, None, None, "职业培训情况", None],
            [None, None, *A1_HEAD2]]
    schools = []
    for i in range(1, n_schools + 1):
        name = f"淄博第{i}技工学校"
        counts = [10 + i, 30 + i, 8, 5, 20 + i, 10]
        schools.append((name, counts))
        cells = [i, name, *counts]
        if i == 2:
            cells[2] = "１２"            # a full-width number typed as text
        rows.append(cells)
        if i == 1:
            rows.append([None] * 8)     # a stray blank row
    rows.append(["填表人：赵敏", None, None, "联系电话：0533-2180000"])
    write_rows(path, rows, merges=("A2:H2", "A4:A5", "B4:B5", "C4:F4", "G4:H4"))
    schools[1] = (schools[1][0], [12] + schools[1][1][1:])
    return schools


def registrations_workbook(path):
    people = [("韩浩然", "男", make_id(seq="11", male=True), "13853300001"),
              ("李文静", "女", make_id(seq="12", male=False), "13853300002"),
              ("=A1+B1", "男", make_id(seq="13", male=True), "0533-2180001"),
              ("张鹏", "男", make_id(seq="14", male=True), "13853300004")]
    rows = [["附件2"], ["淄博市精准技能扶贫对象登记汇总表"],
            ["填表单位（盖章）：淄博市人力资源社会保障局", None, None, None, None, None, None, "填表时间：2019年3月20日"],
            ["序号", "姓名", "性别", "民族", "扶贫卡编号", "身份证号", "联系电话", "家庭详细地址", "拟就读\n技工院校"]]
    for i, (name, gender, id_no, phone) in enumerate(people, 1):
        rows.append([i, name, gender, "汉族", f"3703021000{i:09d}", id_no, phone,
                     f"淄博市博山区山头街道{i}号", "淄博市技师学院"])
    rows.append(["总计", "4人"])
    rows.append(["填表人：赵敏", None, None, "联系电话：0533-2180000"])
    write_rows(path, rows, merges=("A2:I2",))
    # The formula-looking name must be a text cell in the source, as Excel stores a typed '=…
    wb = openpyxl.load_workbook(path)
    wb.active["B7"].data_type = "s"
    wb.save(path)
    return people


def run_form(runner, *args):
    result = runner.invoke(main, ["form", *map(str, args)])
    assert "Traceback" not in result.output
    return result


def pdf_text(path, page=None) -> str:
    cmd = ["pdftotext", "-layout"] + (["-f", str(page), "-l", str(page)] if page else []) + [str(path), "-"]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def pdf_info(path) -> dict:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def fonts_embedded(path) -> list[str]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split()[-5] for line in out.splitlines()[2:] if line.strip()]


def docx_rows(path) -> list[list[str]]:
    table = docx.Document(str(path)).tables[0]
    return [[c.text for c in row.cells] for row in table.rows]


def sheet_rows(path, sheet) -> list[tuple]:
    return list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))


# ---------------------------------------------------------------- 附件1

def test_attachment1_every_row_and_total_in_all_formats(runner, tmp_path):
    source = tmp_path / "淄博进展.xlsx"
    schools = progress_workbook(source)
    out = tmp_path / "out"
    result = run_form(runner, "attachment1", source, "-o", out)
    assert result.exit_code == 0, result.output
    stem = out / "附件1-淄博市-2019H1"
    totals = [sum(c[k] for _, c in schools) for k in range(6)]

    rows = sheet_rows(stem.with_suffix(".xlsx"), "附件1")
    assert rows[1][0] == "全省技工院校服务脱贫攻坚工作进展情况表"
    assert rows[2][0] == "填表单位（盖章）：淄博市人力资源社会保障局"
    assert rows[3][:3] == ("序号", "学校名称", "技工教育情况") and rows[3][6] == "职业培训情况"
    assert list(rows[4][2:]) == A1_HEAD2
    body = rows[5:5 + len(schools)]
    assert [(r[0], r[1], list(r[2:])) for r in body] == [(i, n, c) for i, (n, c) in enumerate(schools, 1)]
    assert rows[5 + len(schools)][0] == "总计" and list(rows[5 + len(schools)][2:]) == totals

    table = docx_rows(stem.with_suffix(".docx"))
    texts = [r[1] for r in table[2:-1]]
    assert texts == [n for n, _ in schools]
    assert table[-1][0] == "总计" and table[-1][2:] == [str(t) for t in totals]

    pdf = stem.with_suffix(".pdf")
    text = pdf_text(pdf)
    for name, counts in schools:
        assert re.search(name + r"\s+" + r"\s+".join(map(str, counts)), text)
    assert re.search(r"总计\s+" + r"\s+".join(map(str, totals)), text)
    assert "填表时间：2019年6月12日" in text and "填表人：赵敏" in text
    assert re.search(r"—\s*1\s*—", text)
    assert pdf_info(pdf)["Page size"].strip().startswith("841.89 x 595.276")
    assert fonts_embedded(pdf) and set(fonts_embedded(pdf)) == {"yes"}


def test_header_repeats_on_every_page(runner, tmp_path):
    source = tmp_path / "进展.xlsx"
    progress_workbook(source, n_schools=60)
    out = tmp_path / "out"
    assert run_form(runner, "attachment1", source, "-o", out).exit_code == 0
    stem = out / "附件1-淄博市-2019H1"
    ws = openpyxl.load_workbook(stem.with_suffix(".xlsx"))["附件1"]
    assert ws.print_title_rows == "$4:$5"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.freeze_panes == "C6"
    xml = zipfile.ZipFile(stem.with_suffix(".docx")).read("word/document.xml").decode()
    assert xml.count("<w:tblHeader") == 2
    assert 'w:orient="landscape"' in xml
    pdf = stem.with_suffix(".pdf")
    pages = int(pdf_info(pdf)["Pages"])
    assert pages >= 2
    for page in range(2, pages + 1):
        text = pdf_text(pdf, page)
        assert "技工教育情况" in text and "学校名称" in text and re.search(rf"—\s*{page}\s*—", text)
    assert "淄博第60技工学校" in pdf_text(pdf, pages)


# ---------------------------------------------------------------- 附件2

def test_attachment2_rows_text_cells_and_formula_name(runner, tmp_path):
    source = tmp_path / "登记.xlsx"
    people = registrations_workbook(source)
    out = tmp_path / "out"
    result = run_form(runner, "attachment2", source, "-o", out)
    assert result.exit_code == 0, result.output
    stem = out / "附件2-淄博市"

    ws = openpyxl.load_workbook(stem.with_suffix(".xlsx"))["附件2"]
    assert ws["A2"].value == "淄博市精准技能扶贫对象登记汇总表"
    for i, (name, gender, id_no, phone) in enumerate(people):
        r = 5 + i
        assert ws[f"B{r}"].value == name and ws[f"C{r}"].value == gender
        for col, value in (("E", f"3703021000{i + 1:09d}"), ("F", id_no), ("G", phone)):
            assert ws[f"{col}{r}"].value == value and ws[f"{col}{r}"].data_type == "s"
    assert ws["B7"].value == "=A1+B1" and ws["B7"].data_type == "s"     # text, not a formula
    assert ws["A9"].value == "总计" and ws["B9"].value == 4
    assert ws.column_dimensions["F"].width >= 20 and ws["H5"].alignment.wrap_text
    assert ws.print_title_rows == "$4:$4"

    table = docx_rows(stem.with_suffix(".docx"))
    assert [r[1] for r in table[1:-1]] == [p[0] for p in people]
    assert [r[5] for r in table[1:-1]] == [p[2] for p in people]
    assert table[-1][:2] == ["总计", "4人"]

    text = pdf_text(stem.with_suffix(".pdf"))
    for name, _, id_no, _ in people:
        assert name in text and id_no in text
    assert "淄博市精准技能扶贫对象登记汇总表" in text and "4人" in text


def test_mask_hides_ids_and_phones_everywhere(runner, tmp_path):
    source = tmp_path / "登记.xlsx"
    people = registrations_workbook(source)
    out = tmp_path / "out"
    assert run_form(runner, "attachment2", source, "-o", out, "--mask").exit_code == 0
    stem = out / "附件2-淄博市"
    xlsx = str(sheet_rows(stem.with_suffix(".xlsx"), "附件2"))
    docx_text = str(docx_rows(stem.with_suffix(".docx")))
    pdf = pdf_text(stem.with_suffix(".pdf"))
    for _, _, id_no, phone in people:
        for text in (xlsx, docx_text, pdf):
            assert id_no not in text and phone not in text
            assert mask_text(id_no) in text
    assert "138****0001" in pdf


# ---------------------------------------------------------------- blank forms

def test_blank_forms_have_validations_formulas_and_ruled_rows(runner, tmp_path):
    out = tmp_path / "out"
    catalog = DATA / "good" / "catalog.yaml"
    assert run_form(runner, "attachment2", "--blank", "--catalog", catalog, "--city", "济南市",
                    "-o", out).exit_code == 0
    assert run_form(runner, "attachment1", "--blank", "-o", out).exit_code == 0

    wb = openpyxl.load_workbook(out / "附件2-济南市-空白表.xlsx")
    ws = wb["附件2"]
    assert ws["A2"].value == "济南市精准技能扶贫对象登记汇总表"
    assert wb["lists"].sheet_state == "hidden"
    assert [wb["lists"].cell(i, 1).value for i in (1, 56)] == ["汉族", "基诺族"]
    checks = {str(dv.sqref)[0]: dv for dv in ws.data_validations.dataValidation}
    assert checks["C"].formula1 == '"男,女"'
    assert checks["D"].formula1 == "lists!$A$1:$A$56"
    assert checks["F"].type == "textLength" and checks["F"].formula1 == "18"
    assert checks["I"].type == "list" and wb["lists"]["B1"].value
    assert ws["B35"].value == "=COUNTA(B5:B34)" and ws["A35"].value == "总计"
    assert ws["F5"].number_format == "@"

    ws1 = openpyxl.load_workbook(out / "附件1-空白表.xlsx")["附件1"]
    assert ws1["A3"].value == "填表单位（盖章）：        市人力资源社会保障局"
    assert ws1["F3"].value == "填表时间：      年   月   日"
    assert [ws1.cell(36, c).value for c in range(3, 9)] == [f"=SUM({l}6:{l}35)" for l in "CDEFGH"]
    whole = [dv for dv in ws1.data_validations.dataValidation if dv.type == "whole"]
    assert len(whole) == 6 and all(dv.operator == "greaterThanOrEqual" and dv.formula1 == "0" for dv in whole)

    for stem, n in (("附件2-济南市-空白表", 12), ("附件1-空白表", 10)):
        rows = docx_rows(out / f"{stem}.docx")
        assert rows[-1][0] == "总计" and sum(1 for r in rows if r[0].isdigit()) == n
        pdf = out / f"{stem}.pdf"
        assert pdf_info(pdf)["Pages"].strip() == "1"
        assert "总计" in pdf_text(pdf) and "（印章）" not in pdf_text(pdf)     # a blank form carries no seal


def test_blank_xlsx_reads_back_without_rows(tmp_path):
    """Untouched blank rows must not become 30 rows of '姓名为空' errors when the city returns it."""
    from publisher.pipeline import Request, run
    from publisher.sources import load_source
    run(["forms"], [], tmp_path / "out", Request("xlsx", params={"form": "attachment2", "blank": True, "city": "淄博市"}))
    source = load_source(tmp_path / "out" / "附件2-淄博市-空白表.xlsx")
    assert source.kind == "registrations" and source.model.rows == [] and not source.findings.has_errors


# ---------------------------------------------------------------- CLI, build, embedding

def test_cli_exit_codes(runner, tmp_path):
    out = tmp_path / "out"
    result = run_form(runner, "attachment1", "-o", out)
    assert result.exit_code == 2 and "--blank" in result.output
    result = run_form(runner, "attachment1", DATA / "broken" / "progress_errors.xlsx", "-o", out)
    assert result.exit_code == 1 and "未生成任何文件" in result.output
    assert not out.exists()
    result = run_form(runner, "attachment2", DATA / "good" / "progress.xlsx", "-o", out)
    assert result.exit_code == 2 and "附件2" in result.output


def test_build_project_names_and_province_skip(tmp_path):
    from publisher.kinds import kind
    from publisher.options import make_options
    from publisher.pipeline import Report
    from publisher.project import load_project
    forms = kind("forms")
    city = load_project([ROOT / "catalogs" / "jinan"])
    province = load_project([ROOT / "catalogs" / "province"])
    made = []
    for prefix, project in (("jinan", city), ("province", province)):
        options = make_options(project.config, formats=("xlsx",))
        for document in forms.plan(project, options, Report()):
            made += [f"{prefix}/{name}" for name in forms.files(document, options.formats)]
    assert "jinan/附件2-济南市.xlsx" in made
    assert any(re.fullmatch(r"jinan/附件1-济南市-\d{4}H[12]\.xlsx", m) for m in made)
    assert not [m for m in made if m.startswith("province/附件1")]
    assert len(made) == len(set(made))


def test_fragment_and_docx_embedding(tmp_path):
    from publisher.documents.form_render import add_form_docx, form_html
    from publisher.options import Options
    from publisher.render.docx import new_document, page_setup
    html = form_html("attachment2", None, Options(), city="淄博市")
    assert 'class="pub-form' in html and "淄博市精准技能扶贫对象登记汇总表" in html
    assert "附件2<" not in html and "@page" not in html
    assert all(rule.strip().startswith((".pub-form", "@font-face", "}"))
               for rule in re.findall(r"^[^{}\n]*{", html.split("</style>")[0].split("<style>")[1], re.M))
    document = new_document()
    page_setup(document.sections[0], landscape=True)
    document.add_paragraph("附件1")
    add_form_docx(document, "attachment1", None, Options(), with_title=False)
    assert len(document.tables) == 1 and document.tables[0].rows[-1].cells[0].text == "总计"
    assert "全省技工院校服务脱贫攻坚工作进展情况表" not in "\n".join(p.text for p in document.paragraphs)


def test_outputs_are_reproducible(tmp_path):
    from publisher.kinds import kind
    from publisher.options import make_options
    from publisher.pipeline import Report
    from publisher.project import load_project
    project = load_project([DATA / "good" / "registrations.xlsx"])
    options = make_options(project.config, formats=("xlsx", "docx", "pdf"))
    forms = kind("forms")

    def render():
        documents = forms.plan(project, options, Report(), form="attachment2")
        return dict(forms.render_documents(documents, options, Report()))
    first, second = render(), render()
    assert first == second          # every format byte-identical, seal shape ids included
